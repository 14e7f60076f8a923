// The scheduler (upstream pkg/scheduler, for jobyard's few nodes): pending pods — no
// spec.nodeName, schedulerName default-scheduler, not being deleted, no scheduling gates — go
// through the scheduling queue one at a time (scheduleOne). A pod is bound, via
// POST .../pods/{name}/binding, to a Ready, schedulable node where its requests (PodRequests)
// fit in status.allocatable minus what the pods already there (bound, not terminated, or
// assumed by us and not yet seen bound) request. A pod that fits nowhere stays Pending with
// PodScheduled=False/Unschedulable and a FailedScheduling event carrying upstream's FitError
// message, and waits in the queue until a pod ends or a node changes. Before that, preemption
// (preemption.ts) may delete pods of lower priority on one node to make room: the pod is then
// nominated to that node (status.nominatedNodeName), which keeps the room for it against pods
// of lower or equal priority, and it is tried again when the victims are gone.
import type { Node, Pod, PodCondition, PodDisruptionBudget } from '../../api/index.js';
import {
  type Clientset,
  ClientEventRecorder,
  type DeepReadonly,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type InformerFactory,
  type Lister,
  type Logger,
  Resources,
  RestClientset,
  type Scheduler as TimerScheduler,
  type SharedInformer,
  type TimerHandle,
  isTombstone,
  noopLogger,
  realScheduler,
} from '../../client/index.js';
import { type Clock, errorMessage, isConflict, isNotFound, keyOf, rfc3339, splitKey } from '../../machinery/index.js';
import {
  ERR_NO_NODES_AVAILABLE,
  type ResourceList,
  filterNode,
  fitErrorMessage,
  nodeAllocatable,
  podHoldsResources,
  podRequests,
  sumRequests,
} from './node-fit.js';
import { SchedulingQueue, type SchedulingQueueOptions } from './scheduling-queue.js';
import {
  type Victims,
  noCandidateMessage,
  pickOneNodeForPreemption,
  podEligibleToPreemptOthers,
  podPriority,
  preemptVictim,
  resolvableByPreemption,
  selectVictimsOnNode,
  withPostFilterMessage,
} from './preemption.js';
import { runController, untilShutDown } from '../run-controller.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Pods bound to a node and not finished, by node name (upstream keeps them in its NodeInfo cache). */
const NODE_RESOURCE_HOLDERS_INDEX = 'scheduler/nodeResourceHolders';

export interface SchedulerDeps {
  clientset: Pick<Clientset, 'pods' | 'events'>;
  informers: InformerFactory;
  /** Binds a pod to a node. @defaultValue POST pods/{name}/binding over a RestClientset's RestClient */
  bind?: (pod: DeepReadonly<Pod>, nodeName: string) => Promise<void>;
  /** @defaultValue ClientEventRecorder, component "default-scheduler" */
  recorder?: EventRecorder;
  /** Pods whose spec.schedulerName is this are ours. @defaultValue "default-scheduler" */
  schedulerName?: string;
  queue?: SchedulingQueueOptions;
  clock?: Clock;
  scheduler?: TimerScheduler;
  logger?: Logger;
}

type PodView = DeepReadonly<Pod>;
type NodeView = DeepReadonly<Node>;

/** Result of one scheduling attempt (for tests). */
export type ScheduleResult = { bound: string } | { unschedulable: string } | { error: string } | { skipped: true };

/** Assigns pending pods to nodes where their requests fit. */
export class PodScheduler {
  readonly queue: SchedulingQueue;
  readonly podInformer: SharedInformer<Pod>;
  readonly nodeInformer: SharedInformer<Node>;
  readonly podLister: Lister<Pod>;
  readonly nodeLister: Lister<Node>;
  readonly pdbInformer: SharedInformer<PodDisruptionBudget>;
  readonly schedulerName: string;
  /** Pending pods nominated to a node by preemption (upstream's PodNominator): key → node, priority, requests. */
  private readonly nominated = new Map<string, { node: string; priority: number; requests: ResourceList }>();
  /** Pods we bound whose binding the cache has not shown yet: key → node and requests. */
  private readonly assumed = new Map<string, { node: string; requests: ResourceList }>();
  /** Binding cycles under way. */
  private readonly bindings = new Set<Promise<ScheduleResult>>();
  private readonly clientset: Pick<Clientset, 'pods' | 'events'>;
  private readonly bind: (pod: PodView, nodeName: string) => Promise<void>;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly timers: TimerScheduler;
  private readonly logger: Logger;
  private flushTimer: TimerHandle | undefined;

