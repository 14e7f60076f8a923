// Wire types (k8s.io/api, k8s.io/apimachinery meta/v1). Imports nothing outside api/.
export * from './meta.js';
export * from './core.js';
export * from './service.js';
export * from './batch.js';
export * from './authentication.js';
export * from './serviceaccount.js';
export * from './authorization.js';
export * from './policy.js';
export * from './coordination.js';
export * from './apiextensions.js';
export * from './logs.js';
export * from './clusters.js';
export * from './scheduling.js';
