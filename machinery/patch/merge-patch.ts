// JSON merge patch (RFC 7386), as the API server applies Content-Type: application/merge-patch+json.
// Objects merge key by key, `null` deletes a key, anything else (lists included) replaces.
import { getOwn, hasOwn, setOwn } from '../own-properties.js';

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
  // Keys are data ("__proto__" a ConfigMap key like any other): own properties only, never the
  // prototype's accessor, which would lose the key or reach a shared prototype.
  const result: Record<string, unknown> = {};
  if (isObject(target)) for (const [key, value] of Object.entries(target)) setOwn(result, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwn(result, key, mergePatch(getOwn(result, key), value));
  }
  // Copy untouched members too, so the result shares nothing with `original`.
  for (const key of Object.keys(result)) if (!hasOwn(patch, key)) setOwn(result, key, structuredClone(result[key]));
  return result;
}
