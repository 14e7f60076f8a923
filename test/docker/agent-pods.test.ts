// The node agent's pods with real containers: a real `jobyard server` (scheduler,
// controllers and node agent in one process, on the machine's Docker engine), driven with
// kubectl. Every test has its own namespace; pods use terminationGracePeriodSeconds 1 where
// the grace period is not what is tested.
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import type { JobyardServer } from '../support/jobyard-server.js';
import { pushImage, startRegistry, type Registry } from '../support/registry.js';
import {
  BUSYBOX,
  apply,
  docker,
  engineContainers,
  engineVolumes,
  eventsFor,
  getPod,
  kubectl,
  namespace,
  phaseIs,
  pod,
  removeAgentLeftovers,
  removeImageName,
  startAgentServer,
  waitFor,
  waitPod,
} from './agent-harness.js';
import { TEST_RUNTIME } from '../support/test-runtime.js';

let server: JobyardServer;
let seq = 0;
// The pods' hostPath directories, all under the one directory the server allows them in.
const hostRoot = mkdtempSync(join(tmpdir(), 'jobyard-hostpath-'));
const hostDirs: string[] = [hostRoot];

async function ns(): Promise<string> {
  const name = `agent-${++seq}`;
  await apply(server, namespace(name));
  return name;
}

function hostDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(hostRoot, 'dir-'));
  for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k), v);
  hostDirs.push(dir);
  return dir;
}

const logs = (n: string, name: string, ...args: string[]) => kubectl(server, ['logs', '-n', n, name, ...args]);
const state = (p: Pod, name: string) => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find((s) => s.name === name);

beforeAll(async () => {
  server = await startAgentServer({ args: ['--allow-host-path', hostRoot] });
});

afterAll(async () => {
  if (server) {
    await server.stop();
    await removeAgentLeftovers(server.dataDir);
  }
  for (const d of hostDirs) rmSync(d, { recursive: true, force: true });
});

