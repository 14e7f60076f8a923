import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap, Job, OwnerReference, Pod } from '../../api/index.js';
import { InformerFactory, type ObjectLike, type ResourceInfo, Resources } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { GarbageCollector } from './garbage-collector.js';
import { settle } from '../testing/settle.js';

const NS = 'default';

function jobRef(name: string, uid: string, block = true): OwnerReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name, uid, controller: true, blockOwnerDeletion: block };
}

function newJob(name: string, uid: string, finalizers?: string[]): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS, uid, ...(finalizers ? { finalizers } : {}) },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } },
  } as Job;
}

function newPod(name: string, owners: OwnerReference[], finalizers?: string[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, uid: `uid-${name}`, ownerReferences: owners, ...(finalizers ? { finalizers } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(objects: [ResourceInfo, ObjectLike][], resources?: ResourceInfo[]) {
  const clock = new FakeClock('2026-05-01T12:00:00Z');
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const [info, o] of objects) cs.tracker.add(info, o);
  const informers = new InformerFactory(cs, { scheduler });
  const gc = new GarbageCollector({ clientset: cs, informers, scheduler, resources });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  /** Lets informers deliver, then runs both queues until nothing is left (bounded). */
  const drain = async () => {
    for (let round = 0; round < 20; round++) {
      await settle();
      if (gc.attemptToDelete.len() === 0 && gc.attemptToOrphan.len() === 0) return;
      while (gc.attemptToDelete.len() > 0) await gc.processAttemptToDelete();
      while (gc.attemptToOrphan.len() > 0) await gc.processAttemptToOrphan();
    }
  };
  const exists = async (info: ResourceInfo, name: string) => {
    try {
      return await cs.resource<ObjectLike>(info).namespace(NS).get(name);
    } catch {
      return undefined;
    }
  };
  return { cs, gc, drain, exists, scheduler };
}

describe('GarbageCollector attemptToDelete', () => {
  it('deletes a dependent whose owner no longer exists, with Background propagation and a uid precondition', async () => {
    const { cs, drain, exists } = await setup([[Resources.pods, newPod('p1', [jobRef('gone', 'uid-gone')])]]);
    await drain();
    const deletes = cs.actionsFor('delete', 'pods');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].deleteOptions).toEqual({ propagationPolicy: 'Background', preconditions: { uid: 'uid-p1' } });
    expect(await exists(Resources.pods, 'p1')).toBeUndefined();
  });

  it('treats an owner that exists with another uid as gone', async () => {
    const { cs, drain, exists } = await setup([
      [Resources.jobs, newJob('j', 'uid-new')],
      [Resources.pods, newPod('p1', [jobRef('j', 'uid-old')])],
    ]);
    await drain();
    expect(cs.actionsFor('delete', 'pods')).toHaveLength(1);
    expect(await exists(Resources.pods, 'p1')).toBeUndefined();
    expect(await exists(Resources.jobs, 'j')).toBeDefined();
  });

  it('checks the owner with a live GET: a child of a live owner the cache has not seen is kept', async () => {
    // Jobs are not watched, so the owner is never in the graph: only the live GET can tell.
    const { cs, drain, exists } = await setup(
      [
        [Resources.jobs, newJob('j', 'uid-j')],
        [Resources.pods, newPod('p1', [jobRef('j', 'uid-j')])],
      ],
      [Resources.pods],
    );
    await drain();
    expect(cs.actionsFor('get', 'jobs').map((a) => a.name)).toEqual(['j']);
    expect(cs.actionsFor('delete')).toHaveLength(0);
    expect(await exists(Resources.pods, 'p1')).toBeDefined();
  });

  it('deletes the dependents of an owner deleted later (owner DELETED event)', async () => {
    const { cs, drain, exists } = await setup([
      [Resources.jobs, newJob('j', 'uid-j')],
      [Resources.pods, newPod('p1', [jobRef('j', 'uid-j')])],
      [Resources.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: NS, ownerReferences: [jobRef('j', 'uid-j', false)] } } as ConfigMap],
    ]);
    await drain();
    expect(cs.actionsFor('delete')).toHaveLength(0);
    await cs.jobs.namespace(NS).delete('j', { propagationPolicy: 'Background' });
    await drain();
    expect(await exists(Resources.pods, 'p1')).toBeUndefined();
    expect(await exists(Resources.configmaps, 'cm')).toBeUndefined();
  });

  it('removes only the references to gone owners while a solid owner remains', async () => {
    const { cs, drain, exists } = await setup([
      [Resources.jobs, newJob('live', 'uid-live')],
      [Resources.pods, newPod('p1', [jobRef('live', 'uid-live'), { ...jobRef('gone', 'uid-gone'), controller: false }])],
    ]);
    await drain();
    expect(cs.actionsFor('delete')).toHaveLength(0);
    const patches = cs.actionsFor('patch', 'pods');
    expect(patches).toHaveLength(1);
    expect(patches[0].patch).toEqual({ metadata: { uid: 'uid-p1', ownerReferences: [{ $patch: 'delete', uid: 'uid-gone' }] } });
    const pod = (await exists(Resources.pods, 'p1')) as Pod;
    expect(pod.metadata.ownerReferences?.map((r) => r.uid)).toEqual(['uid-live']);
  });

  it('retries an owner reference of a kind the API does not serve and never deletes for it', async () => {
    const { cs, gc, drain, exists } = await setup([
      [Resources.pods, newPod('p1', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'uid-rs' }])],
    ]);
    await drain();
    expect(cs.actionsFor('delete')).toHaveLength(0);
    expect(await exists(Resources.pods, 'p1')).toBeDefined();
    expect(gc.attemptToDelete.waitingItems().map((w) => w.item)).toEqual(['uid-p1']);
  });
});

