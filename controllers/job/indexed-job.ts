// Indexed Jobs: which indexes succeeded or failed, which to create next, which duplicate pods to
// delete, per-index failure counts, and what an indexed pod carries (upstream indexed_job_utils.go).
import type { Container, Job, PodTemplateSpec } from '../../api/index.js';
import { getFinishedTime } from './backoff.js';
import { type OrderedIntervals, hasIndex, mergeIntervals, parseIndexesFromString, withOrderedIndexes } from './intervals.js';
import {
  COMPLETION_INDEX_ANNOTATION,
  COMPLETION_INDEX_ENV_NAME,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  type PodView,
  type PodsView,
  UNKNOWN_COMPLETION_INDEX,
  byCompletionIndex,
  compareActivePods,
  filterTerminatingPods,
  getCompletionIndex,
  getIndexAbsoluteFailureCount,
  getIndexFailureCount,
  getIndexIgnoredFailureCount,
  getValidPodsWithFilter,
  hasJobTrackingFinalizer,
  isPodFailed,
} from './job-pods.js';
import { onlyReplaceFailedPods } from './job-spec.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

/** Longest generateName prefix the API server keeps (63 − 5 random characters). */
export const MAX_GENERATED_NAME_LENGTH = 58;

function completionsOf(job: Pick<Job, 'spec'>): number {
  return job.spec.completions ?? 0;
}

/** Previously recorded (status.completedIndexes) and now-succeeded indexes. */
export function calculateSucceededIndexes(job: Pick<Job, 'spec' | 'status'>, pods: readonly PodView[]): { prev: OrderedIntervals; current: OrderedIntervals } {
  const completions = completionsOf(job);
  const prev = parseIndexesFromString(job.status?.completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p.metadata.annotations);
    // Succeeded, valid index, and still holding the finalizer (not counted yet).
    if (p.status?.phase === 'Succeeded' && ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && hasJobTrackingFinalizer(p)) fresh.add(ix);
  }
  return { prev, current: withOrderedIndexes(prev, [...fresh].sort((a, b) => a - b)) };
}

/** Failed indexes: status.failedIndexes plus indexes that failed since (backoffLimitPerIndex). */
export function calculateFailedIndexes(job: Pick<Job, 'spec' | 'status'>, pods: readonly PodView[]): OrderedIntervals {
  const completions = completionsOf(job);
  const prev = job.status?.failedIndexes !== undefined ? parseIndexesFromString(job.status.failedIndexes, completions) : [];
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p.metadata.annotations);
    if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && hasJobTrackingFinalizer(p) && isIndexFailed(job, p)) fresh.add(ix);
  }
  return withOrderedIndexes(prev, [...fresh].sort((a, b) => a - b));
}

/** The pod's failure fails its index: a FailIndex rule, or a counted failure at the per-index limit. */
export function isIndexFailed(job: Pick<Job, 'spec'>, pod: PodView): boolean {
  let counted = false;
  if (isPodFailed(pod, job)) {
    if (job.spec.podFailurePolicy) {
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
      if (m.action === 'FailIndex') return true;
      counted = m.countFailed;
    } else {
      counted = true;
    }
  }
  return counted && getIndexFailureCount(pod) >= (job.spec.backoffLimitPerIndex ?? 0);
}

/** Indexes of the pods (invalid ones skipped). */
export function getIndexes(pods: readonly PodView[]): Set<number> {
  const out = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p.metadata.annotations);
    if (ix !== UNKNOWN_COMPLETION_INDEX) out.add(ix);
  }
  return out;
}

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

export interface PendingIndexesView {
  job: Pick<Job, 'spec'>;
  pods: readonly PodView[];
  activePods: readonly PodView[];
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
}

/**
 * The lowest `count` indexes below `completions` with no active pod, not succeeded, not failed,
 * and (podReplacementPolicy Failed) no terminating pod.
 */
