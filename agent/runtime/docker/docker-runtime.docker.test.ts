// The runtime contract against the real Docker engine (DOCKER_HOST or /var/run/docker.sock),
// plus what only the Docker implementation has (building the pause image, engine errors).
// Everything this run creates carries the label jobyard.io/contract-run=<run id> and is
// removed in teardown.
//
// The private registry is Debian's docker-registry with htpasswd auth, started by a small
// helper below: test/support/registry.ts does the same, but agent/ may not import test/
// (.dependency-cruiser.cjs), and pushing through DockerRuntime.pushImage tests our push too.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeRuntimeContract } from '../testing/index.js';
import { isRuntimeError } from '../runtime-error.js';
import { DockerRuntime } from './docker-runtime.js';
import { busyboxRootfs, findStaticBusybox } from './pause-image.js';

const RUN_ID = `c${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const RUN_LABELS = { 'jobyard.io/contract-run': RUN_ID };

interface Registry {
  host: string;
  stop(): Promise<void>;
}

/** docker-registry on a free loopback port with one htpasswd (bcrypt) user; dockerd allows plain HTTP to 127.0.0.0/8. */
async function startRegistry(auth: { user: string; password: string }): Promise<Registry> {
  const binary = ['/usr/bin/docker-registry', '/usr/bin/registry'].find((p) => existsSync(p));
  if (!binary) throw new Error('docker-registry is not installed: run scripts/setup.sh (apt-get install docker-registry)');
  const dir = await mkdtemp(join(tmpdir(), 'jobyard-contract-registry-'));
  const { stdout: htpasswd } = await promisify(execFile)('htpasswd', ['-Bbn', auth.user, auth.password]);
  await writeFile(join(dir, 'htpasswd'), htpasswd);
  const port = await new Promise<number>((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
  const host = `127.0.0.1:${port}`;
  await writeFile(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
      `http: { addr: "${host}", secret: ${randomBytes(8).toString('hex')} }`,
      `auth: { htpasswd: { realm: contract, path: ${join(dir, 'htpasswd')} } }`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}`);
    const res = await fetch(`http://${host}/v2/`).catch(() => undefined);
    if (res?.status === 401) break;
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${host}`);
    await new Promise((r) => setTimeout(r, 50)); // readiness poll, bounded by the deadline
  }
  return {
    host,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** busybox:1.36 when the machine has it (scripts/images/build.sh), else one built from the static binary. */
async function busyboxImage(runtime: DockerRuntime, created: string[]): Promise<string> {
  if (await runtime.imageStatus('busybox:1.36')) return 'busybox:1.36';
  const ref = `jobyard-test/busybox:${RUN_ID}`;
  await runtime.importImage(ref, busyboxRootfs(findStaticBusybox().bytes), ['CMD ["/bin/busybox","sh"]']);
  created.push(ref);
  return ref;
}

describeRuntimeContract('DockerRuntime', async () => {
  const runtime = new DockerRuntime();
  await runtime.info(); // fails loudly when no engine answers
  const createdImages: string[] = [];
  const tempDirs: string[] = [];
  const busybox = await busyboxImage(runtime, createdImages);

  const entrypointImage = `jobyard-test/entrypoint:${RUN_ID}`;
  await runtime.importImage(entrypointImage, busyboxRootfs(findStaticBusybox().bytes), [
    'ENTRYPOINT ["/bin/busybox","echo","entry"]',
    'CMD ["from-cmd"]',
    'ENV PATH=/bin IMAGE_VAR=from-image',
  ]);
  createdImages.push(entrypointImage);

  const auth = { user: 'contract', password: `pw-${randomBytes(6).toString('hex')}` };
  let registry: Registry | undefined = await startRegistry(auth);
  const privateRef = `${registry.host}/contract/busybox:${RUN_ID}`;
  let pushed = false;

  return {
    runtime,
    busybox,
    entrypointImage,
    cmd: (argv) => argv,
    privateImage: async () => {
      if (!pushed) {
        await runtime.tagImage(busybox, privateRef);
        await runtime.pushImage(privateRef, { username: auth.user, password: auth.password, serverAddress: registry!.host });
        // Untag, so that the contract's pull really pulls.
        await runtime.removeImage(privateRef);
        pushed = true;
        createdImages.push(privateRef);
      }
      return { ref: privateRef, auth: { username: auth.user, password: auth.password, serverAddress: registry!.host } };
    },
    missingImage: async () => `${registry!.host}/contract/missing:${RUN_ID}`,
    hostDir: async (files) => {
      const dir = await mkdtemp(join(tmpdir(), 'jobyard-contract-'));
      tempDirs.push(dir);
      for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
      return dir;
    },
    now: () => new Date(),
    reconnect: () => new DockerRuntime(),
    runLabels: RUN_LABELS,
    runId: RUN_ID,
    teardown: async () => {
      for (const s of await runtime.listPodSandboxes({ labels: RUN_LABELS })) await runtime.removePodSandbox(s.id);
      for (const v of await runtime.listVolumes(RUN_LABELS)) await runtime.removeVolume(v.name);
      for (const ref of createdImages) await runtime.removeImage(ref).catch(() => undefined);
      await registry?.stop();
      registry = undefined;
      for (const d of tempDirs) await rm(d, { recursive: true, force: true });
    },
  };
});

describe('DockerRuntime specifics', () => {
  it('builds its pause image from a static busybox when the engine lacks it', async () => {
    const pauseImage = `jobyard-test/pause:${RUN_ID}`;
    const runtime = new DockerRuntime({ pauseImage });
    expect(await runtime.imageStatus(pauseImage)).toBeUndefined();
    const id = await runtime.runPodSandbox({
      metadata: { name: 'pause-build', namespace: 'contract', uid: `${RUN_ID}-pause`, attempt: 0 },
      hostname: 'pause-build',
      labels: RUN_LABELS,
    });
    try {
      expect((await runtime.podSandboxStatus(id)).state).toBe('ready');
      const image = await runtime.imageStatus(pauseImage);
      expect(image?.config.entrypoint?.[0]).toBe('/bin/busybox');
      // The pause process exits on SIGTERM at once instead of waiting for SIGKILL.
      const started = Date.now();
      await runtime.docker.getContainer(id).stop({ t: 20 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await runtime.docker.getContainer(id).inspect()).State.ExitCode).toBe(0);
    } finally {
      await runtime.removePodSandbox(id);
      await runtime.removeImage(pauseImage);
    }
  });

  it('lets the node reach a pod at its IP (for httpGet/tcpSocket probes) and on a published hostPort', async () => {
    const runtime = new DockerRuntime();
    const hostPort = await new Promise<number>((resolve, reject) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
      });
    });
    const id = await runtime.runPodSandbox({
      metadata: { name: 'ports', namespace: 'contract', uid: `${RUN_ID}-ports`, attempt: 0 },
      hostname: 'ports',
      labels: RUN_LABELS,
      portMappings: [{ containerPort: 8080, hostPort, hostIP: '127.0.0.1' }],
    });
    try {
      const image = (await runtime.imageStatus('busybox:1.36')) ? 'busybox:1.36' : undefined;
      if (!image) throw new Error('busybox:1.36 missing: run scripts/setup.sh');
      const c = await runtime.createContainer(id, {
        metadata: { name: 'web', attempt: 0 },
        image,
        command: ['/bin/busybox', 'sh', '-c', 'mkdir -p /www && echo pong > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www'],
      });
      await runtime.startContainer(c);
      const { ip } = await runtime.podSandboxStatus(id);
      const get = async (url: string) => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const res = await fetch(url).catch(() => undefined);
          if (res) return (await res.text()).trim();
          if (Date.now() > deadline) throw new Error(`${url} did not answer`);
          await new Promise((r) => setTimeout(r, 50)); // readiness poll, bounded by the deadline
        }
      };
      expect(await get(`http://${ip}:8080/`)).toBe('pong');
      expect(await get(`http://127.0.0.1:${hostPort}/`)).toBe('pong');
    } finally {
      await runtime.removePodSandbox(id);
    }
  });

  it('streams an exec: stdout and stderr apart, stdin to its end, a tty with its size, the exit code', async () => {
    const runtime = new DockerRuntime();
    const id = await runtime.runPodSandbox({ metadata: { name: 'exec', namespace: 'contract', uid: `${RUN_ID}-exec`, attempt: 0 }, hostname: 'exec', labels: RUN_LABELS });
    const text = (s: NodeJS.ReadableStream) => new Promise<string>((resolve) => {
      let out = '';
      s.on('data', (c: Buffer) => (out += c.toString()));
      s.on('end', () => resolve(out));
    });
    try {
      const image = (await runtime.imageStatus('busybox:1.36')) ? 'busybox:1.36' : undefined;
      if (!image) throw new Error('busybox:1.36 missing: run scripts/setup.sh');
      const c = await runtime.createContainer(id, { metadata: { name: 'main', attempt: 0 }, image, command: ['/bin/busybox', 'sleep', '3600'] });
      await runtime.startContainer(c);

      const plain = await runtime.exec!(c, ['sh', '-c', 'echo out; echo err >&2; exit 4'], { stdin: false, stdout: true, stderr: true, tty: false });
      expect(await Promise.all([text(plain.stdout), text(plain.stderr)])).toEqual(['out\n', 'err\n']);
      expect(await plain.exitCode()).toBe(4);

      const piped = await runtime.exec!(c, ['sh', '-c', 'wc -c; echo after-eof'], { stdin: true, stdout: true, stderr: true, tty: false });
      const payload = Buffer.alloc(2 * 1024 * 1024, 'x');
      piped.stdin!.end(payload);
      expect((await text(piped.stdout)).split(/\s+/).filter(Boolean)).toEqual([String(payload.length), 'after-eof']);
      expect(await piped.exitCode()).toBe(0);

      const tty = await runtime.exec!(c, ['sh', '-c', 'read line; stty size; tty; echo "got $line" >&2'], { stdin: true, stdout: true, stderr: false, tty: true });
      await tty.resize(100, 30);
      tty.stdin!.write('hello\r');
      const out = await text(tty.stdout);
      expect(out).toContain('30 100');
      expect(out).toMatch(/\/dev\/pts\/\d+/);
      // With a terminal, stderr arrives on stdout.
      expect(out).toContain('got hello');
      expect(await tty.exitCode()).toBe(0);

      await runtime.stopContainer(c, 0);
      const err = await runtime.exec!(c, ['true'], { stdin: false, stdout: true, stderr: true, tty: false }).catch((e: unknown) => e);
      expect(isRuntimeError(err, 'NotRunning')).toBe(true);
    } finally {
      await runtime.removePodSandbox(id);
    }
  });

  it('attaches to a container’s main process: its stdin (closed with the attachment when stdinOnce), its output, its tty', async () => {
    const runtime = new DockerRuntime();
    const id = await runtime.runPodSandbox({ metadata: { name: 'attach', namespace: 'contract', uid: `${RUN_ID}-attach`, attempt: 0 }, hostname: 'attach', labels: RUN_LABELS });
    const text = (s: NodeJS.ReadableStream) => new Promise<string>((resolve) => {
      let out = '';
      s.on('data', (c: Buffer) => (out += c.toString()));
      s.on('end', () => resolve(out));
    });
    try {
      const image = (await runtime.imageStatus('busybox:1.36')) ? 'busybox:1.36' : undefined;
      if (!image) throw new Error('busybox:1.36 missing: run scripts/setup.sh');
      const reader = await runtime.createContainer(id, {
        metadata: { name: 'reader', attempt: 0 },
        image,
        command: ['/bin/busybox', 'sh', '-c', 'while read l; do echo "got $l"; done; echo "stdin ended" >&2'],
        stdin: true,
        stdinOnce: true,
      });
      await runtime.startContainer(reader);
      const session = await runtime.attach!(reader, { stdin: true, stdout: true, stderr: true, tty: false });
      session.stdin!.end('one\ntwo\n');
      expect(await Promise.all([text(session.stdout), text(session.stderr)])).toEqual(['got one\ngot two\n', 'stdin ended\n']);
      expect(await session.exitCode()).toBe(0);
      expect(await runtime.waitContainer(reader)).toMatchObject({ state: 'exited', exitCode: 0 });

      const shell = await runtime.createContainer(id, { metadata: { name: 'shell', attempt: 0 }, image, command: ['/bin/busybox', 'sh'], stdin: true, tty: true });
      await runtime.startContainer(shell);
      const tty = await runtime.attach!(shell, { stdin: true, stdout: true, stderr: true, tty: true });
      await tty.resize(90, 20);
      const out = text(tty.stdout);
      tty.stdin!.write('stty size; tty; exit\r');
      expect(await out).toMatch(/20 90[\s\S]*\/dev\/pts\/\d+/);
      expect(await runtime.waitContainer(shell)).toMatchObject({ state: 'exited', exitCode: 0 });
    } finally {
      await runtime.removePodSandbox(id);
    }
  });

  it('reports an unreachable engine as RuntimeUnavailable', async () => {
    const runtime = new DockerRuntime({ docker: { socketPath: '/nonexistent/docker.sock' } });
    const err = await runtime.info().catch((e: unknown) => e);
    expect(isRuntimeError(err, 'RuntimeUnavailable')).toBe(true);
  });
});