describe('the pod', () => {
  it('an init container feeds an emptyDir (also through a subPath) that the app container reads', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'init-feeds', {
        restartPolicy: 'Never',
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          { name: 'fill', image: BUSYBOX, command: ['sh', '-c', 'echo from-init > /work/data; echo in-subpath > /sub/file'], volumeMounts: [{ name: 'work', mountPath: '/work' }, { name: 'work', mountPath: '/sub', subPath: 'nested' }] },
        ],
        containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'cat /work/data /work/nested/file'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      }),
    );
    const p = await waitPod(server, n, 'init-feeds', 'Succeeded', phaseIs('Succeeded'));
    expect(await logs(n, 'init-feeds')).toBe('from-init\nin-subpath\n');
    const init = state(p, 'fill')?.state?.terminated;
    const main = state(p, 'main')?.state?.terminated;
    expect(init).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(Date.parse(main?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(init?.finishedAt ?? ''));
    expect(p.status?.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'True', reason: 'PodCompleted' });
  });

  it('two containers talk over localhost and share the pod hostname; the pod IP is in status', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'pair', {
        restartPolicy: 'Never',
        containers: [
          { name: 'server', image: BUSYBOX, command: ['sh', '-c', 'mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www'] },
          { name: 'client', image: BUSYBOX, command: ['sh', '-c', 'for i in $(seq 1 100); do wget -q -O - http://localhost:8080/ && exit 0; sleep 0.1; done; exit 1'] },
        ],
      }),
    );
    const p = await waitPod(server, n, 'pair', 'client done', (x) => !!state(x, 'client')?.state?.terminated);
    expect(state(p, 'client')?.state?.terminated?.exitCode).toBe(0);
    expect(await logs(n, 'pair', '-c', 'client')).toBe('hello-pair\n');
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(p.status?.podIPs).toEqual([{ ip: p.status?.podIP }]);
    expect(p.status?.hostIP).toBeTruthy();
  });

  it('env from a ConfigMap, a Secret and the pod itself ($(VAR) expansion, envFrom with prefix, downward API)', async () => {
    const n = await ns();
    await apply(
      server,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: n }, data: { color: 'blue', size: 'L' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: n }, data: { password: Buffer.from('s3cret').toString('base64') } },
      pod(n, 'envs', {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            command: ['sh', '-c', 'echo "$COLOR|$PASSWORD|$POD_NAME|$POD_NS|$GREETING|$CFG_size|$MEM_MI|$(echo $POD_IP | grep -c .)"'],
            resources: { limits: { memory: '64Mi' } },
            envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }],
            env: [
              { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
              { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'GREETING', value: 'hi-$(POD_NAME)' },
            ],
          },
        ],
      }),
    );
    await waitPod(server, n, 'envs', 'Succeeded', phaseIs('Succeeded'));
    expect(await logs(n, 'envs')).toBe(`blue|s3cret|envs|${n}|hi-envs|L|64|1\n`);
  });

  it('a missing ConfigMap key keeps the container waiting in CreateContainerConfigError', async () => {
    const n = await ns();
    await apply(server, pod(n, 'no-cfg', { containers: [{ name: 'main', image: BUSYBOX, command: ['true'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }] }));
    const p = await waitPod(server, n, 'no-cfg', 'CreateContainerConfigError', (x) => state(x, 'main')?.state?.waiting?.reason === 'CreateContainerConfigError');
    expect(state(p, 'main')?.state?.waiting?.message).toBe('configmap "absent" not found');
    expect(await kubectl(server, ['get', 'pod', 'no-cfg', '-n', n, '--no-headers'])).toMatch(/CreateContainerConfigError/);
  });

  it('configMap, secret and hostPath volumes (items, defaultMode, secret on tmpfs, read-only)', async () => {
    const n = await ns();
    const dir = hostDir({ 'input.txt': 'from the host' });
    await apply(
      server,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files', namespace: n }, data: { 'app.conf': 'debug=true', ignored: 'x' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: n }, data: { token: Buffer.from('t0ken').toString('base64') } },
      pod(n, 'vols', {
        restartPolicy: 'Never',
        volumes: [
          { name: 'cfg', configMap: { name: 'files', items: [{ key: 'app.conf', path: 'conf/app.conf' }] } },
          { name: 'sec', secret: { secretName: 'keys', defaultMode: 0o400 } },
          { name: 'host', hostPath: { path: dir, type: 'Directory' } },
        ],
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            command: [
              'sh',
              '-c',
              [
                'cat /etc/cfg/conf/app.conf; echo',
                'ls /etc/cfg | grep -c ignored',
                'cat /etc/secret/token; echo',
                'stat -L -c %a /etc/secret/token',
                "grep ' /etc/secret ' /proc/mounts | cut -d' ' -f3",
                'cat /host/input.txt; echo',
                'echo from-the-pod > /host/output.txt',
                'touch /etc/cfg/x 2>/dev/null && echo writable || echo read-only',
              ].join('; '),
            ],
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/cfg' },
              { name: 'sec', mountPath: '/etc/secret' },
              { name: 'host', mountPath: '/host' },
            ],
          },
        ],
      }),
    );
    await waitPod(server, n, 'vols', 'Succeeded', phaseIs('Succeeded', 'Failed'));
    expect((await logs(n, 'vols')).split('\n')).toEqual(['debug=true', '0', 't0ken', '400', 'tmpfs', 'from the host', 'read-only', '']);
    expect(readFileSync(join(dir, 'output.txt'), 'utf8')).toBe('from-the-pod\n');
  });

  it('a hostPath that fails its type check: FailedMount with upstream\'s message, the pod stays ContainerCreating', async () => {
    const n = await ns();
    const dir = hostDir();
    await apply(server, pod(n, 'bad-host', { containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }], volumes: [{ name: 'h', hostPath: { path: join(dir, 'absent'), type: 'Directory' } }] }));
    const events = await waitFor('FailedMount', async () => {
      const e = await eventsFor(server, n, 'bad-host');
      return e.some((x) => x.startsWith('FailedMount')) ? e : undefined;
    });
    expect(events).toContain(`FailedMount: MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${join(dir, 'absent')} is not a directory`);
    expect(state(await getPod(server, n, 'bad-host'), 'main')?.state?.waiting?.reason).toBe('ContainerCreating');
  });

  it('a PersistentVolumeClaim is bound to a local volume that outlives its pods', async () => {
    const n = await ns();
    await apply(server, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: n }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const pvc = await waitFor('the claim Bound', async () => {
      const c = JSON.parse(await kubectl(server, ['get', 'pvc', 'data', '-n', n, '-o', 'json'])) as { spec: { volumeName?: string }; status?: { phase?: string } };
      return c.status?.phase === 'Bound' ? c : undefined;
    });
    const claimVolume = pvc.spec.volumeName ?? '';
    const mount = { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] };
    await apply(server, pod(n, 'writer', { restartPolicy: 'Never', ...mount, containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'echo kept > /data/file'], volumeMounts: [{ name: 'd', mountPath: '/data' }] }] }));
    await waitPod(server, n, 'writer', 'Succeeded', phaseIs('Succeeded'));
    await kubectl(server, ['delete', 'pod', 'writer', '-n', n, '--wait']);
    await apply(server, pod(n, 'reader', { restartPolicy: 'Never', ...mount, containers: [{ name: 'main', image: BUSYBOX, command: ['cat', '/data/file'], volumeMounts: [{ name: 'd', mountPath: '/data' }] }] }));
    await waitPod(server, n, 'reader', 'Succeeded', phaseIs('Succeeded'));
    expect(await logs(n, 'reader')).toBe('kept\n');
    await kubectl(server, ['delete', 'pod', 'reader', '-n', n, '--wait']);
    await kubectl(server, ['delete', 'pvc', 'data', '-n', n, '--wait']);
    await waitFor('the claim volume removed', async () => {
      return !(await engineVolumes()).includes(claimVolume);
    }, 60_000, 500);
  });
});

