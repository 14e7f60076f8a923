// The pods side of a sync, as upstream's job_controller.go: claiming the Job's pods (getPodsForJob),
// creating and deleting pods toward the wanted parallelism (manageJob, slow start, per-index backoff)
// and deleting the active pods of a finished Job.
import type { Job, Pod, PodTemplateSpec } from '../../api/index.js';
import { deepClone } from '../../client/index.js';
import { errorMessage, isNotFound, labelSelectorAsSelector } from '../../machinery/index.js';
import { remainingTime, remainingTimePerIndex } from './backoff.js';
import { claimPods, newControllerRef } from './claim-pods.js';
import {
  addCompletionIndexAnnotation,
  addCompletionIndexEnvVariables,
  addCompletionIndexLabel,
  addIndexFailureCountAnnotation,
  appendDuplicatedIndexPodsForRemoval,
  firstPendingIndexes,
  podGenerateNameWithIndex,
} from './indexed-job.js';
import {
  JOB_TRACKING_FINALIZER,
  type PodView,
  UNKNOWN_COMPLETION_INDEX,
  compareActivePods,
  hasJobTrackingFinalizer,
  isPodReady,
  orphanPodIndexKey,
  POD_CONTROLLER_UID_INDEX,
  removeTrackingFinalizerPatch,
} from './job-pods.js';
import { completionsOf, hasBackoffLimitPerIndex, isIndexedJob, jobSuspended, onlyReplaceFailedPods, parallelismOf } from './job-spec.js';
import type { JobSyncAction } from './metrics.js';
import {
  type JobSyncDeps,
  MAX_POD_CREATE_DELETE_PER_SYNC,
  SLOW_START_INITIAL_BATCH_SIZE,
  type SyncJobCtx,
  wrap,
} from './sync-job-ctx.js';

/**
 * The Job's pods: every pod of the namespace it controls and that matches its selector, after
 * adopting matching orphans and releasing controlled pods that stopped matching.
 */
export async function getPodsForJob(d: JobSyncDeps, job: Job): Promise<PodView[]> {
  let selector;
  try {
    selector = labelSelectorAsSelector(job.spec.selector);
  } catch (err) {
    throw wrap("couldn't convert Job selector", err);
  }
  const ns = job.metadata.namespace ?? '';
  // Ours (also those that stopped matching but still point at us) and the namespace's orphans,
  // by index when the informer has it (upstream's FilterPodsByOwner); else the whole namespace.
  const owned = d.podLister.byIndex(POD_CONTROLLER_UID_INDEX, job.metadata.uid ?? '');
  const all = owned
    ? [...owned.filter((p) => p.metadata.namespace === ns), ...(d.podLister.byIndex(POD_CONTROLLER_UID_INDEX, orphanPodIndexKey(ns)) ?? [])]
    : d.podLister.namespace(ns).list();
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
    throw errors.length === 1 ? first : new AggregateError(errors, errors.map(errorMessage).join(', '));
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
export async function deleteActivePods(d: JobSyncDeps, job: Job, pods: readonly PodView[]): Promise<{ deletedReady: number; deleted: number; error?: unknown }> {
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
          d.logger.warn('Failed to delete Pod', { job: job.metadata.name, pod: pod.metadata.name, error: errorMessage(err) });
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
      d.logger.info('Failed to delete Pod', { job: job.metadata.name, pod: pod.metadata.name, error: errorMessage(err) });
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
export async function manageJob(d: JobSyncDeps, key: string, job: Job, ctx: SyncJobCtx): Promise<{ active: number; action: JobSyncAction; error?: unknown }> {
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
    return { active, action: 'pods_deleted', error };
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
    return { active, action: 'pods_deleted', error };
  }

  // With podReplacementPolicy Failed (or a pod failure policy) terminating pods hold their slot.
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return { active, action: 'tracking' };

  const now = d.clock.now();
  if (!hasBackoffLimitPerIndex(job)) {
    const wait = remainingTime(ctx.newBackoffRecord, now, d.backoff);
    if (wait > 0) {
      enqueueSyncJobWithDelay(d, key, wait);
      // Upstream returned 0 here until kubernetes#139457; the real count keeps ready <= active.
      return { active, action: 'pods_created' };
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
        return { active, action: 'pods_created' };
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
      d.logger.info('Failed creation, decrementing expectations', { key, error: errorMessage(err) });
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
  return { active, action: 'pods_created', error: errors[0] };
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
  d.enqueueAfter(key, Math.max(delayMs, d.syncJobBatchPeriodMs));
}
