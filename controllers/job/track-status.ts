// Exact counting of finished pods (upstream's trackJobStatusAndRemoveFinalizers and what it calls):
// a finished pod's UID goes to status.uncountedTerminatedPods while the pod still holds the
// batch.kubernetes.io/job-tracking finalizer; then the finalizer is removed; then, once the pod is
// seen without it, the UID moves from the uncounted list into status.succeeded/failed. Each step is
// a separate API write, so a crash between any two leaves a state the next sync completes. The
// terminal condition is added once nothing is uncounted and no pod is terminating.
import type { Job, JobCondition } from '../../api/index.js';
import { isNotFound } from '../../machinery/index.js';
import { hasIndex, intervalsToString, totalIndexes, withOrderedIndexes } from './intervals.js';
import {
  ensureJobConditionStatus,
  findConditionByType,
  hasSuccessCriteriaMetCondition,
  isSuccessCriteriaMetCondition,
  newCondition,
  newFailedConditionForFailureTarget,
} from './job-conditions.js';
import {
  type PodView,
  UNKNOWN_COMPLETION_INDEX,
  byCompletionIndex,
  getCompletionIndex,
  hasJobTrackingFinalizer,
  isPodFailed,
  removeTrackingFinalizerPatch,
} from './job-pods.js';
import { completionsOf, hasBackoffLimitPerIndex, isIndexedJob } from './job-spec.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { type JobSyncDeps, MAX_UNCOUNTED_PODS, type SyncJobCtx, wrap } from './sync-job-ctx.js';
import { recordJobFinishedMetric, recordJobPodsFinished, recordPodFailuresByPolicy } from './metrics.js';

/** Whether the pod's tracking finalizer may go now. */
function canRemoveFinalizer(ctx: SyncJobCtx, pod: PodView, considerPodFailed: boolean): boolean {
  if (ctx.job.metadata.deletionTimestamp || ctx.finishedCondition || pod.status?.phase === 'Succeeded') return true;
  if (!considerPodFailed) return false;
  if (hasBackoffLimitPerIndex(ctx.job)) {
    const ix = getCompletionIndex(pod.metadata.annotations);
    if (ix !== UNKNOWN_COMPLETION_INDEX) {
      const p = ctx.podsWithDelayedDeletionPerIndex?.get(ix);
      // Keep the last failed pod of the index until its replacement carries the failure count.
      if (p && p.metadata.uid === pod.metadata.uid) return false;
    }
  }
  return true;
}

/**
 * Moves UIDs whose finalizer is gone from uncountedTerminatedPods into the counters.
 * Returns whether the status changed.
 */
