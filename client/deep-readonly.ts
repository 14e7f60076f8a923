// Objects handed out by informer caches are shared: readers get a DeepReadonly view
// (and the cache freezes them), so a caller that wants to edit clones first.

export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends Function
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** Freezes a JSON-like value and everything below it; returns it typed read-only. */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value as DeepReadonly<T>;
}

/** A mutable deep copy of a (possibly read-only) JSON-like value. */
export function deepClone<T>(value: DeepReadonly<T> | T): T {
  return structuredClone(value) as T;
}
