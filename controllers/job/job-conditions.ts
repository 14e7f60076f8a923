// Job conditions: construction, lookup and the "ensure" update, as upstream's job controller.
import type { ConditionStatus, Job, JobCondition, JobConditionType } from '../../api/index.js';
import { rfc3339 } from '../../machinery/index.js';

/** Reasons and messages upstream writes (k8s.io/api/batch/v1 JobReason*). */
export const JobReasons = {
  podFailurePolicy: 'PodFailurePolicy',
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  failedIndexes: 'FailedIndexes',
  successPolicy: 'SuccessPolicy',
  completionsReached: 'CompletionsReached',
} as const;

export const JobMessages = {
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
  maxFailedIndexesExceeded: 'Job has exceeded the specified maximal number of failed indexes',
  failedIndexes: 'Job has failed indexes',
  completionsReached: 'Reached expected number of succeeded pods',
} as const;

export function newCondition(type: JobConditionType, status: ConditionStatus, reason: string, message: string, now: Date): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

export function findConditionByType<C extends { readonly type: string }>(list: readonly C[] | undefined, type: JobConditionType): C | undefined {
  return list?.find((c) => c.type === type);
}

/**
 * Appends or updates the condition of `type` (ensureJobConditionStatus): never appends a False
 * condition that does not exist yet; returns whether the list changed.
 */
export function ensureJobConditionStatus(
  list: JobCondition[] | undefined,
  type: JobConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Date,
): { conditions: JobCondition[]; updated: boolean } {
  const conditions = list ?? [];
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i];
    if (c.status !== status || (c.reason ?? '') !== reason || (c.message ?? '') !== message) {
      conditions[i] = newCondition(type, status, reason, message, now);
      return { conditions, updated: true };
    }
    return { conditions, updated: false };
  }
  if (status !== 'False') {
    conditions.push(newCondition(type, status, reason, message, now));
    return { conditions, updated: true };
  }
  return { conditions, updated: false };
}

type JobWithConditions = { readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] } };

/** A Job is finished once it has Complete=True or Failed=True. */
export function isJobFinished(job: JobWithConditions): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The SuccessCriteriaMet=True condition, if any. */
export function hasSuccessCriteriaMetCondition(job: Pick<Job, 'status'>): JobCondition | undefined {
  const c = findConditionByType(job.status?.conditions, 'SuccessCriteriaMet');
  return c && c.status === 'True' ? c : undefined;
}

export function isSuccessCriteriaMetCondition(cond: JobCondition | undefined): boolean {
  return !!cond && cond.type === 'SuccessCriteriaMet' && cond.status === 'True';
}

/** The terminal Failed condition that follows an interim FailureTarget. */
export function newFailedConditionForFailureTarget(cond: Pick<JobCondition, 'reason' | 'message'>, now: Date): JobCondition {
  return newCondition('Failed', 'True', cond.reason ?? '', cond.message ?? '', now);
}
