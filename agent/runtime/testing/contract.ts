// The runtime contract: ONE suite every ContainerRuntime must pass, run against the real
// Docker engine (docker/docker-runtime.docker.test.ts) and the FakeRuntime
// (fake/fake-runtime.test.ts), so the fake the agent's tests rely on stays honest.
//
// Each case states what the container does twice, side by side: as a busybox shell script
// (what Docker runs) and as a FakeProgram (what the fake simulates). The assertions are the
// same for both; only the harness differs.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import {
  LABEL_CONTAINER_NAME,
  LABEL_CONTAINER_TYPE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerRuntime,
  type ContainerStatus,
  type LogLine,
  type LogOptions,
  type PodSandboxConfig,
  type RegistryAuth,
} from '../container-runtime.js';
import type { FakeProgram } from './fake/fake-runtime.js';
import { ImageManager } from '../image-manager.js';
import { DockerKeyring } from '../keyring.js';
import { isRuntimeError, RuntimeError } from '../runtime-error.js';

export interface ContractHarness {
  runtime: ContainerRuntime;
  /** A local image with a static busybox at /bin/busybox. */
  busybox: string;
  /** A local image with ENTRYPOINT ["/bin/busybox","echo","entry"], CMD ["from-cmd"], ENV IMAGE_VAR=from-image. */
  entrypointImage: string;
  /** argv that runs `argv` in Docker; the fake runs `program` for it. */
  cmd(argv: string[], program: FakeProgram): string[];
  /** A private image: pullable only with `auth`. */
  privateImage(): Promise<{ ref: string; auth: RegistryAuth }>;
  /** A reference no registry serves. */
  missingImage(): Promise<string>;
  /** A directory on the node holding `files`, for bind mounts. */
  hostDir(files: Record<string, string>): Promise<string>;
  /** The runtime's clock (wall clock for Docker, virtual for the fake). */
  now(): Date;
  /** A second runtime over the same engine, as an agent restart would create. */
  reconnect(): ContainerRuntime;
  /** Put on every sandbox and volume of this run; teardown removes by it. */
  runLabels: Record<string, string>;
  /** Unique per run, for names. */
  runId: string;
  teardown(): Promise<void>;
}

const SH = ['/bin/busybox', 'sh', '-c'];
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

