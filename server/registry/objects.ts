// What every part of the registry does to stored objects: their storage key, their type meta,
// comparison for no-op writes, and storage errors as API Status errors.
import type { KubeObject } from '../../api/index.js';
import { StatusError, alreadyExists, conflict, errorMessage, gone, internal, notFound } from '../../machinery/index.js';
import { StorageError } from '../storage/index.js';
import type { ResourceDefinition } from './resource.js';

/** "batch/jobs", or the plural alone in the core group: the storage key prefix of a resource. */
export function storageResource(def: ResourceDefinition): string {
  return def.names.group ? `${def.names.group}/${def.names.resource}` : def.names.resource;
}

/** Stored objects always carry apiVersion and kind. */
export function withTypeMeta(def: ResourceDefinition, obj: KubeObject): KubeObject {
  const apiVersion = def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
  if (obj.apiVersion === apiVersion && obj.kind === def.names.kind) return obj;
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return { apiVersion, kind: def.names.kind, ...rest } as KubeObject;
}

export function sameObject(a: KubeObject, b: KubeObject): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    }
    return value;
  });
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
