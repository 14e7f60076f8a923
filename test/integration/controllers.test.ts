// The controllers against a real API server (in process, SQLite in a temp dir, HTTPS), with no
// node agent: the test plays the node, as upstream's test/integration does — it binds pods,
// sets their phase through the status subresource and finishes graceful deletions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Job, Namespace, Node, Pod, PodPhase } from '../../api/index.js';
import { RestClientset, loadKubeconfig } from '../../client/index.js';
import { type RunningServer, startServer } from '../../cmd/server.js';
import { type ControllerManager, type ControllersConfig, startControllers } from '../../controllers/manager.js';
import { isNotFound } from '../../machinery/index.js';
import { waitFor } from '../support/wait.js';

const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

let server: RunningServer;
let dataDir: string;
let cs: RestClientset;
let nsSeq = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobyard-int-controllers-'));
  server = await startServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    controllers: false,
    agent: false,
    jobBackoffBaseSeconds: 10,
    jobBackoffMaxSeconds: 360,
    tlsSans: [],
    quiet: true,
  });
  cs = new RestClientset(loadKubeconfig(server.kubeconfigPath));
});

afterAll(async () => {
  cs?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function startManager(controllers: ControllersConfig): Promise<ControllerManager> {
  const cm = startControllers({ kubeconfig: server.kubeconfigPath, controllers });
  await cm.waitForCacheSync();
  return cm;
}

/** Polls `fn` until it returns a truthy value, or fails after `timeoutMs`. */

async function newNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${process.pid}-${++nsSeq}`;
  await cs.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function newJob(name: string, o: { parallelism?: number; completions?: number; ttl?: number } = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      parallelism: o.parallelism ?? 2,
      completions: o.completions ?? 2,
      ...(o.ttl !== undefined ? { ttlSecondsAfterFinished: o.ttl } : {}),
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['true'] }] } },
    },
  } as Job;
}

async function jobPods(ns: string, job: Job): Promise<Pod[]> {
  const list = await cs.pods.namespace(ns).list({ labelSelector: `batch.kubernetes.io/job-name=${job.metadata.name}` });
  return list.items;
}

async function gone(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

/** The node's part: bind the pod and set its phase (upstream's setJobPodsPhase). */
async function playNode(ns: string, pods: Pod[], phase: PodPhase, nodeName = 'test-node'): Promise<void> {
  for (const p of pods) {
    let pod = await cs.pods.namespace(ns).get(p.metadata.name!);
    if (!pod.spec.nodeName) await bind(ns, pod.metadata.name!, nodeName);
    pod = await cs.pods.namespace(ns).get(p.metadata.name!);
    pod.status = { ...pod.status, phase };
    if (phase === 'Succeeded' || phase === 'Failed') {
      const exitCode = phase === 'Succeeded' ? 0 : 1;
      pod.status.containerStatuses = [
        { name: 'main', ready: false, restartCount: 0, image: 'busybox:1.36', imageID: '', state: { terminated: { exitCode, reason: phase === 'Succeeded' ? 'Completed' : 'Error' } } },
      ];
    }
    await cs.pods.namespace(ns).updateStatus(pod);
  }
}

async function bind(ns: string, name: string, nodeName: string): Promise<void> {
  await cs.rest.request({
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/pods/${name}/binding`,
    body: { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } },
  });
}

