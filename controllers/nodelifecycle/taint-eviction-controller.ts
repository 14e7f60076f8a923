// The taint eviction controller (upstream pkg/controller/tainteviction, the NoExecuteTaintManager):
// a pod bound to a node with NoExecute taints it does not tolerate is deleted at once; one that
// tolerates them all for a while (tolerationSeconds) is deleted when the shortest of those runs
// out, counted from when the taint was seen; tolerating them forever, or the taints going away,
// cancels the deletion. Before the delete the pod is marked DisruptionTarget=True
// (DeletionByTaintManager), so a Job's podFailurePolicy can tell the disruption from a failure.
// The timers live in memory: after a restart every pod is looked at again and its time counts
// from then, as upstream's.
import type { Node, Pod } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type InformerFactory,
  type Lister,
  type Logger,
  Resources,
  type Scheduler,
  type SharedInformer,
  type TimerHandle,
  isTombstone,
  noopLogger,
  realScheduler,
} from '../../client/index.js';
import { type Clock, errorMessage, isNotFound, keyOf, rfc3339, splitKey } from '../../machinery/index.js';
import { runController } from '../run-controller.js';
import { matchingTolerations, minTolerationTimeMs, noExecuteTaints } from './taints.js';

const POD_NODE_NAME_INDEX = 'tainteviction/nodeName';
const RETRY_MS = 5_000;

type PodView = DeepReadonly<Pod>;

export interface TaintEvictionControllerDeps {
  clientset: Pick<Clientset, 'pods'>;
  informers: InformerFactory;
  recorder: EventRecorder;
  clock?: Clock;
  scheduler?: Scheduler;
  logger?: Logger;
}

interface ScheduledEviction {
  uid: string;
  createdAt: number;
  triggerAt: number;
  timer: TimerHandle;
}

/** Deletes pods from nodes with NoExecute taints they do not tolerate (for long enough). */
export class TaintEvictionController {
  readonly podInformer: SharedInformer<Pod>;
  readonly nodeInformer: SharedInformer<Node>;
  readonly podLister: Lister<Pod>;
  readonly nodeLister: Lister<Node>;
  /** Pods with a deletion scheduled, by key. */
  readonly scheduled = new Map<string, ScheduledEviction>();
  private readonly clientset: Pick<Clientset, 'pods'>;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly timers: Scheduler;
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;

