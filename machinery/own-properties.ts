// Own-property access for objects built from request bodies. JSON.parse makes "__proto__" an
// ordinary own key, but `obj[key]` reads the prototype for it and `obj[key] = v` calls the
// prototype setter: the key is lost, or worse, a shared prototype is mutated. Code that walks
// keys taken from a request (patches, pruning, decoding) reads and writes through these.

/** True when `key` is obj's own property (never an inherited one such as "constructor"). */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** obj's own property `key`, or undefined: never Object.prototype for "__proto__". */
export function getOwn(obj: Record<string, unknown>, key: string): unknown {
  return hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Equality of decoded JSON values: maps regardless of key order (own keys only), lists in
 * order, scalars by ===.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isJsonMap(a) || !isJsonMap(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

function isJsonMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own, enumerable property, even one named "__proto__" (as JSON.parse would). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}
