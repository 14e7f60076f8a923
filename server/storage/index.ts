// Storage: the ObjectStore contract and its SQLite implementation.
export * from './object-store.js';
export * from './sqlite-object-store.js';
