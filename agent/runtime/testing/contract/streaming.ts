// The contract of StreamingService: exec in a running container with its exit code and
// output.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../container-runtime.js';
import { SH, reasonOf, type ContractContext, type ContractHarness } from './context.js';

export function describeStreamingServiceContract(ctx: ContractContext): void {
  const { sh, newPod, containerConfig, start, waitForLine } = ctx;
  describe('exec', () => {
    let h: ContractHarness;
    let rt: ContainerRuntime;
    beforeAll(() => {
      ({ h, rt } = ctx);
    });

    it('runs a command in a running container with its exit code, stdout and stderr', async () => {
      const { id } = await newPod('exec');
      const c = await start(
        id,
        containerConfig('target', sh('echo up; while :; do sleep 1; done', async (p) => (p.out('up'), p.forever())), { env: [{ name: 'GREETING', value: 'hi' }] }),
      );
      await waitForLine(c, 'up');
      const r = await rt.execSync(
        c,
        h.cmd([...SH, 'echo "$GREETING"; echo oops >&2; exit 4'], (p) => {
          p.out(p.env.GREETING);
          p.err('oops');
          p.exit(4);
        }),
        10_000,
      );
      expect(r).toEqual({ exitCode: 4, stdout: 'hi\n', stderr: 'oops\n' });
      const slow = await reasonOf(rt.execSync(c, h.cmd(['/bin/busybox', 'sleep', '5'], (p) => p.sleep(5000)), 300));
      expect(slow.reason).toBe('DeadlineExceeded');
      await rt.stopContainer(c, 0);
      expect((await reasonOf(rt.execSync(c, ['/bin/busybox', 'true'], 1000))).reason).toBe('NotRunning');
    });
  });
}
