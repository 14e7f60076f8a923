// Hole 3 of docs/security.md on the real engine: what admission cannot see (symlinks on the host) the
// node agent checks by real path, and hostPID is honoured rather than silently ignored.
// One server with the agent, its data directory inside the allowed tree; symlinks lead to the
// data directory, to the directory that contains it, and out of the tree.
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobyardServer } from '../support/jobyard-server.js';
import { BUSYBOX, apply, eventsFor, kubectl, phaseIs, pod, removeAgentLeftovers, startAgentServer, waitFor, waitPod } from '../docker/agent-harness.js';

let server: JobyardServer;
let root: string;
let allowed: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'jobyard-psa-node-'));
  const home = join(root, 'home');
  mkdirSync(home);
  allowed = join(root, 'allowed');
  mkdirSync(allowed);
  // Admission compares paths as written: these pass its allow-list, their real paths do not.
  symlinkSync(home, join(allowed, 'up'));
  symlinkSync(join(home, 'data'), join(allowed, 'data'));
  symlinkSync('/etc', join(allowed, 'etc'));
  // The whole tree is allowed: the data directory inside it is still never mounted.
  server = await startAgentServer({ dataDir: join(home, 'data'), args: ['--allow-host-path', root] });
  await apply(server, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'ops', labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged', 'pod-security.kubernetes.io/audit': 'privileged' } },
  });
}, 120_000);

afterAll(async () => {
  if (server) {
    await server.stop();
    await removeAgentLeftovers(server.dataDir);
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

const SHOW = 'cat /proc/1/comm; readlink /proc/self/ns/ipc';
const logsOf = (ns: string, name: string) => kubectl(server, ['logs', '-n', ns, name]);

describe("jobyard's data directory on the node", () => {
  it('a bind that contains it is read-only whatever the mount says, and the directory is hidden', async () => {
    await apply(
      server,
      pod('default', 'up', {
        restartPolicy: 'Never',
        volumes: [{ name: 'h', hostPath: { path: join(allowed, 'up') } }],
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            volumeMounts: [{ name: 'h', mountPath: '/h', readOnly: false }],
            command: ['sh', '-c', 'touch /h/x 2>/dev/null && echo write=ok || echo write=refused; [ -e /h/data/token ] && echo token=visible || echo token=hidden'],
          },
        ],
      }),
    );
    await waitPod(server, 'default', 'up', 'Succeeded', phaseIs('Succeeded', 'Failed'), 90_000);
    expect((await logsOf('default', 'up')).trim().split('\n')).toEqual(['write=refused', 'token=hidden']);
  });

  it('a bind of it (through a symlink) is refused: FailedMount, the pod never starts', async () => {
    await apply(
      server,
      pod('default', 'data', {
        restartPolicy: 'Never',
        volumes: [{ name: 'd', hostPath: { path: join(allowed, 'data') } }],
        containers: [{ name: 'main', image: BUSYBOX, volumeMounts: [{ name: 'd', mountPath: '/d', readOnly: true }], command: ['cat', '/d/token'] }],
      }),
    );
    const events = await waitFor('FailedMount for pod data', async () => {
      const e = await eventsFor(server, 'default', 'data');
      return e.some((m) => m.startsWith('FailedMount:')) ? e : undefined;
    });
    expect(events.find((m) => m.startsWith('FailedMount:'))).toContain(`MountVolume.SetUp failed for volume "d" : ${server.dataDir} is inside ${server.dataDir}, jobyard's data directory (its token and keys): it is never mounted into a pod`);
    expect((await waitPod(server, 'default', 'data', 'Pending', phaseIs('Pending'))).status?.phase).toBe('Pending');
  });
});

describe('the allow-list on the node', () => {
  it('a symlink in an allowed directory cannot lead a bind elsewhere (here /etc): FailedMount', async () => {
    await apply(
      server,
      pod('default', 'etc', {
        restartPolicy: 'Never',
        volumes: [{ name: 'e', hostPath: { path: join(allowed, 'etc') } }],
        containers: [{ name: 'main', image: BUSYBOX, volumeMounts: [{ name: 'e', mountPath: '/e' }], command: ['cat', '/e/shadow'] }],
      }),
    );
    const events = await waitFor('FailedMount for pod etc', async () => {
      const e = await eventsFor(server, 'default', 'etc');
      return e.some((m) => m.startsWith('FailedMount:')) ? e : undefined;
    });
    expect(events.find((m) => m.startsWith('FailedMount:'))).toContain(`hostPath ${join(allowed, 'etc')} leads to /etc, which is not under a directory allowed by --allow-host-path`);
  });
});

describe('hostPID', () => {
  it("is honoured in a privileged namespace: the pod sees the host's PID 1 (and hostIPC its IPC namespace)", async () => {
    const hostInit = readFileSync('/proc/1/comm', 'utf8').trim();
    const hostIpc = readlinkSync('/proc/self/ns/ipc');
    await apply(
      server,
      pod('ops', 'hostpid', { restartPolicy: 'Never', hostPID: true, hostIPC: true, containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', SHOW] }] }),
      pod('ops', 'ownpid', { restartPolicy: 'Never', containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', SHOW] }] }),
    );
    await waitPod(server, 'ops', 'hostpid', 'Succeeded', phaseIs('Succeeded'), 90_000);
    await waitPod(server, 'ops', 'ownpid', 'Succeeded', phaseIs('Succeeded'), 90_000);
    expect((await logsOf('ops', 'hostpid')).trim().split('\n')).toEqual([hostInit, hostIpc]);
    const own = (await logsOf('ops', 'ownpid')).trim().split('\n');
    expect(own[0]).not.toBe(hostInit);
    expect(own[1]).not.toBe(hostIpc);
  });
});
