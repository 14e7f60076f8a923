// The namespace controller (upstream pkg/controller/namespace and its deletion package): a
// namespace with a deletionTimestamp (phase Terminating) has all its content deleted (Background
// propagation, as upstream's deleter), is re-queued until that content is gone, and then loses
// the `kubernetes` entry of spec.finalizers through PUT .../namespaces/{name}/finalize, which lets
// the API server remove it. Progress and failures show as the upstream namespace conditions.
import type { Namespace, NamespaceCondition, ObjectMeta } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Lister,
  type Logger,
  type ObjectLike,
  QueueWorker,
  type ResourceInfo,
  Resources,
  RestClientset,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  noopLogger,
  realScheduler,
  type SyncErrorHandler,
} from '../../client/index.js';
import { type Clock, errorMessage, isNotFound, rfc3339 } from '../../machinery/index.js';
import { runController } from '../run-controller.js';

/** The spec.finalizers entry this controller owns. */
export const FINALIZER_KUBERNETES = 'kubernetes';

/** The namespaced resources jobyard serves, in the order their content is deleted. */
export const NAMESPACED_RESOURCES: readonly ResourceInfo[] = [
  Resources.jobs,
  Resources.pods,
  Resources.configmaps,
  Resources.secrets,
  Resources.persistentvolumeclaims,
  Resources.events,
];

/** Where the namespaced resources CRDs add are found (upstream: discovery, which lists them). */
const CUSTOM_RESOURCE_DEFINITIONS: ResourceInfo = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};

interface CRDLike extends ObjectLike {
  spec?: { group?: string; scope?: string; versions?: { name?: string; served?: boolean; storage?: boolean }[] };
  status?: { acceptedNames?: { plural?: string; kind?: string }; conditions?: { type?: string; status?: string }[] };
}

/** The namespaced custom resources of established CRDs, each once (all its versions share one storage). */
export function customResourcesOf(crds: readonly CRDLike[]): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const crd of crds) {
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    const version = crd.spec?.versions?.find((v) => v.served && v.storage) ?? crd.spec?.versions?.find((v) => v.served);
    const names = crd.status?.acceptedNames;
    if (!established || crd.spec?.scope !== 'Namespaced' || !version?.name || !names?.plural || !crd.spec.group) continue;
    out.push({ group: crd.spec.group, version: version.name, resource: names.plural, kind: names.kind ?? '', namespaced: true });
  }
  return out;
}

/** Seconds assumed for finalizers on remaining content to be processed (finalizerEstimateSeconds). */
export const FINALIZER_ESTIMATE_SECONDS = 5;

/** Content is still there; come back in about `estimateSeconds` (upstream ResourcesRemainingError). */
export class ResourcesRemainingError extends Error {
  readonly estimateSeconds: number;

  constructor(estimateSeconds: number) {
    super(`some content remains in the namespace, estimate ${estimateSeconds} seconds before it is removed`);
    this.name = 'ResourcesRemainingError';
    this.estimateSeconds = estimateSeconds;
  }
}

export interface NamespaceControllerDeps {
  clientset: Pick<Clientset, 'namespaces' | 'resource'>;
  informers: InformerFactory;
  /** Namespaced resources to empty. @defaultValue NAMESPACED_RESOURCES and those of established CRDs */
  resources?: readonly ResourceInfo[];
  /**
   * PUT /api/v1/namespaces/{name}/finalize. @defaultValue over the RestClient of a RestClientset;
   * for other clientsets a patch of spec.finalizers on the finalize subresource.
   */
  finalize?: (ns: Namespace) => Promise<Namespace>;
  /** Delay before looking again at remaining content. @defaultValue upstream's (estimate/2 + 1) s */
  remainingContentDelayMs?: (estimateSeconds: number) => number;
  clock?: Clock;
  scheduler?: Scheduler;
  logger?: Logger;
}

