// The node agent's view of a container engine. The Docker implementation lives in
// ./docker/index.js (the only importer of dockerode) so that importing this barrel never
// loads it. The FakeRuntime and the contract suite are test support: ./testing/index.js.
export * from './container-runtime.js';
export * from './runtime-error.js';
export * from './engine-operations.js';
export * from './image-reference.js';
export * from './image-manager.js';
export * from './keyring.js';
export * from './linux-resources.js';
export * from './resolve-command.js';
export * from './log-lines.js';
export * from './cri-log-format.js';
export * from './container-log-manager.js';
export * from './path-glob.js';
export * from './async-queue.js';