  constructor(deps: TaintEvictionControllerDeps) {
    this.timers = deps.scheduler ?? realScheduler;
    this.clock = deps.clock ?? this.timers;
    this.logger = deps.logger ?? noopLogger;
    this.clientset = deps.clientset;
    this.recorder = deps.recorder;
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.nodeInformer = deps.informers.forResource<Node>(Resources.nodes);
    if (!this.podInformer.indexer.hasIndexer(POD_NODE_NAME_INDEX)) {
      this.podInformer.indexer.addIndexers({ [POD_NODE_NAME_INDEX]: (p) => (p.spec.nodeName ? [p.spec.nodeName] : []) });
    }
    this.podLister = this.podInformer.lister();
    this.nodeLister = this.nodeInformer.lister();
    this.podInformer.addEventHandler({
      add: (p) => this.onPod(p),
      update: (o, p) => {
        // Only the node and the tolerations decide (PodUpdated).
        if (o.spec.nodeName !== p.spec.nodeName || JSON.stringify(o.spec.tolerations ?? []) !== JSON.stringify(p.spec.tolerations ?? []) || o.metadata.uid !== p.metadata.uid) this.onPod(p);
      },
      delete: (p: PodView | DeletedFinalStateUnknown<PodView>) => this.cancel(isTombstone(p) ? p.key : keyOf(p as Pod), false),
    });
    this.nodeInformer.addEventHandler({
      add: (n) => this.onNode(n),
      update: (o, n) => {
        if (JSON.stringify(noExecuteTaints(o)) !== JSON.stringify(noExecuteTaints(n))) this.onNode(n);
      },
      delete: (n) => this.onNode(isTombstone(n) ? n.obj : n, true),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await runController(signal, {
      name: 'taint eviction controller',
      logger: this.logger,
      informers: [this.podInformer, this.nodeInformer],
      shutDown: () => {
        this.running = false;
        for (const key of [...this.scheduled.keys()]) this.cancel(key, false);
      },
      workers: () => {
        this.running = true;
        // Pods seen before the caches synced were skipped: look at every tainted node's pods now.
        for (const node of this.nodeLister.list()) this.onNode(node);
        return [
          new Promise<void>((resolve) => {
            if (signal.aborted) resolve();
            else signal.addEventListener('abort', () => void Promise.all([...this.inFlight]).then(() => resolve()), { once: true });
          }),
        ];
      },
    });
  }

  private onNode(node: DeepReadonly<Node>, deleted = false): void {
    if (!this.running) return;
    const taints = deleted ? [] : noExecuteTaints(node);
    for (const pod of this.podInformer.indexer.byIndex(POD_NODE_NAME_INDEX, node.metadata.name ?? '')) this.processPod(pod, taints);
  }

  private onPod(pod: PodView): void {
    if (!this.running) return;
    const nodeName = pod.spec.nodeName;
    if (!nodeName) {
      this.cancel(keyOf(pod as Pod), true);
      return;
    }
    this.processPod(pod, noExecuteTaints(this.nodeLister.get(nodeName)));
  }

  /** processPodOnNode: now, later, or never. */
  processPod(pod: PodView, taints: ReturnType<typeof noExecuteTaints>): void {
    const key = keyOf(pod as Pod);
    if (pod.metadata.deletionTimestamp) return;
    if (taints.length === 0) {
      this.cancel(key, true);
      return;
    }
    const now = this.clock.now().getTime();
    const { allTolerated, used } = matchingTolerations(taints, pod.spec.tolerations);
    if (!allTolerated) {
      this.cancel(key, true);
      this.schedule(pod, now, now);
      return;
    }
    const minMs = minTolerationTimeMs(used);
    if (minMs < 0) {
      this.cancel(key, true);
      return;
    }
    let startAt = now;
    const existing = this.scheduled.get(key);
    if (existing && existing.uid === pod.metadata.uid) {
      // A deletion already counting down keeps its time (upstream keeps work created earlier).
      startAt = existing.createdAt;
      if (startAt < now) return;
      this.cancel(key, true);
    }
    this.schedule(pod, startAt, now + minMs);
  }

  private schedule(pod: PodView, createdAt: number, triggerAt: number): void {
    const key = keyOf(pod as Pod);
    const uid = pod.metadata.uid ?? '';
    const timer = this.timers.setTimer(() => this.fire(key, uid), Math.max(0, triggerAt - this.clock.now().getTime()));
    this.scheduled.set(key, { uid, createdAt, triggerAt, timer });
  }

  /** cancelWorkWithEvent: forgets a scheduled deletion (with an event when the pod stays). */
  private cancel(key: string, withEvent: boolean): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    this.timers.clearTimer(s.timer);
    this.scheduled.delete(key);
    if (withEvent) {
      const { namespace, name } = splitKey(key);
      const pod = this.podLister.namespace(namespace).get(name);
      if (pod) this.recorder.event(pod as Pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
    }
  }

  private fire(key: string, uid: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    if (pod) this.recorder.event(pod as Pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const p = this.deletePod(key, uid)
      .catch((err: unknown) => {
        this.logger.error('deleting pod for a NoExecute taint', { pod: key, error: errorMessage(err) });
        const s = this.scheduled.get(key);
        if (s && this.running) s.timer = this.timers.setTimer(() => this.fire(key, uid), RETRY_MS);
        return;
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** addConditionAndDeletePod: DisruptionTarget=True/DeletionByTaintManager, then the delete (uid precondition). */
  private async deletePod(key: string, uid: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pods = this.clientset.pods.namespace(namespace);
    let pod: Pod;
    try {
      pod = await pods.get(name);
    } catch (err) {
      if (isNotFound(err)) return void this.scheduled.delete(key);
      throw err;
    }
    if (pod.metadata.uid !== uid) return void this.scheduled.delete(key);
    const old = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    const reason = 'DeletionByTaintManager';
    const message = 'Taint manager: deleting due to NoExecute taint';
    if (!old || old.status !== 'True' || old.reason !== reason || old.message !== message) {
      const condition = {
        type: 'DisruptionTarget',
        status: 'True' as const,
        reason,
        message,
        lastProbeTime: null,
        lastTransitionTime: old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(this.clock.now()),
      };
      await pods.patch(name, 'strategic', { metadata: { uid }, status: { conditions: [condition] } }, { subresource: 'status' });
    }
    try {
      await pods.delete(name, { preconditions: { uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.scheduled.delete(key);
  }
}