// Condition types the deleter maintains, with their "all is well" reason and message.
const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
const OK: Record<(typeof CONDITION_TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

/** What deleting a namespace's content left behind. */
export interface ContentDeletionResult {
  estimateSeconds: number;
  /** "pods" → 2 */
  remainingByResource: Map<string, number>;
  /** "batch.kubernetes.io/job-tracking" → 2 */
  remainingByFinalizer: Map<string, number>;
  errors: string[];
}

/**
 * The namespace conditions for a deletion result (upstream namespaceConditionUpdater): failures
 * and remaining content as True conditions, everything else as its False "ok" variant.
 */
export function deletionConditions(r: ContentDeletionResult, now: Date): NamespaceCondition[] {
  const t = rfc3339(now);
  const out: NamespaceCondition[] = [];
  const failing = new Map<string, NamespaceCondition>();
  if (r.errors.length) {
    const msgs = [...r.errors].sort();
    failing.set('NamespaceDeletionContentFailure', {
      type: 'NamespaceDeletionContentFailure',
      status: 'True',
      lastTransitionTime: t,
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    });
  }
  const remaining = [...r.remainingByResource].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
  if (remaining.length) {
    failing.set('NamespaceContentRemaining', {
      type: 'NamespaceContentRemaining',
      status: 'True',
      lastTransitionTime: t,
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining.join(', ')}`,
    });
  }
  const byFinalizer = [...r.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (byFinalizer.length) {
    failing.set('NamespaceFinalizersRemaining', {
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      lastTransitionTime: t,
      reason: 'SomeFinalizerRemain',
      message: `Some finalizers are remaining: ${byFinalizer.join(', ')}`,
    });
  }
  for (const type of CONDITION_TYPES) {
    out.push(failing.get(type) ?? { type, status: 'False', lastTransitionTime: t, reason: OK[type].reason, message: OK[type].message });
  }
  return out;
}

/** Merges new conditions into the status (updateConditions): lastTransitionTime moves only when status does. */
export function updateConditions(existing: readonly NamespaceCondition[] | undefined, next: NamespaceCondition[]): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = (existing ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const n of next) {
    const old = conditions.find((c) => c.type === n.type);
    if (!old) {
      conditions.push(n);
      changed = true;
    } else if (old.status !== n.status || old.reason !== n.reason || old.message !== n.message) {
      if (old.status !== n.status) old.lastTransitionTime = n.lastTransitionTime;
      old.status = n.status;
      old.reason = n.reason;
      old.message = n.message;
      changed = true;
    }
  }
  return { conditions, changed };
}

/** "pods" or "jobs.batch", as upstream prints a group-resource. */
function groupResource(info: ResourceInfo): string {
  return `${info.resource}.${info.group}`;
}

/** Empties and finalizes namespaces being deleted. */
export class NamespaceController {
  readonly queue: WorkQueue<string>;
  private readonly worker: QueueWorker<string>;
  readonly namespaceInformer: SharedInformer<Namespace>;
  readonly namespaceLister: Lister<Namespace>;
  private readonly clientset: Pick<Clientset, 'namespaces' | 'resource'>;
  private readonly resources: readonly ResourceInfo[];
  private readonly discoverCustomResources: boolean;
  private readonly finalize: (ns: Namespace) => Promise<Namespace>;
  private readonly remainingDelayMs: (estimateSeconds: number) => number;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(deps: NamespaceControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.clock = deps.clock ?? scheduler;
    this.logger = deps.logger ?? noopLogger;
    this.clientset = deps.clientset;
    this.resources = deps.resources ?? NAMESPACED_RESOURCES;
    this.discoverCustomResources = deps.resources === undefined;
    this.finalize = deps.finalize ?? defaultFinalize(deps.clientset);
    this.remainingDelayMs = deps.remainingContentDelayMs ?? ((s) => (Math.floor(s / 2) + 1) * 1000);
    // 5 ms doubling to 60 s (nsControllerRateLimiterBaseDelay / MaxDelay).
    this.queue = new WorkQueue<string>({ name: 'namespace', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 60_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.syncNamespaceFromKey(key), this.onSyncError);
    this.namespaceInformer = deps.informers.forResource<Namespace>(Resources.namespaces);
    this.namespaceLister = this.namespaceInformer.lister();
    this.namespaceInformer.addEventHandler({
      add: (ns) => this.enqueueNamespace(ns),
      update: (_o, ns) => this.enqueueNamespace(ns),
    });
  }

  /** Only namespaces being deleted have work. */
  enqueueNamespace(ns: DeepReadonly<Namespace>): void {
    if (!ns.metadata.deletionTimestamp || !ns.metadata.name) return;
    this.queue.add(ns.metadata.name);
  }

  async run(signal: AbortSignal, workerCount = 2): Promise<void> {
    const queues = [{ worker: this.worker, count: workerCount }];
    await runController(signal, { name: 'namespace controller', logger: this.logger, informers: [this.namespaceInformer], queues });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  private readonly onSyncError: SyncErrorHandler<string> = (key, err, queue) => {
    if (err instanceof ResourcesRemainingError) {
      // Not a failure: content is on its way out.
      queue.forget(key);
      queue.addAfter(key, this.remainingDelayMs(err.estimateSeconds));
      return;
    }
    this.logger.error('deletion of namespace failed', { namespace: key, error: errorMessage(err) });
    queue.addRateLimited(key);
  };

  /** Carries one namespace's deletion as far as it can go now. */
  async syncNamespaceFromKey(name: string): Promise<void> {
    if (!this.namespaceLister.get(name)) return;
    const namespaces = this.clientset.namespaces;
    let ns: Namespace;
    try {
      ns = await namespaces.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return; // ours is done
    if (ns.status?.phase !== 'Terminating') {
      ns = await namespaces.updateStatus({ ...ns, status: { ...(ns.status ?? {}), phase: 'Terminating' } });
    }
    const result = await this.deleteAllContent(name);
    const { conditions, changed } = updateConditions(ns.status?.conditions, deletionConditions(result, this.clock.now()));
    if (changed) {
      try {
        ns = await namespaces.updateStatus({ ...ns, status: { ...(ns.status ?? {}), conditions } });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    }
    if (result.errors.length) throw new Error(`failed to delete all content of namespace ${name}: ${result.errors.join('; ')}`);
    if (result.estimateSeconds > 0) throw new ResourcesRemainingError(result.estimateSeconds);
    await this.finalizeNamespace(ns);
  }

  /** Deletes every object in the namespace, then counts what is left (deleteAllContent). */
  async deleteAllContent(namespace: string): Promise<ContentDeletionResult> {
    const result: ContentDeletionResult = { estimateSeconds: 0, remainingByResource: new Map(), remainingByFinalizer: new Map(), errors: [] };
    for (const info of [...this.resources, ...(await this.customResources())]) {
      const client = this.clientset.resource<ObjectLike>(info).namespace(namespace);
      try {
        const list = await client.list();
        for (const item of list.items) {
          const meta = item.metadata ?? {};
          if (meta.deletionTimestamp || !meta.name) continue; // already on its way
          try {
            await client.delete(meta.name, { propagationPolicy: 'Background', preconditions: { uid: meta.uid } });
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        }
        const left = await client.list();
        if (left.items.length === 0) continue;
        result.remainingByResource.set(groupResource(info), left.items.length);
        let estimate = 0;
        let withFinalizers = 0;
        for (const item of left.items) {
          const meta: ObjectMeta = item.metadata ?? {};
          if (meta.finalizers?.length) withFinalizers++;
          for (const f of meta.finalizers ?? []) result.remainingByFinalizer.set(f, (result.remainingByFinalizer.get(f) ?? 0) + 1);
          if (info === Resources.pods) estimate = Math.max(estimate, podTerminationEstimateSeconds(item));
        }
        if (estimate === 0) {
          // Finalizers are a normal reason to wait (the GC or a controller removes them).
          if (withFinalizers > 0) estimate = FINALIZER_ESTIMATE_SECONDS;
          else if (left.items.some((i) => i.metadata?.deletionTimestamp)) estimate = 1;
          else throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${groupResource(info)}`);
        }
        result.estimateSeconds = Math.max(result.estimateSeconds, estimate);
      } catch (err) {
        result.errors.push(`${groupResource(info)}: ${errorMessage(err)}`);
      }
    }
    return result;
  }

  /**
   * What CRDs add to the namespaced resources (only with the default list: a given list is the
   * whole list). A failed read of the CRDs leaves them out this time; their objects are found on
   * the next pass, as upstream goes on with the resources discovery did return.
   */
  private async customResources(): Promise<ResourceInfo[]> {
    if (!this.discoverCustomResources) return [];
    try {
      return customResourcesOf((await this.clientset.resource<CRDLike>(CUSTOM_RESOURCE_DEFINITIONS).list()).items);
    } catch (err) {
      this.logger.warn('namespace controller: custom resources not listed', { err: errorMessage(err) });
      return [];
    }
  }

  /** Removes our spec.finalizers entry through the finalize subresource. */
  private async finalizeNamespace(ns: Namespace): Promise<void> {
    const next: Namespace = { ...ns, spec: { ...(ns.spec ?? {}), finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES) } };
    try {
      await this.finalize(next);
      this.logger.info('namespace finalized', { namespace: ns.metadata.name });
    } catch (err) {
      if (isNotFound(err)) return; // removed meanwhile
      throw err;
    }
  }
}

/** Seconds a remaining pod may still need to terminate (estimateGracefulTerminationForPods). */
function podTerminationEstimateSeconds(item: ObjectLike): number {
  const pod = item as ObjectLike & { spec?: { terminationGracePeriodSeconds?: number }; status?: { phase?: string } };
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  const meta = pod.metadata ?? {};
  return meta.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
}

function defaultFinalize(clientset: Pick<Clientset, 'namespaces'>): (ns: Namespace) => Promise<Namespace> {
  if (clientset instanceof RestClientset) {
    const rest = clientset.rest;
    return async (ns) => {
      const res = await rest.request<Namespace>({
        method: 'PUT',
        path: `/api/v1/namespaces/${encodeURIComponent(ns.metadata.name ?? '')}/finalize`,
        body: { apiVersion: 'v1', kind: 'Namespace', ...ns },
      });
      return res.body;
    };
  }
  return (ns) => clientset.namespaces.patch(ns.metadata.name ?? '', 'merge', { spec: { finalizers: ns.spec?.finalizers ?? [] } }, { subresource: 'finalize' });
}
