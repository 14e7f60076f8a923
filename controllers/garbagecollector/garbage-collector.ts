// The garbage collector (upstream pkg/controller/garbagecollector): informers on the resources
// that own or depend on others feed a dependency graph; three rules act on it through two work
// queues keyed by uid:
//   attemptToDelete — an object whose owners are all gone (checked with a live GET, so a slow
//     cache never deletes the child of a live object) is deleted with Background propagation
//     (or as its own GC finalizer says); an owner being deleted in the foreground deletes its
//     dependents, recursively, and loses `foregroundDeletion` once no blocking dependent is left;
//   attemptToOrphan — an owner being deleted with the `orphan` finalizer has its reference
//     removed from every dependent, then loses the finalizer.
// Everything it needs comes in one deps object; all state is in the API (the graph is rebuilt
// from the informers on start).
import type { ObjectMeta, OwnerReference } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type DeletedFinalStateUnknown,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Logger,
  type ObjectLike,
  QueueWorker,
  type ResourceClient,
  type ResourceInfo,
  Resources,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  apiVersionOf,
  isTombstone,
  noopLogger,
  realScheduler,
} from '../../client/index.js';
import { errorMessage, isConflict, isNotFound } from '../../machinery/index.js';
import { runController } from '../run-controller.js';
import { CustomResourceMonitors } from './custom-resources.js';
import {
  DependencyGraph,
  FINALIZER_DELETING_DEPENDENTS,
  FINALIZER_ORPHAN_DEPENDENTS,
  type GraphNode,
  type ObjectIdentity,
} from './graph.js';

/** The resources the collector watches by default: everything jobyard serves that owns or depends. */
export const DEFAULT_GC_RESOURCES: readonly ResourceInfo[] = [
  Resources.cronjobs,
  Resources.jobs,
  Resources.pods,
  Resources.configmaps,
  Resources.secrets,
  Resources.persistentvolumeclaims,
];

/** Kinds an owner reference may name, watched or not (a pod may be owned by its Node). */
const OWNER_KINDS: readonly ResourceInfo[] = [...Object.values(Resources)];

/** Retries of failed items: 5 ms doubling to 1000 s, as upstream's default controller rate limiter. */
export const DEFAULT_GC_API_BACKOFF = { baseMs: 5, maxMs: 1_000_000 };

export interface GarbageCollectorDeps {
  clientset: Pick<Clientset, 'resource'>;
  informers: InformerFactory;
  /** Resources to watch. @defaultValue DEFAULT_GC_RESOURCES */
  resources?: readonly ResourceInfo[];
  /** Timers of the work queues. @defaultValue real timers */
  scheduler?: Scheduler;
  apiBackoff?: { baseMs: number; maxMs: number };
  logger?: Logger;
  /** Also watch the custom resources of established CRDs, and resolve owners of their kinds. @defaultValue true */
  customResources?: boolean;
}

/** An owner reference whose apiVersion/kind the API does not serve: retried, never treated as gone. */
export class RestMappingError extends Error {
  constructor(ref: Pick<OwnerReference, 'apiVersion' | 'kind'>) {
    super(`unable to get REST mapping for ${ref.apiVersion}/${ref.kind}`);
    this.name = 'RestMappingError';
  }
}

type MetaObj = DeepReadonly<ObjectLike>;
type EventObj = MetaObj | DeletedFinalStateUnknown<MetaObj>;

/** Owners of an item sorted by what their live state says (upstream classifyReferences). */
export interface ClassifiedReferences {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

/** Bounded set of owner uids found absent (upstream's absentOwnerCache, an LRU). */
class AbsentOwnerCache {
  private readonly max: number;
  private readonly uids = new Map<string, true>();

  constructor(max: number) {
    this.max = max;
  }

  has(uid: string): boolean {
    if (!this.uids.has(uid)) return false;
    this.uids.delete(uid);
    this.uids.set(uid, true);
    return true;
  }

  add(uid: string): void {
    this.uids.delete(uid);
    this.uids.set(uid, true);
    if (this.uids.size > this.max) {
      const oldest = this.uids.keys().next().value;
      if (oldest !== undefined) this.uids.delete(oldest);
    }
  }
}

/** The strategic merge patch that removes owner references by uid; metadata.uid guards the target. */
export function deleteOwnerRefStrategicMergePatch(dependentUid: string, ...ownerUids: string[]): unknown {
  return { metadata: { uid: dependentUid, ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })) } };
}

