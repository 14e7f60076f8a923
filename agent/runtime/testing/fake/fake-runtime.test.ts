import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../machinery/index.js';
import { describeRuntimeContract } from '../contract/index.js';
import { isRuntimeError, RuntimeError } from '../../runtime-error.js';
import { FakeRuntime } from './fake-runtime.js';

const BUSYBOX_FILES = { '/bin/busybox': { data: '\x7fELF busybox', mode: 0o755 } };

describeRuntimeContract('FakeRuntime', async () => {
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const runtime = new FakeRuntime({ clock });
  runtime.addImage('busybox:1.36', { files: BUSYBOX_FILES, config: { cmd: ['sh'] } });
  runtime.addImage('contract/entrypoint:1', {
    files: BUSYBOX_FILES,
    config: { entrypoint: ['/bin/busybox', 'echo', 'entry'], cmd: ['from-cmd'], env: ['PATH=/bin', 'IMAGE_VAR=from-image'] },
  });
  let dirs = 0;
  return {
    runtime,
    busybox: 'busybox:1.36',
    entrypointImage: 'contract/entrypoint:1',
    cmd: (argv, program) => {
      runtime.program(argv, program);
      return argv;
    },
    privateImage: async () => {
      const auth = { username: 'alice', password: 's3cret-pw', serverAddress: '127.0.0.1:5000' };
      runtime.addRegistryImage('127.0.0.1:5000/private/busybox:1.36', { files: BUSYBOX_FILES, auth });
      return { ref: '127.0.0.1:5000/private/busybox:1.36', auth };
    },
    missingImage: async () => '127.0.0.1:5000/missing/image:1',
    hostDir: async (files) => {
      const dir = `/fake-host/${++dirs}`;
      for (const [k, v] of Object.entries(files)) runtime.hostFiles.set(`${dir}/${k}`, v);
      return dir;
    },
    now: () => clock.now(),
    reconnect: () => runtime,
    runLabels: { 'jobyard.io/contract-run': 'fake' },
    runId: 'fake',
    teardown: async () => {},
  };
});

describe('FakeRuntime scripting', () => {
  async function podWith(rt: FakeRuntime) {
    rt.addImage('app:1', { config: { cmd: ['/app'] } });
    const sandbox = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 }, hostname: 'p' });
    return sandbox;
  }

  it('fails the next call of an operation as scripted, once', async () => {
    const rt = new FakeRuntime();
    const sandbox = await podWith(rt);
    rt.failNext('createContainer', new RuntimeError('CreateContainerError', 'disk full'));
    const err = await rt.createContainer(sandbox, { metadata: { name: 'a', attempt: 0 }, image: 'app:1' }).catch((e: unknown) => e);
    expect(isRuntimeError(err, 'CreateContainerError')).toBe(true);
    await expect(rt.createContainer(sandbox, { metadata: { name: 'a', attempt: 0 }, image: 'app:1' })).resolves.toMatch(/^[a-f0-9]{64}$/);
  });

  it('runs containers by name: "this container exits 1 after start"', async () => {
    const rt = new FakeRuntime();
    const sandbox = await podWith(rt);
    rt.program((ctx) => ctx.containerName === 'worker' && !ctx.isExec, (p) => p.exit(1));
    const id = await rt.createContainer(sandbox, { metadata: { name: 'worker', attempt: 0 }, image: 'app:1' });
    await rt.startContainer(id);
    expect(await rt.waitContainer(id)).toMatchObject({ state: 'exited', exitCode: 1, reason: 'Error' });
    expect(rt.calls.map((c) => c.op)).toEqual(['runPodSandbox', 'createContainer', 'startContainer']);
  });

  it('lets a test end or OOM-kill a running container', async () => {
    const rt = new FakeRuntime();
    const sandbox = await podWith(rt);
    rt.program(['/app'], (p) => p.forever());
    const a = await rt.createContainer(sandbox, { metadata: { name: 'a', attempt: 0 }, image: 'app:1' });
    const b = await rt.createContainer(sandbox, { metadata: { name: 'b', attempt: 0 }, image: 'app:1' });
    await rt.startContainer(a);
    await rt.startContainer(b);
    rt.exitContainer(a, 42);
    rt.oomKill(b);
    expect(await rt.containerStatus(a)).toMatchObject({ exitCode: 42, reason: 'Error' });
    expect(await rt.containerStatus(b)).toMatchObject({ exitCode: 137, reason: 'OOMKilled', oomKilled: true });
  });

  it('waits grace periods on the virtual clock the test advances when autoAdvance is off', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const rt = new FakeRuntime({ clock, autoAdvance: false });
    const sandbox = await podWith(rt);
    rt.program(['/app'], (p) => p.forever());
    const id = await rt.createContainer(sandbox, { metadata: { name: 'a', attempt: 0 }, image: 'app:1' });
    await rt.startContainer(id);
    let stopped = false;
    const stopping = rt.stopContainer(id, 30).then(() => (stopped = true));
    await rt.advance(29_000);
    expect(stopped).toBe(false);
    expect((await rt.containerStatus(id)).state).toBe('running');
    await rt.advance(1_000);
    await stopping;
    expect(await rt.containerStatus(id)).toMatchObject({ exitCode: 137, finishedAt: new Date('2026-01-01T00:00:30Z') });
  });

  it('keeps a Memory volume only while something mounts it, like a tmpfs', async () => {
    const rt = new FakeRuntime();
    await rt.createVolume({ name: 'v', medium: 'Memory' });
    const sandbox = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 }, hostname: 'p', volumes: ['v'] });
    await rt.writeVolumeFiles(sandbox, 'v', [{ path: 'k', data: 'secret' }]);
    rt.addImage('app:1', { config: { cmd: ['/app'] } });
    let seen: string | undefined;
    rt.program(['/app'], (p) => {
      seen = p.readFile('/v/k');
    });
    const id = await rt.createContainer(sandbox, { metadata: { name: 'a', attempt: 0 }, image: 'app:1', mounts: [{ type: 'volume', source: 'v', target: '/v' }] });
    await rt.startContainer(id);
    await rt.waitContainer(id);
    expect(seen).toBe('secret');
    await rt.stopPodSandbox(sandbox);
    expect((await rt.readFile(id, '/v/k').catch((e: unknown) => e)) instanceof RuntimeError).toBe(true);
  });
});
