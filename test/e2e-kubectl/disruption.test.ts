// Disruption with kubectl 1.32 against a real `jobyard server` with one simulated node (no
// containers, so the node can be drained and tainted without touching anything else):
// PodDisruptionBudget status kept by the disruption controller, `kubectl drain` evicting through
// pods/eviction and retrying on 429 while the budget forbids, cordon/uncordon with the
// node.kubernetes.io/unschedulable taint, NoSchedule taints the scheduler honours, and NoExecute
// taints the taint manager acts on (DisruptionTarget/DeletionByTaintManager), and the node's Lease.
// The podFailurePolicy example of the Kubernetes documentation is drained on the real node in
// drain-real-node.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import YAML from 'yaml';
import type { Node, Pod, PodDisruptionBudget } from '../../api/index.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

const NODE = 'sim-node-0';
const NS = 'disruption';
const TOLERATE_SIMULATED = { key: 'node.jobyard.io/simulated', operator: 'Exists', effect: 'NoSchedule' };
let server: JobyardServer;

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent', '--simulated-nodes', '1'] });
  await ok(['create', 'namespace', NS]);
});

afterAll(async () => {
  await server?.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '-o', 'json'])) as T;
}

const pods = async (selector: string) => (await getJson<{ items: Pod[] }>(['get', 'pods', '-n', NS, '-l', selector])).items;
const condition = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);

/** A bare pod on the simulated node, running for an hour, with a finalizer of ours so a deletion stays visible. */
function simPod(name: string, labels: Record<string, string>, tolerations: object[] = []) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels, annotations: { 'simulated.jobyard.io/duration': '1h' }, finalizers: ['example.com/keep'] },
    spec: { tolerations: [TOLERATE_SIMULATED, ...tolerations], containers: [{ name: 'main', image: 'busybox:1.36' }] },
  };
}

/** `kubectl get pods -w -o json` in the background: every version of the pods it saw, until stopped. */
function watchPods(selector: string): { stop(): Pod[] } {
  const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'get', 'pods', '-n', NS, '-l', selector, '-w', '-o', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return {
    stop() {
      child.kill();
      // Pretty-printed objects, one after another: each ends with a line holding only "}".
      return out
        .split(/^}$/m)
        .filter((chunk) => chunk.trim())
        .map((chunk) => JSON.parse(chunk + '}') as Pod);
    },
  };
}

// A test that fails half-way must not leave the node cordoned or tainted for the next.
afterEach(async () => {
  await server.kubectl(['uncordon', NODE]);
  for (const taint of ['dedicated=batch:NoSchedule-', 'maintenance=now:NoExecute-']) await server.kubectl(['taint', 'nodes', NODE, taint]);
});

async function release(name: string): Promise<void> {
  await ok(['patch', 'pod', name, '-n', NS, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
}

describe('PodDisruptionBudget and kubectl drain', () => {
  it('drain evicts through the API, retries on 429 while the budget forbids, and finishes once it allows', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'web', namespace: NS },
      spec: {
        completions: 2,
        parallelism: 2,
        template: {
          metadata: { labels: { app: 'web' }, annotations: { 'simulated.jobyard.io/duration': '1h' } },
          spec: { restartPolicy: 'Never', tolerations: [TOLERATE_SIMULATED], containers: [{ name: 'main', image: 'busybox:1.36' }] },
        },
      },
    };
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: NS }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
    await ok(['apply', '-f', '-'], YAML.stringify(job) + '---\n' + YAML.stringify(pdb));
    const ready = await waitFor('the budget to allow one disruption', async () => {
      const b = await getJson<PodDisruptionBudget>(['get', 'pdb', 'web', '-n', NS]);
      return b.status?.disruptionsAllowed === 1 ? b : undefined;
    });
    expect(ready.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, observedGeneration: 1 });
    expect(ready.status?.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' })]);
    expect(await ok(['get', 'pdb', '-n', NS])).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb\s+1\s+N\/A\s+1\s+/);
    expect(await ok(['describe', 'pdb', 'web', '-n', NS])).toMatch(/Min available:\s+1\nSelector:\s+app=web\nStatus:\n\s+Allowed disruptions:\s+1\n\s+Current:\s+2\n\s+Desired:\s+1\n\s+Total:\s+2\n/);

    // The budget lets one pod go; the other is refused (429) and retried until --timeout.
    const watch = watchPods('app=web');
    const drain = await server.kubectl(['drain', NODE, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=12s']);
    const seen = watch.stop();
    const out = drain.stdout + drain.stderr;
    expect(drain.code).not.toBe(0);
    expect(out).toContain(`node/${NODE} cordoned`);
    expect(out).toMatch(/evicting pod disruption\/web-/);
    expect(out).toMatch(/error when evicting pods\/"web-[a-z0-9]+" -n "disruption" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
    // The evicted pod went through DisruptionTarget=True before it went away; the other never did.
    const evicted = new Set(seen.filter((p) => condition(p, 'DisruptionTarget')).map((p) => p.metadata.name));
    expect(evicted.size).toBe(1);
    expect(seen.find((p) => condition(p, 'DisruptionTarget'))?.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }),
    );

    // Cordoned: SchedulingDisabled and the lifecycle's taint; the replacement waits.
    const node = await waitFor('the unschedulable taint', async () => {
      const n = await getJson<Node>(['get', 'node', NODE]);
      return n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule') ? n : undefined;
    });
    expect(node.spec?.unschedulable).toBe(true);
    expect(await ok(['get', 'node', NODE])).toMatch(/Ready,SchedulingDisabled/);
    const pending = await waitFor('a replacement pod that cannot be scheduled', async () =>
      (await pods('app=web')).find((p) => condition(p, 'PodScheduled')?.status === 'False'),
    );
    expect(condition(pending, 'PodScheduled')?.message).toBe('0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..');

    // Without the budget the drain completes: every pod of the node evicted and gone.
    await ok(['delete', 'pdb', 'web', '-n', NS]);
    const done = await ok(['drain', NODE, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    expect(done).toContain(`node/${NODE} drained`);
    expect((await pods('app=web')).filter((p) => p.spec.nodeName === NODE)).toEqual([]);

    // Uncordon: the taint goes and the waiting pod is scheduled.
    await ok(['uncordon', NODE]);
    await waitFor('the unschedulable taint removed', async () => {
      const n = await getJson<Node>(['get', 'node', NODE]);
      return !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable');
    });
    await waitFor('the replacement scheduled', async () => (await pods('app=web')).some((p) => p.spec.nodeName === NODE && p.status?.phase === 'Running'));
    await ok(['delete', 'job', 'web', '-n', NS]);
  });

  it('an eviction the budget forbids answers kubectl 429 with the cause', async () => {
    await ok(['apply', '-f', '-'], YAML.stringify(simPod('solo', { app: 'solo' })));
    await ok(['create', 'pdb', 'solo', '-n', NS, '--selector=app=solo', '--min-available=1']);
    await waitFor('solo running and counted', async () => {
      const b = await getJson<PodDisruptionBudget>(['get', 'pdb', 'solo', '-n', NS]);
      return b.status?.currentHealthy === 1 && b.status.observedGeneration === 1;
    });
    const body = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'solo', namespace: NS } });
    const r = await server.kubectl(['create', '--raw', `/api/v1/namespaces/${NS}/pods/solo/eviction`, '-f', '-'], body);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.");
    await ok(['delete', 'pdb', 'solo', '-n', NS]);
    await release('solo');
    await ok(['delete', 'pod', 'solo', '-n', NS, '--wait=false']);
  });
});

