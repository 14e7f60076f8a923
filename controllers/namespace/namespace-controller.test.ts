import { afterEach, describe, expect, it } from 'vitest';
import type { Namespace, NamespaceCondition } from '../../api/index.js';
import { InformerFactory, type ObjectLike, Resources } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock, internal } from '../../machinery/index.js';
import { NamespaceController, customResourcesOf, updateConditions } from './namespace-controller.js';
import { settle } from '../testing/settle.js';

const NOW = '2026-05-01T12:00:00Z';

function terminatingNamespace(name = 'doomed'): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    // The fake removes an object with a deletionTimestamp on any write unless metadata.finalizers
    // hold it (the real registry also waits for spec.finalizers): keep it with one of ours.
    metadata: { name, deletionTimestamp: NOW, deletionGracePeriodSeconds: 0, finalizers: ['test/keep'] },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Terminating' },
  };
}

function content(ns: string, finalizers?: string[]): [typeof Resources[keyof typeof Resources], ObjectLike][] {
  const meta = (name: string) => ({ name, namespace: ns });
  return [
    [Resources.jobs, { metadata: meta('j'), spec: { template: { spec: { containers: [] } } } } as ObjectLike],
    [Resources.pods, { metadata: { ...meta('p'), ...(finalizers ? { finalizers } : {}) }, spec: { containers: [] } } as ObjectLike],
    [Resources.configmaps, { metadata: meta('cm') }],
    [Resources.secrets, { metadata: meta('s') }],
    [Resources.persistentvolumeclaims, { metadata: meta('pvc'), spec: {} } as ObjectLike],
    [Resources.events, { metadata: meta('e'), involvedObject: {} } as ObjectLike],
  ];
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(namespaces: Namespace[], objects: [typeof Resources[keyof typeof Resources], ObjectLike][]) {
  const clock = new FakeClock(NOW);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const ns of namespaces) cs.tracker.add(Resources.namespaces, ns);
  for (const [info, o] of objects) cs.tracker.add(info, o);
  const informers = new InformerFactory(cs, { scheduler });
  const nc = new NamespaceController({ clientset: cs, informers, scheduler });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const drain = async () => {
    while (nc.queue.len() > 0) await nc.processNextWorkItem();
  };
  const conditions = async (name = 'doomed') => {
    const ns = await cs.namespaces.get(name);
    return Object.fromEntries((ns.status?.conditions ?? []).map((c) => [c.type, c])) as Record<string, NamespaceCondition>;
  };
  return { cs, nc, scheduler, drain, conditions };
}

