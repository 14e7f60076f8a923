// The Service storage's hooks for the GenericRegistry (upstream: the service REST's beginCreate
// and beginUpdate) over one ServiceAllocators, and the store watch that frees a deleted Service's
// addresses and ports.
import type { KubeObject } from '../../../api/index.js';
import type { ObjectStore } from '../../storage/index.js';
import type { StorageHooks } from '../resource.js';
import type { ServiceAllocators } from './allocation.js';
import type { ServiceObject } from './types.js';

export function serviceStorageHooks(allocators: ServiceAllocators): StorageHooks {
  return {
    beginCreate: (obj: KubeObject, dryRun: boolean) => allocators.beginCreate(obj as ServiceObject, dryRun),
    beginUpdate: (obj: KubeObject, old: KubeObject, dryRun: boolean) => allocators.beginUpdate(obj as ServiceObject, old as ServiceObject, dryRun),
  };
}

/**
 * Rebuilds the allocations from the stored Services (the repair pass), then follows deletions.
 * Returns the problems the pass found and a stop function.
 */
export function startServiceAllocations(store: ObjectStore, allocators: ServiceAllocators, log: (msg: string) => void): () => void {
  const problems = allocators.repair(store.list('services').items as ServiceObject[]);
  for (const p of problems) log(`service allocation repair: ${p.reason}: ${p.message}`);
  const stopWatch = store.watch('services', undefined, store.currentRv(), (event) => {
    if (event.type === 'DELETED') allocators.releaseService(event.object as ServiceObject);
  });
  // Upstream repairs every 3 minutes: leaks (a write whose commit failed) come back.
  const timer = setInterval(() => {
    for (const p of allocators.repair(store.list('services').items as ServiceObject[])) log(`service allocation repair: ${p.reason}: ${p.message}`);
  }, 180_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    stopWatch();
  };
}