  constructor(deps: SchedulerDeps) {
    this.timers = deps.scheduler ?? realScheduler;
    this.clock = deps.clock ?? this.timers;
    this.logger = deps.logger ?? noopLogger;
    this.clientset = deps.clientset;
    this.schedulerName = deps.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.recorder =
      deps.recorder ?? new ClientEventRecorder({ events: deps.clientset.events, component: this.schedulerName, clock: this.clock, logger: this.logger });
    this.bind = deps.bind ?? defaultBind(deps.clientset);
    this.queue = new SchedulingQueue(this.timers, deps.queue);
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.nodeInformer = deps.informers.forResource<Node>(Resources.nodes);
    this.pdbInformer = deps.informers.forResource<PodDisruptionBudget>(Resources.poddisruptionbudgets);
    if (!this.podInformer.indexer.hasIndexer(NODE_RESOURCE_HOLDERS_INDEX)) {
      this.podInformer.indexer.addIndexers({ [NODE_RESOURCE_HOLDERS_INDEX]: (p) => (podHoldsResources(p) ? [p.spec.nodeName!] : []) });
    }
    this.podLister = this.podInformer.lister();
    this.nodeLister = this.nodeInformer.lister();
    this.podInformer.addEventHandler({
      add: (p) => this.onPod(undefined, p),
      update: (o, p) => this.onPod(o, p),
      delete: (p) => this.onPodDeleted(p),
    });
    this.nodeInformer.addEventHandler({
      add: () => this.queue.moveAllToActiveOrBackoffQueue(),
      update: (o, n) => {
        if (nodeSchedulingPropertiesChanged(o, n)) this.queue.moveAllToActiveOrBackoffQueue();
      },
    });
  }

  /** Pending, ours, not being deleted, not gated. */
  isPendingForUs(pod: PodView): boolean {
    if (pod.spec.nodeName || pod.metadata.deletionTimestamp) return false;
    if ((pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) !== this.schedulerName) return false;
    if ((pod.spec.schedulingGates?.length ?? 0) > 0) return false;
    const phase = pod.status?.phase;
    return phase !== 'Succeeded' && phase !== 'Failed';
  }

  private onPod(old: PodView | undefined, pod: PodView): void {
    const key = keyOf(pod as Pod);
    if (pod.spec.nodeName || !this.isPendingForUs(pod) || !pod.status?.nominatedNodeName) this.nominated.delete(key);
    else this.nominated.set(key, { node: pod.status.nominatedNodeName, priority: podPriority(pod), requests: podRequests(pod) });
    if (pod.spec.nodeName) {
      // Bound (by us or anyone): the cache now accounts for it.
      this.assumed.delete(key);
      this.queue.delete(key);
      // A pod that ended frees its requests.
      if (old && podHoldsResources(old) && !podHoldsResources(pod)) this.queue.moveAllToActiveOrBackoffQueue();
      return;
    }
    if (this.isPendingForUs(pod)) {
      this.queue.add(key, pod.spec.priority ?? 0, Date.parse(pod.metadata.creationTimestamp ?? '') || 0);
    } else {
      this.queue.delete(key);
    }
  }

  private onPodDeleted(obj: PodView | DeletedFinalStateUnknown<PodView>): void {
    const pod = isTombstone(obj) ? obj.obj : obj;
    const key = isTombstone(obj) ? obj.key : keyOf(pod as Pod);
    this.queue.delete(key);
    this.nominated.delete(key);
    const wasAssumed = this.assumed.delete(key);
    if (wasAssumed || podHoldsResources(pod)) this.queue.moveAllToActiveOrBackoffQueue();
  }

