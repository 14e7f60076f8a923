// The pod garbage collector (upstream pkg/controller/podgc), the parts that matter on a single
// node. Every 20 s it:
//   gcTerminated — deletes the oldest terminated (Succeeded/Failed) pods beyond a threshold;
//   gcOrphaned — pods bound to a node that no longer exists (absent from the cache, then
//     confirmed by a live GET after a 40 s quarantine) are marked Failed with a DisruptionTarget
//     condition and force-deleted, as no agent is left to finish them;
//   gcUnscheduledTerminating — pods being deleted that were never bound are force-deleted.
// Out-of-service taints (gcTerminating) do not exist on a single node and are left out.
import type { Node, Pod, PodCondition } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type InformerFactory,
  type Lister,
  type Logger,
  Resources,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  noopLogger,
  realScheduler,
} from '../../client/index.js';
import { type Clock, errorMessage, isConflict, isNotFound, keyOf, rfc3339 } from '../../machinery/index.js';
import { runController, untilShutDown } from '../run-controller.js';

/** kube-controller-manager's --terminated-pod-gc-threshold default. */
export const DEFAULT_TERMINATED_POD_THRESHOLD = 12_500;
/** How often gc runs (gcCheckPeriod). */
export const GC_CHECK_PERIOD_MS = 20_000;
/** How long a node must be missing before its pods count as orphans (quarantineTime). */
export const QUARANTINE_MS = 40_000;

export interface PodGCControllerDeps {
  clientset: Pick<Clientset, 'pods' | 'nodes'>;
  informers: InformerFactory;
  /** 0 disables gcTerminated. @defaultValue 12500 */
  terminatedPodThreshold?: number;
  clock?: Clock;
  scheduler?: Scheduler;
  logger?: Logger;
}

type PodView = DeepReadonly<Pod>;

const GC_KEY = 'podgc';

function isPodTerminated(p: PodView): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** Removes pods nobody else will: too many terminated ones, orphans of deleted nodes, unbound terminating ones. */
export class PodGCController {
  readonly queue: WorkQueue<string>;
  readonly podInformer: SharedInformer<Pod>;
  readonly nodeInformer: SharedInformer<Node>;
  readonly podLister: Lister<Pod>;
  readonly nodeLister: Lister<Node>;
  private readonly clientset: Pick<Clientset, 'pods' | 'nodes'>;
  private readonly threshold: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** Node name → when it was first seen missing. */
  private readonly missingNodes = new Map<string, number>();

  constructor(deps: PodGCControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.clock = deps.clock ?? scheduler;
    this.logger = deps.logger ?? noopLogger;
    this.clientset = deps.clientset;
    this.threshold = deps.terminatedPodThreshold ?? DEFAULT_TERMINATED_POD_THRESHOLD;
    this.queue = new WorkQueue<string>({ name: 'podgc', scheduler });
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.nodeInformer = deps.informers.forResource<Node>(Resources.nodes);
    this.podLister = this.podInformer.lister();
    this.nodeLister = this.nodeInformer.lister();
  }

  async run(signal: AbortSignal): Promise<void> {
    await runController(signal, {
      name: 'GC controller',
      logger: this.logger,
      shutDown: () => this.queue.shutDown(),
      informers: [this.podInformer, this.nodeInformer],
      workers: () => {
        this.queue.add(GC_KEY);
        return [untilShutDown(() => this.processNextWorkItem())];
      },
    });
  }

  async processNextWorkItem(): Promise<boolean> {
    const key = await this.queue.get();
    if (key === undefined) return false;
    try {
      await this.gc();
    } catch (err) {
      this.logger.error('pod gc', { error: errorMessage(err) });
    } finally {
      this.queue.done(key);
      this.queue.addAfter(GC_KEY, GC_CHECK_PERIOD_MS);
    }
    return true;
  }

  /** One pass over the caches. */
  async gc(): Promise<void> {
    const pods = this.podLister.list();
    const nodes = new Set(this.nodeLister.list().map((n) => n.metadata.name ?? ''));
    if (this.threshold > 0) await this.gcTerminated(pods);
    await this.gcOrphaned(pods, nodes);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: readonly PodView[]): Promise<void> {
    const terminated = pods.filter(isPodTerminated);
    const deleteCount = terminated.length - this.threshold;
    if (deleteCount <= 0) return;
    terminated.sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '') || keyOf(a as Pod).localeCompare(keyOf(b as Pod)));
    this.logger.info('garbage collecting pods', { numPods: deleteCount });
    for (const p of terminated.slice(0, deleteCount)) await this.forceDelete(p);
  }

  private async gcOrphaned(pods: readonly PodView[], existing: Set<string>): Promise<void> {
    const now = this.clock.now().getTime();
    const wanted = new Set<string>();
    for (const p of pods) {
      const node = p.spec.nodeName;
      if (!node || existing.has(node)) continue;
      wanted.add(node);
      if (!this.missingNodes.has(node)) this.missingNodes.set(node, now);
    }
    for (const node of [...this.missingNodes.keys()]) if (!wanted.has(node)) this.missingNodes.delete(node);
    for (const [node, since] of this.missingNodes) {
      if (now - since < QUARANTINE_MS) continue;
      // The cache may lag: only a live NotFound makes the pods orphans.
      try {
        await this.clientset.nodes.get(node);
        this.missingNodes.delete(node);
        continue;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      for (const p of pods) {
        if (p.spec.nodeName !== node) continue;
        this.logger.info('Found orphaned Pod assigned to the Node, deleting', { pod: keyOf(p as Pod), node });
        await this.markFailedAndDeletePod(p, 'PodGC: node no longer exists');
      }
    }
  }

  private async gcUnscheduledTerminating(pods: readonly PodView[]): Promise<void> {
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp || p.spec.nodeName) continue;
      this.logger.info('Found unscheduled terminating Pod not assigned to any Node, deleting', { pod: keyOf(p as Pod) });
      await this.forceDelete(p);
    }
  }

  /** Non-terminal pods first become Failed with DisruptionTarget/DeletionByPodGC, then go. */
  private async markFailedAndDeletePod(p: PodView, message: string): Promise<void> {
    const client = this.clientset.pods.namespace(p.metadata.namespace ?? '');
    if (!isPodTerminated(p)) {
      const condition: PodCondition = {
        type: 'DisruptionTarget',
        status: 'True',
        lastTransitionTime: rfc3339(this.clock.now()),
        reason: 'DeletionByPodGC',
        message,
      };
      try {
        await client.patch(p.metadata.name ?? '', 'strategic', { status: { phase: 'Failed', conditions: [condition] } }, { subresource: 'status' });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    }
    await this.forceDelete(p);
  }

  private async forceDelete(p: PodView): Promise<void> {
    try {
      await this.clientset.pods
        .namespace(p.metadata.namespace ?? '')
        .delete(p.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } });
    } catch (err) {
      // Gone, or replaced by a new pod of that name.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