function cleanUncountedPodsWithoutFinalizers(status: NonNullable<Job['status']>, uidsWithFinalizer: ReadonlySet<string>): boolean {
  status.uncountedTerminatedPods ??= {};
  const u = status.uncountedTerminatedPods;
  let updated = false;
  const succ = (u.succeeded ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (succ.length !== (u.succeeded ?? []).length) {
    updated = true;
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - succ.length;
    if (succ.length) u.succeeded = succ;
    else delete u.succeeded;
  }
  const fail = (u.failed ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (fail.length !== (u.failed ?? []).length) {
    updated = true;
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - fail.length;
    if (fail.length) u.failed = fail;
    else delete u.failed;
  }
  return updated;
}

/**
 * 1. Adds newly finished pods to status.uncountedTerminatedPods; 2. removes their finalizers;
 * 3. counts the pods whose finalizers are gone; 4. adds the terminal condition when due.
 * At most MAX_UNCOUNTED_PODS per sync, so big Jobs neither bloat status nor starve others.
 */
export async function trackJobStatusAndRemoveFinalizers(d: JobSyncDeps, key: string, ctx: SyncJobCtx, needsFlushIn: boolean): Promise<void> {
  let needsFlush = needsFlushIn;
  const job = ctx.job;
  const status = job.status as NonNullable<Job['status']>;
  // The counters as stored: what each status write adds to them is counted as finished pods.
  const counted: Counted = { succeeded: status.succeeded ?? 0, failed: status.failed ?? 0, byPolicyAction: new Map() };
  const isIndexed = isIndexedJob(job);
  const completions = completionsOf(job) ?? 0;
  const podsToRemoveFinalizer: PodView[] = [];
  const uncountedStatus = (status.uncountedTerminatedPods ??= {});
  const newSucceededIndexes: number[] = [];
  // Indexes join completedIndexes in order.
  if (isIndexed) ctx.pods = byCompletionIndex(ctx.pods);
  const uidsWithFinalizer = new Set<string>();
  for (const p of ctx.pods) {
    const uid = p.metadata.uid ?? '';
    if (hasJobTrackingFinalizer(p) && !ctx.expectedRmFinalizers.has(uid)) uidsWithFinalizer.add(uid);
  }
  if (cleanUncountedPodsWithoutFinalizers(status, uidsWithFinalizer)) needsFlush = true;

  let reachedMaxUncountedPods = false;
  for (const pod of ctx.pods) {
    const uid = pod.metadata.uid ?? '';
    // Processed in an earlier sync.
    if (!hasJobTrackingFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
    const considerPodFailed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(ctx, pod, considerPodFailed)) continue;
    podsToRemoveFinalizer.push(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (isIndexed) {
        // The completion index alone prevents recounting: no UID tracking needed.
        const ix = getCompletionIndex(pod.metadata.annotations);
        if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && !hasIndex(ctx.prevSucceededIndexes, ix)) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!ctx.uncounted.succeeded.has(uid)) {
        needsFlush = true;
        (uncountedStatus.succeeded ??= []).push(uid);
      }
    } else if (considerPodFailed || (ctx.finishedCondition && !isSuccessCriteriaMetCondition(ctx.finishedCondition))) {
      // A failing Job counts every pod that had not terminated as failed.
      const ix = getCompletionIndex(pod.metadata.annotations);
      if (!ctx.uncounted.failed.has(uid) && (!isIndexed || (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions))) {
        if (job.spec.podFailurePolicy) {
          const match = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
          if (match.action) counted.byPolicyAction.set(match.action, (counted.byPolicyAction.get(match.action) ?? 0) + 1);
          if (match.countFailed) {
            needsFlush = true;
            (uncountedStatus.failed ??= []).push(uid);
          }
        } else {
          needsFlush = true;
          (uncountedStatus.failed ??= []).push(uid);
        }
      }
    }
    if (newSucceededIndexes.length + (uncountedStatus.succeeded?.length ?? 0) + (uncountedStatus.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
      // Status and pod updates will bring the Job back to the queue for the rest.
      reachedMaxUncountedPods = true;
      break;
    }
  }
  if (isIndexed) {
    ctx.succeededIndexes = withOrderedIndexes(ctx.succeededIndexes, newSucceededIndexes);
    const succeededStr = intervalsToString(ctx.succeededIndexes);
    if (succeededStr !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = totalIndexes(ctx.succeededIndexes);
    if (succeededStr) status.completedIndexes = succeededStr;
    else delete status.completedIndexes;
    const failedStr = ctx.failedIndexes ? intervalsToString(ctx.failedIndexes) : undefined;
    if (failedStr !== status.failedIndexes) {
      if (failedStr === undefined) delete status.failedIndexes;
      else status.failedIndexes = failedStr;
      needsFlush = true;
    }
  }
  if (ctx.finishedCondition?.type === 'FailureTarget') {
    // The interim condition goes out before the finalizers are removed...
    status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
    needsFlush = true;
    // ...and Failed follows once every pod is gone.
    ctx.finishedCondition = newFailedConditionForFailureTarget(ctx.finishedCondition, d.clock.now());
  }
  if (isSuccessCriteriaMetCondition(ctx.finishedCondition)) {
    const cond = ctx.finishedCondition as JobCondition;
    if (!hasSuccessCriteriaMetCondition(job)) {
      status.conditions = [...(status.conditions ?? []), cond];
      needsFlush = true;
    }
    ctx.finishedCondition = newCondition('Complete', 'True', cond.reason ?? '', cond.message ?? '', d.clock.now());
  }

  needsFlush = await flushUncountedAndRemoveFinalizers(d, key, ctx, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush, counted);
  const jobFinished = !reachedMaxUncountedPods && enactJobFinished(d, ctx);
  if (jobFinished) needsFlush = true;
  if (needsFlush) {
    try {
      ctx.job = await writeStatus(d, ctx.job);
    } catch (err) {
      throw wrap('removing uncounted pods from status', err);
    }
    if (jobFinished) recordJobFinished(d, ctx.job, ctx.finishedCondition as JobCondition);
    recordCounted(ctx.job, counted);
  }
}

interface Counted {
  succeeded: number;
  failed: number;
  /** Failed pods a pod failure policy rule matched, by action: recorded with the write that adds them to status. */
  byPolicyAction: Map<string, number>;
}

/** job_controller_job_pods_finished_total: what a status write added to the counters (upstream recordJobPodFinished). */
function recordCounted(job: Job, counted: Counted): void {
  const succeeded = job.status?.succeeded ?? 0;
  const failed = job.status?.failed ?? 0;
  recordJobPodsFinished(job, succeeded - counted.succeeded, failed - counted.failed);
  counted.succeeded = succeeded;
  counted.failed = failed;
}

/**
 * Writes the status. active, succeeded and failed are omitted when 0, as upstream's JSON
 * (omitempty) has them; ready and terminating are always written.
 */
function writeStatus(d: JobSyncDeps, job: Job): Promise<Job> {
  const status = job.status ?? (job.status = {});
  for (const f of ['active', 'succeeded', 'failed'] as const) if (status[f] === 0) delete status[f];
  return d.updateStatusHandler(job);
}

/**
 * Writes pending status (new uncounted UIDs, interim conditions), then removes finalizers, then
 * counts the pods whose finalizer went. If some removals failed, writes the partial progress and
 * rejects. Returns whether status changes are still to be written.
 */
async function flushUncountedAndRemoveFinalizers(
  d: JobSyncDeps,
  key: string,
  ctx: SyncJobCtx,
  podsToRemoveFinalizer: readonly PodView[],
  uidsWithFinalizer: Set<string>,
  needsFlushIn: boolean,
  counted: Counted,
): Promise<boolean> {
  let needsFlush = needsFlushIn;
  if (needsFlush) {
    try {
      ctx.job = await writeStatus(d, ctx.job);
    } catch (err) {
      throw wrap('adding uncounted pods to status', err);
    }
    recordCounted(ctx.job, counted);
    recordPodFailuresByPolicy(counted.byPolicyAction);
    counted.byPolicyAction.clear();
    d.podBackoffStore.updateBackoffRecord(ctx.newBackoffRecord);
    needsFlush = false;
  }
  let rmErr: unknown;
  if (podsToRemoveFinalizer.length > 0) {
    const { succeeded, error } = await removeTrackingFinalizerFromPods(d, key, podsToRemoveFinalizer);
    rmErr = error;
    podsToRemoveFinalizer.forEach((p, i) => {
      if (succeeded[i]) uidsWithFinalizer.delete(p.metadata.uid ?? '');
    });
  }
  ctx.job.status ??= {};
  if (cleanUncountedPodsWithoutFinalizers(ctx.job.status, uidsWithFinalizer)) needsFlush = true;
  if (rmErr !== undefined) {
    if (needsFlush) {
      try {
        await writeStatus(d, ctx.job);
      } catch (err) {
        throw wrap('removing uncounted pods from status', err);
      }
    }
    throw rmErr;
  }
  return needsFlush;
}

/**
 * Removes tracking finalizers; result[i] tells whether pod i no longer has it (a pod already gone
 * counts as done). The removals are recorded as expected until the pod updates are observed.
 */
async function removeTrackingFinalizerFromPods(d: JobSyncDeps, key: string, pods: readonly PodView[]): Promise<{ succeeded: boolean[]; error?: unknown }> {
  d.finalizerExpectations.expectFinalizersRemoved(
    key,
    pods.map((p) => p.metadata.uid ?? ''),
  );
  let error: unknown;
  const succeeded = await Promise.all(
    pods.map(async (pod) => {
      const patch = removeTrackingFinalizerPatch(pod);
      if (!patch) return false;
      try {
        await d.podControl.patchPod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', patch);
        return true;
      } catch (err) {
        // No pod update will show the removal: stop expecting it.
        d.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata.uid ?? '');
        if (isNotFound(err)) return true;
        error ??= wrap('removing tracking finalizer', err);
        return false;
      }
    }),
  );
  return { succeeded, error };
}

/** Adds the terminal condition once nothing is uncounted and no pod is terminating. */
function enactJobFinished(d: JobSyncDeps, ctx: SyncJobCtx): boolean {
  const cond = ctx.finishedCondition;
  if (!cond) return false;
  const status = ctx.job.status ?? (ctx.job.status = {});
  const u = status.uncountedTerminatedPods;
  const count = (u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0);
  if (count > 0) {
    d.logger.debug('Delaying marking the Job as finished, because there are still uncounted pod(s)', { job: ctx.job.metadata.name, count });
    return false;
  }
  if (ctx.terminating > 0) {
    d.logger.debug('Delaying marking the Job as finished, because there are still terminating pod(s)', { job: ctx.job.metadata.name, count: ctx.terminating });
    return false;
  }
  const r = ensureJobConditionStatus(status.conditions, cond.type, cond.status, cond.reason ?? '', cond.message ?? '', d.clock.now());
  status.conditions = r.conditions;
  // The condition as written (stamped now, after the interim writes of this sync), so that
  // completionTime always equals Complete's lastTransitionTime, even across a second boundary.
  const written = findConditionByType(status.conditions, cond.type) ?? cond;
  ctx.finishedCondition = written;
  if (cond.type === 'Complete') status.completionTime = written.lastTransitionTime;
  return true;
}

function recordJobFinished(d: JobSyncDeps, job: Job, cond: JobCondition): void {
  recordJobFinishedMetric(job, cond.type === 'Complete', cond.reason ?? '');
  if (cond.type === 'Complete') {
    const completions = completionsOf(job);
    if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
      d.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    d.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  } else {
    d.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
  }
}
