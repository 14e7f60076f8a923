// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): a finished Job
// (Complete or Failed condition True) with spec.ttlSecondsAfterFinished is deleted, with
// Foreground propagation and a uid precondition, once finishTime + ttl has passed. Jobs not yet
// expired are re-queued with addAfter for the time left; the TTL may change meanwhile, so the
// expiry is computed again from a fresh GET just before deleting.
import type { Job, JobCondition } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
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
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import { type Clock, isConflict, isNotFound, keyOf, splitKey } from '../../machinery/index.js';
import { runController } from '../run-controller.js';

export interface TTLAfterFinishedControllerDeps {
  clientset: Pick<Clientset, 'jobs'>;
  informers: InformerFactory;
  /** Time for expiry. @defaultValue the scheduler */
  clock?: Clock;
  /** Timers of the work queue (addAfter until expiry). @defaultValue real timers */
  scheduler?: Scheduler;
  logger?: Logger;
}

type JobView = DeepReadonly<Job>;

function finishedCondition(job: JobView): DeepReadonly<JobCondition> | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** True when the Job is finished and has a TTL: what this controller cares about (needsCleanup). */
export function needsCleanup(job: JobView): boolean {
  const ttl = job.spec.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && !!finishedCondition(job);
}

/** When the Job finished: the lastTransitionTime of its Complete or Failed condition (jobFinishTime). */
export function jobFinishTime(job: JobView): Date {
  const c = finishedCondition(job);
  if (!c) throw new Error(`job ${keyOf(job as Job)} is not finished`);
  if (!c.lastTransitionTime) throw new Error(`unable to find the time when the Job ${keyOf(job as Job)} finished`);
  return new Date(c.lastTransitionTime);
}

/**
 * Time left before the Job expires, in ms (<= 0: expired), or undefined when it does not need
 * cleanup (upstream timeLeft / processTTL). A finish time in the future (clock skew) counts from now.
 */
export function timeLeftMs(job: JobView, now: Date, logger: Logger = noopLogger): number | undefined {
  if (job.metadata.deletionTimestamp || !needsCleanup(job)) return undefined;
  const finishAt = jobFinishTime(job);
  if (finishAt.getTime() > now.getTime()) {
    logger.info('Warning: Found Job finished in the future. This is likely due to time skew in the cluster. Job cleanup will be deferred.', {
      job: keyOf(job as Job),
    });
  }
  const expireAt = finishAt.getTime() + (job.spec.ttlSecondsAfterFinished as number) * 1000;
  return expireAt - now.getTime();
}

/** Deletes finished Jobs once their ttlSecondsAfterFinished has passed. */
export class TTLAfterFinishedController {
  readonly queue: WorkQueue<string>;
  private readonly worker: QueueWorker<string>;
  readonly jobInformer: SharedInformer<Job>;
  readonly jobLister: Lister<Job>;
  private readonly jobs: ResourceClient<Job>;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(deps: TTLAfterFinishedControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.clock = deps.clock ?? scheduler;
    this.logger = deps.logger ?? noopLogger;
    this.jobs = deps.clientset.jobs;
    this.queue = new WorkQueue<string>({ name: 'ttl_jobs_to_delete', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.processJob(key), retryAfterBackoff(this.logger, 'error cleaning up Job'));
    this.jobInformer = deps.informers.forResource<Job>(Resources.jobs);
    this.jobLister = this.jobInformer.lister();
    this.jobInformer.addEventHandler({
      add: (j) => this.addJob(j),
      update: (_o, cur) => this.addJob(cur),
    });
  }

  /** Queues a Job that is finished, has a TTL and is not being deleted. */
  addJob(job: JobView): void {
    if (job.metadata.deletionTimestamp === undefined && needsCleanup(job)) this.queue.add(keyOf(job as Job));
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    const queues = [{ worker: this.worker, count: workerCount }];
    await runController(signal, { name: 'TTL after finished controller', logger: this.logger, informers: [this.jobInformer], queues });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  /** Deletes the Job if it expired, or re-queues it for the time left. */
  async processJob(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.jobLister.namespace(namespace).get(name);
    if (!cached) return;
    if (!this.expired(key, cached)) return;
    // The cache may be stale (a changed TTL): check a fresh copy before deleting.
    let fresh: Job;
    try {
      fresh = await this.jobs.namespace(namespace).get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!this.expired(key, fresh)) return;
    this.logger.info('Cleaning up Job', { key });
    try {
      await this.jobs.namespace(namespace).delete(name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } });
    } catch (err) {
      // Gone, or replaced by a new Job of that name: nothing of ours to delete.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /** True when expired; otherwise re-queues the key for when it will be. */
  private expired(key: string, job: JobView): boolean {
    const left = timeLeftMs(job, this.clock.now(), this.logger);
    if (left === undefined) return false;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return false;
    }
    return true;
  }
}
