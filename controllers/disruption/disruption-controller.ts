// The disruption controller (upstream pkg/controller/disruption): keeps each
// PodDisruptionBudget's status — expectedPods, desiredHealthy, currentHealthy,
// disruptionsAllowed, observedGeneration, disruptedPods and the DisruptionAllowed condition —
// from the pods its selector picks in its namespace, which the eviction API then checks and
// decrements.
//
// expectedPods and desiredHealthy: an integer minAvailable counts the selected pods and needs
// that many healthy; maxUnavailable or a percentage needs the scale of the pods' controllers,
// and jobyard serves no workload with a scale subresource (a Job has none, as upstream), so
// those budgets fail safe — disruptionsAllowed 0, DisruptionAllowed=False/SyncFailed with the
// reason, as upstream does for a Job's pods. currentHealthy: selected pods that are Ready, not
// being deleted, and not in disruptedPods (an eviction let them go less than 2 minutes ago).
import type { MetaCondition, Pod, PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../api/index.js';
import {
  DISRUPTION_ALLOWED_CONDITION,
  INSUFFICIENT_PODS_REASON,
  SUFFICIENT_PODS_REASON,
  SYNC_FAILED_REASON,
} from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Lister,
  type Logger,
  QueueWorker,
  type ResourceClient,
  Resources,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  deepClone,
  isTombstone,
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import {
  type Clock,
  errorMessage,
  isConflict,
  isNotFound,
  keyOf,
  labelSelectorAsSelector,
  rfc3339,
  scaledValueFromIntOrPercent,
  splitKey,
} from '../../machinery/index.js';
import { runController } from '../run-controller.js';

/** How long a pod the eviction API let go may take to be deleted before it counts again (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
/** How long a DisruptionTarget=True may stand on a pod nobody deletes before it is reset (stalePodDisruptionTimeout). */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60_000;

type PodView = DeepReadonly<Pod>;
type PdbView = DeepReadonly<PodDisruptionBudget>;

/** Kinds jobyard serves that own pods without a scale subresource, as upstream's RESTMapper names them. */
const SERVED_WITHOUT_SCALE: Record<string, string> = { 'batch/Job': 'jobs.batch', 'batch/CronJob': 'cronjobs.batch', '/Pod': 'pods' };

export interface DisruptionControllerDeps {
  clientset: Pick<Clientset, 'resource' | 'events'>;
  informers: InformerFactory;
  recorder: EventRecorder;
  clock?: Clock;
  scheduler?: Scheduler;
  logger?: Logger;
}

function isPodReady(pod: PodView): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The selected pods: a null selector selects none, an empty one every pod of the namespace (LabelSelectorAsSelector). */
export function podsForBudget(pdb: PdbView, pods: readonly PodView[]): PodView[] {
  const sel = labelSelectorAsSelector(pdb.spec?.selector as Parameters<typeof labelSelectorAsSelector>[0]);
  return pods.filter((p) => sel.matches(p.metadata.labels as Record<string, string> | undefined));
}

/**
 * getExpectedScale for pods whose controllers have no scale jobyard could read: pods without a
 * controller are left out (upstream warns UnmanagedPods), any other is upstream's error.
 */
function expectedScale(pods: readonly PodView[]): { unmanaged: string[] } {
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref) {
      unmanaged.push(pod.metadata.name ?? '');
      continue;
    }
    const slash = ref.apiVersion.lastIndexOf('/');
    const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
    const served = SERVED_WITHOUT_SCALE[`${group}/${ref.kind}`];
    if (served) throw new Error(`${served} does not implement the scale subresource`);
    throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
  }
  return { unmanaged };
}

/** getExpectedPodCount: the pods the budget counts and how many of them must stay healthy. */
export function expectedPodCount(pdb: PdbView, pods: readonly PodView[]): { expectedCount: number; desiredHealthy: number; unmanaged: string[] } {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { unmanaged } = expectedScale(pods);
    const expectedCount = 0;
    const maxUnavailable = scaledValueFromIntOrPercent(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanaged };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanaged: [] };
    const { unmanaged } = expectedScale(pods);
    return { expectedCount: 0, desiredHealthy: scaledValueFromIntOrPercent(spec.minAvailable, 0, true), unmanaged };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanaged: [] };
}

