// The Job controller. Imports api/, machinery/ and client/ only.
export * from './job-controller.js';
export * from './sync-job.js';
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
