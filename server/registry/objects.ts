// What every part of the registry does to stored objects: their storage key, their type meta,
// comparison for no-op writes, and storage errors as API Status errors.
import type { KubeObject } from '../../api/index.js';
import { StatusError, alreadyExists, conflict, errorMessage, gone, internal, notFound } from '../../machinery/index.js';
import { StorageError } from '../storage/index.js';
import type { ResourceDefinition } from './resource.js';

/** "batch/jobs", or the plural alone in the core group: the storage key prefix of a resource. */
export function storageResource(def: ResourceDefinition): string {
  if (def.storedAs) return def.storedAs.resource;
  return def.names.group ? `${def.names.group}/${def.names.resource}` : def.names.resource;
}

/**
 * Stored objects always carry apiVersion and kind. A resource stored in another's form
 * (def.storedAs) converts what it reads: a stored object is recognised by its type meta.
 */
export function withTypeMeta(def: ResourceDefinition, obj: KubeObject): KubeObject {
  const apiVersion = def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
  if (obj.apiVersion === apiVersion && obj.kind === def.names.kind) return obj;
  const storedAs = def.storedAs;
  if (storedAs && obj.apiVersion === storedAs.apiVersion && obj.kind === storedAs.kind) return storedAs.fromStorage(obj);
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return { apiVersion, kind: def.names.kind, ...rest } as KubeObject;
}

/** What the store keeps of an object of `def`: its own form, or the form of the resource whose storage it shares. */
export function toStorage(def: ResourceDefinition, obj: KubeObject): KubeObject {
  return def.storedAs ? def.storedAs.toStorage(withTypeMeta(def, obj)) : withTypeMeta(def, obj);
}

/** Equal as JSON documents (key order aside): what a no-op write is. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(a, b);
}

/**
 * JSON.stringify(a) === JSON.stringify(b) with keys sorted, without building either string:
 * a key whose value is undefined counts as absent, as in JSON; stops at the first difference.
 */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // Numbers JSON cannot hold (NaN, Infinity) are written as null.
    if (typeof a === 'number' && typeof b === 'number') return !Number.isFinite(a) && !Number.isFinite(b);
    return false;
  }
  const arrA = Array.isArray(a);
  if (arrA !== Array.isArray(b)) return false;
  if (arrA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i] ?? null, y[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k) || x[k] === undefined) continue;
    n++;
    if (!Object.hasOwn(y, k) || !jsonEqual(x[k], y[k])) return false;
  }
  for (const k in y) if (Object.hasOwn(y, k) && y[k] !== undefined) n--;
  return n === 0;
}

export function mapStorageError(def: ResourceDefinition, name: string, err: unknown): Error {
  if (err instanceof StatusError) return err;
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'NotFound':
        return notFound(def.names.resource, def.names.group, name);
      case 'AlreadyExists':
        return alreadyExists(def.names.resource, def.names.group, name);
      case 'Conflict':
        return conflict(def.names.resource, def.names.group, name, err.message);
      case 'TooOld':
        return gone(err.message);
    }
  }
  return internal(errorMessage(err));
}