/**
 * buildDisruptedPodMap: the disruptedPods entries still pending — the pod exists, is not yet being
 * deleted and was let go less than DELETION_TIMEOUT_MS ago — and when the earliest of them expires.
 */
export function buildDisruptedPodMap(pdb: PdbView, pods: readonly PodView[], now: Date): { disrupted: Record<string, string>; expired: PodView[]; recheckAt?: number } {
  const disrupted: Record<string, string> = {};
  const expired: PodView[] = [];
  let recheckAt: number | undefined;
  const known = pdb.status?.disruptedPods;
  if (!known) return { disrupted, expired };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = known[pod.metadata.name ?? ''];
    if (at === undefined) continue;
    const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now.getTime()) {
      expired.push(pod);
    } else {
      disrupted[pod.metadata.name ?? ''] = at;
      if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
    }
  }
  return { disrupted, expired, recheckAt };
}

/** countHealthyPods: Ready, not being deleted, not just let go by an eviction. */
export function countHealthyPods(pods: readonly PodView[], disrupted: Record<string, string>, now: Date): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now.getTime()) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/** apimeta.SetStatusCondition: the transition time moves only when the status changes. */
export function setStatusCondition(conditions: MetaCondition[], next: Omit<MetaCondition, 'lastTransitionTime'>, now: Date): MetaCondition[] {
  const old = conditions.find((c) => c.type === next.type);
  const cond: MetaCondition = { ...next, lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : rfc3339(now) };
  return old ? conditions.map((c) => (c === old ? cond : c)) : [...conditions, cond];
}

/** pdbhelper.UpdateDisruptionAllowedCondition. */
export function disruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: Date): MetaCondition[] {
  const allowed = status.disruptionsAllowed > 0;
  return setStatusCondition(
    status.conditions ?? [],
    {
      type: DISRUPTION_ALLOWED_CONDITION,
      status: allowed ? 'True' : 'False',
      reason: allowed ? SUFFICIENT_PODS_REASON : INSUFFICIENT_PODS_REASON,
      message: '',
      observedGeneration: status.observedGeneration,
    },
    now,
  );
}