async function reasonOf(p: Promise<unknown>): Promise<RuntimeError> {
  try {
    await p;
  } catch (err) {
    if (isRuntimeError(err)) return err;
    throw err;
  }
  throw new Error('expected a RuntimeError');
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

export function describeRuntimeContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`ContainerRuntime contract: ${name}`, () => {
    let h: ContractHarness;
    let rt: ContainerRuntime;
    let podSeq = 0;

    beforeAll(async () => {
      h = await makeHarness();
      rt = h.runtime;
    });
    afterAll(async () => {
      await h?.teardown();
    });

    const sh = (script: string, program: FakeProgram) => h.cmd([...SH, script], program);

    function podConfig(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
      podSeq++;
      return {
        metadata: { name, namespace: 'contract', uid: `${h.runId}-${podSeq}`, attempt: 0 },
        hostname: name,
        ...extra,
        labels: { ...h.runLabels, app: name, ...extra.labels },
      };
    }

    async function newPod(name: string, extra: Partial<PodSandboxConfig> = {}) {
      const config = podConfig(name, extra);
      const id = await rt.runPodSandbox(config);
      return { id, config };
    }

    function containerConfig(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
      return { metadata: { name, attempt: 0 }, image: h.busybox, command, ...extra };
    }

    async function start(sandboxId: string, config: ContainerConfig): Promise<string> {
      const id = await rt.createContainer(sandboxId, config);
      await rt.startContainer(id);
      return id;
    }

    async function runToExit(sandboxId: string, config: ContainerConfig): Promise<{ id: string; status: ContainerStatus; logs: LogLine[] }> {
      const id = await start(sandboxId, config);
      const status = await rt.waitContainer(id);
      const logs = await collect(rt.containerLogs(id));
      return { id, status, logs };
    }

    const text = (lines: LogLine[]) => lines.map((l) => l.content);

    /** Follows the logs until a line contains `needle`. */
    async function waitForLine(id: string, needle: string): Promise<void> {
      const ac = new AbortController();
      try {
        for await (const l of rt.containerLogs(id, { follow: true, signal: ac.signal })) if (l.content.includes(needle)) return;
      } finally {
        ac.abort();
      }
      throw new Error(`container ended before printing ${needle}`);
    }

    describe('images', () => {
      it('reports a present image, lists it, and reports an absent one as undefined', async () => {
        const st = await rt.imageStatus(h.busybox);
        expect(st?.id).toMatch(/^sha256:[a-f0-9]{64}$/);
        expect(st!.sizeBytes).toBeGreaterThan(0);
        const all = await rt.listImages();
        expect(all.some((i) => i.id === st!.id && i.names.length > 0 && i.sizeBytes > 0)).toBe(true);
        expect(await rt.imageStatus(await h.missingImage())).toBeUndefined();
      });

      it('rejects a bad reference with InvalidImageName', async () => {
        expect((await reasonOf(rt.imageStatus('Not A/Valid::Ref'))).reason).toBe('InvalidImageName');
        expect((await reasonOf(rt.pullImage('bad ref'))).reason).toBe('InvalidImageName');
      });

      it('fails a pull no registry can serve with ErrImagePull', async () => {
        expect((await reasonOf(rt.pullImage(await h.missingImage()))).reason).toBe('ErrImagePull');
      });

      it('applies imagePullPolicy: present + Never runs, absent + Never is ErrImageNeverPull', async () => {
        const images = new ImageManager({ runtime: rt, clock: { now: () => h.now() } });
        const ok = await images.ensureImage({ podUID: `${h.runId}-img`, image: h.busybox, pullPolicy: 'Never' });
        expect(ok.pulled).toBe(false);
        const err = await reasonOf(images.ensureImage({ podUID: `${h.runId}-img`, image: await h.missingImage(), pullPolicy: 'Never' }));
        expect(err.reason).toBe('ErrImageNeverPull');
      });

      it('pulls a private image only with its credentials, never echoing them', async () => {
        const { ref, auth } = await h.privateImage();
        const anonymous = await reasonOf(rt.pullImage(ref));
        expect(anonymous.reason).toBe('ErrImagePull');
        const wrongPassword = 'wrong-' + h.runId;
        const denied = await reasonOf(rt.pullImage(ref, { ...auth, password: wrongPassword }));
        expect(denied.reason).toBe('ErrImagePull');
        expect(denied.message).not.toContain(wrongPassword);
        expect(denied.message).not.toContain(auth.password!);

        // Through a pull secret, as a pod would.
        const keyring = DockerKeyring.fromSecrets([
          {
            metadata: { name: 'regcred' },
            type: 'kubernetes.io/dockerconfigjson',
            data: {
              '.dockerconfigjson': Buffer.from(
                JSON.stringify({ auths: { [auth.serverAddress!]: { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') } } }),
              ).toString('base64'),
            },
          },
        ]);
        const images = new ImageManager({ runtime: rt, clock: { now: () => h.now() } });
        const pulled = await images.ensureImage({ podUID: `${h.runId}-priv`, image: ref, pullPolicy: 'Always', keyring });
        expect(pulled.pulled).toBe(true);
        expect(pulled.image.repoTags).toContain(ref);
        expect(pulled.image.repoDigests.some((d) => /@sha256:[a-f0-9]{64}$/.test(d))).toBe(true);
        expect((await rt.imageStatus(ref))?.id).toBe(pulled.image.id);
        const again = await images.ensureImage({ podUID: `${h.runId}-priv`, image: ref, pullPolicy: 'IfNotPresent' });
        expect(again.pulled).toBe(false);
      });
    });

    describe('pod sandbox', () => {
      it('runs a sandbox with the pod IP, hostname and kubelet labels, found again by label', async () => {
        const { id, config } = await newPod('sandbox-a', { annotations: { note: 'kept' } });
        const st = await rt.podSandboxStatus(id);
        expect(st.state).toBe('ready');
        expect(st.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(st.hostname).toBe('sandbox-a');
        expect(st.metadata).toEqual(config.metadata);
        expect(st.labels).toMatchObject({ app: 'sandbox-a', [LABEL_POD_UID]: config.metadata.uid, [LABEL_POD_NAME]: 'sandbox-a', [LABEL_POD_NAMESPACE]: 'contract' });
        expect(st.annotations).toEqual({ note: 'kept' });
        const found = await rt.listPodSandboxes({ labels: { [LABEL_POD_UID]: config.metadata.uid } });
        expect(found.map((s) => s.id)).toEqual([id]);
      });

      it('gives every container the pod hostname, and one network namespace shared over localhost', async () => {
        const { id } = await newPod('netns');
        const server = await start(
          id,
          containerConfig(
            'server',
            sh('mkdir -p /www && echo hello-from-server > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www', async (p) => {
              p.listen(8080, () => 'hello-from-server');
              await p.forever();
            }),
          ),
        );
        const client = await runToExit(
          id,
          containerConfig(
            'client',
            sh(
              'hostname; for i in $(seq 1 50); do wget -q -O- http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1',
              async (p) => {
                p.out(p.hostname);
                p.out(await p.request('127.0.0.1', 8080, 'GET /'));
              },
            ),
          ),
        );
        expect(client.status.exitCode).toBe(0);
        expect(text(client.logs)).toEqual(['netns', 'hello-from-server']);
        await rt.stopContainer(server, 0);
      });

      it('stops every container with the sandbox, then removes them all', async () => {
        const { id, config } = await newPod('stop-all');
        const c = await start(id, containerConfig('sleeper', sh('echo up; while :; do sleep 1; done', async (p) => (p.out('up'), p.forever()))));
        await waitForLine(c, 'up');
        await rt.stopPodSandbox(id);
        expect((await rt.podSandboxStatus(id)).state).toBe('notready');
        expect((await rt.containerStatus(c)).state).toBe('exited');
        await rt.stopPodSandbox(id); // idempotent
        await rt.removePodSandbox(id);
        expect((await reasonOf(rt.podSandboxStatus(id))).reason).toBe('NotFound');
        expect((await reasonOf(rt.containerStatus(c))).reason).toBe('NotFound');
        expect(await rt.listContainers({ labels: { [LABEL_POD_UID]: config.metadata.uid } })).toEqual([]);
        await rt.removePodSandbox(id); // idempotent
      });
    });

    describe('containers', () => {
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

      it('puts the pids limit in the pids.max the container sees', async () => {
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

      it('removes a running container, and removing it again is fine', async () => {
        const { id } = await newPod('remove');
        const c = await start(id, containerConfig('victim', sh('echo up; while :; do sleep 1; done', async (p) => (p.out('up'), p.forever()))));
        await waitForLine(c, 'up');
        await rt.removeContainer(c);
        expect((await reasonOf(rt.containerStatus(c))).reason).toBe('NotFound');
        await rt.removeContainer(c);
      });
    });

    describe('exec', () => {
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

    describe('logs', () => {
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

    describe('volumes and files', () => {
      it('serves configMap/secret-style files from a Memory volume on a tmpfs with a size limit', async () => {
        const vol = `${h.runId}-secret`;
        await rt.createVolume({ name: vol, medium: 'Memory', sizeLimitBytes: 1024 * 1024, labels: h.runLabels });
        const { id } = await newPod('volume', { volumes: [vol] });
        await rt.writeVolumeFiles(id, vol, [
          { path: '..2026_01_01', isDirectory: true },
          { path: '..2026_01_01/password', data: 'hunter2', mode: 0o600 },
          { path: '..data', linkTarget: '..2026_01_01' },
          { path: 'password', linkTarget: '..data/password' },
        ]);
        const r = await runToExit(
          id,
          containerConfig(
            'reader',
            sh(
              "cat /etc/secret/password; echo; grep ' /etc/secret ' /proc/mounts | cut -d' ' -f3; dd if=/dev/zero of=/scratch/big bs=1024 count=2048 2>/dev/null && echo wrote-2MiB || echo no-space",
              (p) => {
                p.out(p.readFile('/etc/secret/..2026_01_01/password') ?? 'missing');
                const mount = (p.readFile('/proc/mounts') ?? '').split('\n').find((l) => l.split(' ')[1] === '/etc/secret');
                p.out(mount?.split(' ')[2] ?? 'none');
                try {
                  p.writeFile('/scratch/big', Buffer.alloc(2048 * 1024));
                  p.out('wrote-2MiB');
                } catch {
                  p.out('no-space');
                }
              },
            ),
            {
              mounts: [
                { type: 'volume', source: vol, target: '/etc/secret', readOnly: true },
                { type: 'volume', source: vol, target: '/scratch' },
              ],
            },
          ),
        );
        expect(text(r.logs)).toEqual(['hunter2', 'tmpfs', 'no-space']);
        expect((await rt.listVolumes(h.runLabels)).find((v) => v.name === vol)).toMatchObject({ medium: 'Memory', sizeLimitBytes: 1024 * 1024 });
        await rt.removePodSandbox(id);
        await rt.removeVolume(vol);
        expect((await rt.listVolumes(h.runLabels)).some((v) => v.name === vol)).toBe(false);
      });

      it("keeps a disk volume's files after the container that wrote them is gone", async () => {
        const vol = `${h.runId}-scratch`;
        await rt.createVolume({ name: vol, labels: h.runLabels });
        const { id } = await newPod('disk-volume');
        const mounts = [{ type: 'volume' as const, source: vol, target: '/data' }];
        const writer = await runToExit(id, containerConfig('writer', sh('echo shared > /data/f', (p) => p.writeFile('/data/f', 'shared\n')), { mounts }));
        await rt.removeContainer(writer.id);
        const reader = await runToExit(id, containerConfig('reader', sh('cat /data/f', (p) => p.write('stdout', p.readFile('/data/f') ?? '')), { mounts }));
        expect(text(reader.logs)).toEqual(['shared']);
        expect((await rt.listVolumes(h.runLabels)).find((v) => v.name === vol)?.medium).toBe('');
        await rt.removePodSandbox(id);
        await rt.removeVolume(vol);
      });

      it('mounts a sub-path of a volume (volumeMounts[].subPath)', async () => {
        const vol = `${h.runId}-subpath`;
        await rt.createVolume({ name: vol, labels: h.runLabels });
        const { id } = await newPod('subpath', { volumes: [vol] });
        await rt.writeVolumeFiles(id, vol, [
          { path: 'sub/dir', isDirectory: true },
          { path: 'sub/dir/f', data: 'inside' },
        ]);
        const part = await runToExit(
          id,
          containerConfig(
            'part',
            sh('cat /mnt/f; echo; echo more > /mnt/g; ls /mnt | tr "\\n" " "', (p) => {
              p.out(p.readFile('/mnt/f') ?? 'missing');
              p.writeFile('/mnt/g', 'more\n');
              p.out('f g ');
            }),
            { mounts: [{ type: 'volume', source: vol, target: '/mnt', subPath: 'sub/dir' }] },
          ),
        );
        expect(text(part.logs)).toEqual(['inside', 'f g ']);
        const whole = await runToExit(
          id,
          containerConfig('whole', sh('cat /data/sub/dir/g', (p) => p.write('stdout', p.readFile('/data/sub/dir/g') ?? 'missing')), {
            mounts: [{ type: 'volume', source: vol, target: '/data' }],
          }),
        );
        expect(text(whole.logs)).toEqual(['more']);
        await rt.removePodSandbox(id);
        await rt.removeVolume(vol);
      });

      it('bind-mounts a host directory', async () => {
        const dir = await h.hostDir({ 'data.txt': 'from-host' });
        const { id } = await newPod('hostpath');
        const r = await runToExit(
          id,
          containerConfig('reader', sh('cat /host/data.txt', (p) => p.write('stdout', p.readFile('/host/data.txt') ?? '')), {
            mounts: [{ type: 'bind', source: dir, target: '/host', readOnly: true }],
          }),
        );
        expect(text(r.logs)).toEqual(['from-host']);
      });

      it('finds files by wildcard and reads them, also after the container exited', async () => {
        const { id } = await newPod('files');
        const r = await runToExit(
          id,
          containerConfig(
            'writer',
            sh('mkdir -p /var/log/app && echo alpha > /var/log/app/a.log && echo beta-beta > /var/log/app/b.log && echo no > /var/log/app/c.txt', (p) => {
              p.writeFile('/var/log/app/a.log', 'alpha\n');
              p.writeFile('/var/log/app/b.log', 'beta-beta\n');
              p.writeFile('/var/log/app/c.txt', 'no\n');
            }),
          ),
        );
        expect(r.status.state).toBe('exited');
        const files = await rt.statFiles(r.id, '/var/log/app/*.log');
        expect(files.map((f) => [f.path, f.sizeBytes])).toEqual([
          ['/var/log/app/a.log', 6],
          ['/var/log/app/b.log', 10],
        ]);
        expect(files[0].modifiedAt.getTime()).toBeGreaterThan(0);
        expect((await rt.statFiles(r.id, '/var/log/app/c.txt')).map((f) => f.path)).toEqual(['/var/log/app/c.txt']);
        expect(await rt.statFiles(r.id, '/var/log/none/*.log')).toEqual([]);
        expect((await rt.readFile(r.id, '/var/log/app/b.log')).toString()).toBe('beta-beta\n');
        expect((await rt.readFile(r.id, '/var/log/app/b.log', { offsetBytes: 5, limitBytes: 3 })).toString()).toBe('bet');
        expect((await reasonOf(rt.readFile(r.id, '/var/log/app/none.log'))).reason).toBe('NotFound');
        expect((await reasonOf(collect(rt.containerLogs('0'.repeat(64))))).reason).toBe('NotFound');
      });
    });
  });
}
