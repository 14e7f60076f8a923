// Deletion as upstream's genericregistry.Store does it: preconditions, the propagation policy
// as the orphan / foregroundDeletion finalizer the garbage collector acts on, graceful deletion
// (a deletionTimestamp and grace period), and the object kept while finalizers remain.
import type { DeleteOptions, KubeObject, ObjectMeta, Status } from '../../api/index.js';
import { conflict, fieldErrors, invalid, notFound, rfc3339 } from '../../machinery/index.js';
import type { ObjectStore } from '../storage/index.js';
import { mapStorageError, sameObject, storageResource, toStorage, withTypeMeta } from './objects.js';
import type { ResourceDefinition } from './resource.js';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

export interface Deleted {
  /** The object as it now stands (graceful/finalizing deletion) or as it was removed. */
  object: KubeObject;
  /** True when the object is gone from storage. */
  removed: boolean;
  warnings: string[];
}

/** The delete sequence for one object; throws NotFound, Conflict (preconditions) or Invalid. */
export function deleteObject(store: ObjectStore, now: Date, def: ResourceDefinition, namespace: string, name: string, options: DeleteOptions, dryRun: boolean): Deleted {
  const resource = storageResource(def);
  const ns = def.names.namespaced ? namespace : '';
  const existing = store.get(resource, ns, name);
  if (!existing) throw notFound(def.names.resource, def.names.group, name);
  const pre = options.preconditions ?? {};
  if (pre.uid !== undefined && pre.uid !== existing.metadata.uid) {
    throw conflict(def.names.resource, def.names.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid ?? ''}`);
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== existing.metadata.resourceVersion) {
    throw conflict(
      def.names.resource,
      def.names.group,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion ?? ''}`,
    );
  }
  if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0) {
    throw invalid(def.names.kind, def.names.group, name, [fieldErrors.invalid('gracePeriodSeconds', options.gracePeriodSeconds, 'must be greater than or equal to 0')]);
  }
  if (options.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)) {
    throw invalid(def.names.kind, def.names.group, name, [
      fieldErrors.notSupported('propagationPolicy', options.propagationPolicy, ['Foreground', 'Background', 'Orphan']),
    ]);
  }
  const obj = structuredClone(withTypeMeta(def, existing));
  const meta = obj.metadata;

  // Finalizers the garbage collector acts on, from the propagation policy.
  const policy = propagationPolicy(options, existing.metadata, def.strategy.defaultGarbageCollectionPolicy);
  let finalizers = [...(meta.finalizers ?? [])];
  if (policy === 'Orphan') finalizers = addOnce(finalizers.filter((f) => f !== FOREGROUND), ORPHAN);
  else if (policy === 'Foreground') finalizers = addOnce(finalizers.filter((f) => f !== ORPHAN), FOREGROUND);
  else if (policy === 'Background') finalizers = finalizers.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  if (meta.deletionTimestamp && policy === undefined) finalizers = [...(meta.finalizers ?? [])];

  let grace = def.strategy.deletionGracePeriodSeconds?.(obj, options.gracePeriodSeconds) ?? 0;
  if (meta.deletionTimestamp) {
    // Already being deleted: a shorter grace period may be asked for, never a longer one.
    const current = meta.deletionGracePeriodSeconds ?? 0;
    if (grace > current) grace = current;
  }
  const resourcePending = def.strategy.beginDeletion?.(obj) ?? false;
  const pendingFinalizers = finalizers.length > 0 || resourcePending;
  if (grace === 0 && !pendingFinalizers) {
    if (dryRun) return { object: obj, removed: true, warnings: [] };
    try {
      const removed = store.delete(resource, ns, name, { resourceVersion: existing.metadata.resourceVersion });
      return { object: withTypeMeta(def, removed), removed: true, warnings: [] };
    } catch (err) {
      throw mapStorageError(def, name, err);
    }
  }
  // Graceful or finalizing deletion: mark it and let the owner of the process finish.
  const alreadyDeleting = !!meta.deletionTimestamp;
  if (!alreadyDeleting || grace < (meta.deletionGracePeriodSeconds ?? 0)) {
    meta.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
  }
  meta.finalizers = finalizers;
  if (meta.finalizers.length === 0) delete meta.finalizers;
  if (sameObject(obj, withTypeMeta(def, existing))) return { object: withTypeMeta(def, existing), removed: false, warnings: [] };
  if (dryRun) return { object: obj, removed: false, warnings: [] };
  try {
    const written = store.update(resource, toStorage(def, obj), { resourceVersion: existing.metadata.resourceVersion });
    return { object: withTypeMeta(def, written), removed: false, warnings: [] };
  } catch (err) {
    throw mapStorageError(def, name, err);
  }
}

/** Success Status returned for an immediate delete, as upstream's finalizeDelete. */
export function deleteSuccessStatus(def: ResourceDefinition, obj: KubeObject): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name, group: def.names.group, kind: def.names.resource, uid: obj.metadata.uid },
    code: 200,
  };
}

function propagationPolicy(
  options: DeleteOptions,
  meta: ObjectMeta,
  defaultPolicy: 'Orphan' | 'Background' | undefined,
): 'Orphan' | 'Background' | 'Foreground' | undefined {
  if (options.propagationPolicy) return options.propagationPolicy;
  if (options.orphanDependents !== undefined) return options.orphanDependents ? 'Orphan' : 'Background';
  // An object already carrying a GC finalizer keeps that choice.
  if (meta.finalizers?.includes(ORPHAN)) return 'Orphan';
  if (meta.finalizers?.includes(FOREGROUND)) return 'Foreground';
  if (meta.deletionTimestamp) return undefined;
  return defaultPolicy;
}

function addOnce(list: string[], item: string): string[] {
  return list.includes(item) ? list : [...list, item];
}
