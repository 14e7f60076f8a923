// The engine health check and the engine-call discipline against the real Docker engine:
// - dockerd is stopped (SIGSTOP) while the agent starts a pod, with the deadline set to 2 s: the
//   Node goes Ready=False (KubeletNotReady, "PLEG is not healthy: ..." / "container runtime is
//   down: ...") with a NodeNotReady event, the pod says why it waits (FailedSync); after SIGCONT
//   the Node is Ready again by itself and the pod runs. dockerd is ALWAYS continued in a finally
//   (and on process exit), so a failing test never leaves the engine stopped. This stops the
//   machine's one engine for a few seconds: other users of it only wait.
// - many pods started and deleted at once through jobyard: the engine calls that start a pod's
//   network sandbox never overlap those that destroy one (Docker 20.10's libnetwork deadlock),
//   the number of engine calls at once stays within the limiter, and every pod finishes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from '../../api/index.js';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { RuntimePodReader } from '../../agent/runtime-pod.js';
import { DockerRuntime } from '../../agent/runtime/docker/index.js';
import type { EngineOperationRecord } from '../../agent/runtime/index.js';
import { loadKubeconfig, RestClientset } from '../../client/index.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { TEST_RUNTIME } from '../support/test-runtime.js';
import { BUSYBOX, apply, eventsFor, getJson, namespace, pod, removeAgentLeftovers, requireEngine, startAgentServer, waitFor, waitPod } from './agent-harness.js';

/** The engine the run's servers use: dockerd, or jobyard's containerd (scripts/containerd.sh's pid file) with JOBYARD_TEST_RUNTIME=containerd. */
function enginePid(): number {
  if (TEST_RUNTIME === 'containerd') return Number(readFileSync('/run/jobyard/containerd.pid', 'utf8').trim());
  try {
    return Number(readFileSync('/var/run/docker.pid', 'utf8').trim());
  } catch {
    return Number(execFileSync('pgrep', ['-x', 'dockerd'], { encoding: 'utf8' }).trim().split('\n')[0]);
  }
}

function readyCondition(node: Node): { status: string; reason: string; message: string } {
  const c = node.status?.conditions?.find((x) => x.type === 'Ready');
  return { status: c?.status ?? '', reason: c?.reason ?? '', message: c?.message ?? '' };
}

