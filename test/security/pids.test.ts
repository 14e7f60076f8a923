// Hole 4 of docs/security.md: a fork bomb in a pod must not exhaust the node's PIDs. Each container
// of a pod and its sandbox get the kubelet's podPidsLimit as pids.max (Docker's
// HostConfig.PidsLimit): 4096 unless `--pod-pids-limit` says otherwise. Two real servers on
// the real engine: one with the default, one with a limit of 32 that a pod tries to exceed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import type { JobyardServer } from '../support/jobyard-server.js';
import { BUSYBOX, agentContainers, agentInstance, apply, docker, getPod, kubectl, namespace, phaseIs, pod, removeAgentLeftovers, startAgentServer, waitFor, waitPod } from '../docker/agent-harness.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

let byDefault: JobyardServer;
let limited: JobyardServer;

beforeAll(async () => {
  [byDefault, limited] = await Promise.all([startAgentServer(), startAgentServer({ args: ['--pod-pids-limit', '32'] })]);
});

afterAll(async () => {
  for (const s of [byDefault, limited]) {
    if (!s) continue;
    await s.stop();
    await removeAgentLeftovers(s.dataDir);
  }
});

/** PidsLimit of every container (sandbox included) of one pod, by container name ('POD' for the sandbox). */
async function pidsLimits(server: JobyardServer, podName: string): Promise<Record<string, number | null | undefined>> {
  const out: Record<string, number | null | undefined> = {};
  for (const c of await agentContainers(server.dataDir)) {
    if (c.Labels['io.kubernetes.pod.name'] !== podName) continue;
    const info = await docker.getContainer(c.Id).inspect();
    out[c.Labels['io.kubernetes.container.name'] ?? 'POD'] = info.HostConfig.PidsLimit;
  }
  return out;
}

// Started in the background until fork fails (the inner shell then stops), then counted with
// builtins only: at the limit, the outer shell itself can no longer fork `cat`.
const FORK_SCRIPT = [
  "sh -c 'i=0; while [ $i -lt 100 ]; do sleep 60 & i=$((i+1)); echo $i > /tmp/n; done' 2>/tmp/err",
  'read started < /tmp/n',
  'f=0; while read -r line; do case "$line" in *fork*) f=$((f+1));; esac; done < /tmp/err',
  'if [ -f /sys/fs/cgroup/pids.current ]; then d=/sys/fs/cgroup; else d=/sys/fs/cgroup/pids; fi',
  'read cur < $d/pids.current; read max < $d/pids.max',
  'echo "started=$started failures=$f current=$cur max=$max"',
].join('\n');

describe('pod pids limit (podPidsLimit)', () => {
  it('every container of a pod and its sandbox have PidsLimit 4096 by default', async () => {
    await apply(byDefault, namespace('pids'));
    await apply(
      byDefault,
      pod('pids', 'two', {
        restartPolicy: 'Never',
        initContainers: [{ name: 'init', image: BUSYBOX, command: ['true'] }],
        containers: ['a', 'b'].map((name) => ({ name, image: BUSYBOX, command: ['sleep', '600'] })),
      }),
    );
    await waitPod(byDefault, 'pids', 'two', 'Running', phaseIs('Running'));
    expect(await pidsLimits(byDefault, 'two')).toEqual({ POD: 4096, init: 4096, a: 4096, b: 4096 });
    await kubectl(byDefault, ['delete', 'pod', '-n', 'pids', 'two', '--wait=false']);
  });

  it('with --pod-pids-limit 32, a container that starts 100 processes meets fork failures and stays at 32', async () => {
    await apply(limited, namespace('pids'));
    await apply(limited, pod('pids', 'forks', { restartPolicy: 'Never', containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', FORK_SCRIPT] }] }));
    // The container's exit ends its PID namespace: the sleeps go with it.
    await waitPod(limited, 'pids', 'forks', 'Succeeded', phaseIs('Succeeded', 'Failed'), 60_000);
    // One container that never restarts: it is its own sandbox (no pause container).
    expect(await pidsLimits(limited, 'forks')).toEqual({ main: 32 });
    const out = (await kubectl(limited, ['logs', '-n', 'pids', 'forks'])).trim();
    const m = /^started=(\d+) failures=(\d+) current=(\d+) max=(\S+)$/.exec(out);
    expect(m, out).not.toBeNull();
    const [, started, failures, current, max] = m!;
    expect(max).toBe('32');
    expect(Number(failures)).toBeGreaterThanOrEqual(1);
    expect(Number(started)).toBeLessThan(32);
    expect(Number(current)).toBeLessThanOrEqual(32);
  });

  it('on cgroup v1 with the cgroupfs driver the limit is the pod\'s: its containers share one pids cgroup, removed with the pod', async () => {
    const info = await docker.info();
    const podLevel = String(info.CgroupVersion ?? '1') === '1' && info.CgroupDriver === 'cgroupfs';
    // hog holds 20 processes, then forker tries 100 more: together they may not pass 32.
    const hog = 'i=0; while [ $i -lt 20 ]; do sleep 600 & i=$((i+1)); done; : > /shared/ready; wait';
    const forker = `while [ ! -f /shared/ready ]; do sleep 0.1; done\n${FORK_SCRIPT}`;
    await apply(
      limited,
      pod('pids', 'shared', {
        restartPolicy: 'Never',
        volumes: [{ name: 'shared', emptyDir: {} }],
        containers: [
          { name: 'hog', image: BUSYBOX, command: ['sh', '-c', hog], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
          { name: 'forker', image: BUSYBOX, command: ['sh', '-c', forker], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
        ],
      }),
    );
    const done = await waitPod(limited, 'pids', 'shared', 'forker terminated', (p: Pod) => !!p.status?.containerStatuses?.find((c) => c.name === 'forker')?.state?.terminated, 60_000);
    const uid = done.metadata.uid!;
    const out = (await kubectl(limited, ['logs', '-n', 'pids', 'shared', '-c', 'forker'])).trim();
    const m = /^started=(\d+) failures=(\d+) current=(\d+) max=(\S+)$/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThanOrEqual(1);
    const parent = `/jobyard/${agentInstance(limited.dataDir)}/pod${uid}`;
    const parents = new Set<string>();
    for (const c of await agentContainers(limited.dataDir)) {
      if (c.Labels['io.kubernetes.pod.uid'] === uid) parents.add((await docker.getContainer(c.Id).inspect()).HostConfig.CgroupParent ?? '');
    }
    if (!podLevel) {
      // No pod cgroup on this engine: each container alone is held at 32.
      expect([...parents]).toEqual(['']);
      expect(Number(m![1])).toBeLessThan(32);
      return;
    }
    expect([...parents]).toEqual([parent]);
    expect(readFileSync(join(CGROUP_ROOT, 'pids', parent, 'pids.max'), 'utf8').trim()).toBe('32');
    // pause + hog's shell + 20 sleeps + forker's two shells leave fewer than 10 for forker's sleeps.
    expect(Number(m![1])).toBeLessThanOrEqual(32 - 20 - 4);
    expect(Number(m![1])).toBeGreaterThan(0);
    await kubectl(limited, ['delete', 'pod', '-n', 'pids', 'shared', '--wait=false']);
    await waitFor('the pod cgroup removed from every hierarchy', async () => {
      const left = readdirSync(CGROUP_ROOT).filter((h) => existsSync(join(CGROUP_ROOT, h, parent)));
      return left.length === 0;
    }, 60_000, 500);
    await waitFor('the pod gone', async () => getPod(limited, 'pids', 'shared').then(() => false, () => true));
  });
});
