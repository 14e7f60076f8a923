// The Kubernetes documentation's podFailurePolicy example ("Handling retriable and non-retriable
// pod failures with Pod failure policy", the Ignore rule on DisruptionTarget) on the real node:
// a Job of completions 4, parallelism 2 and backoffLimit 0 loses its two running pods to
// `kubectl drain --grace-period=0`, which evicts them through pods/eviction (DisruptionTarget=True);
// the Ignore rule keeps them out of status.failed, so backoffLimit 0 does not fail the Job, and
// after `kubectl uncordon` the replacements run and the Job completes. The real node is drained
// because this server has nothing else on it; the node's heartbeat Lease is checked here too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Event, Job, Lease, Node } from '../../api/index.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

let server: JobyardServer;
let nodeName: string;

beforeAll(async () => {
  server = await JobyardServer.start();
  nodeName = await waitFor('the node registered', async () => (await ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim() || undefined, 60_000, 200);
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

describe('the node', () => {
  it('renews its Lease in kube-node-lease, and kubectl describe node shows it', async () => {
    const lease = await getJson<Lease>(['get', 'lease', nodeName, '-n', 'kube-node-lease']);
    expect(lease.spec).toMatchObject({ holderIdentity: nodeName, leaseDurationSeconds: 40 });
    expect(lease.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const node = await getJson<Node>(['get', 'node', nodeName]);
    expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid }]);
    const renewed = await waitFor('a renewal', async () => {
      const l = await getJson<Lease>(['get', 'lease', nodeName, '-n', 'kube-node-lease']);
      return l.spec?.renewTime !== lease.spec?.renewTime ? l : undefined;
    }, 30_000, 500);
    expect(Date.parse(renewed.spec!.renewTime!)).toBeGreaterThan(Date.parse(lease.spec!.renewTime!));
    const described = await ok(['describe', 'node', nodeName]);
    expect(described).toMatch(new RegExp(`Lease:\\n  HolderIdentity:  ${nodeName}\\n  AcquireTime:     <unset>\\n  RenewTime:       \\S`));
  });
});

describe('podFailurePolicy: Ignore on DisruptionTarget (kubernetes.io documentation example)', () => {
  it('pods evicted by kubectl drain are replaced without counting against backoffLimit 0', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job-pod-failure-policy-ignore' },
      spec: {
        completions: 4,
        parallelism: 2,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh'], args: ['-c', 'echo "Hello world! I\'m going to exit with 0 (success)." && sleep 25 && exit 0'] }],
          },
        },
        backoffLimit: 0,
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      },
    };
    await ok(['apply', '-f', '-'], YAML.stringify(job));
    await waitFor('two pods running', async () => (await getJson<Job>(['get', 'job', 'job-pod-failure-policy-ignore'])).status?.ready === 2, 120_000, 250);

    const drained = await ok(['drain', `nodes/${nodeName}`, '--ignore-daemonsets', '--grace-period=0', '--timeout=120s']);
    expect(drained).toMatch(/evicting pod default\/job-pod-failure-policy-ignore-/);
    expect(drained).toContain(`node/${nodeName} drained`);
    const afterDrain = await getJson<Job>(['get', 'job', 'job-pod-failure-policy-ignore']);
    expect(afterDrain.status?.failed ?? 0).toBe(0);
    expect(afterDrain.status?.conditions ?? []).not.toContainEqual(expect.objectContaining({ type: 'Failed' }));

    await ok(['uncordon', `nodes/${nodeName}`]);
    await ok(['wait', '--for=condition=complete', 'job/job-pod-failure-policy-ignore', '--timeout=180s']);
    const done = await getJson<Job>(['get', 'job', 'job-pod-failure-policy-ignore']);
    expect(done.status).toMatchObject({ succeeded: 4 });
    expect(done.status?.failed ?? 0).toBe(0);
    // Four pods completed and two were evicted: six created, the two evicted ones replaced.
    const events = (await getJson<{ items: Event[] }>(['get', 'events', '--field-selector', 'involvedObject.name=job-pod-failure-policy-ignore'])).items;
    const created = events.filter((e) => e.reason === 'SuccessfulCreate').reduce((n, e) => n + (e.count ?? 1), 0);
    expect(created).toBe(6);
  });
});
