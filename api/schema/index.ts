// The wire schema of every served type. See types.ts for what it is used for.
export * from './types.js';
