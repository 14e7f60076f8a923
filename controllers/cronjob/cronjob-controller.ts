// The CronJob controller (upstream pkg/controller/cronjob, cronjob_controllerv2.go): for each
// CronJob, level-triggered from informers on CronJobs and Jobs:
//
//   1. reconcile status.active with the Jobs it controls (finished ones leave, with
//      SawCompletedJob; vanished ones leave, with MissingJob), and lastSuccessfulTime;
//   2. unless deleted or suspended, find the most recent unmet scheduled time (bounded by
//      startingDeadlineSeconds), honour concurrencyPolicy (Forbid skips, Replace deletes the
//      running Jobs), and create the Job `<cronjob>-<scheduled unix minutes>`;
//   3. delete finished Jobs beyond the history limits;
//   4. requeue for the next scheduled time.
//
// Restartable: the Job name is a function of the scheduled time, so a controller that died
// between creating a Job and writing status finds it (AlreadyExists, controlled by this
// CronJob) and records it instead of creating another.
import type { CronJob, Job, ObjectReference } from '../../api/index.js';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type EventRecorder,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Lister,
  type Logger,
  QueueWorker,
  Resources,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import { type Clock, controllerRef, isAlreadyExists, isNotFound, keyOf, splitKey } from '../../machinery/index.js';
import { type CronSchedule, parseCronSchedule, timeZoneError } from '../../machinery/cron-schedule.js';
import { runController } from '../run-controller.js';
import { isJobFinished } from '../job/index.js';

export interface CronJobControllerDeps {
  clientset: Pick<Clientset, 'cronjobs' | 'jobs'>;
  informers: InformerFactory;
  recorder: EventRecorder;
  scheduler?: Scheduler;
  clock?: Clock;
  logger?: Logger;
}

/** Past this many missed start times, the controller warns (upstream: 100). */
const TOO_MANY_MISSED = 100;
/** Requeue a little after the scheduled time, so that the clock has passed it. */
const NEXT_SCHEDULE_DELTA_MS = 100;

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The Job name for a scheduled time: the CronJob's name and the time in unix minutes (getJobName). */
export function jobNameFor(cronJobName: string, scheduledTime: Date): string {
  return `${cronJobName}-${Math.floor(scheduledTime.getTime() / 60_000)}`;
}

/** The Job a CronJob creates for `scheduledTime` (getJobFromTemplate2). */
export function jobFromTemplate(cj: DeepReadonly<CronJob>, scheduledTime: Date): Job {
  const template = structuredClone(cj.spec.jobTemplate) as CronJob['spec']['jobTemplate'];
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cj.metadata.name ?? '', scheduledTime),
      namespace: cj.metadata.namespace ?? 'default',
      ...(meta.labels ? { labels: meta.labels } : {}),
      annotations: { ...meta.annotations, [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduledTime) },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: template.spec ?? ({ template: { spec: { containers: [] } } } as unknown as Job['spec']),
  };
}

export interface ScheduleTimes {
  /** The most recent scheduled time at or before now that has not been run, if any. */
  mostRecent?: Date;
  /** How many scheduled times were missed (0 or 1 in steady state). */
  missed: number;
}

/**
 * mostRecentScheduleTime: scheduled times after the last one run (or the CronJob's creation),
 * not older than startingDeadlineSeconds, up to now.
 */
export function mostRecentScheduleTime(cj: DeepReadonly<CronJob>, now: Date, schedule: CronSchedule): ScheduleTimes {
  let earliest = new Date(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now.toISOString());
  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    const schedulingDeadline = new Date(now.getTime() - deadline * 1000);
    if (schedulingDeadline.getTime() > earliest.getTime()) earliest = schedulingDeadline;
  }
  let missed = 0;
  let mostRecent: Date | undefined;
  for (let t = schedule.next(earliest); t && t.getTime() <= now.getTime(); t = schedule.next(t)) {
    mostRecent = t;
    missed++;
    // Enough to know there are too many: the most recent is found by jumping ahead.
    if (missed > TOO_MANY_MISSED) {
      const recent = lastAtOrBefore(schedule, t, now);
      return { mostRecent: recent, missed };
    }
  }
  return mostRecent ? { mostRecent, missed } : { missed };
}

/** The last scheduled time in (from, now], found by widening steps back from now. */
function lastAtOrBefore(schedule: CronSchedule, from: Date, now: Date): Date {
  for (let back = 60_000; ; back *= 2) {
    const start = new Date(Math.max(from.getTime(), now.getTime() - back));
    let last: Date | undefined;
    for (let t = schedule.next(start); t && t.getTime() <= now.getTime(); t = schedule.next(t)) last = t;
    if (last) return last;
    if (start.getTime() === from.getTime()) return from;
  }
}

