// The wizard's form model (and the CronJobs page's compact form cut from it) and their conversion to and from batch/v1 objects (pure; no React).
export * from './model.js';
export * from './templates.js';
export * from './to-job.js';
export * from './from-job.js';
export * from './clone.js';
export * from './field-errors.js';
export * from './image-ref.js';
export * from './shell-words.js';
export * from './quantity.js';
export * from './paths.js';
export * from './to-cronjob.js';
export * from './from-cronjob.js';
export * from './compact-cronjob.js';
