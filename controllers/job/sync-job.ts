// syncJob and manageJob: the level-triggered core of the Job controller, as upstream's
// job_controller.go (v1.31+ with every gate on). One call reads the Job and its pods from the
// informer caches, claims pods, counts them, decides whether the Job finished, creates or
// deletes pods toward the wanted parallelism, and writes the status once when it changed.
//
// Exact counting: a finished pod is counted exactly once, through two steps that survive a
// crash between any two API calls. First its UID is written to status.uncountedTerminatedPods
// (while the pod still holds the batch.kubernetes.io/job-tracking finalizer); then the finalizer
// is removed; then, once the pod is seen without finalizer, its UID moves from the uncounted
// list into status.succeeded/failed. A pod with the finalizer and not in the list is new; a pod
// in the list whose finalizer is gone is counted on the next status write; indexed successes
// are counted by index (status.completedIndexes) instead of UID.
import type { Job, JobCondition, Pod, PodTemplateSpec } from '../../api/index.js';
import type { EventRecorder, Lister, Logger, ResourceClient } from '../../client/index.js';
import { deepClone } from '../../client/index.js';
import { type Clock, isNotFound, labelSelectorAsSelector, rfc3339, splitKey } from '../../machinery/index.js';
import { type BackoffRecord, type BackoffStore, type PodFailureBackoffSettings, remainingTime, remainingTimePerIndex } from './backoff.js';
import { claimPods, newControllerRef } from './claim-pods.js';
import type { ControllerExpectations, UIDTrackingExpectations } from './expectations.js';
import {
  addCompletionIndexAnnotation,
  addCompletionIndexEnvVariables,
  addCompletionIndexLabel,
  addIndexFailureCountAnnotation,
  appendDuplicatedIndexPodsForRemoval,
  calculateFailedIndexes,
  calculateSucceededIndexes,
  firstPendingIndexes,
  getPodsWithDelayedDeletionPerIndex,
  podGenerateNameWithIndex,
} from './indexed-job.js';
import { type OrderedIntervals, hasIndex, intervalsToString, totalIndexes, withOrderedIndexes } from './intervals.js';
import {
  JobMessages,
  JobReasons,
  ensureJobConditionStatus,
  findConditionByType,
  hasSuccessCriteriaMetCondition,
  isJobFinished,
  isSuccessCriteriaMetCondition,
  newCondition,
  newFailedConditionForFailureTarget,
} from './job-conditions.js';
import {
  JOB_TRACKING_FINALIZER,
  type PodView,
  UNKNOWN_COMPLETION_INDEX,
  byCompletionIndex,
  compareActivePods,
  countReadyPods,
  countTerminatingPods,
  filterActivePods,
  getCompletionIndex,
  getValidPodsWithFilter,
  hasJobTrackingFinalizer,
  isPodFailed,
  isPodReady,
  removeTrackingFinalizerPatch,
} from './job-pods.js';
import {
  backoffLimitOf,
  completionsOf,
  hasBackoffLimitPerIndex,
  isIndexedJob,
  jobSuspended,
  managedByExternalController,
  onlyReplaceFailedPods,
  parallelismOf,
} from './job-spec.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { PodControl } from './pod-control.js';
import { matchSuccessPolicy } from './success-policy.js';

/** Pod events and status-only Job changes are batched this long. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1_000;
/** At most this many UIDs sit in each uncountedTerminatedPods list (keeps status small, ~20 KB). */
export const MAX_UNCOUNTED_PODS = 500;
/** At most this many pods are created or deleted per sync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Slow start: creations go in batches of 1, 2, 4, ... and stop at the first failing batch. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** What syncJob needs from the controller; JobController provides it (tests may stub parts). */
export interface JobSyncDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly jobLister: Lister<Job>;
  readonly podLister: Lister<Pod>;
  /** Fresh reads of the Job before adopting pods. */
  readonly jobs: ResourceClient<Job>;
  readonly podControl: PodControl;
  readonly recorder: EventRecorder;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations: UIDTrackingExpectations;
  readonly podBackoffStore: BackoffStore;
  readonly backoff: PodFailureBackoffSettings;
  /** Writes the Job's status (PUT /status); returns the stored Job. */
  updateStatusHandler(job: Job): Promise<Job>;
  /** Queues the key after a delay (deduplicated, the earliest wins). */
  enqueueAfter(key: string, delayMs: number): void;
}

interface UncountedSets {
  succeeded: Set<string>;
  failed: Set<string>;
}