function ref(job: DeepReadonly<Job>): ObjectReference {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion } as ObjectReference;
}

function finishedType(job: DeepReadonly<Job>): 'Complete' | 'Failed' | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

export class CronJobController {
  readonly queue: WorkQueue<string>;
  private readonly worker: QueueWorker<string>;
  readonly cronJobInformer: SharedInformer<CronJob>;
  readonly jobInformer: SharedInformer<Job>;
  private readonly cronJobLister: Lister<CronJob>;
  private readonly jobLister: Lister<Job>;
  private readonly deps: CronJobControllerDeps;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(deps: CronJobControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.deps = deps;
    this.clock = deps.clock ?? scheduler;
    this.logger = deps.logger ?? noopLogger;
    this.queue = new WorkQueue<string>({ name: 'cronjob', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.sync(key), retryAfterBackoff(this.logger, 'error syncing CronJob'));
    this.cronJobInformer = deps.informers.forResource<CronJob>(Resources.cronjobs);
    this.jobInformer = deps.informers.forResource<Job>(Resources.jobs);
    this.cronJobLister = this.cronJobInformer.lister();
    this.jobLister = this.jobInformer.lister();
    this.cronJobInformer.addEventHandler({
      add: (cj) => this.queue.add(keyOf(cj as CronJob)),
      update: (_old, cur) => this.queue.add(keyOf(cur as CronJob)),
      delete: (cj) => this.queue.forget(keyOf(cj as CronJob)),
    });
    const owner = (job: DeepReadonly<Job>) => {
      const c = controllerRef(job.metadata as Job['metadata']);
      if (c?.kind !== 'CronJob' || c.apiVersion.split('/')[0] !== 'batch') return;
      const cj = this.cronJobLister.namespace(job.metadata.namespace ?? '').get(c.name);
      if (cj && cj.metadata.uid === c.uid) this.queue.add(keyOf(cj as CronJob));
    };
    this.jobInformer.addEventHandler({ add: owner, update: (_o, cur) => owner(cur), delete: owner });
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    const queues = [{ worker: this.worker, count: workerCount }];
    await runController(signal, { name: 'cronjob controller', logger: this.logger, informers: [this.cronJobInformer, this.jobInformer], queues });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  /** One sync of one CronJob; requeues it for its next scheduled time. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.cronJobLister.namespace(namespace).get(name);
    if (!cached) return;
    const cj = structuredClone(cached) as CronJob;
    const jobs = this.jobLister
      .namespace(namespace)
      .list()
      .filter((j) => {
        const c = controllerRef(j.metadata as Job['metadata']);
        return c?.kind === 'CronJob' && c.uid === cj.metadata.uid;
      });
    const before = JSON.stringify(cj.status ?? {});
    const requeueAfterMs = await this.syncCronJob(cj, jobs);
    if (JSON.stringify(cj.status ?? {}) !== before) {
      await this.deps.clientset.cronjobs.namespace(namespace).updateStatus(cj);
    }
    await this.cleanupFinishedJobs(cj, jobs);
    if (requeueAfterMs !== undefined) this.queue.addAfter(key, requeueAfterMs);
  }

  /** syncCronJob: mutates cj.status; returns when to look again (ms), if ever. */
  async syncCronJob(cj: CronJob, jobs: readonly DeepReadonly<Job>[]): Promise<number | undefined> {
    const now = this.clock.now();
    const recorder = this.deps.recorder;
    const status = (cj.status ??= {});
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid ?? '');
      const active = (status.active ?? []).some((a) => a.uid === j.metadata.uid);
      const finished = finishedType(j);
      if (!active && !finished) {
        // A Job of ours not in status: created by an earlier run that died before writing
        // status, or by hand with our ownerReference. Track it (the scheduled time is taken).
        recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
        status.active = [...(status.active ?? []), ref(j)];
        this.noteScheduled(cj, j);
      } else if (active && finished) {
        status.active = (status.active ?? []).filter((a) => a.uid !== j.metadata.uid);
        recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
      }
      if (finished === 'Complete' && j.status?.completionTime) {
        if (!status.lastSuccessfulTime || new Date(status.lastSuccessfulTime).getTime() < new Date(j.status.completionTime).getTime()) status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    // Active Jobs that no longer exist (deleted by hand, or by a garbage collector).
    for (const a of [...(status.active ?? [])]) {
      if (children.has(a.uid ?? '')) continue;
      let exists = true;
      try {
        const j = await this.deps.clientset.jobs.namespace(a.namespace ?? cj.metadata.namespace ?? '').get(a.name ?? '');
        exists = j.metadata.uid === a.uid;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        exists = false;
      }
      if (!exists) {
        recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${a.name}`);
        status.active = (status.active ?? []).filter((x) => x.uid !== a.uid);
      }
    }
    if (status.active?.length === 0) delete status.active;

    if (cj.metadata.deletionTimestamp) return undefined;
    if (cj.spec.timeZone !== undefined && timeZoneError(cj.spec.timeZone)) {
      recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(cj.spec.timeZone)}: ${timeZoneError(cj.spec.timeZone)}`);
      return undefined;
    }
    if (cj.spec.suspend) return undefined;
    let schedule: CronSchedule;
    try {
      schedule = parseCronSchedule(cj.spec.schedule, cj.spec.timeZone);
    } catch (err) {
      recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${(err as Error).message}`);
      return undefined;
    }
    // A schedule that never fires (`0 0 31 2 *`) is not looked at again until it changes.
    const untilNext = () => {
      const next = schedule.next(now);
      return next ? Math.max(0, next.getTime() - now.getTime()) + NEXT_SCHEDULE_DELTA_MS : undefined;
    };
    const { mostRecent: scheduledTime, missed } = mostRecentScheduleTime(cj, now, schedule);
    if (missed > TOO_MANY_MISSED) {
      recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    if (!scheduledTime) return untilNext();
    const deadline = cj.spec.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduledTime.getTime() + deadline * 1000 < now.getTime()) {
      recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc3339(scheduledTime)}`);
      return untilNext();
    }
    const jobName = jobNameFor(cj.metadata.name ?? '', scheduledTime);
    if ((status.active ?? []).some((a) => a.name === jobName) || (status.lastScheduleTime && new Date(status.lastScheduleTime).getTime() === scheduledTime.getTime())) {
      return untilNext();
    }
    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active?.length ?? 0) > 0) {
      recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return untilNext();
    }
    if (policy === 'Replace') {
      for (const a of [...(status.active ?? [])]) {
        try {
          await this.deps.clientset.jobs.namespace(a.namespace ?? '').delete(a.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: a.uid } });
          recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${a.name}`);
        } catch (err) {
          if (!isNotFound(err)) {
            recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
            throw err;
          }
        }
        status.active = (status.active ?? []).filter((x) => x.uid !== a.uid);
      }
      if (status.active?.length === 0) delete status.active;
    }

    const wanted = jobFromTemplate(cj, scheduledTime);
    let created: Job;
    try {
      created = await this.deps.clientset.jobs.namespace(cj.metadata.namespace ?? '').create(wanted);
      recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
        throw err;
      }
      // Created by an earlier sync that died before writing status: it is the same Job if we control it.
      const existing = await this.deps.clientset.jobs.namespace(cj.metadata.namespace ?? '').get(wanted.metadata.name ?? '');
      if (controllerRef(existing.metadata)?.uid !== cj.metadata.uid) {
        recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: a job named ${wanted.metadata.name} exists and is not controlled by this CronJob`);
        return untilNext();
      }
      created = existing;
    }
    if (!isJobFinished(created) && !(status.active ?? []).some((a) => a.uid === created.metadata.uid)) status.active = [...(status.active ?? []), ref(created)];
    status.lastScheduleTime = rfc3339(scheduledTime);
    return untilNext();
  }

  /** lastScheduleTime from a Job's scheduled-timestamp annotation, when newer. */
  private noteScheduled(cj: CronJob, job: DeepReadonly<Job>): void {
    const at = job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION];
    if (!at || Number.isNaN(Date.parse(at))) return;
    const status = (cj.status ??= {});
    if (!status.lastScheduleTime || Date.parse(status.lastScheduleTime) < Date.parse(at)) status.lastScheduleTime = at;
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: readonly DeepReadonly<Job>[]): Promise<void> {
    if (cj.metadata.deletionTimestamp) return;
    const limits: [ 'Complete' | 'Failed', number | undefined][] = [
      ['Complete', cj.spec.successfulJobsHistoryLimit],
      ['Failed', cj.spec.failedJobsHistoryLimit],
    ];
    for (const [type, limit] of limits) {
      if (limit === undefined || limit === null) continue;
      const finished = jobs.filter((j) => finishedType(j) === type && !j.metadata.deletionTimestamp);
      if (finished.length <= limit) continue;
      // Oldest first by start time (a Job that never started counts as oldest).
      const byStart = [...finished].sort((a, b) => (a.status?.startTime ? Date.parse(a.status.startTime) : 0) - (b.status?.startTime ? Date.parse(b.status.startTime) : 0));
      for (const j of byStart.slice(0, finished.length - limit)) {
        try {
          await this.deps.clientset.jobs.namespace(j.metadata.namespace ?? '').delete(j.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: j.metadata.uid } });
          this.deps.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
  }
}
