// syncJob: the level-triggered core of the Job controller, as upstream's job_controller.go
// (v1.31+ with every gate on). One call reads the Job and its pods from the informer caches,
// claims pods, counts them, decides whether the Job finished, creates or deletes pods toward the
// wanted parallelism (manage-job.ts), and writes the status once when it changed, counting each
// finished pod exactly once (track-status.ts).
import type { Job } from '../../api/index.js';
import { deepClone } from '../../client/index.js';
import { rfc3339, splitKey } from '../../machinery/index.js';
import { calculateFailedIndexes, calculateSucceededIndexes, getPodsWithDelayedDeletionPerIndex } from './indexed-job.js';
import { totalIndexes } from './intervals.js';
import {
  JobMessages,
  JobReasons,
  ensureJobConditionStatus,
  findConditionByType,
  hasSuccessCriteriaMetCondition,
  isJobFinished,
  newCondition,
  newFailedConditionForFailureTarget,
} from './job-conditions.js';
import { type PodView, countReadyPods, countTerminatingPods, filterActivePods, getValidPodsWithFilter, isPodFailed } from './job-pods.js';
import {
  backoffLimitOf,
  completionsOf,
  hasBackoffLimitPerIndex,
  isIndexedJob,
  jobSuspended,
  managedByExternalController,
} from './job-spec.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';
import { type JobSyncDeps, type SyncJobCtx, wrap } from './sync-job-ctx.js';
import { deleteActivePods, getPodsForJob, manageJob } from './manage-job.js';
import { trackJobStatusAndRemoveFinalizers } from './track-status.js';
import { type JobSyncAction, recordJobSync } from './metrics.js';

/**
 * Syncs the Job with the given "namespace/name" key. Must not run concurrently for one key (the
 * work queue guarantees it). Rejects when the sync must be retried (API errors).
 */
export async function syncJob(d: JobSyncDeps, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  if (!namespace || !name) throw new Error(`invalid job key "${key}": either namespace or name is missing`);
  const shared = d.jobLister.namespace(namespace).get(name);
  if (!shared) {
    d.logger.debug('Job has been deleted', { key });
    d.expectations.deleteExpectations(key);
    d.finalizerExpectations.deleteExpectations(key);
    d.podBackoffStore.removeBackoffRecord(key);
    return;
  }
  // A Job may be replaced by one with managedBy after it was queued: check here, not only in handlers.
  const external = managedByExternalController(shared);
  if (external) {
    d.logger.debug('Skip syncing the job as it is managed by an external controller', { key, controllerName: external });
    return;
  }
  // Work on a copy: never mutate the shared cache.
  const job = deepClone<Job>(shared);
  if (isJobFinished(job)) {
    d.podBackoffStore.removeBackoffRecord(key);
    return;
  }
  if (job.spec.completionMode && job.spec.completionMode !== 'NonIndexed' && job.spec.completionMode !== 'Indexed') {
    d.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
    return;
  }
  // From here a sync is counted (job_controller_job_syncs_total), as upstream's deferred record.
  const startMs = performance.now();
  const sync: { action: JobSyncAction } = { action: 'reconciling' };
  let failed = true;
  try {
    await syncUnfinishedJob(d, key, job, sync);
    failed = false;
  } finally {
    recordJobSync(job, failed, sync.action, startMs);
  }
}

