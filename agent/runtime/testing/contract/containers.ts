// The contract of RuntimeService's containers: exit codes and CRI reasons, command/args/env
// over the image, tty and stdin, resources in the cgroup, stop with SIGTERM then SIGKILL,
// waits and events, listing by label (adoption), removal.
import { beforeAll, describe, expect, it } from 'vitest';
import { LABEL_CONTAINER_NAME, LABEL_CONTAINER_TYPE, LABEL_POD_NAME, LABEL_POD_UID, type ContainerConfig, type ContainerEvent, type ContainerRuntime } from '../../container-runtime.js';
import type { FakeProgram } from '../fake/fake-runtime.js';
import { reasonOf, collect, type ContractContext, type ContractHarness } from './context.js';

export function describeContainerContract(ctx: ContractContext): void {
  const { sh, newPod, containerConfig, start, runToExit, text, waitForLine } = ctx;
  describe('containers', () => {
    let h: ContractHarness;
    let rt: ContainerRuntime;
    beforeAll(() => {
      ({ h, rt } = ctx);
    });

    it('reports exit codes with CRI reasons and ordered times', async () => {
      const { id } = await newPod('exit-codes');
      const failed = await runToExit(id, containerConfig('fails', sh('echo bye; exit 3', (p) => (p.out('bye'), p.exit(3)))));
      expect(failed.status).toMatchObject({ state: 'exited', exitCode: 3, reason: 'Error', oomKilled: false });
      const ok = await runToExit(id, containerConfig('succeeds', sh('true', () => undefined)));
      expect(ok.status).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
      const s = failed.status;
      expect(s.startedAt!.getTime()).toBeGreaterThanOrEqual(s.createdAt.getTime() - 1000);
      expect(s.finishedAt!.getTime()).toBeGreaterThanOrEqual(s.startedAt!.getTime());
      expect(s.imageId).toMatch(/^sha256:/);
      expect(s.metadata).toEqual({ name: 'fails', attempt: 0 });
    });

    it('fails to create a container whose image is absent with CreateContainerError', async () => {
      const { id } = await newPod('no-image');
      const err = await reasonOf(rt.createContainer(id, { metadata: { name: 'ghost', attempt: 0 }, image: await h.missingImage() }));
      expect(err.reason).toBe('CreateContainerError');
    });

    it('fails to start a missing executable with RunContainerError and reports ContainerCannotRun', async () => {
      const { id } = await newPod('no-exe');
      const c = await rt.createContainer(id, containerConfig('missing', ['/no/such/binary']));
      expect((await reasonOf(rt.startContainer(c))).reason).toBe('RunContainerError');
      const st = await rt.containerStatus(c);
      expect(st).toMatchObject({ state: 'exited', reason: 'ContainerCannotRun' });
      expect(st.exitCode).not.toBe(0);
      expect(st.message).toContain('/no/such/binary');
    });

    it('resolves command and args over the image ENTRYPOINT and CMD as Kubernetes does', async () => {
      const { id } = await newPod('command');
      const run = async (name: string, command?: string[], args?: string[]) => {
        const cfg: ContainerConfig = { metadata: { name, attempt: 0 }, image: h.entrypointImage };
        if (command) cfg.command = command;
        if (args) cfg.args = args;
        const r = await runToExit(id, cfg);
        return text(r.logs).join('|');
      };
      h.cmd(['/bin/busybox', 'echo', 'entry', 'from-cmd'], (p) => p.out('entry from-cmd'));
      h.cmd(['/bin/busybox', 'echo', 'entry', 'a', 'b'], (p) => p.out('entry a b'));
      h.cmd(['/bin/busybox', 'echo', 'cmd'], (p) => p.out('cmd'));
      h.cmd(['/bin/busybox', 'echo', 'cmd', 'x'], (p) => p.out('cmd x'));
      expect(await run('neither')).toBe('entry from-cmd');
      expect(await run('args-only', undefined, ['a', 'b'])).toBe('entry a b');
      expect(await run('command-only', ['/bin/busybox', 'echo', 'cmd'])).toBe('cmd');
      expect(await run('both', ['/bin/busybox', 'echo', 'cmd'], ['x'])).toBe('cmd x');
    });

    it('merges env over the image env and honours workingDir', async () => {
      const { id } = await newPod('env');
      const r = await runToExit(id, {
        metadata: { name: 'env', attempt: 0 },
        image: h.entrypointImage,
        command: sh('echo "$IMAGE_VAR $FOO"; pwd', (p) => (p.out(`${p.env.IMAGE_VAR} ${p.env.FOO}`), p.out(p.workingDir))),
        env: [
          { name: 'IMAGE_VAR', value: 'overridden' },
          { name: 'FOO', value: 'bar baz' },
        ],
        workingDir: '/tmp',
      });
      expect(text(r.logs)).toEqual(['overridden bar baz', '/tmp']);
    });

    it('gives a tty container a terminal whose output is one stdout stream', async () => {
      const { id } = await newPod('tty');
      const r = await runToExit(
        id,
        containerConfig(
          'tty',
          sh('[ -t 1 ] && echo is-a-tty; echo to-stderr >&2', (p) => {
            if (p.tty) p.out('is-a-tty');
            p.err('to-stderr');
          }),
          { tty: true },
        ),
      );
      expect(r.logs.map((l) => [l.stream, l.content.replace(/\r$/, '')])).toEqual([
        ['stdout', 'is-a-tty'],
        ['stdout', 'to-stderr'],
      ]);
    });

    it('feeds stdin through attach and closes it after the first attach with stdinOnce', async () => {
      const { id } = await newPod('stdin');
      const c = await rt.createContainer(
        id,
        containerConfig(
          'reader',
          sh('read line; echo "got:$line"; cat; echo eof', async (p) => {
            p.out(`got:${await p.readLine()}`);
            for (let l = await p.readLine(); l !== undefined; l = await p.readLine()) p.out(l);
            p.out('eof');
          }),
          { stdin: true, stdinOnce: true },
        ),
      );
      const stdin = await rt.attachStdin(c);
      await rt.startContainer(c);
      stdin.end('hello\nsecond\n');
      const st = await rt.waitContainer(c);
      expect(st.exitCode).toBe(0);
      expect(text(await collect(rt.containerLogs(c)))).toEqual(['got:hello', 'second', 'eof']);
    });

    it('OOM-kills a container over its memory limit: OOMKilled, exit code 137', async () => {
      const { id } = await newPod('oom');
      const r = await runToExit(
        id,
        containerConfig(
          'hog',
          sh('exec /bin/busybox tail /dev/zero', (p) => p.allocate(64 * 1024 * 1024)),
          { resources: { memoryLimitBytes: 16 * 1024 * 1024, cpuShares: 2 } },
        ),
      );
      expect(r.status).toMatchObject({ state: 'exited', exitCode: 137, oomKilled: true, reason: 'OOMKilled' });
    });

    it('puts CPU quota, period, shares and the memory limit in the cgroup files the container sees', async () => {
      const { id } = await newPod('cgroup');
      const read = (p: Parameters<FakeProgram>[0], f: string) => (p.readFile(f) ?? '').trim();
      const r = await runToExit(
        id,
        containerConfig(
          'cg',
          sh(
            'cd /sys/fs/cgroup; if [ -f cpu.max ]; then echo "v2 $(cat cpu.max) $(cat memory.max)"; else echo "v1 $(cat cpu/cpu.cfs_quota_us) $(cat cpu/cpu.cfs_period_us) $(cat memory/memory.limit_in_bytes)"; echo "shares $(cat cpu/cpu.shares)"; fi',
            (p) => {
              const f = (n: string) => read(p, `/sys/fs/cgroup/${n}`);
              p.out(`v1 ${f('cpu/cpu.cfs_quota_us')} ${f('cpu/cpu.cfs_period_us')} ${f('memory/memory.limit_in_bytes')}`);
              p.out(`shares ${f('cpu/cpu.shares')}`);
            },
          ),
          { resources: { cpuQuota: 50_000, cpuPeriod: 100_000, cpuShares: 512, memoryLimitBytes: 64 * 1024 * 1024 } },
        ),
      );
      const [first, second] = text(r.logs);
      if (first.startsWith('v2')) expect(first).toBe(`v2 50000 100000 ${64 * 1024 * 1024}`);
      else {
        expect(first).toBe(`v1 50000 100000 ${64 * 1024 * 1024}`);
        expect(second).toBe('shares 512');
      }
    });

    it('puts the pids limit in the pids.max the container sees', async ({ skip }) => {
      if (h.lacks?.containerPidsLimit) skip(h.lacks.containerPidsLimit);
      const { id } = await newPod('pids');
      const r = await runToExit(
        id,
        containerConfig(
          'pids',
          sh('if [ -f /sys/fs/cgroup/pids.max ]; then cat /sys/fs/cgroup/pids.max; else cat /sys/fs/cgroup/pids/pids.max; fi', (p) => {
            p.out((p.readFile('/sys/fs/cgroup/pids/pids.max') ?? '').trim());
          }),
          { resources: { pidsLimit: 48 } },
        ),
      );
      expect(text(r.logs)).toEqual(['48']);
    });

    it('stops with SIGTERM first: a trapping process exits cleanly within the grace period', async () => {
      const { id } = await newPod('graceful');
      const c = await start(
        id,
        containerConfig(
          'trapper',
          sh("trap 'echo got-TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done", async (p) => {
            p.onSignal('SIGTERM', () => {
              p.out('got-TERM');
              p.exit(0);
            });
            p.out('ready');
            await p.forever();
          }),
        ),
      );
      await waitForLine(c, 'ready');
      const before = h.now().getTime();
      await rt.stopContainer(c, 30);
      const st = await rt.containerStatus(c);
      expect(st).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
      expect(st.finishedAt!.getTime() - before).toBeLessThan(10_000);
      expect(text(await collect(rt.containerLogs(c)))).toContain('got-TERM');
    });

    it('stops with SIGKILL after the grace period when SIGTERM is ignored: exit code 137', async () => {
      const { id } = await newPod('stubborn');
      const c = await start(
        id,
        containerConfig(
          'ignorer',
          sh("trap '' TERM; echo ready; while :; do sleep 0.1; done", async (p) => {
            p.out('ready');
            await p.forever();
          }),
        ),
      );
      await waitForLine(c, 'ready');
      const before = h.now().getTime();
      await rt.stopContainer(c, 1);
      const st = await rt.containerStatus(c);
      expect(st).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error' });
      expect(h.now().getTime() - before).toBeGreaterThanOrEqual(900);
    });

    it('tells waiters and event subscribers when a container starts and exits', async () => {
      const { id, config } = await newPod('events');
      const ac = new AbortController();
      const events: ContainerEvent[] = [];
      const stream = rt.events({ labels: { [LABEL_POD_UID]: config.metadata.uid }, signal: ac.signal });
      const seen = (async () => {
        for await (const ev of stream) {
          events.push(ev);
          if (ev.type === 'exited' && ev.containerType === 'container') break;
        }
      })();
      const c = await rt.createContainer(id, containerConfig('exits-2', sh('exit 2', (p) => p.exit(2))));
      await rt.startContainer(c);
      const st = await rt.waitContainer(c);
      expect(st.exitCode).toBe(2);
      await seen;
      ac.abort();
      const mine = events.filter((e) => e.id === c);
      expect(mine.map((e) => e.type)).toEqual(['created', 'started', 'exited']);
      expect(mine[2].exitCode).toBe(2);
      expect(mine[0].labels[LABEL_CONTAINER_NAME]).toBe('exits-2');
      expect(mine[0].containerType).toBe('container');
    });

    it('lists containers and sandboxes by the kubelet labels, also from a reconnected runtime (adoption)', async () => {
      const a = await newPod('adopt-a');
      const b = await newPod('adopt-b');
      const annotations = { 'io.kubernetes.container.restartCount': '2', 'io.kubernetes.container.hash': 'abc123' };
      const ca = await rt.createContainer(
        a.id,
        containerConfig('main', sh('sleep 1', () => undefined), { metadata: { name: 'main', attempt: 2 }, annotations, labels: { tier: 'x' } }),
      );
      await rt.createContainer(b.id, containerConfig('main', sh('sleep 1', () => undefined)));
      const again = h.reconnect();
      const listed = await again.listContainers({ labels: { [LABEL_POD_UID]: a.config.metadata.uid } });
      expect(listed.map((c) => c.id)).toEqual([ca]);
      expect(listed[0]).toMatchObject({ sandboxId: a.id, metadata: { name: 'main', attempt: 2 }, state: 'created', annotations });
      expect(listed[0].labels).toMatchObject({ tier: 'x', [LABEL_CONTAINER_NAME]: 'main', [LABEL_POD_NAME]: 'adopt-a', [LABEL_CONTAINER_TYPE]: 'container' });
      expect((await again.listContainers({ sandboxId: b.id })).map((c) => c.metadata.name)).toEqual(['main']);
      expect((await again.listContainers({ sandboxId: b.id, state: 'running' })).length).toBe(0);
      const sandboxes = await again.listPodSandboxes({ labels: { [LABEL_POD_UID]: b.config.metadata.uid } });
      expect(sandboxes.map((s) => [s.id, s.metadata.name, s.state])).toEqual([[b.id, 'adopt-b', 'ready']]);
    });

    it('reports a running container\'s CPU time and working set (containerStats), NotRunning once stopped', async () => {
      const { id } = await newPod('stats');
      // Busy for a while, then keeps 4 MiB of a tmpfs file in memory and idles.
      const script = 'i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; /bin/busybox head -c 4194304 /dev/zero > /dev/shm/ballast; echo busy-done; while :; do sleep 1; done';
      const c = await start(
        id,
        containerConfig('busy', sh(script, async (p) => (p.useCpu(200), p.allocate(4 * 1024 * 1024), p.out('busy-done'), p.forever()))),
      );
      await waitForLine(c, 'busy-done');
      const first = await rt.containerStats!(c);
      expect(first.id).toBe(c);
      expect(Math.abs(first.timestamp.getTime() - h.now().getTime())).toBeLessThan(5000);
      expect(first.usageCoreNanoSeconds).toBeGreaterThan(0);
      expect(first.workingSetBytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
      const second = await rt.containerStats!(c);
      expect(second.usageCoreNanoSeconds).toBeGreaterThanOrEqual(first.usageCoreNanoSeconds);
      await rt.stopContainer(c, 0);
      expect((await reasonOf(rt.containerStats!(c))).reason).toBe('NotRunning');
    });

    it('removes a running container, and removing it again is fine', async () => {
      const { id } = await newPod('remove');
      const c = await start(id, containerConfig('victim', sh('echo up; while :; do sleep 1; done', async (p) => (p.out('up'), p.forever()))));
      await waitForLine(c, 'up');
      await rt.removeContainer(c);
      expect((await reasonOf(rt.containerStatus(c))).reason).toBe('NotFound');
      await rt.removeContainer(c);
    });
  });
}
