// The ephemeral volume controller: a generic ephemeral volume's PVC, created for and owned by its pod.
export * from './ephemeral-controller.js';