describe('GarbageCollector orphan', () => {
  it('removes the owner reference from every dependent, then the orphan finalizer, and the owner goes', async () => {
    const { cs, drain, exists } = await setup([
      [Resources.jobs, newJob('j', 'uid-j', ['orphan'])],
      [Resources.pods, newPod('p1', [jobRef('j', 'uid-j')])],
      [Resources.pods, newPod('p2', [jobRef('j', 'uid-j')])],
    ]);
    await drain();
    expect(cs.actionsFor('patch')).toHaveLength(0); // not being deleted yet
    await cs.jobs.namespace(NS).delete('j');
    await drain();
    for (const name of ['p1', 'p2']) {
      const pod = (await exists(Resources.pods, name)) as Pod;
      expect(pod.metadata.ownerReferences ?? []).toEqual([]);
    }
    expect(cs.actionsFor('delete', 'pods')).toHaveLength(0);
    expect(await exists(Resources.jobs, 'j')).toBeUndefined();
    // Dependents first, the finalizer last.
    const patched = cs.actionsFor('patch').map((a) => a.resource);
    expect(patched).toEqual(['pods', 'pods', 'jobs']);
  });
});

describe('GarbageCollector foreground', () => {
  it('deletes the dependents and keeps foregroundDeletion until the blocking ones are gone', async () => {
    const { cs, drain, exists } = await setup([
      [Resources.jobs, newJob('j', 'uid-j', ['foregroundDeletion'])],
      // A finalizer keeps the pod around after its delete, as a running pod on a node would be.
      [Resources.pods, newPod('p1', [jobRef('j', 'uid-j')], ['test/hold'])],
    ]);
    await cs.jobs.namespace(NS).delete('j');
    await drain();
    const pod = (await exists(Resources.pods, 'p1')) as Pod;
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    expect(cs.actionsFor('delete', 'pods')[0].deleteOptions?.propagationPolicy).toBe('Background');
    const job = (await exists(Resources.jobs, 'j')) as Job;
    expect(job.metadata.finalizers).toEqual(['foregroundDeletion']);

    // The node finishes the pod: its finalizer goes, the pod is deleted, and so is the Job.
    await cs.pods.namespace(NS).patch('p1', 'merge', { metadata: { finalizers: null } });
    await drain();
    expect(await exists(Resources.pods, 'p1')).toBeUndefined();
    expect(await exists(Resources.jobs, 'j')).toBeUndefined();
  });

  it('does not wait for dependents without blockOwnerDeletion, but still deletes them', async () => {
    const { cs, drain, exists } = await setup([
      [Resources.jobs, newJob('j', 'uid-j', ['foregroundDeletion'])],
      [Resources.pods, newPod('p1', [jobRef('j', 'uid-j', false)], ['test/hold'])],
    ]);
    await cs.jobs.namespace(NS).delete('j');
    await drain();
    expect(await exists(Resources.jobs, 'j')).toBeUndefined();
    expect(((await exists(Resources.pods, 'p1')) as Pod).metadata.deletionTimestamp).toBeDefined();
  });

  it('deletes a dependent that has dependents of its own in the foreground (recursively)', async () => {
    const { cs, drain, exists } = await setup([
      [Resources.jobs, newJob('j', 'uid-j', ['foregroundDeletion'])],
      [Resources.pods, newPod('p1', [jobRef('j', 'uid-j')])],
      [
        Resources.configmaps,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cm', namespace: NS, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p1', uid: 'uid-p1', blockOwnerDeletion: true }] },
        } as ConfigMap,
      ],
    ]);
    await cs.jobs.namespace(NS).delete('j');
    await drain();
    expect(cs.actionsFor('delete', 'pods')[0].deleteOptions?.propagationPolicy).toBe('Foreground');
    expect(await exists(Resources.configmaps, 'cm')).toBeUndefined();
    expect(await exists(Resources.pods, 'p1')).toBeUndefined();
    expect(await exists(Resources.jobs, 'j')).toBeUndefined();
  });
});

