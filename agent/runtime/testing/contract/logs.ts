// The contract of LogAndFileService's logs: streams apart and in order with nanosecond
// timestamps, tail, stream and since, follow until the container exits.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime, LogLine, LogOptions } from '../../container-runtime.js';
import { TS_RE, collect, type ContractContext, type ContractHarness } from './context.js';

export function describeLogContract(ctx: ContractContext): void {
  const { sh, newPod, containerConfig, start, runToExit, text } = ctx;
  describe('logs', () => {
    let h: ContractHarness;
    let rt: ContainerRuntime;
    beforeAll(() => {
      ({ h, rt } = ctx);
    });

    let id: string;
    let lines: LogLine[];
    beforeAll(async () => {
      const pod = await newPod('logs');
      const r = await runToExit(
        pod.id,
        containerConfig(
          'logger',
          // Writes to two pipes are only ordered by time: the pauses make the order defined.
          sh("echo out-1; sleep 0.05; echo err-1 >&2; sleep 0.05; echo out-2; sleep 0.3; echo err-2 >&2; sleep 0.05; printf 'no-newline'", async (p) => {
            p.out('out-1');
            await p.sleep(50);
            p.err('err-1');
            await p.sleep(50);
            p.out('out-2');
            await p.sleep(300);
            p.err('err-2');
            await p.sleep(50);
            p.write('stdout', 'no-newline');
          }),
        ),
      );
      id = r.id;
      lines = r.logs;
    });

    it('keeps stdout and stderr apart, in order, with RFC 3339 nanosecond timestamps', () => {
      const view = (s: string) => lines.filter((l) => l.stream === s).map((l) => l.content);
      expect(view('stdout')).toEqual(['out-1', 'out-2', 'no-newline']);
      expect(view('stderr')).toEqual(['err-1', 'err-2']);
      for (const l of lines) expect(l.timestamp).toMatch(TS_RE);
      const times = lines.map((l) => l.timestamp);
      expect([...times].sort()).toEqual(times);
      expect(lines.find((l) => l.content === 'no-newline')?.partial).toBe(true);
      expect(lines.find((l) => l.content === 'out-1')?.partial).toBe(false);
    });

    it('returns the last lines with tail, one stream on request, and lines since a time', async () => {
      expect(text(await collect(rt.containerLogs(id, { tail: 2 })))).toEqual(['err-2', 'no-newline']);
      expect(text(await collect(rt.containerLogs(id, { stream: 'stderr' })))).toEqual(['err-1', 'err-2']);
      const out2 = lines.find((l) => l.content === 'out-2')!;
      const since: LogOptions = { since: new Date(out2.time.getTime() + 1) };
      expect(text(await collect(rt.containerLogs(id, since)))).toEqual(['err-2', 'no-newline']);
      expect(text(await collect(rt.containerLogs(id, { limitBytes: 8 })))).toEqual(['out-1', 'er']);
    });

    it('follows a running container until it exits', async () => {
      const pod = await newPod('follow');
      const c = await start(
        pod.id,
        containerConfig(
          'follower',
          sh('echo one; while [ ! -f /tmp/go ]; do sleep 0.05; done; echo two', async (p) => {
            p.out('one');
            await p.waitForFile('/tmp/go');
            p.out('two');
          }),
        ),
      );
      const seen: string[] = [];
      for await (const l of rt.containerLogs(c, { follow: true })) {
        seen.push(l.content);
        if (l.content === 'one') await rt.execSync(c, h.cmd(['/bin/busybox', 'touch', '/tmp/go'], (p) => p.writeFile('/tmp/go', '')), 10_000);
      }
      expect(seen).toEqual(['one', 'two']);
      expect((await rt.containerStatus(c)).state).toBe('exited');
    });
  });
}