/** The node finishing graceful deletions: pods with a deletionTimestamp are deleted for good. */
async function finishPodDeletions(ns: string): Promise<void> {
  for (const p of (await cs.pods.namespace(ns).list()).items) {
    if (!p.metadata.deletionTimestamp) continue;
    try {
      await cs.pods.namespace(ns).delete(p.metadata.name!, { gracePeriodSeconds: 0 });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

describe('garbage collector, namespace and TTL controllers with the Job controller', () => {
  let cm: ControllerManager;
  beforeAll(async () => {
    cm = await startManager({ scheduler: false, namespace: { remainingContentDelayMs: () => 200 } });
  });
  afterAll(async () => {
    await cm?.stop();
  });

  it('should remove pods when job is deleted (kubectl delete: Background propagation)', async () => {
    const ns = await newNamespace('gc-background');
    const job = await cs.jobs.namespace(ns).create(newJob('bg'));
    const pods = await waitFor('2 pods', async () => ((await jobPods(ns, job)).length === 2 ? jobPods(ns, job) : undefined));
    await playNode(ns, pods, 'Running');
    await cs.jobs.namespace(ns).delete('bg', { propagationPolicy: 'Background' });
    await waitFor('the Job gone', () => gone(() => cs.jobs.namespace(ns).get('bg')));
    // The collector deletes the pods; running on a node, they wait for it to finish them.
    await waitFor('pods being deleted', async () => (await jobPods(ns, job)).every((p) => p.metadata.deletionTimestamp));
    await finishPodDeletions(ns);
    await waitFor('pods gone', async () => (await jobPods(ns, job)).length === 0);
  });

  it('orphans the pods of a Job deleted through the API without propagationPolicy: no ownerReference, no tracking finalizer (A39b)', async () => {
    const ns = await newNamespace('gc-orphan');
    const job = await cs.jobs.namespace(ns).create(newJob('orphaner'));
    const pods = await waitFor('2 pods', async () => ((await jobPods(ns, job)).length === 2 ? jobPods(ns, job) : undefined));
    expect(pods.every((p) => p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER))).toBe(true);
    await playNode(ns, pods, 'Running');
    // A raw DELETE with no body: batch/v1 defaults to Orphan.
    await cs.rest.request({ method: 'DELETE', path: `/apis/batch/v1/namespaces/${ns}/jobs/orphaner` });
    await waitFor('the Job gone', () => gone(() => cs.jobs.namespace(ns).get('orphaner')));
    const orphans = await waitFor('orphans without ownerReferences and finalizers', async () => {
      const list = await jobPods(ns, job);
      return list.length === 2 && list.every((p) => !p.metadata.ownerReferences?.length && !p.metadata.finalizers?.length) ? list : undefined;
    });
    expect(orphans.every((p) => !p.metadata.deletionTimestamp)).toBe(true);
  });

  it('keeps a Job deleted in the foreground, with foregroundDeletion, until its pods are gone (A39c)', async () => {
    const ns = await newNamespace('gc-foreground');
    const job = await cs.jobs.namespace(ns).create(newJob('fg'));
    const pods = await waitFor('2 pods', async () => ((await jobPods(ns, job)).length === 2 ? jobPods(ns, job) : undefined));
    await playNode(ns, pods, 'Running');
    await cs.jobs.namespace(ns).delete('fg', { propagationPolicy: 'Foreground' });
    await waitFor('pods being deleted', async () => (await jobPods(ns, job)).every((p) => p.metadata.deletionTimestamp));
    const waiting = await cs.jobs.namespace(ns).get('fg');
    expect(waiting.metadata.deletionTimestamp).toBeDefined();
    expect(waiting.metadata.finalizers).toContain('foregroundDeletion');
    await finishPodDeletions(ns);
    await waitFor('pods gone', async () => (await jobPods(ns, job)).length === 0);
    await waitFor('the Job gone', () => gone(() => cs.jobs.namespace(ns).get('fg')));
  });

  it('deletes dependents whose owner is gone, and keeps those of a live owner', async () => {
    const ns = await newNamespace('gc-dangling');
    const owner = await cs.configmaps.namespace(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const ref = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid });
    await cs.secrets.namespace(ns).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kept', ownerReferences: [ref('owner', owner.metadata.uid!)] } });
    await cs.secrets.namespace(ns).create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dangling', ownerReferences: [ref('owner', '11111111-2222-3333-4444-555555555555')] },
    });
    await waitFor('the dangling dependent gone', () => gone(() => cs.secrets.namespace(ns).get('dangling')));
    expect((await cs.secrets.namespace(ns).get('kept')).metadata.name).toBe('kept');
  });

  it('deletes a namespace: its content is deleted and the namespace removed', async () => {
    const ns = await newNamespace('ns-delete');
    const job = await cs.jobs.namespace(ns).create(newJob('j'));
    const pods = await waitFor('2 pods', async () => ((await jobPods(ns, job)).length === 2 ? jobPods(ns, job) : undefined));
    await playNode(ns, pods, 'Running');
    await cs.configmaps.namespace(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } });
    await cs.secrets.namespace(ns).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } });
    await cs.namespaces.delete(ns);
    const terminating = await cs.namespaces.get(ns);
    expect(terminating.status?.phase).toBe('Terminating');
    // Running pods wait for the node; the namespace reports them.
    const remaining = await waitFor('NamespaceContentRemaining', async () => {
      const n: Namespace = await cs.namespaces.get(ns);
      return n.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining' && c.status === 'True');
    });
    expect(remaining.message).toMatch(/^Some resources are remaining: pods\. has 2 resource instances/);
    await finishPodDeletions(ns);
    await waitFor('the namespace gone', () => gone(() => cs.namespaces.get(ns)));
  });

  it('deletes a finished Job after ttlSecondsAfterFinished', async () => {
    const ns = await newNamespace('ttl');
    const job = await cs.jobs.namespace(ns).create(newJob('short-lived', { parallelism: 1, completions: 1, ttl: 1 }));
    // A watch sees every change: the Complete Job and then its deletion (a poll may miss the
    // one second between them on a busy machine).
    const ac = new AbortController();
    const seen = (async () => {
      let complete: Job | undefined;
      for await (const ev of cs.jobs.namespace(ns).watch({ fieldSelector: 'metadata.name=short-lived', resourceVersion: job.metadata.resourceVersion, signal: ac.signal })) {
        if (ev.type === 'DELETED') return { complete, deletedAt: Date.now() };
        if (ev.object.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')) complete ??= ev.object;
      }
      throw new Error('the watch ended before the Job was deleted');
    })();
    seen.catch(() => undefined); // awaited below; aborted early only when the test already failed
    try {
      const pods = await waitFor('1 pod', async () => ((await jobPods(ns, job)).length === 1 ? jobPods(ns, job) : undefined));
      await playNode(ns, pods, 'Succeeded');
      const timeout = setTimeout(() => ac.abort(), 30_000);
      const { complete, deletedAt } = await seen.finally(() => clearTimeout(timeout));
      expect(complete, 'the Job was Complete before it went').toBeDefined();
      const finishedAt = Date.parse(complete!.status!.conditions!.find((c) => c.type === 'Complete')!.lastTransitionTime!);
      // lastTransitionTime has whole seconds: the deletion comes at least ttl after that second.
      expect(deletedAt).toBeGreaterThanOrEqual(finishedAt + 1000);
    } finally {
      ac.abort();
    }
    await waitFor('its pod gone', async () => (await jobPods(ns, job)).length === 0);
  });
});