describe('NamespaceController', () => {
  it('deletes all content with Background propagation, then removes the kubernetes finalizer', async () => {
    const { cs, drain, conditions } = await setup([terminatingNamespace()], content('doomed'));
    await drain();
    const deleted = cs.actionsFor('delete').map((a) => `${a.resource}/${a.name}`);
    expect(deleted.sort()).toEqual(['configmaps/cm', 'events/e', 'jobs/j', 'persistentvolumeclaims/pvc', 'pods/p', 'secrets/s']);
    for (const a of cs.actionsFor('delete')) expect(a.deleteOptions?.propagationPolicy).toBe('Background');
    const fin = cs.actionsFor('patch', 'namespaces', 'finalize');
    expect(fin).toHaveLength(1);
    expect(fin[0].patch).toEqual({ spec: { finalizers: [] } });
    const c = await conditions();
    expect(c.NamespaceDeletionContentFailure).toMatchObject({ status: 'False', reason: 'ContentDeleted' });
    expect(c.NamespaceContentRemaining).toMatchObject({ status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' });
  });

  it('waits while content with finalizers remains, reports it in conditions, and finalizes once it is gone', async () => {
    const { cs, nc, scheduler, drain, conditions } = await setup([terminatingNamespace()], content('doomed', ['batch.kubernetes.io/job-tracking']));
    await drain();
    expect(cs.actionsFor('patch', 'namespaces', 'finalize')).toHaveLength(0);
    const c = await conditions();
    expect(c.NamespaceContentRemaining).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: pods. has 1 resource instances',
    });
    expect(c.NamespaceFinalizersRemaining).toMatchObject({
      status: 'True',
      reason: 'SomeFinalizerRemain',
      message: 'Some finalizers are remaining: batch.kubernetes.io/job-tracking in 1 resource instances',
    });
    // Finalizers: estimate 5 s, looked at again after 5/2 + 1 = 3 s.
    expect(nc.queue.waitingItems()).toEqual([{ item: 'doomed', delayMs: 3000 }]);

    await cs.pods.namespace('doomed').patch('p', 'merge', { metadata: { finalizers: null } });
    scheduler.step(3000);
    await drain();
    expect(cs.actionsFor('patch', 'namespaces', 'finalize')).toHaveLength(1);
    expect((await conditions()).NamespaceContentRemaining).toMatchObject({ status: 'False', reason: 'ContentRemoved' });
  });

  it('reports a failed delete as NamespaceDeletionContentFailure and retries', async () => {
    const { cs, nc, drain, conditions } = await setup([terminatingNamespace()], content('doomed'));
    cs.prependReactor('delete', 'configmaps', () => ({ error: internal('etcd is on fire') }));
    await drain();
    const c = await conditions();
    expect(c.NamespaceDeletionContentFailure.status).toBe('True');
    expect(c.NamespaceDeletionContentFailure.reason).toBe('ContentDeletionFailed');
    expect(c.NamespaceDeletionContentFailure.message).toMatch(/^Failed to delete all resource types, 1 remaining: configmaps\.: .*etcd is on fire/);
    expect(cs.actionsFor('patch', 'namespaces', 'finalize')).toHaveLength(0);
    expect(nc.queue.waitingItems().map((w) => w.item)).toEqual(['doomed']);
  });

  it('leaves active namespaces and their content alone', async () => {
    const active: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    const { cs, nc, drain } = await setup([active], content('live'));
    expect(nc.queue.len()).toBe(0);
    await drain();
    expect(cs.actionsFor('delete')).toHaveLength(0);
  });

  it('moves lastTransitionTime only when a condition changes status', () => {
    const old: NamespaceCondition[] = [{ type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: 't0', reason: 'SomeResourcesRemain', message: 'a' }];
    const same = updateConditions(old, [{ ...old[0], lastTransitionTime: 't1', message: 'b' }]);
    expect(same.changed).toBe(true);
    expect(same.conditions[0]).toMatchObject({ lastTransitionTime: 't0', message: 'b' });
    const flipped = updateConditions(old, [{ ...old[0], status: 'False', lastTransitionTime: 't2' }]);
    expect(flipped.conditions[0].lastTransitionTime).toBe('t2');
    expect(updateConditions(old, [{ ...old[0], lastTransitionTime: 't3' }]).changed).toBe(false);
  });
  it('deletes the custom resources of established, namespaced CRDs too (upstream finds them by discovery)', async () => {
    const crd = (plural: string, scope: string, established: boolean) => ({
      metadata: { name: `${plural}.example.com` },
      spec: { group: 'example.com', scope, versions: [{ name: 'v1beta1', served: true, storage: false }, { name: 'v1', served: true, storage: true }] },
      status: { acceptedNames: { plural, kind: 'Widget' }, conditions: [{ type: 'Established', status: established ? 'True' : 'False' }] },
    });
    expect(customResourcesOf([crd('widgets', 'Namespaced', true), crd('clusterwidgets', 'Cluster', true), crd('pending', 'Namespaced', false)])).toEqual([
      { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true },
    ]);
    const widgets = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };
    const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };
    const { cs, drain } = await setup(
      [terminatingNamespace()],
      [
        [crds as typeof Resources.pods, crd('widgets', 'Namespaced', true) as ObjectLike],
        [widgets as typeof Resources.pods, { metadata: { name: 'w', namespace: 'doomed' } } as ObjectLike],
      ],
    );
    await drain();
    expect(cs.actionsFor('delete').map((a) => `${a.resource}/${a.name}`)).toEqual(['widgets/w']);
    expect(cs.actionsFor('patch', 'namespaces', 'finalize')).toHaveLength(1);
  });
});