/** The sync of a Job that is not finished, with what it did in `sync.action`. */
async function syncUnfinishedJob(d: JobSyncDeps, key: string, job: Job, sync: { action: JobSyncAction }): Promise<void> {
  job.status ??= {};
  job.status.uncountedTerminatedPods ??= {};
  const now = d.clock.now();

  // Check expectations before listing pods: a pod that enters the cache after this check
  // only defers the decision to the next sync.
  const satisfiedExpectations = d.expectations.satisfiedExpectations(key);

  const pods = await getPodsForJob(d, job);
  const activePods = filterActivePods(pods);
  const uncountedStatus = job.status.uncountedTerminatedPods;
  const ctx: SyncJobCtx = {
    job,
    pods,
    activePods,
    ready: countReadyPods(activePods),
    uncounted: { succeeded: new Set(uncountedStatus.succeeded ?? []), failed: new Set(uncountedStatus.failed ?? []) },
    expectedRmFinalizers: d.finalizerExpectations.getExpectedUIDs(key),
    terminating: countTerminatingPods(pods),
    succeeded: 0,
    failed: 0,
    prevSucceededIndexes: [],
    succeededIndexes: [],
    newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
  };
  let active = activePods.length;
  const newSucceededPods = getValidPodsWithFilter(ctx, ctx.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
  const newFailedPods = getValidPodsWithFilter(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
  ctx.succeeded = (job.status.succeeded ?? 0) + newSucceededPods.length + ctx.uncounted.succeeded.size;
  ctx.failed = (job.status.failed ?? 0) + nonIgnoredFailedPodsCount(job, newFailedPods) + ctx.uncounted.failed.size;

  // First start: startTime is set only while not suspended.
  if (!job.status.startTime && !jobSuspended(job)) job.status.startTime = rfc3339(now);

  ctx.newBackoffRecord = d.podBackoffStore.newBackoffRecord(key, newSucceededPods, newFailedPods);

  let manageJobErr: unknown;
  const exceedsBackoffLimit = ctx.failed > backoffLimitOf(job);
  ctx.finishedCondition = hasSuccessCriteriaMetCondition(job);

  // With SuccessCriteriaMet already recorded, the outcome is decided: the pod failure policy is not evaluated.
  if (!ctx.finishedCondition) {
    const failureTarget = findConditionByType(job.status.conditions, 'FailureTarget');
    if (failureTarget && failureTarget.status === 'True') {
      ctx.finishedCondition = newFailedConditionForFailureTarget(failureTarget, now);
    } else {
      const failJobMessage = getFailJobMessage(job, pods);
      if (failJobMessage !== undefined) {
        // Record the message in the interim FailureTarget before finalizers (allowing the pods' removal) go.
        ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReasons.podFailurePolicy, failJobMessage, now);
      }
    }
  }
  if (!ctx.finishedCondition) {
    if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
      ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReasons.backoffLimitExceeded, JobMessages.backoffLimitExceeded, now);
    } else if (pastActiveDeadline(job, now)) {
      ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReasons.deadlineExceeded, JobMessages.deadlineExceeded, now);
    } else if (job.spec.activeDeadlineSeconds !== undefined && job.spec.activeDeadlineSeconds !== null && !jobSuspended(job)) {
      const syncDurationMs = job.spec.activeDeadlineSeconds * 1000 - (now.getTime() - Date.parse(job.status.startTime as string));
      d.logger.debug('Job has activeDeadlineSeconds configuration. Will sync this job again', { key, nextSyncInMs: syncDurationMs });
      d.enqueueAfter(key, syncDurationMs);
    }
  }

  if (isIndexedJob(job)) {
    const completions = completionsOf(job) ?? 0;
    const { prev, current } = calculateSucceededIndexes(job, pods);
    ctx.prevSucceededIndexes = prev;
    ctx.succeededIndexes = current;
    ctx.succeeded = totalIndexes(current);
    if (hasBackoffLimitPerIndex(job)) {
      ctx.failedIndexes = calculateFailedIndexes(job, pods);
      if (!ctx.finishedCondition) {
        const failed = totalIndexes(ctx.failedIndexes);
        const max = job.spec.maxFailedIndexes;
        if (max !== undefined && max !== null && failed > max) {
          ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReasons.maxFailedIndexesExceeded, JobMessages.maxFailedIndexesExceeded, now);
        } else if (failed > 0 && failed + totalIndexes(ctx.succeededIndexes) >= completions) {
          ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReasons.failedIndexes, JobMessages.failedIndexes, now);
        }
      }
      ctx.podsWithDelayedDeletionPerIndex = getPodsWithDelayedDeletionPerIndex(ctx);
    }
    if (!ctx.finishedCondition) {
      const msg = matchSuccessPolicy(job.spec.successPolicy, completions, ctx.succeededIndexes);
      if (msg !== undefined) ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', JobReasons.successPolicy, msg, now);
    }
  }

  let suspendCondChanged = false;
  if (ctx.finishedCondition) {
    // Finishing: delete the active pods, keeping their finalizers so they are counted.
    const { deletedReady, deleted, error } = await deleteActivePods(d, job, ctx.activePods);
    if (deleted !== active || !satisfiedExpectations) {
      // Not finished yet: pod finalizers may remain, or pods may not be in the cache yet.
      ctx.finishedCondition = undefined;
    }
    active -= deleted;
    ctx.terminating += deleted;
    ctx.ready -= deletedReady;
    manageJobErr = error;
  } else {
    let manageJobCalled = false;
    if (satisfiedExpectations && !job.metadata.deletionTimestamp) {
      const r = await manageJob(d, key, job, ctx);
      sync.action = r.action;
      active = r.active;
      manageJobErr = r.error;
      manageJobCalled = true;
    }
    const completions = completionsOf(job);
    // Work queue: done once any pod succeeded and none is left running (later failures are ignored).
    const complete = completions === undefined ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
    if (complete) {
      ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', JobReasons.completionsReached, JobMessages.completionsReached, now);
    } else if (manageJobCalled) {
      // Conditions and events only when manageJob ran in this sync.
      if (jobSuspended(job)) {
        const r = ensureJobConditionStatus(job.status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
        job.status.conditions = r.conditions;
        if (r.updated) {
          suspendCondChanged = true;
          d.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
        }
        // A suspended Job has no startTime (upstream KEP-5440, kubernetes#134980): the /status
        // strategy lets startTime change only while spec.suspend is true, so the reset on resume
        // below must start from none. Cleared on every suspended sync, so a Job suspended before
        // this rule existed is repaired too.
        if (job.status.startTime) {
          delete job.status.startTime;
          suspendCondChanged = true;
        }
      } else {
        const r = ensureJobConditionStatus(job.status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
        job.status.conditions = r.conditions;
        if (r.updated) {
          suspendCondChanged = true;
          d.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts continuous activity: a resumed Job starts again now.
          job.status.startTime = rfc3339(now);
        }
      }
      if (job.status.conditions.length === 0) delete job.status.conditions;
    }
  }

  const needsStatusUpdate =
    suspendCondChanged || active !== (job.status.active ?? 0) || ctx.ready !== job.status.ready || ctx.terminating !== job.status.terminating;
  job.status.active = active;
  job.status.ready = ctx.ready;
  job.status.terminating = ctx.terminating;
  try {
    await trackJobStatusAndRemoveFinalizers(d, key, ctx, needsStatusUpdate);
  } catch (err) {
    throw wrap('tracking status', err);
  }
  if (manageJobErr) throw manageJobErr;
}

/** Failed pods that count (not matching an Ignore rule of the pod failure policy). */
function nonIgnoredFailedPodsCount(job: Job, failedPods: readonly PodView[]): number {
  if (!job.spec.podFailurePolicy) return failedPods.length;
  return failedPods.filter((p) => matchPodFailurePolicy(job.spec.podFailurePolicy, p).countFailed).length;
}

/** The FailJob message of the first failed pod matching such a rule. */
function getFailJobMessage(job: Job, pods: readonly PodView[]): string | undefined {
  if (!job.spec.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p).jobFailureMessage;
    if (m !== undefined) return m;
  }
  return undefined;
}

/** restartPolicy OnFailure: container restarts of Pending/Running pods reach backoffLimit (> 0 when it is 0). */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly PodView[]): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of p.status.initContainerStatuses ?? []) restarts += s.restartCount ?? 0;
    for (const s of p.status.containerStatuses ?? []) restarts += s.restartCount ?? 0;
  }
  const limit = backoffLimitOf(job);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** now − startTime ≥ activeDeadlineSeconds, never while suspended. */
export function pastActiveDeadline(job: Job, now: Date): boolean {
  const ads = job.spec.activeDeadlineSeconds;
  if (ads === undefined || ads === null || !job.status?.startTime || jobSuspended(job)) return false;
  return now.getTime() - Date.parse(job.status.startTime) >= ads * 1000;
}
