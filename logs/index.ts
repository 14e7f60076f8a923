// The log service: the log store (logs.db), its HTTP endpoints and its control loop.
// Imports api/, machinery/ and client/ only; cmd/ wires it into `jobyard server`.
export * from './log-store.js';
export * from './log-query.js';
export type { LogstoreStats, Retention } from './log-retention.js';
export { DEFAULT_MAX_BYTES, DEFAULT_RETENTION_DAYS } from './log-schema.js';
export * from './log-time.js';
export * from './fts-query.js';
export * from './http-routes.js';
export * from './log-service.js';
