// Reading and writing a nested form value by its path (['containers', 0, 'image']), immutably.
import type { FormPath } from './to-job.js';

export function getIn(obj: unknown, path: FormPath): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** A copy of `obj` with the value at `path` replaced; only the objects along the path are copied. */
export function setIn<T>(obj: T, path: FormPath, value: unknown): T {
  if (path.length === 0) return value as T;
  const [k, ...rest] = path;
  const cur = obj as unknown as Record<string | number, unknown> | unknown[] | undefined;
  const child = cur === undefined || cur === null ? undefined : (cur as Record<string | number, unknown>)[k];
  const next = setIn(child, rest, value);
  if (Array.isArray(cur)) {
    const copy = cur.slice();
    copy[k as number] = next;
    return copy as unknown as T;
  }
  return { ...(cur ?? {}), [k]: next } as T;
}

/** A stable string key for a path (for error maps). */
export const pathKey = (path: FormPath): string => JSON.stringify(path);

/** True when `path` equals `prefix` or lies under it. */
export function isUnder(path: FormPath, prefix: FormPath): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}