describe('resources', () => {
  it('memory and CPU limits are in the container\'s cgroup (CPU quota from millicores, shares from requests)', async () => {
    const n = await ns();
    const script = [
      'if [ -f /sys/fs/cgroup/memory.max ]; then cat /sys/fs/cgroup/memory.max; cut -d" " -f1,2 /sys/fs/cgroup/cpu.max; else',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes; echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us); cat /sys/fs/cgroup/cpu/cpu.shares; fi',
    ].join(' ');
    await apply(
      server,
      pod(n, 'limits', {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', script], resources: { limits: { memory: '64Mi', cpu: '250m' }, requests: { memory: '32Mi', cpu: '100m' } } }],
      }),
    );
    const p = await waitPod(server, n, 'limits', 'Succeeded', phaseIs('Succeeded'));
    const lines = (await logs(n, 'limits')).trim().split('\n');
    expect(lines[0]).toBe(String(64 * 1024 * 1024));
    expect(lines[1]).toBe('25000 100000');
    if (lines[2] !== undefined) expect(lines[2]).toBe('102');
    expect(p.status?.qosClass).toBe('Burstable');
  });

  it('an out-of-memory kill ends as OOMKilled with exit code 137', async () => {
    const n = await ns();
    await apply(server, pod(n, 'oom', { restartPolicy: 'Never', containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'exec dd if=/dev/zero of=/dev/null bs=128M count=1'], resources: { limits: { memory: '32Mi' } } }] }));
    const p = await waitPod(server, n, 'oom', 'Failed', phaseIs('Failed', 'Succeeded'));
    expect(state(p, 'main')?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(p.status?.phase).toBe('Failed');
  });

  it('a pod too big for the node waits Pending, PodScheduled=False/Unschedulable, with a FailedScheduling event', async () => {
    const n = await ns();
    await apply(server, pod(n, 'huge', { containers: [{ name: 'main', image: BUSYBOX, command: ['true'], resources: { requests: { cpu: '1000' } } }] }));
    const p = await waitPod(server, n, 'huge', 'Unschedulable', (x) => x.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable') ?? false);
    expect(p.status?.phase).toBe('Pending');
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..' });
    expect(await eventsFor(server, n, 'huge')).toContain('FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..');
  });
});