/** The state of one sync (upstream syncJobCtx). */
export interface SyncJobCtx {
  job: Job;
  pods: PodView[];
  finishedCondition?: JobCondition;
  activePods: PodView[];
  succeeded: number;
  failed: number;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: Set<string>;
  uncounted: UncountedSets;
  podsWithDelayedDeletionPerIndex?: Map<number, PodView>;
  terminating: number;
  ready: number;
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function wrap(prefix: string, err: unknown): Error {
  return new Error(`${prefix}: ${errMessage(err)}`, { cause: err });
}

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

/**
 * The Job's pods: every pod of the namespace it controls and that matches its selector, after
 * adopting matching orphans and releasing controlled pods that stopped matching.
 */
async function getPodsForJob(d: JobSyncDeps, job: Job): Promise<PodView[]> {
  let selector;
  try {
    selector = labelSelectorAsSelector(job.spec.selector);
  } catch (err) {
    throw wrap("couldn't convert Job selector", err);
  }
  const ns = job.metadata.namespace ?? '';
  // All pods of the namespace: also those that stopped matching but still point at us.
  const all = d.podLister.namespace(ns).list();
  const { claimed, errors } = await claimPods({
    job,
    pods: all,
    selector,
    podControl: d.podControl,
    canAdopt: async () => {
      // Recheck with an uncached read that the Job is not being deleted (kubernetes#42639).
      let fresh: Job;
      try {
        fresh = await d.jobs.namespace(ns).get(job.metadata.name ?? '');
      } catch (err) {
        throw wrap("can't recheck DeletionTimestamp", err);
      }
      if (fresh.metadata.uid !== job.metadata.uid) {
        throw new Error(`original Job ${ns}/${job.metadata.name ?? ''} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${job.metadata.uid ?? ''}`);
      }
      if (fresh.metadata.deletionTimestamp) {
        throw new Error(`${ns}/${job.metadata.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      }
    },
  });
  if (errors.length > 0) {
    const first = errors[0];
    throw errors.length === 1 ? first : new AggregateError(errors, errors.map(errMessage).join(', '));
  }
  // Adopted pods got the tracking finalizer: count them as such in this sync.
  return claimed.map((p) => {
    const adopted = !(p.metadata.ownerReferences ?? []).some((r) => r.uid === job.metadata.uid);
    if (adopted && !hasJobTrackingFinalizer(p)) {
      const copy = deepClone<Pod>(p);
      copy.metadata.finalizers = [...(copy.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
      return copy;
    }
    return p;
  });
}

/**
 * Deletes active pods keeping their finalizers (the Job is finishing; they will be counted).
 * Returns how many deletions (and of ready pods) succeeded; NotFound counts as done.
 */
async function deleteActivePods(d: JobSyncDeps, job: Job, pods: readonly PodView[]): Promise<{ deletedReady: number; deleted: number; error?: unknown }> {
  let deleted = pods.length;
  let deletedReady = 0;
  let error: unknown;
  await Promise.all(
    pods.map(async (pod) => {
      try {
        await d.podControl.deletePod(job.metadata.namespace ?? '', pod.metadata.name ?? '', job);
      } catch (err) {
        if (!isNotFound(err)) {
          deleted--;
          error ??= err;
          d.logger.warn('Failed to delete Pod', { job: job.metadata.name, pod: pod.metadata.name, error: errMessage(err) });
          return;
        }
      }
      if (isPodReady(pod)) deletedReady++;
    }),
  );
  return { deletedReady, deleted, error };
}

/**
 * Deletes pods without counting them (scale down, suspend): the tracking finalizer is removed
 * first. Failures lower the deletion expectations, since no event will come for them.
 */
async function deleteJobPods(d: JobSyncDeps, job: Job, key: string, pods: readonly PodView[]): Promise<{ removedReady: number; removed: number; error?: unknown }> {
  let removed = pods.length;
  let removedReady = 0;
  let error: unknown;
  const failDelete = (pod: PodView, err: unknown) => {
    d.expectations.deletionObserved(key);
    if (!isNotFound(err)) {
      d.logger.info('Failed to delete Pod', { job: job.metadata.name, pod: pod.metadata.name, error: errMessage(err) });
      removed--;
      error ??= err;
    }
  };
  await Promise.all(
    pods.map(async (pod) => {
      const patch = removeTrackingFinalizerPatch(pod);
      if (patch) {
        try {
          await d.podControl.patchPod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', patch);
        } catch (err) {
          failDelete(pod, wrap('removing completion finalizer', err));
          return;
        }
      }
      try {
        await d.podControl.deletePod(job.metadata.namespace ?? '', pod.metadata.name ?? '', job);
      } catch (err) {
        failDelete(pod, err);
        if (!isNotFound(err)) return;
      }
      if (isPodReady(pod)) removedReady++;
    }),
  );
  return { removedReady, removed, error };
}

/** Pods to delete: invalid or duplicate indexes first (Indexed), then by the ActivePods order. */
export function activePodsForRemoval(job: Job, pods: readonly PodView[], rmAtLeast: number): PodView[] {
  let rm: PodView[] = [];
  let left: PodView[];
  if (isIndexedJob(job)) {
    ({ rm, left } = appendDuplicatedIndexPodsForRemoval(pods, completionsOf(job) ?? 0));
  } else {
    left = [...pods];
  }
  if (rm.length < rmAtLeast) {
    left.sort(compareActivePods);
    rm = rm.concat(left.slice(0, rmAtLeast - rm.length));
  }
  return rm;
}

/**
 * Moves the number of active pods toward what the spec wants: deletes extra pods (suspend,
 * lowered parallelism, duplicate indexes) or creates missing ones, respecting the pod-failure
 * backoff, in slow-start batches. Never both in one sync. Returns the resulting active count.
 */
async function manageJob(d: JobSyncDeps, key: string, job: Job, ctx: SyncJobCtx): Promise<{ active: number; error?: unknown }> {
  let active = ctx.activePods.length;
  const parallelism = parallelismOf(job);
  const completions = completionsOf(job);

  if (jobSuspended(job)) {
    d.logger.debug('Deleting all active pods in suspended job', { key, active });
    const podsToDelete = activePodsForRemoval(job, ctx.activePods, active);
    d.expectations.expectDeletions(key, podsToDelete.length);
    const { removedReady, removed, error } = await deleteJobPods(d, job, key, podsToDelete);
    active -= removed;
    ctx.terminating += removed;
    ctx.ready -= removedReady;
    return { active, error };
  }

  let wantActive: number;
  if (completions === undefined) {
    // Work queue: once one pod succeeded, leave what runs running, create no more.
    wantActive = ctx.succeeded > 0 ? active : parallelism;
  } else {
    wantActive = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
  }

  const rmAtLeast = Math.max(0, active - wantActive);
  let podsToDelete = activePodsForRemoval(job, ctx.activePods, rmAtLeast);
  if (podsToDelete.length > MAX_POD_CREATE_DELETE_PER_SYNC) podsToDelete = podsToDelete.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (podsToDelete.length > 0) {
    d.expectations.expectDeletions(key, podsToDelete.length);
    d.logger.debug('Too many pods running for job', { key, deleted: podsToDelete.length, target: wantActive });
    const { removedReady, removed, error } = await deleteJobPods(d, job, key, podsToDelete);
    active -= removed;
    ctx.terminating += removed;
    ctx.ready -= removedReady;
    // Deletion takes precedence; creations (if any are also needed) wait for the next sync.
    return { active, error };
  }

  // With podReplacementPolicy Failed (or a pod failure policy) terminating pods hold their slot.
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return { active };

  const now = d.clock.now();
  if (!hasBackoffLimitPerIndex(job)) {
    const wait = remainingTime(ctx.newBackoffRecord, now, d.backoff);
    if (wait > 0) {
      enqueueSyncJobWithDelay(d, key, wait);
      // Upstream returned 0 here until kubernetes#139457; the real count keeps ready <= active.
      return { active };
    }
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);

  let indexesToAdd: number[] = [];
  if (isIndexedJob(job)) {
    indexesToAdd = firstPendingIndexes(ctx, diff, completions ?? 0);
    if (hasBackoffLimitPerIndex(job)) {
      const info = getPodCreationInfoForIndependentIndexes(d, indexesToAdd, ctx.podsWithDelayedDeletionPerIndex ?? new Map(), now);
      indexesToAdd = info.indexes;
      if (info.remainingMs > 0) {
        enqueueSyncJobWithDelay(d, key, info.remainingMs);
        return { active };
      }
    }
    diff = indexesToAdd.length;
  }

  d.expectations.expectCreations(key, diff);
  d.logger.debug('Too few pods running', { key, need: wantActive, creating: diff });
  active += diff;

  const podTemplate = deepClone<PodTemplateSpec>(job.spec.template);
  if (isIndexedJob(job)) addCompletionIndexEnvVariables(podTemplate);
  podTemplate.metadata ??= {};
  if (!podTemplate.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) {
    podTemplate.metadata.finalizers = [...(podTemplate.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
  }
  const controllerRef = newControllerRef(job);
  const errors: unknown[] = [];

  const createOne = async (completionIndex: number) => {
    let template = podTemplate;
    let generateName = '';
    if (completionIndex !== UNKNOWN_COMPLETION_INDEX) {
      template = deepClone<PodTemplateSpec>(podTemplate);
      addCompletionIndexAnnotation(template, completionIndex);
      addCompletionIndexLabel(template, completionIndex);
      template.spec.hostname = `${job.metadata.name ?? ''}-${completionIndex}`;
      generateName = podGenerateNameWithIndex(job.metadata.name ?? '', completionIndex);
      if (hasBackoffLimitPerIndex(job)) addIndexFailureCountAnnotation(template, job, ctx.podsWithDelayedDeletionPerIndex?.get(completionIndex));
    }
    try {
      await d.podControl.createPods(job.metadata.namespace ?? '', template, job, controllerRef, generateName || undefined);
    } catch (err) {
      // In a terminating namespace every later creation fails too: nothing to retry.
      if (hasStatusCause(err, 'NamespaceTerminating')) return;
      d.logger.info('Failed creation, decrementing expectations', { key, error: errMessage(err) });
      // No add event will come for this pod.
      d.expectations.creationObserved(key);
      active--;
      errors.push(err);
    }
  };

  // Slow start: batches of 1, 2, 4, ...; a failing batch stops the rest (e.g. a low quota),
  // sparing the API server and the event stream.
  for (let batchSize = Math.min(diff, SLOW_START_INITIAL_BATCH_SIZE); diff > 0; batchSize = Math.min(2 * batchSize, diff)) {
    const errorCount = errors.length;
    const batch: Promise<void>[] = [];
    for (let i = 0; i < batchSize; i++) {
      const index = indexesToAdd.length > 0 ? (indexesToAdd.shift() as number) : UNKNOWN_COMPLETION_INDEX;
      batch.push(createOne(index));
    }
    await Promise.all(batch);
    const skippedPods = diff - batchSize;
    if (errors.length > errorCount && skippedPods > 0) {
      d.logger.info('Slow-start failure. Skipping creating pods, decrementing expectations', { key, skipped: skippedPods });
      active -= skippedPods;
      for (let i = 0; i < skippedPods; i++) d.expectations.creationObserved(key);
      break;
    }
    diff -= batchSize;
  }
  return { active, error: errors[0] };
}

function hasStatusCause(err: unknown, cause: string): boolean {
  const causes = (err as { status?: { details?: { causes?: { reason?: string }[] } } })?.status?.details?.causes;
  return !!causes?.some((c) => c.reason === cause);
}

/** Indexes whose per-index backoff has passed; else the shortest remaining wait. */
function getPodCreationInfoForIndependentIndexes(
  d: JobSyncDeps,
  indexesToAdd: number[],
  delayed: Map<number, PodView>,
  now: Date,
): { indexes: number[]; remainingMs: number } {
  const ready: number[] = [];
  let minRemaining: number | undefined;
  for (const ix of indexesToAdd) {
    const remaining = remainingTimePerIndex(delayed.get(ix), now, d.backoff);
    if (remaining === 0) ready.push(ix);
    else if (minRemaining === undefined || remaining < minRemaining) minRemaining = remaining;
  }
  if (ready.length > 0) return { indexes: ready, remainingMs: 0 };
  return { indexes: ready, remainingMs: minRemaining ?? 0 };
}

/** Requeues no sooner than the batch period. */
function enqueueSyncJobWithDelay(d: JobSyncDeps, key: string, delayMs: number): void {
  d.enqueueAfter(key, Math.max(delayMs, SYNC_JOB_BATCH_PERIOD_MS));
}

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
          if (matchPodFailurePolicy(job.spec.podFailurePolicy, pod).countFailed) {
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

  needsFlush = await flushUncountedAndRemoveFinalizers(d, key, ctx, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush);
  const jobFinished = !reachedMaxUncountedPods && enactJobFinished(d, ctx);
  if (jobFinished) needsFlush = true;
  if (needsFlush) {
    try {
      ctx.job = await writeStatus(d, ctx.job);
    } catch (err) {
      throw wrap('removing uncounted pods from status', err);
    }
    if (jobFinished) recordJobFinished(d, ctx.job, ctx.finishedCondition as JobCondition);
  }
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
): Promise<boolean> {
  let needsFlush = needsFlushIn;
  if (needsFlush) {
    try {
      ctx.job = await writeStatus(d, ctx.job);
    } catch (err) {
      throw wrap('adding uncounted pods to status', err);
    }
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
