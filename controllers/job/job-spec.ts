// Questions about a Job's spec that the controller asks everywhere (upstream: helpers spread
// over job_controller.go and indexed_job_utils.go). All gates of upstream v1.31+ are on.
import type { Job } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';

/** The built-in controller's name for spec.managedBy. */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

/** MaxInt32: backoffLimit's default when backoffLimitPerIndex is set. */
export const MAX_INT32 = 2147483647;

type JobLike = { readonly spec: DeepReadonly<Pick<Job['spec'], 'completionMode' | 'backoffLimitPerIndex' | 'podReplacementPolicy' | 'podFailurePolicy' | 'suspend' | 'managedBy' | 'backoffLimit' | 'parallelism' | 'completions'>> };

export function isIndexedJob(job: JobLike): boolean {
  return job.spec.completionMode === 'Indexed';
}

export function hasBackoffLimitPerIndex(job: JobLike): boolean {
  return job.spec.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}

/** Replacement pods wait for the old pod to reach Failed (podReplacementPolicy Failed, or a podFailurePolicy). */
export function onlyReplaceFailedPods(job: JobLike): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || !!job.spec.podFailurePolicy;
}

export function jobSuspended(job: JobLike): boolean {
  return job.spec.suspend === true;
}

/** The external controller's name when spec.managedBy names another controller. */
export function managedByExternalController(job: JobLike): string | undefined {
  const m = job.spec.managedBy;
  return m && m !== JOB_CONTROLLER_NAME ? m : undefined;
}

/** spec.parallelism, defaulted as the API server would (1). */
export function parallelismOf(job: JobLike): number {
  return job.spec.parallelism ?? 1;
}

/** spec.completions; undefined/null means a work-queue Job. */
export function completionsOf(job: JobLike): number | undefined {
  return job.spec.completions ?? undefined;
}

/** spec.backoffLimit, defaulted as the API server would (6, or MaxInt32 with backoffLimitPerIndex). */
export function backoffLimitOf(job: JobLike): number {
  return job.spec.backoffLimit ?? (hasBackoffLimitPerIndex(job) ? MAX_INT32 : 6);
}
