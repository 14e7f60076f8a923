// The scheduler: binds pending pods to a node where their resource requests fit.
export * from './node-fit.js';
export * from './scheduling-queue.js';
export * from './scheduler.js';
