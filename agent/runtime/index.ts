// The node agent's view of a container engine. The Docker implementation lives in
// ./docker/index.js (the only importer of dockerode) so that importing this barrel never
// loads it; the contract suite (./contract.js) is for tests only.
export * from './container-runtime.js';
export * from './runtime-error.js';
export * from './image-reference.js';
export * from './image-manager.js';
export * from './keyring.js';
export * from './linux-resources.js';
export * from './resolve-command.js';
export * from './log-lines.js';
export * from './path-glob.js';
export * from './async-queue.js';
export { FakeRuntime } from './fake/fake-runtime.js';
export type { FakeProcess, FakeProgram, ProgramContext, ProgramMatcher, FakeImageSpec, FakeOp, FakeCall, FakeRuntimeOptions } from './fake/fake-runtime.js';