/** Deletes objects whose owners are gone and carries out Foreground and Orphan deletion. */
export class GarbageCollector {
  readonly graph = new DependencyGraph();
  readonly attemptToDelete: WorkQueue<string>;
  readonly attemptToOrphan: WorkQueue<string>;
  private readonly deleteWorker: QueueWorker<string>;
  private readonly orphanWorker: QueueWorker<string>;
  readonly logger: Logger;
  private readonly clientset: Pick<Clientset, 'resource'>;
  private readonly informers: SharedInformer<ObjectLike>[] = [];
  private readonly absentOwnerCache = new AbsentOwnerCache(500);
  private readonly clients = new Map<string, ResourceClient<ObjectLike>>();
  private readonly customResources?: CustomResourceMonitors;

  constructor(deps: GarbageCollectorDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.clientset = deps.clientset;
    const api = deps.apiBackoff ?? DEFAULT_GC_API_BACKOFF;
    this.attemptToDelete = new WorkQueue<string>({
      name: 'garbage_collector_attempt_to_delete',
      scheduler,
      rateLimiter: new ItemExponentialFailureRateLimiter(api.baseMs, api.maxMs),
    });
    this.attemptToOrphan = new WorkQueue<string>({
      name: 'garbage_collector_attempt_to_orphan',
      scheduler,
      rateLimiter: new ItemExponentialFailureRateLimiter(api.baseMs, api.maxMs),
    });
    this.deleteWorker = new QueueWorker(this.attemptToDelete, (uid) => this.attemptToDeleteItem(uid), (uid, err, queue) => {
      const n = this.graph.get(uid);
      this.logger.error('attemptToDeleteItem', { uid, object: n ? describe(n.identity) : undefined, error: errorMessage(err) });
      queue.addRateLimited(uid);
    });
    this.orphanWorker = new QueueWorker(this.attemptToOrphan, (uid) => this.attemptToOrphanItem(uid), (uid, err, queue) => {
      this.logger.error('orphanDependents', { uid, error: errorMessage(err) });
      queue.addRateLimited(uid);
    });
    for (const info of deps.resources ?? DEFAULT_GC_RESOURCES) {
      const inf = deps.informers.forResource<ObjectLike>(info);
      this.informers.push(inf);
      inf.addEventHandler({
        add: (o) => this.onObserved(info, o),
        update: (_old, cur) => this.onObserved(info, cur),
        delete: (o) => this.onDeleted(o),
      });
    }
    if (deps.customResources !== false) {
      this.customResources = new CustomResourceMonitors(deps.clientset, deps.informers, { observed: (info, o) => this.onObserved(info, o), deleted: (o) => this.onDeleted(o) }, this.logger);
      this.informers.push(this.customResources.crdInformer as unknown as SharedInformer<ObjectLike>);
    }
  }

  /** True once every watched informer has listed. */
  hasSynced(): boolean {
    return this.informers.every((i) => i.hasSynced());
  }

  /** Waits for the caches, then runs `workers` delete loops and one orphan loop until `signal` aborts. */
  async run(signal: AbortSignal, workerCount = 5): Promise<void> {
    this.customResources?.start(signal);
    await runController(signal, {
      name: 'garbage collector controller',
      logger: this.logger,
      informers: this.informers,
      queues: [
        { worker: this.deleteWorker, count: workerCount },
        { worker: this.orphanWorker, count: 1 },
      ],
    });
  }

  // ---- graph builder: informer events -------------------------------------------------------

  private onObserved(info: ResourceInfo, obj: MetaObj): void {
    const r = this.graph.observe(info, obj.metadata as DeepReadonly<ObjectMeta>);
    if (!r) return;
    const { node } = r;
    // An owner not (yet) observed may not exist: verify (upstream's virtual nodes).
    if (r.addedOwners.some((o) => !this.graph.has(o.uid))) this.attemptToDelete.add(node.identity.uid);
    // A reference dropped or unblocked may be what a foreground owner waits for.
    for (const o of r.removedOrUnblockedOwners) {
      const owner = this.graph.get(o.uid);
      if (owner?.deletingDependents) this.attemptToDelete.add(owner.identity.uid);
    }
    if (r.added || r.deletionStateChanged) {
      if (node.orphaningDependents) this.attemptToOrphan.add(node.identity.uid);
      if (node.deletingDependents) {
        // Foreground: every dependent is considered for deletion, then the owner itself.
        for (const d of this.graph.dependentsOf(node.identity.uid)) this.attemptToDelete.add(d.identity.uid);
        this.attemptToDelete.add(node.identity.uid);
      }
    }
  }

