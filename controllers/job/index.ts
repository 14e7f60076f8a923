// The Job controller. Imports api/, machinery/ and client/ only.
export * from './job-controller.js';
export * from './sync-job.js';
export {
  MAX_POD_CREATE_DELETE_PER_SYNC,
  MAX_UNCOUNTED_PODS,
  SLOW_START_INITIAL_BATCH_SIZE,
  SYNC_JOB_BATCH_PERIOD_MS,
  type JobSyncDeps,
  type SyncJobCtx,
} from './sync-job-ctx.js';
export { activePodsForRemoval } from './manage-job.js';
export { trackJobStatusAndRemoveFinalizers } from './track-status.js';
export * from './pod-control.js';
export * from './expectations.js';
export * from './backoff.js';
export * from './job-conditions.js';
export * from './job-pods.js';
export * from './job-spec.js';
export * from './intervals.js';
export * from './indexed-job.js';
export * from './pod-failure-policy.js';
export * from './success-policy.js';
export * from './claim-pods.js';
