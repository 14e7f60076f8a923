// The pods of a Job as the controller sees them: classification (active, terminating, ready,
// failed), the order victims are chosen in, the tracking finalizer, and the completion-index
// annotations (upstream: controller_utils.go, tracking_utils.go, indexed_job_utils.go).
import { JobLabels } from '../../api/index.js';
import type { Job, Pod } from '../../api/index.js';
import type { DeepReadonly, Indexer } from '../../client/index.js';
import { controllerRef } from '../../machinery/index.js';
import { onlyReplaceFailedPods } from './job-spec.js';

/** A pod from the informer cache (shared, read-only) or a local copy. */
export type PodView = DeepReadonly<Pod>;

export const JOB_TRACKING_FINALIZER = JobLabels.trackingFinalizer;
export const COMPLETION_INDEX_ANNOTATION = JobLabels.completionIndex;
export const INDEX_FAILURE_COUNT_ANNOTATION = JobLabels.indexFailureCount;
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = JobLabels.indexIgnoredFailureCount;
export const COMPLETION_INDEX_ENV_NAME = 'JOB_COMPLETION_INDEX';
export const UNKNOWN_COMPLETION_INDEX = -1;

/**
 * Pods by their controller's uid, orphans by namespace (upstream's PodControllerUIDIndex): a sync
 * looks at its own pods and the orphans it may adopt, not at every pod of the namespace
 * (finished pods of other Jobs cost it nothing).
 */
export const POD_CONTROLLER_UID_INDEX = 'podControllerUID';

/** The index key of the orphan pods of a namespace (upstream's OrphanPodIndexKeyForNamespace); a uid has no '/'. */
export function orphanPodIndexKey(namespace: string): string {
  return `orphan/${namespace}`;
}

/** Adds POD_CONTROLLER_UID_INDEX to a (shared) pod informer's indexer once. */
export function addPodControllerUIDIndexer(indexer: Indexer<Pod>): void {
  if (indexer.hasIndexer(POD_CONTROLLER_UID_INDEX)) return;
  indexer.addIndexers({
    [POD_CONTROLLER_UID_INDEX]: (pod) => {
      const ref = controllerRef(pod.metadata as Pod['metadata']);
      return [ref?.uid ?? orphanPodIndexKey(pod.metadata.namespace ?? '')];
    },
  });
}

/** Not terminal and not being deleted (controller.IsPodActive). */
export function isPodActive(p: PodView): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata.deletionTimestamp;
}