  private onDeleted(obj: EventObj): void {
    const o = isTombstone(obj) ? obj.obj : obj;
    const uid = o.metadata?.uid;
    if (!uid) return;
    const node = this.graph.remove(uid);
    if (!node) return;
    this.absentOwnerCache.add(uid);
    // Its dependents may be orphans now.
    for (const d of this.graph.dependentsOf(uid)) this.attemptToDelete.add(d.identity.uid);
    // An owner waiting in the foreground may have lost its last blocking dependent.
    for (const r of node.owners) {
      const owner = this.graph.get(r.uid);
      if (owner?.deletingDependents) this.attemptToDelete.add(owner.identity.uid);
    }
  }

  // ---- workers ----------------------------------------------------------------------------

  /** Takes one uid from attemptToDelete and processes it. False once the queue shut down. */
  processAttemptToDelete(): Promise<boolean> {
    return this.deleteWorker.processNextWorkItem();
  }

  /** Takes one owner uid from attemptToOrphan and processes it. False once the queue shut down. */
  processAttemptToOrphan(): Promise<boolean> {
    return this.orphanWorker.processNextWorkItem();
  }

  private client(info: ResourceInfo, namespace: string): ResourceClient<ObjectLike> {
    const k = `${info.group}/${info.resource}`;
    let c = this.clients.get(k);
    if (!c) this.clients.set(k, (c = this.clientset.resource<ObjectLike>(info)));
    return info.namespaced ? c.namespace(namespace) : c;
  }

