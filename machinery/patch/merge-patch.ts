// JSON merge patch (RFC 7386), as the API server applies Content-Type: application/merge-patch+json.
// Objects merge key by key, `null` deletes a key, anything else (lists included) replaces.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies an RFC 7386 merge patch to a copy of `original` (neither argument is modified). */
export function applyMergePatch<T = unknown>(original: T, patch: unknown): T {
  return mergePatch(original, patch) as T;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  // A patch that is not an object replaces the target whole (RFC 7386 section 2).
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  // Copy untouched members too, so the result shares nothing with `original`.
  for (const key of Object.keys(result)) if (!(key in patch)) result[key] = structuredClone(result[key]);
  return result;
}