describe('scheduler', () => {
  let cm: ControllerManager;
  const nodeName = `node-${process.pid}`;
  beforeAll(async () => {
    cm = await startManager({ job: false, garbagecollector: false, namespace: false, ttlafterfinished: false, cronjob: false, podgc: false });
    const node = await cs.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName } } } as Node);
    node.status = {
      capacity: { cpu: '1', memory: '1Gi', pods: '110' },
      allocatable: { cpu: '1', memory: '1Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test node is ready' }],
    };
    await cs.nodes.updateStatus(node);
  });
  afterAll(async () => {
    await cm?.stop();
    await cs.nodes.delete(nodeName).catch(() => {});
  });

  function pod(name: string, cpu: string, init?: string): Pod {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox:1.36', resources: { requests: { cpu, memory: '64Mi' } } }],
        ...(init ? { initContainers: [{ name: 'init', image: 'busybox:1.36', resources: { requests: { cpu: init } } }] } : {}),
      },
    };
  }

  const nodeOf = (ns: string, name: string) => async () => (await cs.pods.namespace(ns).get(name)).spec.nodeName;

  it('binds a pending pod whose requests fit the node (PodScheduled=True)', async () => {
    const ns = await newNamespace('sched-fit');
    await cs.pods.namespace(ns).create(pod('fits', '500m'));
    expect(await waitFor('bound', nodeOf(ns, 'fits'))).toBe(nodeName);
    const p = await cs.pods.namespace(ns).get('fits');
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    await cs.pods.namespace(ns).delete('fits', { gracePeriodSeconds: 0 });
  });

  it('leaves a pod whose requests do not fit Pending: PodScheduled=False/Unschedulable and FailedScheduling, then binds it once the other pod ends', async () => {
    const ns = await newNamespace('sched-nofit');
    await cs.pods.namespace(ns).create(pod('first', '700m'));
    expect(await waitFor('first bound', nodeOf(ns, 'first'))).toBe(nodeName);
    await cs.pods.namespace(ns).create(pod('second', '500m'));
    const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..';
    const cond = await waitFor('PodScheduled=False', async () =>
      (await cs.pods.namespace(ns).get('second')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'),
    );
    expect(cond).toMatchObject({ reason: 'Unschedulable', message });
    const event = await waitFor('FailedScheduling event', async () =>
      ((await cs.events.namespace(ns).list()).items as Event[]).find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'second'),
    );
    expect(event).toMatchObject({ type: 'Warning', message, source: { component: 'default-scheduler' } });
    expect((await cs.pods.namespace(ns).get('second')).status?.phase).toBe('Pending');

    // The first pod ends: its cpu is free again.
    await playNode(ns, [await cs.pods.namespace(ns).get('first')], 'Succeeded', nodeName);
    expect(await waitFor('second bound', nodeOf(ns, 'second'))).toBe(nodeName);
  });

  it('counts init container requests: a pod whose init container asks more than the node has stays Pending', async () => {
    const ns = await newNamespace('sched-init');
    await cs.pods.namespace(ns).create(pod('big-init', '100m', '2'));
    await cs.pods.namespace(ns).create(pod('small-init', '100m', '500m'));
    expect(await waitFor('small-init bound', nodeOf(ns, 'small-init'))).toBe(nodeName);
    const cond = await waitFor('big-init unschedulable', async () =>
      (await cs.pods.namespace(ns).get('big-init')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'),
    );
    expect(cond.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..');
  });

  it('preempts a pod of lower priority: DisruptionTarget, graceful delete, nomination; the binding clears the nomination', async () => {
    const ns = await newNamespace('sched-preempt');
    // A node of its own (1 cpu), which the earlier cases' pods do not use.
    const own = `preempt-${process.pid}`;
    const n = await cs.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: own, labels: { 'kubernetes.io/hostname': own } } } as Node);
    n.status = { allocatable: { cpu: '1', memory: '1Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test node is ready' }] };
    await cs.nodes.updateStatus(n);
    const onOwn = (p: Pod, priorityClassName?: string): Pod => ({ ...p, spec: { ...p.spec, nodeSelector: { 'kubernetes.io/hostname': own }, ...(priorityClassName ? { priorityClassName } : {}) } });
    await cs.rest.request({ method: 'POST', path: '/apis/scheduling.k8s.io/v1/priorityclasses', body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: `high-${process.pid}` }, value: 1000 } });
    await cs.pods.namespace(ns).create(onOwn(pod('low', '600m')));
    expect(await waitFor('low bound', nodeOf(ns, 'low'))).toBe(own);
    await cs.pods.namespace(ns).create(onOwn(pod('high', '600m'), `high-${process.pid}`));
    const victim = await waitFor('low marked and being deleted', async () => {
      const p = await cs.pods.namespace(ns).get('low');
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    expect(victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    // The pod's own grace period (30 s by default): the node has to finish it.
    expect(victim.metadata.deletionGracePeriodSeconds).toBe(30);
    const high = await waitFor('high nominated', async () => {
      const p = await cs.pods.namespace(ns).get('high');
      return p.status?.nominatedNodeName ? p : undefined;
    });
    expect(high.status?.nominatedNodeName).toBe(own);
    expect(high.spec.nodeName).toBeUndefined();
    await finishPodDeletions(ns);
    expect(await waitFor('high bound', nodeOf(ns, 'high'))).toBe(own);
    expect((await cs.pods.namespace(ns).get('high')).status?.nominatedNodeName).toBeUndefined();
    await cs.pods.namespace(ns).delete('high', { gracePeriodSeconds: 0 });
    await cs.nodes.delete(own);
  });
});