  /** Waits for the caches, then schedules pods one at a time until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await runController(signal, {
      name: 'scheduler',
      logger: this.logger,
      logFields: { schedulerName: this.schedulerName },
      shutDown: () => {
        this.queue.shutDown();
        if (this.flushTimer) this.timers.clearTimer(this.flushTimer);
      },
      informers: [this.podInformer, this.nodeInformer, this.pdbInformer],
      workers: () => {
        this.armFlush(signal);
        const loop = async () => {
          await untilShutDown(async () => (await this.scheduleNext()) !== undefined);
          // Bindings under way end before the scheduler does.
          await Promise.all([...this.bindings]);
        };
        return [loop()];
      },
    });
  }

  private armFlush(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.flushTimer = this.timers.setTimer(() => {
      this.queue.flushUnschedulableLeftover();
      this.armFlush(signal);
    }, 30_000);
  }

  /** Pops one pod and tries it, its binding included. False once the queue shut down. */
  async scheduleOne(): Promise<boolean> {
    const next = await this.scheduleNext();
    if (!next) return false;
    await next.binding;
    return true;
  }

  /**
   * Pops one pod and runs its scheduling cycle; its binding goes on in the background (upstream:
   * `go sched.bindingCycle`) while the next pod is scheduled, the node already counting the assumed
   * pod. Resolves to that binding (boxed: an async function would wait for a promise it returns),
   * or undefined once the queue shut down.
   */
  private async scheduleNext(): Promise<{ binding: Promise<ScheduleResult> } | undefined> {
    const info = await this.queue.pop();
    if (!info) return undefined;
    const cycle = await this.schedulingCycle(info.key);
    if (!('bind' in cycle)) return { binding: Promise.resolve(cycle) };
    const binding = this.bindingCycle(cycle.bind.pod, info.key, cycle.bind.node);
    this.bindings.add(binding);
    void binding.finally(() => this.bindings.delete(binding));
    return { binding };
  }

  /** One scheduling attempt for the pod with this key (the pod must have been popped), its binding included. */
  async schedulePod(key: string): Promise<ScheduleResult> {
    const cycle = await this.schedulingCycle(key);
    return 'bind' in cycle ? this.bindingCycle(cycle.bind.pod, key, cycle.bind.node) : cycle;
  }

  /** Filters and scores the nodes; a pod that fits is assumed on the chosen node, to be bound. */
  private async schedulingCycle(key: string): Promise<ScheduleResult | { bind: { pod: PodView; node: string } }> {
    const { namespace, name } = splitKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    if (!pod || !this.isPendingForUs(pod) || this.assumed.has(key)) {
      this.queue.done(key);
      return { skipped: true };
    }
    const requests = podRequests(pod);
    const nodes = this.nodeLister.list().slice().sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    let message: string;
    let chosen: string | undefined;
    const unfit: { node: NodeView; reasons: string[] }[] = [];
    if (nodes.length === 0) {
      message = ERR_NO_NODES_AVAILABLE;
    } else {
      const reasonsByNode: string[][] = [];
      let bestScore = -Infinity;
      for (const node of nodes) {
        const { used, count } = this.usage(node.metadata.name ?? '', pod);
        const reasons = filterNode(pod, requests, node, used, count);
        if (reasons.length) {
          reasonsByNode.push(reasons);
          unfit.push({ node, reasons });
          continue;
        }
        const score = leastAllocatedScore(requests, nodeAllocatable(node), used);
        if (score > bestScore) {
          bestScore = score;
          chosen = node.metadata.name;
        }
      }
      message = fitErrorMessage(nodes.length, reasonsByNode);
    }
    if (!chosen) {
      let nominate: string | null | undefined;
      if (nodes.length > 0) {
        const post = await this.preempt(pod, nodes.length, unfit);
        message = withPostFilterMessage(message, post.message);
        nominate = post.nominate;
      }
      await this.recordUnschedulable(pod, message, nominate);
      this.queue.addUnschedulable(key);
      return { unschedulable: message };
    }
    // Assume first, so the next attempt counts this pod even before the cache shows the binding.
    this.assumed.set(key, { node: chosen, requests });
    return { bind: { pod, node: chosen } };
  }

