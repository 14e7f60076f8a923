// The runtime contract against jobyard's containerd through the CRI (scripts/containerd.sh
// start: socket /run/jobyard/containerd/containerd.sock), plus what only the CRI runtime has.
// Everything this run creates carries the label jobyard.io/contract-run=<run id> and is removed
// in teardown.
//
// Images: busybox:1.36 is in containerd already (scripts/containerd.sh imports it from Docker);
// the entrypoint image is built with Docker (DockerRuntime.importImage), pushed to a private
// registry (Debian's docker-registry with htpasswd auth on a free loopback port) and pulled
// through the CRI with its credentials, as is the contract's private image (containerd 1.6
// pulls from a loopback registry over plain HTTP without a hosts.toml). Every image pulled into
// containerd here has an id of its own (a label with the run id): the CRI's RemoveImage
// removes an image under all its names.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CgroupfsV1PodCgroups } from '../../pod-cgroups.js';
import { DockerRuntime } from '../docker/index.js';
import { busyboxRootfs, findStaticBusybox } from '../docker/pause-image.js';
import { isRuntimeError } from '../runtime-error.js';
import { describeRuntimeContract } from '../testing/index.js';
import { CriRuntime } from './cri-runtime.js';

const RUN_ID = `c${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const RUN_LABELS = { 'jobyard.io/contract-run': RUN_ID };
const SOCKET = '/run/jobyard/containerd/containerd.sock';
const CGROUP_V2 = existsSync('/sys/fs/cgroup/cgroup.controllers');

interface Registry {
  host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** docker-registry on a free loopback port with one htpasswd (bcrypt) user. */
async function startRegistry(auth: { user: string; password: string }): Promise<Registry> {
  const binary = ['/usr/bin/docker-registry', '/usr/bin/registry'].find((p) => existsSync(p));
  if (!binary) throw new Error('docker-registry is not installed: run scripts/setup.sh (apt-get install docker-registry)');
  const dir = await mkdtemp(join(tmpdir(), 'jobyard-cri-registry-'));
  const { stdout: htpasswd } = await promisify(execFile)('htpasswd', ['-Bbn', auth.user, auth.password]);
  await writeFile(join(dir, 'htpasswd'), htpasswd);
  const host = `127.0.0.1:${await freePort()}`;
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

describeRuntimeContract('containerd (CRI)', async () => {
  if (!existsSync(SOCKET)) throw new Error(`no containerd at ${SOCKET}: run sudo scripts/containerd.sh start`);
  const runtime = new CriRuntime();
  await runtime.info(); // fails loudly when no runtime answers
  const docker = new DockerRuntime();
  const busybox = 'docker.io/library/busybox:1.36';
  if (!(await runtime.imageStatus(busybox))) throw new Error(`${busybox} is not in containerd: run sudo scripts/containerd.sh images`);
  const dockerImages: string[] = [];
  const criImages: string[] = [];
  const tempDirs: string[] = [];

  const auth = { user: 'contract', password: `pw-${randomBytes(6).toString('hex')}` };
  let registry: Registry | undefined = await startRegistry(auth);
  const registryAuth = { username: auth.user, password: auth.password, serverAddress: registry.host };

  // The entrypoint image: built by Docker, pushed, pulled through the CRI with credentials.
  const entrypointImage = `${registry.host}/contract/entrypoint:${RUN_ID}`;
  try {
    await docker.importImage(entrypointImage, busyboxRootfs(findStaticBusybox().bytes), [
      'ENTRYPOINT ["/bin/busybox","echo","entry"]',
      'CMD ["from-cmd"]',
      'ENV PATH=/bin IMAGE_VAR=from-image',
      `LABEL jobyard.io/contract-run=${RUN_ID}`,
    ]);
    dockerImages.push(entrypointImage);
    await docker.pushImage(entrypointImage, registryAuth);
    await runtime.pullImage(entrypointImage, registryAuth);
    criImages.push(entrypointImage);
  } catch (err) {
    // No teardown runs for a harness that never came: the registry goes now.
    for (const ref of dockerImages) await docker.removeImage(ref).catch(() => undefined);
    await registry.stop();
    throw err;
  }

  const privateRef = `${registry.host}/contract/busybox:${RUN_ID}`;
  let pushed = false;

  return {
    runtime,
    busybox,
    entrypointImage,
    cmd: (argv) => argv,
    privateImage: async () => {
      if (!pushed) {
        // An image of its own (its label makes its id unique): the CRI's RemoveImage removes
        // an image with every name it has, so teardown must never share an id with busybox.
        await docker.importImage(privateRef, busyboxRootfs(findStaticBusybox().bytes), ['CMD ["/bin/busybox","sh"]', `LABEL jobyard.io/contract-private=${RUN_ID}`]);
        await docker.pushImage(privateRef, registryAuth);
        dockerImages.push(privateRef);
        criImages.push(privateRef);
        pushed = true;
      }
      return { ref: privateRef, auth: registryAuth };
    },
    missingImage: async () => `${registry!.host}/contract/missing:${RUN_ID}`,
    hostDir: async (files) => {
      const dir = await mkdtemp(join(tmpdir(), 'jobyard-cri-contract-'));
      tempDirs.push(dir);
      for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
      return dir;
    },
    now: () => new Date(),
    reconnect: () => new CriRuntime(),
    ...(CGROUP_V2
      ? {}
      : {
          lacks: {
            containerPidsLimit:
              "the CRI has no per-container pids limit on cgroup v1 (LinuxContainerResources has none, 'unified' is v2 only): the kubelet bounds the pod's cgroup (podPidsLimit), see 'CriRuntime specifics > bounds a pod by the pids.max of its cgroup parent'",
          },
        }),
    runLabels: RUN_LABELS,
    runId: RUN_ID,
    teardown: async () => {
      for (const s of await runtime.listPodSandboxes({ labels: RUN_LABELS })) {
        await runtime.stopPodSandbox(s.id);
        await runtime.removePodSandbox(s.id);
      }
      for (const v of await runtime.listVolumes(RUN_LABELS)) await runtime.removeVolume(v.name);
      for (const ref of criImages) await runtime.removeImage(ref).catch(() => undefined);
      for (const ref of dockerImages) await docker.removeImage(ref).catch(() => undefined);
      await registry?.stop();
      registry = undefined;
      for (const d of tempDirs) await rm(d, { recursive: true, force: true });
      runtime.close();
    },
  };
});

describe('CriRuntime specifics', () => {
  it('reports itself from the CRI Version and Status: containerd, its version, v1', async () => {
    const runtime = new CriRuntime();
    try {
      const info = await runtime.info();
      expect(info).toMatchObject({ runtimeName: 'containerd', apiVersion: 'v1', cgroupDriver: 'cgroupfs', storageDriver: 'overlayfs' });
      expect(info.runtimeVersion).toMatch(/^1\.\d+\.\d+/);
      expect(info.cpus).toBeGreaterThan(0);
    } finally {
      runtime.close();
    }
  });

  it('reports an unreachable runtime as RuntimeUnavailable', async () => {
    const runtime = new CriRuntime({ endpoint: '/nonexistent/containerd.sock' });
    try {
      const err = await runtime.info().catch((e: unknown) => e);
      expect(isRuntimeError(err, 'RuntimeUnavailable')).toBe(true);
    } finally {
      runtime.close();
    }
  });

  it('gives a sandbox the kubelet log directory and its containers <name>/<attempt>.log under it, also from a restarted runtime', async () => {
    const logRoot = await mkdtemp(join(tmpdir(), 'jobyard-cri-logs-'));
    const runtime = new CriRuntime({ logRoot });
    // A restarted agent: it did not make the sandbox, so it reads its config from the runtime.
    const restarted = new CriRuntime({ logRoot: '/nonexistent/other-root' });
    const uid = `${RUN_ID}-logdir`;
    const id = await runtime.runPodSandbox({ metadata: { name: 'logdir', namespace: 'contract', uid, attempt: 0 }, hostname: 'logdir', labels: RUN_LABELS });
    try {
      const dir = join(logRoot, `contract_logdir_${uid}`);
      const run = async (rt: CriRuntime, attempt: number) => {
        const c = await rt.createContainer(id, { metadata: { name: 'main', attempt }, image: 'busybox:1.36', command: ['/bin/busybox', 'echo', `hi-${attempt}`] });
        await rt.startContainer(c);
        expect(await rt.waitContainer(c)).toMatchObject({ state: 'exited', exitCode: 0 });
        return c;
      };
      const first = await run(runtime, 3);
      expect((await runtime.containerLogInfo(first)).logPath).toBe(join(dir, 'main', '3.log'));
      const second = await run(restarted, 4);
      expect((await restarted.containerLogInfo(second)).logPath).toBe(join(dir, 'main', '4.log'));
      expect((await readFile(join(dir, 'main', '4.log'), 'utf8')).trim()).toMatch(/^\S+ stdout F hi-4$/);
    } finally {
      await runtime.removePodSandbox(id);
      runtime.close();
      restarted.close();
      await rm(logRoot, { recursive: true, force: true });
    }
  });

  it.skipIf(CGROUP_V2)('bounds a pod by the pids.max of its cgroup parent (podPidsLimit on cgroup v1, as the kubelet)', async () => {
    const runtime = new CriRuntime();
    const cgroups = new CgroupfsV1PodCgroups({ root: '/sys/fs/cgroup', parent: `/jobyard-contract/${RUN_ID}`, pidsLimit: 32 });
    const uid = `${RUN_ID}-pidpod`;
    const cgroupParent = await cgroups.ensure(uid);
    const id = await runtime.runPodSandbox({ metadata: { name: 'pidpod', namespace: 'contract', uid, attempt: 0 }, hostname: 'pidpod', labels: RUN_LABELS, cgroupParent });
    try {
      // 60 background sleeps in a pod of at most 32 pids (the pause process counts too, and
      // runc's init threads while the container starts: a tighter limit fails the start itself).
      const c = await runtime.createContainer(id, {
        metadata: { name: 'forker', attempt: 0 },
        image: 'busybox:1.36',
        command: ['/bin/busybox', 'sh', '-c', 'i=0; while [ $i -lt 60 ]; do /bin/busybox sleep 30 & i=$((i+1)); done; echo forked; exec /bin/busybox sleep 30'],
      });
      await runtime.startContainer(c);
      const lines: string[] = [];
      for await (const l of runtime.containerLogs(c, { follow: true })) {
        lines.push(l.content);
        if (l.content === 'forked') break;
      }
      expect(lines.some((l) => /can't fork/.test(l))).toBe(true);
      const current = Number((await readFile(`/sys/fs/cgroup/pids${cgroupParent}/pids.current`, 'utf8')).trim());
      expect(current).toBeGreaterThan(1);
      expect(current).toBeLessThanOrEqual(32);
    } finally {
      await runtime.stopPodSandbox(id);
      await runtime.removePodSandbox(id);
      runtime.close();
      await cgroups.remove(uid);
      // The run's and the shared parent in every hierarchy (another run may still use the shared one).
      for (const h of await readdir('/sys/fs/cgroup')) {
        for (const dir of [`jobyard-contract/${RUN_ID}`, 'jobyard-contract']) await rmdir(join('/sys/fs/cgroup', h, dir)).catch(() => undefined);
      }
    }
  });
});