/** Being deleted but not terminal yet (controller.IsPodTerminating). */
export function isPodTerminating(p: PodView): boolean {
  const phase = p.status?.phase;
  return !!p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function filterActivePods(pods: readonly PodView[]): PodView[] {
  return pods.filter(isPodActive);
}

export function filterTerminatingPods(pods: readonly PodView[]): PodView[] {
  return pods.filter(isPodTerminating);
}

export function countTerminatingPods(pods: readonly PodView[]): number {
  return pods.filter(isPodTerminating).length;
}

function readyCondition(p: PodView) {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Condition Ready=True (podutil.IsPodReady). */
export function isPodReady(p: PodView): boolean {
  return readyCondition(p)?.status === 'True';
}

export function countReadyPods(pods: readonly PodView[]): number {
  return pods.filter(isPodReady).length;
}

/**
 * Whether the Job counts the pod as failed: phase Failed, or (unless only failed pods are replaced)
 * being deleted without having succeeded, so orphaned deletions are not lost.
 */
export function isPodFailed(p: PodView, job: Pick<Job, 'spec'>): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

export function hasJobTrackingFinalizer(p: PodView): boolean {
  return p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** The strategic merge patch that removes the tracking finalizer, or undefined if the pod has none. */
export function removeTrackingFinalizerPatch(p: PodView): Record<string, unknown> | undefined {
  if (!hasJobTrackingFinalizer(p)) return undefined;
  return { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function ms(t: string | undefined): number {
  return t ? Date.parse(t) : 0;
}

/** t1 after t2, with a zero (missing) time sorting first (upstream afterOrZero). */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

function maxContainerRestarts(p: PodView): number {
  let max = 0;
  for (const s of p.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  for (const s of p.status?.initContainerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/**
 * The order pods are picked for deletion (controller.ActivePods): unassigned < assigned,
 * Pending < Unknown < Running, not ready < ready, ready for less time < more time, more
 * restarts < fewer, newer < older. Negative when `a` should be deleted first.
 */
export function compareActivePods(a: PodView, b: PodView): number {
  const less = (x: PodView, y: PodView): boolean => {
    const xn = x.spec?.nodeName ?? '';
    const yn = y.spec?.nodeName ?? '';
    if (xn !== yn && (xn === '' || yn === '')) return xn === '';
    const xo = PHASE_ORDINAL[x.status?.phase ?? ''] ?? 0;
    const yo = PHASE_ORDINAL[y.status?.phase ?? ''] ?? 0;
    if (xo !== yo) return xo < yo;
    if (isPodReady(x) !== isPodReady(y)) return !isPodReady(x);
    if (isPodReady(x) && isPodReady(y)) {
      const xr = ms(readyCondition(x)?.lastTransitionTime);
      const yr = ms(readyCondition(y)?.lastTransitionTime);
      if (xr !== yr) return afterOrZero(xr, yr);
    }
    const xc = maxContainerRestarts(x);
    const yc = maxContainerRestarts(y);
    if (xc !== yc) return xc > yc;
    const xt = ms(x.metadata.creationTimestamp);
    const yt = ms(y.metadata.creationTimestamp);
    if (xt !== yt) return afterOrZero(xt, yt);
    return false;
  };
  if (less(a, b)) return -1;
  if (less(b, a)) return 1;
  return 0;
}

/** The pod's completion index from its annotation, or UNKNOWN_COMPLETION_INDEX. */
export function getCompletionIndex(annotations: Readonly<Record<string, string>> | undefined): number {
  const v = annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v.trim())) return UNKNOWN_COMPLETION_INDEX;
  const i = Number(v.trim());
  return Number.isSafeInteger(i) && i >= 0 ? i : UNKNOWN_COMPLETION_INDEX;
}

function parseCount(v: string | undefined): number {
  if (v === undefined || !/^[+-]?\d+$/.test(v.trim())) return 0;
  const n = Number(v.trim());
  return n < 0 || n > 2147483647 ? 0 : n;
}

/** batch.kubernetes.io/job-index-failure-count, 0 when missing or invalid. */
export function getIndexFailureCount(p: PodView): number {
  return parseCount(p.metadata.annotations?.[INDEX_FAILURE_COUNT_ANNOTATION]);
}

/** batch.kubernetes.io/job-index-ignored-failure-count, 0 when missing or invalid. */
export function getIndexIgnoredFailureCount(p: PodView): number {
  return parseCount(p.metadata.annotations?.[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);
}

/** Counted plus ignored failures of the pod's index so far. */
export function getIndexAbsoluteFailureCount(p: PodView): number {
  return getIndexFailureCount(p) + getIndexIgnoredFailureCount(p);
}

/** Sorts (a copy) by completion index, unknown (-1) first; stable. */
export function byCompletionIndex<P extends PodView>(pods: readonly P[]): P[] {
  return [...pods].sort((a, b) => getCompletionIndex(a.metadata.annotations) - getCompletionIndex(b.metadata.annotations));
}

/** What getValidPodsWithFilter needs of a sync's state. */
export interface PodsView {
  job: Pick<Job, 'spec'>;
  pods: readonly PodView[];
  expectedRmFinalizers: ReadonlySet<string>;
}

/**
 * Pods not yet accounted for that pass `filter`: they still have the tracking finalizer, are not
 * in `uncounted`, are not awaiting a finalizer removal we issued, and (Indexed) have a valid index.
 */
export function getValidPodsWithFilter(view: PodsView, uncounted: ReadonlySet<string> | undefined, filter: (p: PodView) => boolean): PodView[] {
  const out: PodView[] = [];
  const indexed = view.job.spec.completionMode === 'Indexed';
  const completions = view.job.spec.completions ?? 0;
  for (const p of view.pods) {
    const uid = p.metadata.uid ?? '';
    if (!hasJobTrackingFinalizer(p) || uncounted?.has(uid) || view.expectedRmFinalizers.has(uid)) continue;
    if (indexed) {
      const ix = getCompletionIndex(p.metadata.annotations);
      if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) continue;
    }
    if (filter(p)) out.push(p);
  }
  return out;
}