  /** Binds an assumed pod; on failure it is forgotten and tried again after a backoff. Never rejects. */
  private async bindingCycle(pod: PodView, key: string, chosen: string): Promise<ScheduleResult> {
    try {
      await this.bind(pod, chosen);
    } catch (err) {
      this.assumed.delete(key);
      if (isNotFound(err) || isConflict(err)) {
        // Deleted, or bound by someone else meanwhile: the informer brings the news.
        this.queue.done(key);
        return { skipped: true };
      }
      const msg = `Binding rejected: ${errorMessage(err)}`;
      this.logger.error('binding pod', { pod: key, node: chosen, error: msg });
      this.recorder.event(pod, 'Warning', 'FailedScheduling', msg);
      this.queue.addBackoff(key);
      return { error: msg };
    }
    this.queue.done(key);
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${key} to ${chosen}`);
    this.logger.info('Successfully bound pod to node', { pod: key, node: chosen });
    return { bound: chosen };
  }

  /**
   * PostFilter (DefaultPreemption): the node to nominate the pod to after preempting its victims
   * there (null: clear a nomination, undefined: keep it), and the message to add to the FitError.
   */
  private async preempt(pod: PodView, numAllNodes: number, unfit: { node: NodeView; reasons: string[] }[]): Promise<{ nominate?: string | null; message?: string }> {
    const nominatedNode = pod.status?.nominatedNodeName;
    const notEligible = podEligibleToPreemptOthers(pod, nominatedNode ? this.podsOn(nominatedNode) : []);
    if (notEligible) return { message: notEligible };
    const nowMs = this.clock.now().getTime();
    const pdbs = this.pdbInformer.lister().list();
    const candidates = new Map<string, Victims>();
    const reasonsByTriedNode: string[][] = [];
    for (const { node, reasons } of unfit) {
      if (!resolvableByPreemption(reasons)) continue;
      const name = node.metadata.name ?? '';
      // Pods being bound there (assumed) cannot be preempted yet; they count as load, as nominated ones do.
      const load = [...this.assumedLoad(name), ...this.nominatedLoad(name, pod)];
      const sel = selectVictimsOnNode(pod, node, this.podsOn(name), { requests: load }, pdbs, nowMs);
      if ('reasons' in sel) reasonsByTriedNode.push(sel.reasons);
      else candidates.set(name, { pods: sel.victims, numPDBViolations: sel.numPDBViolations });
    }
    const best = pickOneNodeForPreemption(candidates, nowMs);
    if (!best) return { nominate: null, message: noCandidateMessage(numAllNodes, reasonsByTriedNode) };
    const key = keyOf(pod as Pod);
    try {
      const deps = { pods: this.clientset.pods, recorder: this.recorder, now: () => this.clock.now() };
      for (const victim of candidates.get(best)!.pods) {
        if (victim.metadata.deletionTimestamp) continue; // graceful deletion already under way
        await preemptVictim(deps, pod, victim, best);
        this.logger.info('Preemptor pod preempted victim pod', { preemptor: key, victim: keyOf(victim as Pod), node: best });
      }
    } catch (err) {
      this.logger.error('preempting', { pod: key, node: best, error: errorMessage(err) });
      return {};
    }
    await this.clearLowerPriorityNominations(pod, best);
    this.nominated.set(key, { node: best, priority: podPriority(pod), requests: podRequests(pod) });
    return { nominate: best };
  }

  /** Lower-priority pods nominated to the node may no longer fit there: their nominations go. */
  private async clearLowerPriorityNominations(pod: PodView, nodeName: string): Promise<void> {
    for (const [key, n] of this.nominated) {
      if (n.node !== nodeName || n.priority >= podPriority(pod)) continue;
      this.nominated.delete(key);
      const { namespace, name } = splitKey(key);
      try {
        await this.clientset.pods.namespace(namespace).patch(name, 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) this.logger.error('clearing nominatedNodeName', { pod: key, error: errorMessage(err) });
      }
    }
  }

  /** Pods on the node that hold resources (the cache's NodeInfo). */
  private podsOn(nodeName: string): PodView[] {
    return this.podInformer.indexer.byIndex(NODE_RESOURCE_HOLDERS_INDEX, nodeName);
  }

  /** Requests of the pods assumed on the node whose binding the cache has not shown yet. */
  private assumedLoad(nodeName: string): ResourceList[] {
    const bound = new Set(this.podsOn(nodeName).map((p) => keyOf(p as Pod)));
    return [...this.assumed].filter(([k, a]) => a.node === nodeName && !bound.has(k)).map(([, a]) => a.requests);
  }

  /** Requests of the pods nominated to the node with priority ≥ the pod's, the pod itself left out. */
  private nominatedLoad(nodeName: string, pod: PodView): ResourceList[] {
    const key = keyOf(pod as Pod);
    const p = podPriority(pod);
    return [...this.nominated].filter(([k, n]) => k !== key && n.node === nodeName && n.priority >= p).map(([, n]) => n.requests);
  }

  /**
   * What pods bound to (or assumed on) the node request, and how many there are (finished pods
   * are not looked at); with `pod`, also the pods nominated there that come before it.
   */
  usage(nodeName: string, pod?: PodView): { used: ResourceList; count: number } {
    const reqs: ResourceList[] = [];
    const counted = new Set<string>();
    for (const p of this.podInformer.indexer.byIndex(NODE_RESOURCE_HOLDERS_INDEX, nodeName)) {
      const key = keyOf(p as Pod);
      counted.add(key);
      reqs.push(podRequests(p));
    }
    for (const [key, a] of this.assumed) {
      if (a.node === nodeName && !counted.has(key)) reqs.push(a.requests);
    }
    if (pod) reqs.push(...this.nominatedLoad(nodeName, pod));
    return { used: sumRequests(reqs), count: reqs.length };
  }

  /**
   * PodScheduled=False/Unschedulable and status.nominatedNodeName on the pod (only when they
   * change; `nominate` null clears it, undefined keeps it) and a FailedScheduling event.
   */
  private async recordUnschedulable(pod: PodView, message: string, nominate?: string | null): Promise<void> {
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nominationChanges = nominate !== undefined && (nominate ?? '') !== (pod.status?.nominatedNodeName ?? '');
    if (!nominationChanges && old && old.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(this.clock.now()),
      reason: 'Unschedulable',
      message,
    };
    try {
      await this.clientset.pods
        .namespace(pod.metadata.namespace ?? '')
        .patch(pod.metadata.name ?? '', 'strategic', { status: { conditions: [condition], ...(nominationChanges ? { nominatedNodeName: nominate } : {}) } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) this.logger.error('updating pod condition', { pod: keyOf(pod as Pod), error: errorMessage(err) });
    }
  }
}

/** Prefers the node left with the most free share of cpu and memory (NodeResourcesLeastAllocated). */
function leastAllocatedScore(requests: ResourceList, allocatable: ResourceList, used: ResourceList): number {
  let score = 0;
  for (const r of ['cpu', 'memory']) {
    const cap = Number(allocatable.get(r) ?? 0n);
    if (cap <= 0) continue;
    const after = Number((used.get(r) ?? 0n) + (requests.get(r) ?? 0n));
    score += (cap - after) / cap;
  }
  return score;
}

function nodeSchedulingPropertiesChanged(o: NodeView, n: NodeView): boolean {
  const pick = (x: NodeView) =>
    JSON.stringify([x.spec?.unschedulable, x.spec?.taints, x.metadata.labels, x.status?.allocatable, x.status?.conditions?.find((c) => c.type === 'Ready')?.status]);
  return pick(o) !== pick(n);
}

function defaultBind(clientset: Pick<Clientset, 'pods'>): (pod: PodView, nodeName: string) => Promise<void> {
  if (!(clientset instanceof RestClientset)) {
    return async () => {
      throw new Error('no bind function: pass deps.bind for a clientset other than RestClientset');
    };
  }
  const rest = clientset.rest;
  return async (pod, nodeName) => {
    const ns = encodeURIComponent(pod.metadata.namespace ?? '');
    const name = pod.metadata.name ?? '';
    await rest.request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(name)}/binding`,
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      },
    });
  };
}