describe('GarbageCollector and custom resources', () => {
  const crds: ResourceInfo = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };
  const stacks: ResourceInfo = { group: 'example.com', version: 'v1', resource: 'stacks', kind: 'Stack', namespaced: true };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'stacks.example.com', uid: 'uid-crd' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'stacks', kind: 'Stack' }, versions: [{ name: 'v1', served: true, storage: true }] },
    status: { acceptedNames: { plural: 'stacks', kind: 'Stack' }, conditions: [{ type: 'Established', status: 'True' }] },
  };
  const stackRef: OwnerReference = { apiVersion: 'example.com/v1', kind: 'Stack', name: 's1', uid: 'uid-s1' };

  it('learns the kinds of established CRDs: a ConfigMap owned by a custom resource goes when it does', async () => {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1', namespace: NS, uid: 'uid-cm1', ownerReferences: [stackRef] } };
    const { cs, gc, exists } = await setup([
      [crds, crd],
      [stacks, { apiVersion: 'example.com/v1', kind: 'Stack', metadata: { name: 's1', namespace: NS, uid: 'uid-s1' } }],
      [Resources.configmaps, cm],
    ]);
    const ac = new AbortController();
    aborts.push(ac);
    void gc.run(ac.signal, 1);
    const until = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 50 && !(await cond()); i++) await settle();
      return cond();
    };
    // The custom resource is watched: the graph holds it, and its live dependent stays.
    expect(await until(async () => gc.graph.has('uid-s1'))).toBe(true);
    await settle();
    expect(await exists(Resources.configmaps, 'cm1')).toBeDefined();
    await cs.resource(stacks).namespace(NS).delete('s1');
    expect(await until(async () => (await exists(Resources.configmaps, 'cm1')) === undefined)).toBe(true);
    expect(cs.actionsFor('delete', 'configmaps')[0]?.deleteOptions).toEqual({ propagationPolicy: 'Background', preconditions: { uid: 'uid-cm1' } });
  });
});
