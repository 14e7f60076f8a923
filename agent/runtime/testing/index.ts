// Test support for the container runtime, kept out of the production barrel (../index.ts) and
// out of dist/: the FakeRuntime the agent's unit tests drive, its virtual time, and the
// contract suite (it imports vitest) that every ContainerRuntime must pass, Docker and fake.
export { FakeRuntime } from './fake/fake-runtime.js';
export type { FakeProcess, FakeProgram, ProgramContext, ProgramMatcher, FakeImageSpec, FakeOp, FakeCall, FakeRuntimeOptions } from './fake/fake-runtime.js';
export { VirtualTime, settle } from './fake/virtual-time.js';
export { describeRuntimeContract, type ContractHarness } from './contract/index.js';