const servers: JobyardServer[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of servers) {
    await s.stop();
    await removeAgentLeftovers(s.dataDir);
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the engine health check against a stopped dockerd', () => {
  it('marks the Node NotReady with the reason and an event while dockerd is stopped, and Ready again once it continues; the pod then runs', async () => {
    const nodeName = 'engine-health-node';
    const server = await startAgentServer({ args: ['--node-name', nodeName, '--engine-operation-deadline', '2'] });
    servers.push(server);
    const node = () => getJson<Node>(server, ['node', nodeName]);
    await waitFor('the node Ready', async () => readyCondition(await node()).status === 'True');
    await apply(server, namespace('health'));

    const pid = enginePid();
    const resume = () => {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone or continued
      }
    };
    process.once('exit', resume);
    let notReady: { status: string; reason: string; message: string };
    try {
      process.kill(pid, 'SIGSTOP');
      await apply(server, pod('health', 'waits', { restartPolicy: 'Never', containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo ran'] }] }));
      notReady = await waitFor('the node NotReady', async () => {
        const c = readyCondition(await node());
        return c.status === 'False' ? c : undefined;
      }, 30_000);
      // The pod's sync waited on the engine: it says so.
      await waitFor('FailedSync on the pod', async () => (await eventsFor(server, 'health', 'waits')).find((e) => e.startsWith('FailedSync: skipping pod synchronization - ')), 15_000);
    } finally {
      resume();
      process.removeListener('exit', resume);
    }
    expect(notReady.reason).toBe('KubeletNotReady');
    expect(notReady.message).toMatch(/PLEG is not healthy: engine call \S+ \S+ has not returned for \d+s( \(and \d+ more\))?; threshold is 2s|container runtime is down: no answer from the engine for \d+s/);
    expect((await eventsFor(server, 'default', nodeName)).filter((e) => e.startsWith('NodeNotReady'))).toEqual([`NodeNotReady: Node ${nodeName} status is now: NodeNotReady`]);

    await waitFor('the node Ready again', async () => readyCondition(await node()).status === 'True', 60_000);
    // The recorder counts a repeated event as upstream's correlator does: NodeReady once more is its count 2.
    const readiness = async () => (await getJson<{ items: Event[] }>(server, ['events', '-n', 'default', '--field-selector', `involvedObject.name=${nodeName}`])).items.filter((e) => /^Node(Not)?Ready$/.test(e.reason ?? ''));
    const counted = await waitFor('the second NodeReady', async () => {
      const list = await readiness();
      return list.find((e) => e.reason === 'NodeReady')?.count === 2 ? list : undefined;
    }, 15_000);
    expect(counted.map((e) => [e.reason, e.message, e.count])).toEqual(
      expect.arrayContaining([
        ['NodeReady', `Node ${nodeName} status is now: NodeReady`, 2],
        ['NodeNotReady', `Node ${nodeName} status is now: NodeNotReady`, 1],
      ]),
    );
    expect(counted).toHaveLength(2);
    const done = await waitPod(server, 'health', 'waits', 'Succeeded', (p: Pod) => p.status?.phase === 'Succeeded', 60_000);
    expect(done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  }, 180_000);
});

/** Pairs (a, b) of intervals that overlap. */
function overlaps(a: EngineOperationRecord[], b: EngineOperationRecord[]): [string, string][] {
  const out: [string, string][] = [];
  for (const x of a) for (const y of b) if (x.startedAt < y.endedAt && y.startedAt < x.endedAt) out.push([x.name, y.name]);
  return out;
}

describe('network sandbox creates and destroys kept apart', () => {
  it('starts and deletes 40 pods, ten at a time, through jobyard: no sandbox start overlaps a sandbox stop or removal on the engine, calls stay within the limiter, every pod finishes', async () => {
    await requireEngine();
    // The API, scheduler and controllers in a server process; the agent in this process, so its
    // runtime's records of engine calls can be read.
    const server = await JobyardServer.start({ args: ['--no-agent'] });
    servers.push(server);
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-race-agent-'));
    dirs.push(dataDir);
    const runtime = new DockerRuntime({ operationHistory: 20_000, maxConcurrentOperations: 6 });
    const client = new RestClientset(loadKubeconfig(join(server.dataDir, 'kubeconfig')));
    let agent: RunningAgent | undefined;
    let maxActive = 0;
    const sampler = setInterval(() => (maxActive = Math.max(maxActive, runtime.engineOperations.active)), 2);
    try {
      // Pause containers for all: a pause-less pod's network goes when its container exits, in the
      // engine, where no lock of ours can reach (as with docker run --rm).
      agent = await startAgent({ client, runtime, nodeName: 'race-node', dataDir, kubeletVersion: 'v1.32.0-test', nodeIP: '127.0.0.1', kubelet: { podPidsLimit: -1, alwaysPauseContainer: true } });
      await apply(server, namespace('race'));
      const pods = client.pods.namespace('race');
      // Ten at a time, as a Job at parallelism 10 would: each pod created, run to its end and
      // deleted at once, the next one starting meanwhile.
      let next = 0;
      const worker = async () => {
        while (next < 40) {
          const name = `p${next++}`;
          await pods.create(pod('race', name, { restartPolicy: 'Never', containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['true'] }] }) as unknown as Pod);
          await waitFor(`pod ${name} Succeeded`, async () => (await pods.get(name)).status?.phase === 'Succeeded', 120_000, 100);
          await pods.delete(name, { gracePeriodSeconds: 0 });
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      await waitFor('every pod gone', async () => (await pods.list()).items.length === 0, 120_000);
      await waitFor('no sandbox left on the engine', async () => (await runtime.listPodSandboxes({ labels: { 'io.kubernetes.pod.namespace': 'race' } })).length === 0, 60_000);
    } finally {
      clearInterval(sampler);
      await agent?.stop();
      await removeAgentLeftovers(dataDir);
    }

    const holds = runtime.networkSandboxes.history;
    const sandboxIds = new Set(holds.filter((h) => h.name.startsWith('create ')).map((h) => h.name.slice('create '.length)));
    expect(sandboxIds.size).toBe(40);
    const calls = runtime.engineOperations.history;
    const onSandbox = (re: RegExp) => calls.filter((c) => { const m = re.exec(c.name); return !!m && sandboxIds.has(m[1]!); });
    const starts = onSandbox(/^POST \/containers\/([0-9a-f]{64})\/start$/);
    const destroys = [...onSandbox(/^POST \/containers\/([0-9a-f]{64})\/stop$/), ...onSandbox(/^DELETE \/containers\/([0-9a-f]{64})$/)];
    expect(starts).toHaveLength(40);
    expect(destroys.length).toBeGreaterThanOrEqual(40);
    // The pods overlapped: sandbox starts ran while other sandboxes were destroyed in the same run...
    const first = (l: EngineOperationRecord[]) => Math.min(...l.map((c) => c.startedAt.getTime()));
    const last = (l: EngineOperationRecord[]) => Math.max(...l.map((c) => c.endedAt.getTime()));
    expect(first(destroys)).toBeLessThan(last(starts));
    // ...yet no start call of a sandbox was ever in flight with a stop or removal of one.
    expect(overlaps(starts, destroys)).toEqual([]);
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(6);
  }, 600_000);
});

describe('listing a pod', () => {
  it("lists a pod's sandboxes and containers asked at once with one engine call, each list with its own kind", async () => {
    await requireEngine();
    const runtime = new DockerRuntime({ operationHistory: 1_000 });
    const uid = `list-${Date.now()}`;
    const sandbox = await runtime.runPodSandbox({ metadata: { name: 'list', namespace: 'engine-health', uid, attempt: 0 }, hostname: 'list' });
    try {
      const container = await runtime.createContainer(sandbox, { metadata: { name: 'main', attempt: 0 }, image: BUSYBOX, command: ['true'] });
      const lists = () => runtime.engineOperations.history.filter((c) => c.name === 'GET /containers/json').length;
      const before = lists();
      const labels = { 'io.kubernetes.pod.uid': uid };
      const [sandboxes, containers] = await Promise.all([runtime.listPodSandboxes({ labels }), runtime.listContainers({ labels })]);
      expect(lists() - before).toBe(1);
      expect(sandboxes.map((s) => s.id)).toEqual([sandbox]);
      expect(containers.map((c) => c.id)).toEqual([container]);
      // Asked one after the other, each sees the engine anew.
      await runtime.listPodSandboxes({ labels });
      await runtime.listContainers({ labels });
      expect(lists() - before).toBe(3);
    } finally {
      await runtime.removePodSandbox(sandbox);
    }
  }, 60_000);

  it("reads a running pause-less pod (its container is its sandbox) with one list and one inspect", async () => {
    await requireEngine();
    const runtime = new DockerRuntime({ operationHistory: 1_000 });
    const uid = `inline-${Date.now()}`;
    const sandbox = await runtime.runPodSandbox({ metadata: { name: 'inline', namespace: 'engine-health', uid, attempt: 0 }, hostname: 'inline', singleContainer: true });
    try {
      const container = await runtime.createContainer(sandbox, { metadata: { name: 'main', attempt: 0 }, image: BUSYBOX, command: ['sleep', '60'] });
      await runtime.startContainer(container);
      const calls = () => runtime.engineOperations.history.map((c) => c.name);
      const reader = new RuntimePodReader(runtime);
      await reader.read(uid); // the first read also learns the image's digest (none: it was built here)
      const before = calls().length;
      const pod = await reader.read(uid);
      expect(calls().slice(before).sort()).toEqual(['GET /containers/json', `GET /containers/${container}/json`].sort());
      expect(pod.sandboxes.map((s) => ({ id: s.id, state: s.state }))).toEqual([{ id: sandbox, state: 'ready' }]);
      expect(pod.sandboxes[0]!.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(pod.containers.map((c) => ({ id: c.id, state: c.state }))).toEqual([{ id: container, state: 'running' }]);
    } finally {
      await runtime.removePodSandbox(sandbox);
    }
  }, 60_000);
});