describe('probes and lifecycle hooks', () => {
  it('an HTTP readiness probe (named port, headers) turns the pod Ready once the server answers', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'ready', {
        containers: [
          {
            name: 'web',
            image: BUSYBOX,
            command: ['sh', '-c', 'mkdir -p /www; (sleep 3; echo ok > /www/ready) & exec httpd -f -p 8080 -h /www'],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/ready', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'jobyard' }] }, periodSeconds: 1, failureThreshold: 1 },
          },
        ],
      }),
    );
    const running = await waitPod(server, n, 'ready', 'running', (x) => !!state(x, 'web')?.state?.running);
    expect(running.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    const p = await waitPod(server, n, 'ready', 'Ready', (x) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 30_000);
    expect(state(p, 'web')?.ready).toBe(true);
    expect(p.status?.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('True');
    expect((await eventsFor(server, n, 'ready')).some((e) => e.startsWith('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404'))).toBe(true);
  });

  it("readiness drives the Job's ready count", async () => {
    const n = await ns();
    await apply(server, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'ready-job', namespace: n },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'main',
                image: BUSYBOX,
                command: ['sh', '-c', 'sleep 2; touch /tmp/ready; sleep 600'],
                readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    });
    const job = await waitFor('job ready 1', async () => {
      const j = JSON.parse(await kubectl(server, ['get', 'job', 'ready-job', '-n', n, '-o', 'json'])) as { status?: { ready?: number; active?: number } };
      return j.status?.ready === 1 ? j : undefined;
    }, 30_000);
    expect(job.status?.active).toBe(1);
    await kubectl(server, ['delete', 'job', 'ready-job', '-n', n, '--wait']);
  });

  it('an exec liveness probe that fails restarts the container (Unhealthy, then Killing)', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'live-exec', {
        restartPolicy: 'Always',
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            command: ['sh', '-c', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 600'],
            livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      }),
    );
    const p = await waitPod(server, n, 'live-exec', 'restarted', (x) => (state(x, 'main')?.restartCount ?? 0) >= 1, 60_000);
    expect(state(p, 'main')?.lastState?.terminated?.exitCode).toBe(137);
    const events = await eventsFor(server, n, 'live-exec');
    expect(events).toContain("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
    expect(events).toContain('Killing: Container main failed liveness probe, will be restarted');
  });

  it('a TCP liveness probe that fails kills the container of a Never pod: the pod fails', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'live-tcp', {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            command: ['sh', '-c', 'httpd -f -p 9000 & pid=$!; sleep 3; kill $pid; sleep 600'],
            livenessProbe: { tcpSocket: { port: 9000 }, initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      }),
    );
    const p = await waitPod(server, n, 'live-tcp', 'Failed', phaseIs('Failed'), 60_000);
    expect(state(p, 'main')?.state?.terminated?.exitCode).toBe(137);
    const events = await eventsFor(server, n, 'live-tcp');
    expect(events.some((e) => /^Unhealthy: Liveness probe failed: dial tcp [\d.]+:9000: connect: connection refused$/.test(e))).toBe(true);
    expect(events).toContain('Killing: Container main failed liveness probe');
  });

  it('postStart runs before the container counts as started, and the main process sees it', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'post-start', {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            command: ['sh', '-c', 'for i in $(seq 1 100); do [ -f /tmp/hook ] && cat /tmp/hook && exit 0; sleep 0.05; done; exit 1'],
            lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo written-by-postStart > /tmp/hook'] } } },
          },
        ],
      }),
    );
    await waitPod(server, n, 'post-start', 'Succeeded', phaseIs('Succeeded', 'Failed'));
    expect(await logs(n, 'post-start')).toBe('written-by-postStart\n');
  });

  it('deletion runs preStop, then SIGTERM within the grace period, and leaves no container behind', async () => {
    const n = await ns();
    const dir = hostDir();
    await apply(
      server,
      pod(n, 'pre-stop', {
        terminationGracePeriodSeconds: 10,
        volumes: [{ name: 'out', hostPath: { path: dir } }],
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            command: ['sh', '-c', "trap 'echo $(cat /out/prestop 2>/dev/null)+term > /out/term; exit 0' TERM; while true; do sleep 0.1; done"],
            volumeMounts: [{ name: 'out', mountPath: '/out' }],
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop > /out/prestop'] } } },
          },
        ],
      }),
    );
    const p = await waitPod(server, n, 'pre-stop', 'Running', (x) => !!state(x, 'main')?.state?.running);
    const uid = p.metadata.uid ?? '';
    expect((await engineContainers({ 'io.kubernetes.pod.uid': uid })).map((c) => c.sandbox).sort()).toEqual([false, true]);
    const started = Date.now();
    await kubectl(server, ['delete', 'pod', 'pre-stop', '-n', n, '--wait']);
    expect(Date.now() - started).toBeLessThan(9_000); // the trap ended it long before the 10 s grace
    expect(readFileSync(join(dir, 'term'), 'utf8')).toBe('prestop+term\n');
    expect(await engineContainers({ 'io.kubernetes.pod.uid': uid })).toEqual([]);
    expect(await eventsFor(server, n, 'pre-stop')).toContain('Killing: Stopping container main');
  });

  it('stdin and tty are passed to the container', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'stdio', {
        restartPolicy: 'Never',
        containers: [
          { name: 'tty', image: BUSYBOX, tty: true, command: ['sh', '-c', '[ -t 1 ] && echo tty-yes || echo tty-no'] },
          { name: 'stdin', image: BUSYBOX, stdin: true, command: ['sh', '-c', 'readlink /proc/self/fd/0 | cut -d: -f1'] },
          { name: 'plain', image: BUSYBOX, command: ['sh', '-c', '[ -t 1 ] && echo tty-yes || echo tty-no; readlink /proc/self/fd/0'] },
        ],
      }),
    );
    await waitPod(server, n, 'stdio', 'done', phaseIs('Succeeded', 'Failed'));
    // A terminal ends lines with \r\n; containerd's CRI log writer splits lines at \n and drops a \r before it (Go's bufio ReadLine), Docker's json-file keeps it.
    expect(await logs(n, 'stdio', '-c', 'tty')).toBe(TEST_RUNTIME === 'docker' ? 'tty-yes\r\n' : 'tty-yes\n');
    expect(await logs(n, 'stdio', '-c', 'stdin')).toBe('pipe\n');
    expect(await logs(n, 'stdio', '-c', 'plain')).toBe('tty-no\n/dev/null\n');
  });
});

