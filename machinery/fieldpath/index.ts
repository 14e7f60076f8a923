// Field paths and structured merge (upstream's sigs.k8s.io/structured-merge-diff), for
// server-side apply and managedFields.
export * from './set.js';
export * from './typed.js';
export * from './managed.js';
export * from './cap-managers.js';