/** pdbhelper.ConditionsAreUpToDate. */
function conditionsAreUpToDate(pdb: PdbView): boolean {
  const cond = pdb.status?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  if (!cond || (pdb.status?.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  if ((pdb.status?.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS_REASON;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS_REASON;
}

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => a![k] === b[k]);
}

/**
 * nonTerminatingPodHasStaleDisruptionCondition: ms until a pod's DisruptionTarget=True is stale
 * (the eviction or deletion that set it never came), or undefined when it has none that can be:
 * being deleted, terminal, or set by the kubelet (TerminationByKubelet may stand arbitrarily long).
 */
export function staleDisruptionIn(pod: PodView, now: Date): number | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet') return undefined;
  const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : now.getTime();
  return Math.max(0, since + STALE_POD_DISRUPTION_TIMEOUT_MS - now.getTime());
}

/** Keeps PodDisruptionBudget status from the pods each selects, and resets stale DisruptionTarget conditions. */
export class DisruptionController {
  readonly queue: WorkQueue<string>;
  readonly stalePodDisruptionQueue: WorkQueue<string>;
  readonly pdbInformer: SharedInformer<PodDisruptionBudget>;
  readonly podInformer: SharedInformer<Pod>;
  readonly pdbLister: Lister<PodDisruptionBudget>;
  readonly podLister: Lister<Pod>;
  private readonly worker: QueueWorker<string>;
  private readonly staleWorker: QueueWorker<string>;
  private readonly pdbs: ResourceClient<PodDisruptionBudget>;
  private readonly pods: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(deps: DisruptionControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.clock = deps.clock ?? scheduler;
    this.logger = deps.logger ?? noopLogger;
    this.recorder = deps.recorder;
    this.pdbs = deps.clientset.resource<PodDisruptionBudget>(Resources.poddisruptionbudgets);
    this.pods = deps.clientset.resource<Pod>(Resources.pods);
    this.stalePodDisruptionQueue = new WorkQueue<string>({ name: 'stale_pod_disruption', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.staleWorker = new QueueWorker(this.stalePodDisruptionQueue, (key) => this.syncStalePodDisruption(key), retryAfterBackoff(this.logger, 'error resetting a stale DisruptionTarget'));
    this.queue = new WorkQueue<string>({ name: 'disruption', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.sync(key), retryAfterBackoff(this.logger, 'error syncing PodDisruptionBudget'));
    this.pdbInformer = deps.informers.forResource<PodDisruptionBudget>(Resources.poddisruptionbudgets);
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.pdbLister = this.pdbInformer.lister();
    this.podLister = this.podInformer.lister();
    this.pdbInformer.addEventHandler({
      add: (p) => this.enqueue(p),
      update: (_o, p) => this.enqueue(p),
      delete: (p) => this.enqueue(isTombstone(p) ? p.obj : p),
    });
    this.podInformer.addEventHandler({
      add: (p) => {
        this.onPod(p);
        this.enqueueStale(p);
      },
      update: (o, p) => {
        this.onPod(p);
        this.enqueueStale(p);
        // A pod whose labels changed may have left a budget.
        if (JSON.stringify(o.metadata.labels ?? {}) !== JSON.stringify(p.metadata.labels ?? {})) this.onPod(o);
      },
      delete: (p: PodView | DeletedFinalStateUnknown<PodView>) => this.onPod(isTombstone(p) ? p.obj : p),
    });
  }

  private enqueueStale(pod: PodView): void {
    const inMs = staleDisruptionIn(pod, this.clock.now());
    if (inMs !== undefined) this.stalePodDisruptionQueue.addAfter(keyOf(pod as Pod), inMs);
  }

  /** syncStalePodDisruption: DisruptionTarget reset to False once stale (upstream applies the same). */
  async syncStalePodDisruption(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    if (!pod) return;
    const inMs = staleDisruptionIn(pod, this.clock.now());
    if (inMs === undefined) return;
    if (inMs > 0) {
      this.stalePodDisruptionQueue.addAfter(key, inMs);
      return;
    }
    const condition = { type: 'DisruptionTarget', status: 'False', lastTransitionTime: rfc3339(this.clock.now()) };
    try {
      await this.pods.namespace(namespace).patch(name, 'strategic', { metadata: { resourceVersion: pod.metadata.resourceVersion }, status: { conditions: [condition] } }, { subresource: 'status' });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    this.logger.info('Reset stale DisruptionTarget condition to False', { pod: key });
  }

  private enqueue(pdb: PdbView): void {
    this.queue.add(keyOf(pdb as PodDisruptionBudget));
  }

  /** getPdbForPod: every budget of the namespace that selects the pod is synced again. */
  private onPod(pod: PodView): void {
    if (!pod?.metadata) return;
    for (const pdb of this.pdbLister.namespace(pod.metadata.namespace ?? '').list()) {
      if (podsForBudget(pdb, [pod]).length) this.enqueue(pdb);
    }
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    await runController(signal, {
      name: 'disruption controller',
      logger: this.logger,
      informers: [this.pdbInformer, this.podInformer],
      queues: [
        { worker: this.worker, count: workerCount },
        { worker: this.staleWorker, count: workerCount },
      ],
    });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  processNextStalePodDisruption(): Promise<boolean> {
    return this.staleWorker.processNextWorkItem();
  }

  /** One budget: its status from its pods, or the fail-safe status when they cannot be counted. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pdb = this.pdbLister.namespace(namespace).get(name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    try {
      await this.trySync(pdb);
    } catch (err) {
      // A conflict is requeued without the fail-safe: a newer budget is on its way.
      if (isConflict(err) || isNotFound(err)) throw err;
      this.logger.error('Failed to sync PDB', { pdb: key, error: errorMessage(err) });
      await this.failSafe(pdb, errorMessage(err));
    }
  }

  private async trySync(pdb: PdbView): Promise<void> {
    const namespace = pdb.metadata.namespace ?? '';
    const pods = podsForBudget(pdb, this.podLister.namespace(namespace).list());
    if (pods.length === 0) this.recorder.event(pdb as PodDisruptionBudget, 'Normal', 'NoPods', 'No matching pods found');
    let counted;
    try {
      counted = expectedPodCount(pdb, pods);
    } catch (err) {
      this.recorder.event(pdb as PodDisruptionBudget, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorMessage(err)}`);
      throw err;
    }
    if (counted.unmanaged.length) {
      this.recorder.event(
        pdb as PodDisruptionBudget,
        'Warning',
        'UnmanagedPods',
        'Pods selected by this PodDisruptionBudget (selector: ' +
          JSON.stringify(pdb.spec?.selector ?? null) +
          ') were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );
    }
    const now = this.clock.now();
    const { disrupted, expired, recheckAt } = buildDisruptedPodMap(pdb, pods, now);
    for (const pod of expired) {
      this.recorder.event(pod as Pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${namespace}/${pdb.metadata.name ?? ''} to be deleted but it wasn't`);
    }
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    await this.updateStatus(pdb, currentHealthy, counted.desiredHealthy, counted.expectedCount, disrupted, now);
    if (recheckAt !== undefined) this.queue.addAfter(keyOf(pdb as PodDisruptionBudget), Math.max(1, recheckAt - now.getTime()));
  }

  /** updatePdbStatus: written only when something changed. */
  private async updateStatus(pdb: PdbView, currentHealthy: number, desiredHealthy: number, expectedCount: number, disrupted: Record<string, string>, now: Date): Promise<void> {
    // Nothing is allowed while no pod is expected: the first pods' budget is safe before the next sync.
    let disruptionsAllowed = currentHealthy - desiredHealthy;
    if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const s = pdb.status;
    const generation = pdb.metadata.generation ?? 0;
    if (
      s &&
      s.currentHealthy === currentHealthy &&
      s.desiredHealthy === desiredHealthy &&
      s.expectedPods === expectedCount &&
      s.disruptionsAllowed === disruptionsAllowed &&
      sameMap(s.disruptedPods, disrupted) &&
      (s.observedGeneration ?? 0) === generation &&
      conditionsAreUpToDate(pdb)
    ) {
      return;
    }
    const next = deepClone(pdb) as PodDisruptionBudget;
    const status: PodDisruptionBudgetStatus = {
      disruptionsAllowed,
      currentHealthy,
      desiredHealthy,
      expectedPods: expectedCount,
      observedGeneration: generation,
      conditions: next.status?.conditions,
    };
    if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
    status.conditions = disruptionAllowedCondition(status, now);
    next.status = status;
    await this.pdbs.namespace(pdb.metadata.namespace ?? '').updateStatus(next);
  }

  /** failSafe: no disruption allowed, and the condition says why. */
  private async failSafe(pdb: PdbView, message: string): Promise<void> {
    const next = deepClone(pdb) as PodDisruptionBudget;
    const status: PodDisruptionBudgetStatus = next.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    status.disruptionsAllowed = 0;
    status.conditions = setStatusCondition(
      status.conditions ?? [],
      { type: DISRUPTION_ALLOWED_CONDITION, status: 'False', reason: SYNC_FAILED_REASON, message, observedGeneration: status.observedGeneration },
      this.clock.now(),
    );
    next.status = status;
    if (JSON.stringify(next.status) === JSON.stringify(pdb.status)) return;
    await this.pdbs.namespace(pdb.metadata.namespace ?? '').updateStatus(next);
  }
}