describe('images', () => {
  let registry: Registry;
  const auth = { user: 'jobyard', password: randomBytes(9).toString('base64url') };
  let image: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth });
    image = `${registry.host}/private/busybox:1.36`;
    await pushImage(BUSYBOX, image, auth);
  });

  afterAll(async () => {
    // The private copy only (on Docker and containerd alike: the run's engine).
    await docker.getImage(image).remove().catch(() => undefined);
    await removeImageName(image);
    await registry?.stop();
  });

  it('a private image is refused without the pull secret (ErrImagePull / ImagePullBackOff) and pulled with it', async () => {
    const n = await ns();
    await apply(server, pod(n, 'no-secret', { restartPolicy: 'Never', containers: [{ name: 'main', image, command: ['echo', 'pulled'] }] }));
    const p = await waitPod(server, n, 'no-secret', 'ErrImagePull', (x) => ['ErrImagePull', 'ImagePullBackOff'].includes(state(x, 'main')?.state?.waiting?.reason ?? ''));
    expect(state(p, 'main')?.state?.waiting?.message ?? '').toMatch(/no basic auth credentials|unauthorized|authentication required/i);
    const events = await eventsFor(server, n, 'no-secret');
    expect(events).toContain(`Pulling: Pulling image "${image}"`);
    expect(events.some((e) => e.startsWith(`Failed: Failed to pull image "${image}"`))).toBe(true);
    expect(events).toContain('Failed: Error: ErrImagePull');
    expect(events.join('\n')).not.toContain(auth.password);

    await kubectl(server, ['create', 'secret', 'docker-registry', 'regcred', '-n', n, `--docker-server=${registry.host}`, `--docker-username=${auth.user}`, `--docker-password=${auth.password}`]);
    await apply(server, pod(n, 'with-secret', { restartPolicy: 'Never', imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'main', image, command: ['echo', 'pulled'] }] }));
    const ok = await waitPod(server, n, 'with-secret', 'Succeeded', phaseIs('Succeeded', 'Failed'));
    expect(ok.status?.phase).toBe('Succeeded');
    expect(await logs(n, 'with-secret')).toBe('pulled\n');
    expect(state(ok, 'main')?.imageID).toMatch(new RegExp(`^${registry.host}/private/busybox@sha256:[0-9a-f]{64}$`));
    const pulled = await eventsFor(server, n, 'with-secret');
    expect(pulled.some((e) => new RegExp(`^Pulled: Successfully pulled image "${image.replace(/[.]/g, '\\.')}" in [\\d.]+m?s`).test(e))).toBe(true);
  });

  it('an image already present is not pulled (IfNotPresent): "already present on machine"; Never with an absent image: ErrImageNeverPull', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'present', { restartPolicy: 'Never', containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }] }),
      pod(n, 'never', { restartPolicy: 'Never', containers: [{ name: 'main', image: 'jobyard.test/absent:1', imagePullPolicy: 'Never', command: ['true'] }] }),
    );
    await waitPod(server, n, 'present', 'Succeeded', phaseIs('Succeeded'));
    expect(await eventsFor(server, n, 'present')).toContain(`Pulled: Container image "${BUSYBOX}" already present on machine`);
    const p = await waitPod(server, n, 'never', 'ErrImageNeverPull', (x) => state(x, 'main')?.state?.waiting?.reason === 'ErrImageNeverPull');
    expect(state(p, 'main')?.state?.waiting?.message).toBe('Container image "jobyard.test/absent:1" is not present with pull policy of Never');
  });
});

