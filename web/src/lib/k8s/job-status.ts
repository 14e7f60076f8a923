// What the console says about a Job: status, failure reason, completions, duration, and the
// completion time, shown once and only once every pod has finished (docs/product.md#job-list-completion-time).
import type { Job, JobCondition, JobConditionType } from '../../../../api/batch.js';
import type { Pod } from '../../../../api/core.js';
import { humanDuration } from '../../../../machinery/human-readable.js';
import { timeOf } from './duration.js';
import { isPodFinished, podContainerFailure, podStuckReason, type ContainerFailure } from './pod-status.js';

/** kubectl's STATUS words for a Job (upstream printJob), in its order of precedence. */
export type JobStatusText = 'Complete' | 'Failed' | 'Terminating' | 'Suspended' | 'FailureTarget' | 'SuccessCriteriaMet' | 'Running';

export function jobCondition(job: Job, type: JobConditionType): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

export function jobStatusText(job: Job): JobStatusText {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (jobCondition(job, 'Suspended')) return 'Suspended';
  if (jobCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (jobCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** Reason and message of the condition that failed (or is failing) the Job. */
export function jobFailure(job: Job): { reason: string; message: string } | undefined {
  const c = jobCondition(job, 'Failed') ?? jobCondition(job, 'FailureTarget');
  if (!c) return undefined;
  return { reason: c.reason ?? '', message: c.message ?? '' };
}

/** COMPLETIONS as kubectl prints it: "1/3", or for a work queue "0/1 of 3". */
export function jobCompletionsText(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const { completions, parallelism } = job.spec;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  if (parallelism !== undefined && parallelism > 1) return `${succeeded}/1 of ${parallelism}`;
  return `${succeeded}/1`;
}

/** Progress as a percentage of the completions the Job needs (work queues: done or not). */
export function jobProgressPercent(job: Job): number {
  const succeeded = job.status?.succeeded ?? 0;
  const c = job.spec.completions;
  if (c !== undefined && c !== null) return c <= 0 ? 100 : Math.min(100, Math.round((succeeded / c) * 100));
  return jobCondition(job, 'Complete') ? 100 : 0;
}

/**
 * When the Job's pods have all ended: its completion time when it succeeded, undefined while any
 * pod may still run. Upstream sets completionTime with the Complete condition only after every
 * pod terminated; the extra checks make the console refuse an early or inconsistent status.
 * Pass the Job's pods when known (the detail page) to check them too.
 */
export function jobCompletionTime(job: Job, pods?: readonly Pod[]): string | undefined {
  const st = job.status;
  if (!st?.completionTime || !jobCondition(job, 'Complete')) return undefined;
  if ((st.active ?? 0) > 0 || (st.terminating ?? 0) > 0) return undefined;
  if ((st.uncountedTerminatedPods?.succeeded?.length ?? 0) > 0 || (st.uncountedTerminatedPods?.failed?.length ?? 0) > 0) return undefined;
  if (pods && !pods.every(isPodFinished)) return undefined;
  return st.completionTime;
}

/** When the Job stopped running: completion time, or the time it was marked Failed. */
export function jobEndTime(job: Job): string | undefined {
  return job.status?.completionTime ?? jobCondition(job, 'Failed')?.lastTransitionTime;
}

/**
 * DURATION: start to end for a finished Job, start to `nowMs` while it runs, '' before it started.
 * Unlike kubectl, a failed Job's duration stops at its Failed condition.
 */
export function jobDurationText(job: Job, nowMs: number): string {
  const start = timeOf(job.status?.startTime);
  if (start === undefined) return '';
  const end = timeOf(jobEndTime(job));
  return humanDuration((end ?? nowMs) - start);
}

/** The failure card's facts: why the Job failed, and which pod and container failed how. */
export interface JobFailureSummary {
  /** 'failed' when the Job has a Failed/FailureTarget condition; 'stuck' when pods wait on something that needs a fix. */
  kind: 'failed' | 'stuck';
  reason: string;
  message: string;
  pod?: string;
  container?: ContainerFailure;
  /** For stuck pods: the waiting reason and message. */
  waiting?: { container: string; reason: string; message?: string };
}

function finishedAtOf(p: Pod): number {
  const f = podContainerFailure(p);
  return timeOf(f?.finishedAt) ?? timeOf(p.metadata.creationTimestamp) ?? 0;
}

/**
 * Joins the Job's failure condition with its most recently failed pod and that pod's failed
 * container (exit code, reason such as OOMKilled). For a Job that has not failed, reports pods
 * that wait for a reason needing a fix (ErrImagePull, CrashLoopBackOff, Unschedulable...).
 */
export function jobFailureSummary(job: Job, pods: readonly Pod[]): JobFailureSummary | undefined {
  const failure = jobFailure(job);
  if (failure) {
    const failed = pods
      .filter((p) => p.status?.phase === 'Failed' || podContainerFailure(p))
      .sort((a, b) => finishedAtOf(b) - finishedAtOf(a));
    const pod = failed[0];
    return { kind: 'failed', reason: failure.reason, message: failure.message, pod: pod?.metadata.name, container: pod ? podContainerFailure(pod) : undefined };
  }
  if (jobCondition(job, 'Complete')) return undefined;
  for (const p of pods) {
    if (isPodFinished(p)) continue;
    const stuck = podStuckReason(p);
    if (stuck) return { kind: 'stuck', reason: stuck.reason, message: stuck.message ?? '', pod: p.metadata.name, waiting: stuck, container: podContainerFailure(p) };
  }
  return undefined;
}

/** The label selector of a Job's pods: the controller-uid label the server puts on them. */
export function jobPodSelector(job: Job): string {
  const labels = job.spec.selector?.matchLabels;
  if (labels && Object.keys(labels).length > 0) {
    return Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  return `batch.kubernetes.io/controller-uid=${job.metadata.uid ?? ''}`;
}
