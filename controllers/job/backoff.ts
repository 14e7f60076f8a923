// The pod-failure backoff: how long the controller waits before creating a replacement pod
// after failures (upstream backoff_utils.go). delay(n) = min(base·2^(n−1), cap).
// Defaults follow the product (docs/product.md#job-settings): 10 s base, capped at 6 minutes
// (upstream's cap is 10 minutes); both are constructor settings.
import type { DeepReadonly } from '../../client/index.js';
import { type PodView, getIndexAbsoluteFailureCount } from './job-pods.js';

export interface PodFailureBackoffSettings {
  /** Delay after the first failure. @defaultValue 10 000 ms */
  baseMs: number;
  /** Upper bound of the delay. @defaultValue 360 000 ms (6 minutes, per the product; upstream uses 10 minutes) */
  capMs: number;
}

export const DEFAULT_POD_FAILURE_BACKOFF: PodFailureBackoffSettings = { baseMs: 10_000, capMs: 360_000 };

/** min(base·2^(n−1), cap) for n ≥ 1 failures; 0 for none. */
export function backoffDelay(failures: number, s: PodFailureBackoffSettings = DEFAULT_POD_FAILURE_BACKOFF): number {
  if (failures <= 0) return 0;
  let d = s.baseMs;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= s.capMs) return s.capMs;
  }
  return d;
}

/** Per-Job record: failures since the last success and when the newest of them finished. */
export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: Date;
}

/** When a finished pod finished: its last container's finishedAt, else Ready=False time, else deletion time minus grace, else creation. */
export function getFinishedTime(p: PodView): Date {
  const fromContainers = finishTimeFromContainers(p);
  if (fromContainers) return fromContainers;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready && ready.status === 'False' && ready.lastTransitionTime) return new Date(ready.lastTransitionTime);
  if (p.metadata.deletionTimestamp) {
    return new Date(Date.parse(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000);
  }
  return new Date(p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : 0);
}

function finishTimeFromContainers(p: PodView): Date | undefined {
  let latest: number | undefined;
  for (const cs of p.status?.containerStatuses ?? []) {
    const finishedAt = cs.state?.terminated?.finishedAt;
    if (!cs.state?.terminated || !finishedAt) return undefined;
    const t = Date.parse(finishedAt);
    if (latest === undefined || t > latest) latest = t;
  }
  return latest === undefined ? undefined : new Date(latest);
}

function sortByFinishedTime(pods: readonly DeepReadonly<PodView>[]): PodView[] {
  return [...pods].sort((a, b) => getFinishedTime(a).getTime() - getFinishedTime(b).getTime());
}

/** Backoff records of the Jobs this controller follows. In memory only, as upstream. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord | undefined {
    const r = this.records.get(key);
    return r && { ...r };
  }

  updateBackoffRecord(record: BackoffRecord): void {
    this.records.set(record.key, { ...record });
  }

  removeBackoffRecord(key: string): void {
    this.records.delete(key);
  }

  /**
   * The record after newly finished pods: failures add up; a new success resets the count to the
   * failures that finished after the newest success.
   */
  newBackoffRecord(key: string, newSucceededPods: readonly PodView[], newFailedPods: readonly PodView[]): BackoffRecord {
    const old = this.records.get(key);
    const backoff: BackoffRecord = old ? { ...old } : { key, failuresAfterLastSuccess: 0 };
    const succeeded = sortByFinishedTime(newSucceededPods);
    const failed = sortByFinishedTime(newFailedPods);
    if (succeeded.length === 0) {
      if (failed.length === 0) return backoff;
      backoff.failuresAfterLastSuccess += failed.length;
      backoff.lastFailureTime = getFinishedTime(failed[failed.length - 1]);
      return backoff;
    }
    backoff.failuresAfterLastSuccess = 0;
    backoff.lastFailureTime = undefined;
    if (failed.length === 0) return backoff;
    const lastSuccess = getFinishedTime(succeeded[succeeded.length - 1]).getTime();
    for (let i = failed.length - 1; i >= 0; i--) {
      const t = getFinishedTime(failed[i]);
      if (t.getTime() <= lastSuccess) break;
      backoff.lastFailureTime ??= t;
      backoff.failuresAfterLastSuccess++;
    }
    return backoff;
  }
}

/** Time left before `failures` failures, the last at `lastFailureTime`, allow a new pod. */
export function remainingTimeForFailuresCount(now: Date, s: PodFailureBackoffSettings, failures: number, lastFailureTime: Date | undefined): number {
  if (failures <= 0 || !lastFailureTime) return 0;
  const delay = backoffDelay(failures, s);
  const elapsed = now.getTime() - lastFailureTime.getTime();
  return delay < elapsed ? 0 : delay - elapsed;
}

/** Time left before the Job may create pods, from its record. */
export function remainingTime(record: BackoffRecord, now: Date, s: PodFailureBackoffSettings): number {
  return remainingTimeForFailuresCount(now, s, record.failuresAfterLastSuccess, record.lastFailureTime);
}

/**
 * Time left before an index may get a replacement pod (backoffLimitPerIndex): the index's failures
 * so far (from the last failed pod's annotations) plus that failure.
 */
export function remainingTimePerIndex(lastFailedPod: PodView | undefined, now: Date, s: PodFailureBackoffSettings): number {
  if (!lastFailedPod) return 0;
  const failures = getIndexAbsoluteFailureCount(lastFailedPod) + 1;
  return remainingTimeForFailuresCount(now, s, failures, getFinishedTime(lastFailedPod));
}