describe('kubectl logs', () => {
  it('of a pod, with -f until the container ends, and --previous after a restart', async () => {
    const n = await ns();
    await apply(
      server,
      pod(n, 'talker', {
        restartPolicy: 'OnFailure',
        volumes: [{ name: 'state', emptyDir: {} }],
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            volumeMounts: [{ name: 'state', mountPath: '/state' }],
            // First run: three lines over ~1.5 s, then fail; second run: one line, then succeed.
            command: ['sh', '-c', 'if [ -f /state/ran ]; then echo second run; exit 0; fi; touch /state/ran; for i in 1 2 3; do echo first run line $i; sleep 0.5; done; exit 1'],
          },
        ],
      }),
    );
    await waitPod(server, n, 'talker', 'running', (x) => !!state(x, 'main')?.state?.running);
    expect(await logs(n, 'talker', '-f')).toBe('first run line 1\nfirst run line 2\nfirst run line 3\n');
    const p = await waitPod(server, n, 'talker', 'Succeeded', phaseIs('Succeeded'));
    expect(state(p, 'main')?.restartCount).toBe(1);
    expect(await logs(n, 'talker')).toBe('second run\n');
    expect(await logs(n, 'talker', '--previous')).toBe('first run line 1\nfirst run line 2\nfirst run line 3\n');
    expect(await logs(n, 'talker', '--previous', '--tail=1')).toBe('first run line 3\n');
    expect(await logs(n, 'talker', '--previous', '--limit-bytes=10')).toBe('first run ');
    const stamped = (await logs(n, 'talker', '--timestamps')).trim();
    expect(stamped).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z second run$/);
  });

  it('of a job, and upstream\'s 400 for a container still waiting or without a previous run', async () => {
    const n = await ns();
    await apply(server, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'hello', namespace: n },
      spec: { template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: BUSYBOX, command: ['echo', 'hello from the job'] }] } } },
    });
    await kubectl(server, ['wait', '--for=condition=complete', 'job/hello', '-n', n, '--timeout=60s']);
    expect(await logs(n, 'job/hello')).toBe('hello from the job\n');
    const prev = await server.kubectl(['logs', '-n', n, 'job/hello', '--previous']);
    expect(prev.code).not.toBe(0);
    expect(prev.stderr).toMatch(/previous terminated container "main" in pod "hello-[a-z0-9]+" not found/);

    await apply(server, pod(n, 'stuck', { containers: [{ name: 'main', image: BUSYBOX, command: ['true'], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k' } } }] }] }));
    await waitPod(server, n, 'stuck', 'waiting', (x) => state(x, 'main')?.state?.waiting?.reason === 'CreateContainerConfigError');
    const waiting = await server.kubectl(['logs', '-n', n, 'stuck']);
    expect(waiting.stderr).toContain('container "main" in pod "stuck" is waiting to start: CreateContainerConfigError');
  });
});

describe('clean-up', () => {
  it('a deleted running pod leaves no container, sandbox or volume behind', async () => {
    const n = await ns();
    await apply(server, pod(n, 'gone', { volumes: [{ name: 'v', emptyDir: {} }], containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '600'], volumeMounts: [{ name: 'v', mountPath: '/v' }] }] }));
    const p = await waitPod(server, n, 'gone', 'running', (x) => !!state(x, 'main')?.state?.running);
    const uid = p.metadata.uid ?? '';
    await kubectl(server, ['delete', 'pod', 'gone', '-n', n, '--wait']);
    expect(await engineContainers({ 'io.kubernetes.pod.uid': uid })).toEqual([]);
    expect(await engineVolumes({ 'io.kubernetes.pod.uid': uid })).toEqual([]);
    expect(existsSync(join(server.dataDir, 'agent', 'pods', uid))).toBe(false);
  });
});