describe('the simulated node', () => {
  it('keeps its heartbeat Lease as kwok does, shown by kubectl describe node', async () => {
    const lease = JSON.parse(await ok(['get', 'lease', NODE, '-n', 'kube-node-lease', '-o', 'json'])) as { spec?: { holderIdentity?: string; leaseDurationSeconds?: number } };
    expect(lease.spec).toMatchObject({ holderIdentity: NODE, leaseDurationSeconds: 40 });
    expect(await ok(['describe', 'node', NODE])).toMatch(new RegExp(`Lease:\\n  HolderIdentity:  ${NODE}\\n`));
  });
});

describe('taints', () => {
  it('a NoSchedule taint keeps pods without a toleration off the node until it is removed', async () => {
    await ok(['taint', 'nodes', NODE, 'dedicated=batch:NoSchedule']);
    const waits = simPod('waits', { app: 'waits' });
    await ok(['apply', '-f', '-'], YAML.stringify({ ...waits, metadata: { ...waits.metadata, finalizers: [] } }));
    const p = await waitFor('the pod unschedulable', async () => {
      const [x] = await pods('app=waits');
      return x && condition(x, 'PodScheduled')?.status === 'False' ? x : undefined;
    });
    expect(condition(p, 'PodScheduled')?.message).toBe('0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..');
    await ok(['taint', 'nodes', NODE, 'dedicated=batch:NoSchedule-']);
    await waitFor('the pod scheduled', async () => (await pods('app=waits'))[0]?.spec.nodeName === NODE);
    await ok(['delete', 'pod', 'waits', '-n', NS, '--wait=false']);
  });

  it('a NoExecute taint evicts pods that do not tolerate it (DeletionByTaintManager); tolerating pods stay, and the deletion is cancelled when the taint goes', async () => {
    const tolerate = { key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3600 };
    await ok(['apply', '-f', '-'], YAML.stringify(simPod('intolerant', { app: 'ne' })) + '---\n' + YAML.stringify(simPod('patient', { app: 'ne' }, [tolerate])));
    await waitFor('both pods running', async () => (await pods('app=ne')).filter((p) => p.status?.phase === 'Running').length === 2);
    await ok(['taint', 'nodes', NODE, 'maintenance=now:NoExecute']);
    const gone = await waitFor('the intolerant pod deleted', async () => (await pods('app=ne')).find((p) => p.metadata.name === 'intolerant' && p.metadata.deletionTimestamp));
    expect(condition(gone, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    const patient = (await pods('app=ne')).find((p) => p.metadata.name === 'patient');
    expect(patient?.metadata.deletionTimestamp).toBeUndefined();
    expect(await ok(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=intolerant'])).toContain('Marking for deletion Pod disruption/intolerant');
    await ok(['taint', 'nodes', NODE, 'maintenance=now:NoExecute-']);
    await waitFor('the cancellation event', async () =>
      (await ok(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=patient'])).includes('Cancelling deletion of Pod disruption/patient'),
    );
    expect((await pods('app=ne')).find((p) => p.metadata.name === 'patient')?.metadata.deletionTimestamp).toBeUndefined();
    for (const name of ['intolerant', 'patient']) await release(name);
    await ok(['delete', 'pod', 'patient', '-n', NS, '--wait=false']);
  });
});
