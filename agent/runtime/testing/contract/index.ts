// The runtime contract: ONE suite every ContainerRuntime must pass, run against the real
// Docker engine (docker/docker-runtime.docker.test.ts) and the FakeRuntime
// (testing/fake/fake-runtime.test.ts), so the fake the agent's tests rely on stays honest.
//
// One file per service of the runtime interface (images.ts, sandboxes.ts, containers.ts,
// streaming.ts, logs.ts, volumes-and-files.ts), run in this order against one runtime; the
// harness and the helpers are in context.ts.
import { afterAll, beforeAll, describe } from 'vitest';
import { describeContainerContract } from './containers.js';
import { ContractContext, type ContractHarness } from './context.js';
import { describeImageServiceContract } from './images.js';
import { describeLogContract } from './logs.js';
import { describePodSandboxContract } from './sandboxes.js';
import { describeStreamingServiceContract } from './streaming.js';
import { describeVolumeAndFileContract } from './volumes-and-files.js';

export type { ContractHarness } from './context.js';

export function describeRuntimeContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`ContainerRuntime contract: ${name}`, () => {
    const ctx = new ContractContext();

    beforeAll(async () => {
      ctx.h = await makeHarness();
      ctx.rt = ctx.h.runtime;
    });
    afterAll(async () => {
      await ctx.h?.teardown();
    });

    describeImageServiceContract(ctx);
    describePodSandboxContract(ctx);
    describeContainerContract(ctx);
    describeStreamingServiceContract(ctx);
    describeLogContract(ctx);
    describeVolumeAndFileContract(ctx);
  });
}
