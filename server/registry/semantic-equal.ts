// apiequality.Semantic.DeepEqual for JSON objects: what upstream compares when it decides
// whether a spec changed (generation bumps) or an immutable field was touched.
// As in upstream, an absent value, null, an empty list and an empty map are equal
// (Go's omitempty drops them on the wire, so clients cannot tell them apart either).

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as object).every((x) => x === undefined);
  return false;
}

/** Deep equality with absent ≡ null ≡ [] ≡ {}; object key order does not matter. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) if (!semanticEqual(ra[k], rb[k])) return false;
    return true;
  }
  return false;
}

/** Paths (dot/index form) where two values differ semantically, for "what changed" messages. */
export function semanticDiffPaths(a: unknown, b: unknown, path = '', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit || semanticEqual(a, b)) return out;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = !bothArrays && a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
  if (bothArrays && (a as unknown[]).length === (b as unknown[]).length) {
    (a as unknown[]).forEach((x, i) => semanticDiffPaths(x, (b as unknown[])[i], `${path}[${i}]`, out, limit));
    return out;
  }
  if (bothObjects) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
      semanticDiffPaths(ra[k], rb[k], path ? `${path}.${k}` : k, out, limit);
    }
    return out;
  }
  out.push(path);
  return out;
}
