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

/** Sets an own, enumerable property, even one named "__proto__" (as JSON.parse would). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}