  /** The live object, or undefined if it is gone or was replaced by another with the same name. */
  private async getLive(id: ObjectIdentity): Promise<ObjectLike | undefined> {
    try {
      const o = await this.client(id.info, id.namespace).get(id.name);
      return o.metadata?.uid === id.uid ? o : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Decides the fate of one object (upstream attemptToDeleteItem): nothing while it is being
   * deleted (unless it waits for its own dependents), remove references to gone owners while a
   * solid owner remains, delete it once no owner is left.
   */
  async attemptToDeleteItem(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const latest = await this.getLive(node.identity);
    if (!latest) return; // the informer will report the deletion
    const meta = latest.metadata ?? {};
    const foreground = meta.finalizers?.includes(FINALIZER_DELETING_DEPENDENTS) ?? false;
    if (meta.deletionTimestamp && !foreground) return;
    if (meta.deletionTimestamp && foreground) {
      await this.processDeletingDependentsItem(node);
      return;
    }
    const ownerRefs = meta.ownerReferences ?? [];
    if (ownerRefs.length === 0) return;
    const { solid, dangling, waitingForDependentsDeletion } = await this.classifyReferences(node.identity, ownerRefs);
    if (solid.length > 0) {
      if (dangling.length === 0 && waitingForDependentsDeletion.length === 0) return;
      // Some owners live on: only drop the references to the gone and the going.
      const uids = [...dangling, ...waitingForDependentsDeletion].map((r) => r.uid);
      this.logger.debug('removing dangling owner references', { object: describe(node.identity), owners: uids });
      try {
        await this.removeOwnerReferences(node.identity, uids);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    let policy: 'Foreground' | 'Background' | 'Orphan';
    if (waitingForDependentsDeletion.length > 0 && node.dependents.size > 0) {
      // An owner waits for us and we have dependents of our own: go in the foreground too, so
      // the owner keeps waiting until the whole subtree is gone.
      policy = 'Foreground';
    } else if (meta.finalizers?.includes(FINALIZER_ORPHAN_DEPENDENTS)) {
      policy = 'Orphan';
    } else if (foreground) {
      policy = 'Foreground';
    } else {
      policy = 'Background';
    }
    this.logger.info('deleting object', { object: describe(node.identity), propagationPolicy: policy });
    await this.deleteObject(node.identity, policy);
  }

  private async deleteObject(id: ObjectIdentity, policy: 'Foreground' | 'Background' | 'Orphan'): Promise<void> {
    try {
      await this.client(id.info, id.namespace).delete(id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
    } catch (err) {
      // Gone, or replaced by another object of that name (uid precondition): nothing to delete.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /** Sorts owner references by the owners' live state (upstream classifyReferences / isDangling). */
  async classifyReferences(item: ObjectIdentity, refs: readonly OwnerReference[]): Promise<ClassifiedReferences> {
    const out: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const ref of refs) {
      const owner = await this.liveOwner(item, ref);
      if (!owner) out.dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && owner.metadata.finalizers?.includes(FINALIZER_DELETING_DEPENDENTS)) {
        out.waitingForDependentsDeletion.push(ref);
      } else out.solid.push(ref);
    }
    return out;
  }

  /** The owner a reference names, read live; undefined when absent or of another uid. */
  private async liveOwner(item: ObjectIdentity, ref: OwnerReference): Promise<ObjectLike | undefined> {
    if (this.absentOwnerCache.has(ref.uid)) return undefined;
    const info = OWNER_KINDS.find((r) => r.kind === ref.kind && apiVersionOf(r) === ref.apiVersion) ?? this.customResources?.resourceFor(ref.apiVersion, ref.kind);
    if (!info) throw new RestMappingError(ref);
    // A cluster-scoped dependent cannot have a namespaced owner: such a reference is dangling.
    if (info.namespaced && !item.namespace) return undefined;
    let owner: ObjectLike;
    try {
      owner = await this.client(info, item.namespace).get(ref.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.absentOwnerCache.add(ref.uid);
      return undefined;
    }
    if (owner.metadata?.uid !== ref.uid) {
      this.absentOwnerCache.add(ref.uid);
      return undefined;
    }
    return owner;
  }

  /**
   * An owner deleted in the foreground: once no blocking dependent is left, remove its
   * `foregroundDeletion` finalizer; until then make sure each blocking dependent is being deleted.
   */
  private async processDeletingDependentsItem(node: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependents(node.identity.uid);
    if (blocking.length === 0) {
      await this.removeFinalizer(node.identity, FINALIZER_DELETING_DEPENDENTS);
      return;
    }
    for (const d of blocking) if (!d.deletingDependents) this.attemptToDelete.add(d.identity.uid);
  }

  /** Orphans the dependents of an owner, then removes its `orphan` finalizer. */
  async attemptToOrphanItem(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const errors: string[] = [];
    for (const d of this.graph.dependentsOf(uid)) {
      try {
        await this.removeOwnerReferences(d.identity, [uid]);
      } catch (err) {
        if (!isNotFound(err)) errors.push(`${describe(d.identity)}: ${errorMessage(err)}`);
      }
    }
    if (errors.length) throw new Error(`failed to orphan dependents of owner ${describe(node.identity)}, got errors: ${errors.join('; ')}`);
    this.logger.debug('successfully updated all dependents', { owner: describe(node.identity) });
    await this.removeFinalizer(node.identity, FINALIZER_ORPHAN_DEPENDENTS);
  }

  /**
   * Removes owner references by uid: a strategic merge patch, or for kinds that take none (custom
   * resources answer 415) a JSON merge patch of the remaining references, guarded by uid and
   * resourceVersion (upstream's deleteOwnerRefJSONMergePatch fallback).
   */
  private async removeOwnerReferences(id: ObjectIdentity, ownerUids: string[]): Promise<void> {
    const client = this.client(id.info, id.namespace);
    try {
      await client.patch(id.name, 'strategic', deleteOwnerRefStrategicMergePatch(id.uid, ...ownerUids));
    } catch (err) {
      if (!isUnsupportedMediaType(err)) throw err;
      const live = await this.getLive(id);
      if (!live) return;
      const remaining = (live.metadata?.ownerReferences ?? []).filter((r) => !ownerUids.includes(r.uid));
      await client.patch(id.name, 'merge', { metadata: { uid: id.uid, resourceVersion: live.metadata?.resourceVersion, ownerReferences: remaining } });
    }
  }

  /** Removes one finalizer with a resourceVersion-guarded merge patch, retrying conflicts. */
  private async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const client = this.client(id.info, id.namespace);
    for (let attempt = 0; ; attempt++) {
      const live = await this.getLive(id);
      if (!live) return;
      const finalizers = live.metadata?.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      try {
        await client.patch(id.name, 'merge', {
          metadata: { finalizers: finalizers.filter((f) => f !== finalizer), resourceVersion: live.metadata?.resourceVersion },
        });
        this.logger.info('removed finalizer', { object: describe(id), finalizer });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 4) throw err;
      }
    }
  }
}

function isUnsupportedMediaType(err: unknown): boolean {
  const status = (err as { status?: { reason?: string; code?: number } } | undefined)?.status;
  return status?.reason === 'UnsupportedMediaType' || status?.code === 415;
}

function describe(id: ObjectIdentity): string {
  return `${id.info.resource}${id.info.group ? `.${id.info.group}` : ''} ${id.namespace ? `${id.namespace}/` : ''}${id.name} (${id.uid})`;
}