export function firstPendingIndexes(view: PendingIndexesView, count: number, completions: number): number[] {
  if (count === 0) return [];
  let nonPending = withOrderedIndexes(view.succeededIndexes, sorted(getIndexes(view.activePods)));
  if (onlyReplaceFailedPods(view.job)) nonPending = withOrderedIndexes(nonPending, sorted(getIndexes(filterTerminatingPods(view.pods))));
  if (view.failedIndexes) nonPending = mergeIntervals(nonPending, view.failedIndexes);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/**
 * Splits active pods into those to remove (no index, index out of range, or duplicates of an
 * index — all but the one to keep by the ActivePods order) and those left.
 */
export function appendDuplicatedIndexPodsForRemoval(pods: readonly PodView[], completions: number): { rm: PodView[]; left: PodView[] } {
  const rm: PodView[] = [];
  const left: PodView[] = [];
  const byIndex = byCompletionIndex(pods);
  let i = 0;
  while (i < byIndex.length) {
    const ix = getCompletionIndex(byIndex[i].metadata.annotations);
    if (ix >= completions) {
      rm.push(...byIndex.slice(i));
      break;
    }
    let j = i;
    while (j < byIndex.length && getCompletionIndex(byIndex[j].metadata.annotations) === ix) j++;
    const group = byIndex.slice(i, j);
    if (ix === UNKNOWN_COMPLETION_INDEX) rm.push(...group);
    else if (group.length === 1) left.push(group[0]);
    else {
      group.sort(compareActivePods);
      rm.push(...group.slice(0, -1));
      left.push(group[group.length - 1]);
    }
    i = j;
  }
  return { rm, left };
}

export interface DelayedDeletionView extends PodsView {
  activePods: readonly PodView[];
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
}

/**
 * Per index, the last failed pod whose finalizer removal (and so its deletion) waits until the
 * replacement exists, so the replacement can inherit the index's failure count
 * (backoffLimitPerIndex). Indexes that succeeded, failed or have an active pod need no wait.
 */
export function getPodsWithDelayedDeletionPerIndex(view: DelayedDeletionView): Map<number, PodView> {
  const active = getIndexes(view.activePods);
  const completions = completionsOf(view.job);
  const out = new Map<number, PodView>();
  getValidPodsWithFilter(view, undefined, (p) => {
    if (!isPodFailed(p, view.job)) return false;
    const ix = getCompletionIndex(p.metadata.annotations);
    if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) return false;
    if (hasIndex(view.succeededIndexes, ix) || hasIndex(view.failedIndexes, ix) || active.has(ix)) return false;
    const last = out.get(ix);
    if (!last) out.set(ix, p);
    else if (getIndexAbsoluteFailureCount(last) <= getIndexAbsoluteFailureCount(p) && getFinishedTime(p).getTime() >= getFinishedTime(last).getTime()) out.set(ix, p);
    return false;
  });
  return out;
}

/** Failure counts the replacement of `podBeingReplaced` carries: counted and ignored failures so far. */
export function getNewIndexFailureCounts(job: Pick<Job, 'spec'>, podBeingReplaced: PodView | undefined): { failureCount: number; ignoredFailureCount: number } {
  if (!podBeingReplaced) return { failureCount: 0, ignoredFailureCount: 0 };
  let failureCount = getIndexFailureCount(podBeingReplaced);
  let ignoredFailureCount = getIndexIgnoredFailureCount(podBeingReplaced);
  if (job.spec.podFailurePolicy) {
    if (matchPodFailurePolicy(job.spec.podFailurePolicy, podBeingReplaced).countFailed) failureCount++;
    else ignoredFailureCount++;
  } else {
    failureCount++;
  }
  return { failureCount, ignoredFailureCount };
}

export function addIndexFailureCountAnnotation(template: PodTemplateSpec, job: Pick<Job, 'spec'>, podBeingReplaced: PodView | undefined): void {
  const { failureCount, ignoredFailureCount } = getNewIndexFailureCounts(job, podBeingReplaced);
  template.metadata ??= {};
  template.metadata.annotations ??= {};
  template.metadata.annotations[INDEX_FAILURE_COUNT_ANNOTATION] = String(failureCount);
  if (ignoredFailureCount > 0) template.metadata.annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(ignoredFailureCount);
}

function addCompletionIndexEnvVariable(c: Container): void {
  if (c.env?.some((e) => e.name === COMPLETION_INDEX_ENV_NAME)) return;
  c.env = [...(c.env ?? []), { name: COMPLETION_INDEX_ENV_NAME, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } } }];
}

/** JOB_COMPLETION_INDEX on every container and init container that does not define it (from the index label). */
export function addCompletionIndexEnvVariables(template: PodTemplateSpec): void {
  for (const c of template.spec.initContainers ?? []) addCompletionIndexEnvVariable(c);
  for (const c of template.spec.containers ?? []) addCompletionIndexEnvVariable(c);
}

export function addCompletionIndexAnnotation(template: PodTemplateSpec, index: number): void {
  template.metadata ??= {};
  template.metadata.annotations = { ...template.metadata.annotations, [COMPLETION_INDEX_ANNOTATION]: String(index) };
}

export function addCompletionIndexLabel(template: PodTemplateSpec, index: number): void {
  template.metadata ??= {};
  template.metadata.labels = { ...template.metadata.labels, [COMPLETION_INDEX_ANNOTATION]: String(index) };
}

/** "<job>-<index>-", the job name cut so the prefix stays within 58 characters. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}
