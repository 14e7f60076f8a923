// The client library (client-go in our words). Imports api/ and machinery/ only.
// Fakes for tests are in client/testing/ (not exported here).
export * from './client-config.js';
export * from './rest-client.js';
export * from './kubeconfig.js';
export * from './resource-client.js';
export * from './informer.js';
export * from './workqueue.js';
export * from './scheduler.js';
export * from './event-recorder.js';
export * from './node-lease.js';
export * from './deep-readonly.js';
export * from './logger.js';
