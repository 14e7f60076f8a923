// Priority and preemption on the real node (its allocatable is the machine's: 2 CPUs), driven
// by kubectl 1.32: the built-in PriorityClasses as `kubectl get pc` shows them; a Job of low
// priority whose pod asks for 1500m runs; a pod of high priority asking for 1500m preempts it:
// the Job's pod gets DisruptionTarget=True/PreemptionByScheduler and a Preempted event and is
// deleted, the high-priority pod (nominated to the node meanwhile, the nomination cleared when it
// is bound) runs, and the Job, whose
// podFailurePolicy ignores DisruptionTarget, makes a new pod (Pending: nothing of lower priority
// is left to preempt) with status.failed still 0. kubectl describe pod shows the priority.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Event, Job, Pod } from '../../api/index.js';
import { apiRequest } from '../support/api.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

const BUSYBOX = 'busybox:1.36';
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

const condition = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);

describe('PriorityClass', () => {
  it('kubectl get pc lists the built-in classes with upstream columns; they cannot be deleted', async () => {
    const out = await ok(['get', 'pc']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/);
    expect(out).toMatch(/\nsystem-cluster-critical\s+2000000000\s+false\s+\S+\s+PreemptLowerPriority\n/);
    expect(out).toMatch(/\nsystem-node-critical\s+2000001000\s+false\s+\S+\s+PreemptLowerPriority\n/);
    const r = await server.kubectl(['delete', 'priorityclass', 'system-node-critical']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted');
    const tooHigh = await server.kubectl(['apply', '-f', '-'], YAML.stringify({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'too-high' }, value: 1_000_000_001 }));
    expect(tooHigh.code).not.toBe(0);
    expect(tooHigh.stderr).toContain('value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
  });
});

describe('preemption by the scheduler', () => {
  it('a high-priority pod preempts a Job pod; the Job (Ignore on DisruptionTarget) replaces it without counting a failure', async () => {
    const classes = [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'batch-low' }, value: 100, description: 'Batch work that may be preempted.' },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'urgent' }, value: 1_000_000, description: 'Work that preempts batch work.' },
    ];
    await ok(['apply', '-f', '-'], classes.map((c) => YAML.stringify(c)).join('---\n'));
    expect(await ok(['get', 'pc', 'urgent', '--no-headers'])).toMatch(/^urgent\s+1000000\s+false\s+\S+\s+PreemptLowerPriority\n$/);

    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'preemptible' },
      spec: {
        backoffLimit: 0,
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
        template: {
          spec: {
            priorityClassName: 'batch-low',
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 2,
            containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '600'], resources: { requests: { cpu: '1500m' } } }],
          },
        },
      },
    };
    await ok(['apply', '-f', '-'], YAML.stringify(job));
    await waitFor('the Job pod running', async () => (await getJson<Job>(['get', 'job', 'preemptible'])).status?.ready === 1, 120_000, 250);
    const [victim] = (await getJson<{ items: Pod[] }>(['get', 'pods', '-l', 'job-name=preemptible'])).items;
    expect(victim.spec).toMatchObject({ priorityClassName: 'batch-low', priority: 100, preemptionPolicy: 'PreemptLowerPriority', nodeName });

    const urgent = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'urgent' },
      spec: {
        priorityClassName: 'urgent',
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '600'], resources: { requests: { cpu: '1500m' } } }],
      },
    };
    await ok(['apply', '-f', '-'], YAML.stringify(urgent));

    // The victim, while it terminates (grace 2 s, then the Job's finalizer): DisruptionTarget as upstream's preemption sets it.
    const path = `/api/v1/namespaces/default/pods/${victim.metadata.name}`;
    const marked = await waitFor('the victim marked DisruptionTarget and deleted', async () => {
      const r = await apiRequest(server, 'GET', path);
      if (r.code !== 200) throw new Error(`the victim is gone (${r.code}) before it was seen marked`);
      const p = r.json<Pod>();
      return p.metadata.deletionTimestamp && condition(p, 'DisruptionTarget') ? p : undefined;
    }, 60_000, 100);
    expect(condition(marked, 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(2);
    // Meanwhile the preemptor waits, nominated to the node.
    const nominated = await waitFor('the urgent pod nominated', async () => {
      const p = (await apiRequest(server, 'GET', '/api/v1/namespaces/default/pods/urgent')).json<Pod>();
      return p.status?.nominatedNodeName ? p : undefined;
    }, 10_000, 100);
    expect(nominated.status?.nominatedNodeName).toBe(nodeName);

    const urgentPod = await waitFor('the urgent pod running', async () => {
      const p = await getJson<Pod>(['get', 'pod', 'urgent']);
      return p.status?.phase === 'Running' ? p : undefined;
    }, 120_000, 250);
    expect(urgentPod.spec).toMatchObject({ nodeName, priority: 1_000_000, priorityClassName: 'urgent' });
    // Bound: the API server cleared the nomination (ClearingNominatedNodeNameAfterBinding).
    expect(urgentPod.status?.nominatedNodeName).toBeUndefined();
    await waitFor('the victim gone', async () => (await apiRequest(server, 'GET', path)).code === 404, 60_000, 200);

    const victimEvents = (await getJson<{ items: Event[] }>(['get', 'events', '--field-selector', `involvedObject.name=${victim.metadata.name}`])).items;
    expect(victimEvents).toContainEqual(
      expect.objectContaining({ type: 'Normal', reason: 'Preempted', message: `Preempted by pod ${urgentPod.metadata.uid} on node ${nodeName}`, source: expect.objectContaining({ component: 'default-scheduler' }) }),
    );
    const urgentEvents = (await getJson<{ items: Event[] }>(['get', 'events', '--field-selector', 'involvedObject.name=urgent'])).items;
    expect(urgentEvents).toContainEqual(expect.objectContaining({ reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.' }));
    expect(urgentEvents).toContainEqual(expect.objectContaining({ reason: 'Scheduled', message: `Successfully assigned default/urgent to ${nodeName}` }));

    // The Job makes a new pod, which waits: only the urgent pod, of higher priority, is there to preempt.
    const replacement = await waitFor('a replacement pod, unschedulable', async () => {
      const items = (await getJson<{ items: Pod[] }>(['get', 'pods', '-l', 'job-name=preemptible'])).items;
      return items.find((p) => p.metadata.uid !== victim.metadata.uid && condition(p, 'PodScheduled')?.status === 'False');
    }, 60_000, 250);
    expect(condition(replacement, 'PodScheduled')).toMatchObject({
      reason: 'Unschedulable',
      message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    });
    const after = await getJson<Job>(['get', 'job', 'preemptible']);
    expect(after.status?.failed ?? 0).toBe(0);
    expect(after.status?.active).toBe(1);
    expect(after.status?.conditions ?? []).not.toContainEqual(expect.objectContaining({ type: 'Failed' }));

    // kubectl describe pod shows what upstream's does: the priority and its class, the events.
    const described = await ok(['describe', 'pod', 'urgent']);
    expect(described).toMatch(/\nPriority:\s+1000000\n/);
    expect(described).toMatch(/\nPriority Class Name:\s+urgent\n/);
    expect(described).toMatch(/Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/1 nodes are available: 1 Insufficient cpu\./);
    const describedReplacement = await ok(['describe', 'pod', replacement.metadata.name!]);
    expect(describedReplacement).toMatch(/\nPriority:\s+100\n/);
    expect(describedReplacement).toMatch(/\nPriority Class Name:\s+batch-low\n/);

    await ok(['delete', 'pod', 'urgent', '--wait=true']);
    await ok(['delete', 'job', 'preemptible', '--cascade=foreground', '--wait=true']);
  });
});
