// The Job controller (upstream pkg/controller/job): informer handlers resolve the Job that owns
// a pod (controllerRef, UID checked) and queue its "namespace/name" key — pod events batched by
// 1 s, Job creations and spec changes at once — and workers run syncJob for each key, never two
// at once for one key. Orphan pods still holding the tracking finalizer go to a second queue
// that removes it. Everything it talks to comes in one deps object, so wiring it to the real
// API server is constructing it with a real Clientset and InformerFactory.
import type { Job, OwnerReference, Pod } from '../../api/index.js';
import {
  type Clientset,
  ClientEventRecorder,
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
  isTombstone,
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import { type Clock, controllerRef as getControllerRef, errorMessage, isNotFound, keyOf, labelSelectorAsSelector, splitKey } from '../../machinery/index.js';
import { runController } from '../run-controller.js';
import { BackoffStore, DEFAULT_POD_FAILURE_BACKOFF, type PodFailureBackoffSettings } from './backoff.js';
import { ControllerExpectations, UIDTrackingExpectations } from './expectations.js';
import { isJobFinished } from './job-conditions.js';
import { type PodView, addPodControllerUIDIndexer, hasJobTrackingFinalizer, removeTrackingFinalizerPatch } from './job-pods.js';
import { managedByExternalController } from './job-spec.js';
import { type PodControl, RealPodControl } from './pod-control.js';
import { syncJob } from './sync-job.js';
import { registerJobControllerMetrics } from './metrics.js';
import { type JobSyncDeps, SYNC_JOB_BATCH_PERIOD_MS } from './sync-job-ctx.js';

/** Retries of failed syncs: 1 s doubling to 1 minute (DefaultJobApiBackOff / MaxJobApiBackOff). */
export const DEFAULT_JOB_API_BACKOFF = { baseMs: 1_000, maxMs: 60_000 };

export interface JobControllerDeps {
  clientset: Clientset;
  /** Shared informers; the controller takes the pods and jobs informers from it. */
  informers: InformerFactory;
  /** Time for conditions, deadlines, backoff and expectations. @defaultValue the scheduler, or wall clock */
  clock?: Clock;
  /** Timers of the work queues (batching, requeues). @defaultValue real timers */
  scheduler?: Scheduler;
  /** @defaultValue RealPodControl over the clientset */
  podControl?: PodControl;
  /** @defaultValue ClientEventRecorder, source "job-controller" */
  recorder?: EventRecorder;
  /** Pod-failure backoff before replacement pods. @defaultValue 10 s base, 6 min cap */
  backoff?: Partial<PodFailureBackoffSettings>;
  /** Retry backoff of failed syncs. @defaultValue 1 s → 60 s */
  apiBackoff?: { baseMs: number; maxMs: number };
  /**
   * How long pod events are batched before a sync (upstream's syncJobBatchPeriod, 1 s there and
   * not configurable: it bounds a cluster's API load; 0 syncs on every event). @defaultValue 1 s
   */
  syncJobBatchPeriodMs?: number;
  logger?: Logger;
}

type JobEventObj = DeepReadonly<Job> | DeletedFinalStateUnknown<DeepReadonly<Job>>;
type PodEventObj = PodView | DeletedFinalStateUnknown<PodView>;

/** Keeps each Job's pods and status in line with its spec. */
export class JobController implements JobSyncDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly jobs: ResourceClient<Job>;
  readonly podControl: PodControl;
  readonly recorder: EventRecorder;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations = new UIDTrackingExpectations();
  readonly podBackoffStore = new BackoffStore();
  readonly backoff: PodFailureBackoffSettings;
  readonly syncJobBatchPeriodMs: number;
  /** Job keys to sync. */
  readonly queue: WorkQueue<string>;
  /** Keys of orphan pods whose tracking finalizer must go. */
  readonly orphanQueue: WorkQueue<string>;
  private readonly worker: QueueWorker<string>;
  private readonly orphanWorker: QueueWorker<string>;
  readonly jobInformer: SharedInformer<Job>;
  readonly podInformer: SharedInformer<Pod>;
  readonly jobLister: Lister<Job>;
  readonly podLister: Lister<Pod>;

  /** Seam for tests: writes the status. */
  updateStatusHandler: (job: Job) => Promise<Job>;
  /** Seam for tests: the sync a worker runs. */
  syncHandler: (key: string) => Promise<void>;
  /** Seams for tests: whether the caches are filled. */
  podStoreSynced: () => boolean;
  jobStoreSynced: () => boolean;

  constructor(deps: JobControllerDeps) {
    registerJobControllerMetrics();
    const scheduler = deps.scheduler ?? realScheduler;
    this.clock = deps.clock ?? scheduler;
    this.logger = deps.logger ?? noopLogger;
    this.jobs = deps.clientset.jobs;
    this.recorder =
      deps.recorder ?? new ClientEventRecorder({ events: deps.clientset.events, component: 'job-controller', clock: this.clock, logger: this.logger });
    this.podControl = deps.podControl ?? new RealPodControl({ pods: deps.clientset.pods, recorder: this.recorder });
    this.expectations = new ControllerExpectations(this.clock);
    this.backoff = { ...DEFAULT_POD_FAILURE_BACKOFF, ...deps.backoff };
    this.syncJobBatchPeriodMs = deps.syncJobBatchPeriodMs ?? SYNC_JOB_BATCH_PERIOD_MS;
    const api = deps.apiBackoff ?? DEFAULT_JOB_API_BACKOFF;
    this.queue = new WorkQueue<string>({ name: 'job', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(api.baseMs, api.maxMs) });
    this.orphanQueue = new WorkQueue<string>({
      name: 'job_orphan_pod',
      scheduler,
      rateLimiter: new ItemExponentialFailureRateLimiter(api.baseMs, api.maxMs),
    });
    this.worker = new QueueWorker(this.queue, (key) => this.syncHandler(key), retryAfterBackoff(this.logger, 'syncing job'));
    this.orphanWorker = new QueueWorker(this.orphanQueue, (key) => this.syncOrphanPod(key), retryAfterBackoff(this.logger, 'syncing orphan pod'));

    this.jobInformer = deps.informers.forResource<Job>(Resources.jobs);
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.jobLister = this.jobInformer.lister();
    addPodControllerUIDIndexer(this.podInformer.indexer);
    this.podLister = this.podInformer.lister();
    this.jobInformer.addEventHandler({
      add: (j) => this.addJob(j),
      update: (o, c) => this.updateJob(o, c),
      delete: (j) => this.deleteJob(j),
    });
    this.podInformer.addEventHandler({
      add: (p) => this.addPod(p),
      update: (o, c) => this.updatePod(o, c),
      delete: (p) => this.deletePod(p, true),
    });

    this.updateStatusHandler = (job) => this.jobs.updateStatus(job);
    this.syncHandler = (key) => syncJob(this, key);
    this.podStoreSynced = () => this.podInformer.hasSynced();
    this.jobStoreSynced = () => this.jobInformer.hasSynced();
  }

  /** Syncs one Job now (what a worker runs). */
  syncJob(key: string): Promise<void> {
    return syncJob(this, key);
  }

  enqueueAfter(key: string, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  /**
   * Waits for the caches, runs `workers` sync loops and one orphan loop until `signal` aborts,
   * then drains. The informer factory must be started by the caller (the controller manager).
   */
  async run(signal: AbortSignal, workerCount = 5): Promise<void> {
    await runController(signal, {
      name: 'job controller',
      logger: this.logger,
      informers: [this.podInformer, this.jobInformer],
      cachesSynced: () => this.podStoreSynced() && this.jobStoreSynced(),
      queues: [
        { worker: this.worker, count: workerCount },
        { worker: this.orphanWorker, count: 1 },
      ],
    });
  }

  /** Takes one key, syncs it, and forgets or rate-limits it. False once the queue shut down. */
  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  processNextOrphanPod(): Promise<boolean> {
    return this.orphanWorker.processNextWorkItem();
  }

  /** Removes the tracking finalizer from a pod no unfinished Job of ours controls. */
  async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    if (!pod) return;
    const ref = getControllerRef(pod.metadata as Pod['metadata']);
    if (ref) {
      // Owned by something that is not a batch/v1 Job: not ours to touch.
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolveControllerRef(namespace, ref);
      if (job && managedByExternalController(job)) return;
      if (job && !isJobFinished(job)) return; // adopted meanwhile
    }
    const patch = removeTrackingFinalizerPatch(pod);
    if (!patch) return;
    try {
      await this.podControl.patchPod(namespace, name, patch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** The Job a controllerRef points to, if it exists with that UID. */
  resolveControllerRef(namespace: string, ref: Pick<OwnerReference, 'kind' | 'name' | 'uid'>): DeepReadonly<Job> | undefined {
    if (ref.kind !== 'Job') return undefined;
    const job = this.jobLister.namespace(namespace).get(ref.name);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  /** Jobs whose selector matches the pod (candidates to adopt an orphan). */
  private getPodJobs(pod: PodView): DeepReadonly<Job>[] {
    const labels = pod.metadata.labels as Record<string, string> | undefined;
    if (!labels || Object.keys(labels).length === 0) return [];
    const jobs = this.jobLister.namespace(pod.metadata.namespace ?? '').list().filter((j) => {
      try {
        const sel = labelSelectorAsSelector(j.spec.selector as Job['spec']['selector']);
        return !sel.isEmpty() && sel.matches(labels);
      } catch {
        return false;
      }
    });
    if (jobs.length > 1) this.logger.warn('user error! more than one job is selecting pods with labels', { pod: keyOf(pod as Pod), labels });
    return jobs;
  }

  enqueueSyncJobImmediately(obj: JobEventObj): void {
    this.enqueueSyncJobInternal(obj, 0);
  }

  /** For pod events and status-only Job updates. */
  enqueueSyncJobBatched(obj: JobEventObj): void {
    this.enqueueSyncJobInternal(obj, this.syncJobBatchPeriodMs);
  }

  private enqueueSyncJobInternal(obj: JobEventObj, delayMs: number): void {
    const key = isTombstone(obj) ? obj.key : keyOf(obj as Job);
    this.logger.debug('enqueueing job', { key, delayMs });
    this.queue.addAfter(key, delayMs);
  }

  private enqueueOrphanPod(pod: PodView): void {
    this.orphanQueue.add(keyOf(pod as Pod));
  }

  /** A new pod: count it toward creation expectations of its Job, or let matching Jobs adopt it. */
  addPod(pod: PodView): void {
    if (pod.metadata.deletionTimestamp) {
      // A restarted controller may first see a pod already being deleted: not a creation.
      this.deletePod(pod, false);
      return;
    }
    const ref = getControllerRef(pod.metadata as Pod['metadata']);
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!job) return;
      this.expectations.creationObserved(keyOf(job as Job));
      this.enqueueSyncJobBatched(job);
      return;
    }
    // An orphan: clean its finalizer, and let matching Jobs consider adopting it (no expectation is met by it).
    if (hasJobTrackingFinalizer(pod)) this.enqueueOrphanPod(pod);
    for (const job of this.getPodJobs(pod)) this.enqueueSyncJobBatched(job);
  }

  /** A changed pod: wake the Jobs it belonged to and belongs to. */
  updatePod(oldPod: PodView, curPod: PodView): void {
    if (curPod.metadata.resourceVersion === oldPod.metadata.resourceVersion) return; // a resync
    if (curPod.metadata.deletionTimestamp) {
      // Graceful deletion starts with the timestamp: act now rather than when the pod is gone.
      this.deletePod(curPod, false);
      return;
    }
    // Look at the current pod only: several updates may have collapsed into one event.
    const finalizerRemoved = !hasJobTrackingFinalizer(curPod);
    const curRef = getControllerRef(curPod.metadata as Pod['metadata']);
    const oldRef = getControllerRef(oldPod.metadata as Pod['metadata']);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    const uid = curPod.metadata.uid ?? '';
    if (refChanged && oldRef) {
      const job = this.resolveControllerRef(oldPod.metadata.namespace ?? '', oldRef);
      if (job) {
        if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(keyOf(job as Job), uid);
        this.enqueueSyncJobBatched(job);
      }
    }
    if (curRef) {
      const job = this.resolveControllerRef(curPod.metadata.namespace ?? '', curRef);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(keyOf(job as Job), uid);
      this.enqueueSyncJobBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(curPod)) this.enqueueOrphanPod(curPod);
    const labelsChanged = JSON.stringify(curPod.metadata.labels ?? {}) !== JSON.stringify(oldPod.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const job of this.getPodJobs(curPod)) this.enqueueSyncJobBatched(job);
  }

  /** A pod deleted (final) or getting its deletionTimestamp (not final). */
  deletePod(obj: PodEventObj, final: boolean): void {
    // A tombstone's object may be stale; a Job it moved to is woken by the next relist.
    const pod = isTombstone(obj) ? obj.obj : obj;
    const ref = getControllerRef(pod.metadata as Pod['metadata']);
    const hasFinalizer = hasJobTrackingFinalizer(pod);
    if (!ref) {
      // The GC may have removed our reference: the finalizer must still go.
      if (hasFinalizer) this.enqueueOrphanPod(pod);
      return;
    }
    const job = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!job || isJobFinished(job)) {
      // syncJob will not remove this finalizer.
      if (hasFinalizer) this.enqueueOrphanPod(pod);
      return;
    }
    const key = keyOf(job as Job);
    this.expectations.deletionObserved(key);
    // The final delete means the finalizer is gone; a deletionTimestamp update shows it directly.
    if (final || !hasFinalizer) this.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata.uid ?? '');
    this.enqueueSyncJobBatched(job);
  }

  addJob(job: DeepReadonly<Job>): void {
    this.enqueueSyncJobImmediately(job);
  }

  /** Spec changes sync at once, status-only updates batched; a changed deadline re-arms its timer. */
  updateJob(oldJob: DeepReadonly<Job>, curJob: DeepReadonly<Job>): void {
    const key = keyOf(curJob as Job);
    if (curJob.metadata.generation === oldJob.metadata.generation) this.enqueueSyncJobBatched(curJob);
    else this.enqueueSyncJobImmediately(curJob);
    // The Job is not finished while pods keep finalizers; this is a backup.
    if (isJobFinished(curJob)) this.cleanupPodFinalizers(curJob);
    const startTime = curJob.status?.startTime;
    if (startTime) {
      const curADS = curJob.spec.activeDeadlineSeconds;
      if (curADS === undefined || curADS === null) return;
      const oldADS = oldJob.spec.activeDeadlineSeconds;
      if (oldADS === undefined || oldADS === null || oldADS !== curADS) {
        const passed = this.clock.now().getTime() - Date.parse(startTime);
        this.queue.addAfter(key, curADS * 1000 - passed);
        this.logger.debug("job's ActiveDeadlineSeconds updated, will rsync", { key, intervalMs: curADS * 1000 - passed });
      }
    }
  }

  /** A deleted Job: sync (to drop its state) and release the finalizers of its pods. */
  deleteJob(obj: JobEventObj): void {
    this.enqueueSyncJobImmediately(obj);
    const job = isTombstone(obj) ? obj.obj : obj;
    this.cleanupPodFinalizers(job);
  }

  private cleanupPodFinalizers(job: DeepReadonly<Job>): void {
    let selector;
    try {
      selector = labelSelectorAsSelector(job.spec.selector as Job['spec']['selector']);
    } catch (err) {
      this.logger.error('parsing deleted job selector', { error: errorMessage(err) });
      return;
    }
    for (const pod of this.podLister.namespace(job.metadata.namespace ?? '').list(selector)) {
      const ref = getControllerRef(pod.metadata as Pod['metadata']);
      if (ref?.uid === job.metadata.uid && hasJobTrackingFinalizer(pod)) this.enqueueOrphanPod(pod);
    }
  }
}
