import { afterEach, describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim, Pod } from '../../api/index.js';
import { InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock, forbidden } from '../../machinery/index.js';
import { settle } from '../testing/settle.js';
import { EphemeralVolumeController, volumeClaimName, volumeIsForPod } from './ephemeral-controller.js';

const TEMPLATE = {
  metadata: { labels: { app: 'scratch' }, annotations: { note: 'from the template' } },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local' },
};

function pod(name: string, volumes: Pod['spec']['volumes'], extra: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...extra },
    spec: { containers: [{ name: 'c', image: 'busybox' }], volumes },
  } as Pod;
}

function foreignClaim(name: string): PersistentVolumeClaim {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default', uid: 'uid-foreign' }, spec: { accessModes: ['ReadWriteOnce'] } };
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(pods: Pod[], claims: PersistentVolumeClaim[] = []) {
  const clock = new FakeClock('2026-05-01T12:00:00Z');
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const p of pods) cs.tracker.add(Resources.pods, p);
  for (const c of claims) cs.tracker.add(Resources.persistentvolumeclaims, c);
  const informers = new InformerFactory(cs, { scheduler });
  const recorder = new FakeEventRecorder();
  const ec = new EphemeralVolumeController({ clientset: cs, informers, recorder, scheduler });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const drain = async () => {
    while (ec.queue.len() > 0) await ec.processNextWorkItem();
    await settle();
  };
  const claimsNow = () => cs.tracker.list(Resources.persistentvolumeclaims, 'default') as PersistentVolumeClaim[];
  return { cs, ec, recorder, drain, claimsNow };
}

describe('EphemeralVolumeController', () => {
  it('creates <pod>-<volume> from the template, controlled by the pod', async () => {
    const p = pod('runner', [{ name: 'scratch', ephemeral: { volumeClaimTemplate: TEMPLATE } }, { name: 'tmp', emptyDir: {} }]);
    const { cs, drain, claimsNow } = await setup([p]);
    await drain();
    const creates = cs.actionsFor('create', 'persistentvolumeclaims');
    expect(creates).toHaveLength(1);
    const [pvc] = claimsNow();
    expect(pvc.metadata.name).toBe('runner-scratch');
    expect(pvc.metadata.namespace).toBe('default');
    expect(pvc.metadata.labels).toEqual({ app: 'scratch' });
    expect(pvc.metadata.annotations).toEqual({ note: 'from the template' });
    expect(pvc.spec).toEqual(TEMPLATE.spec);
    expect(pvc.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'runner', uid: 'uid-runner', controller: true, blockOwnerDeletion: true }]);
    expect(volumeIsForPod(p, pvc)).toBeUndefined();
  });

  it('is idempotent: a pod whose claims exist creates nothing more, however often it syncs', async () => {
    const p = pod('runner', [{ name: 'a', ephemeral: { volumeClaimTemplate: TEMPLATE } }, { name: 'b', ephemeral: { volumeClaimTemplate: TEMPLATE } }]);
    const { cs, ec, drain, claimsNow } = await setup([p]);
    await drain();
    expect(claimsNow().map((c) => c.metadata.name).sort()).toEqual(['runner-a', 'runner-b']);
    ec.enqueuePod(p);
    ec.enqueuePod(p);
    await drain();
    await ec.syncHandler('default/runner');
    expect(cs.actionsFor('create', 'persistentvolumeclaims')).toHaveLength(2);
  });

  it('leaves a claim of that name the pod does not control alone, with upstream event and error', async () => {
    const p = pod('runner', [{ name: 'scratch', ephemeral: { volumeClaimTemplate: TEMPLATE } }]);
    const { cs, ec, recorder, claimsNow } = await setup([p], [foreignClaim('runner-scratch')]);
    await expect(ec.syncHandler('default/runner')).rejects.toThrow(
      'pod default/runner, ephemeral volume scratch: PVC default/runner-scratch was not created for pod default/runner (pod is not owner)',
    );
    expect(recorder.events).toEqual(['Warning FailedBinding ephemeral volume scratch: PVC default/runner-scratch was not created for pod default/runner (pod is not owner)']);
    expect(cs.actionsFor('create', 'persistentvolumeclaims')).toHaveLength(0);
    expect(cs.actionsFor('update', 'persistentvolumeclaims')).toHaveLength(0);
    expect(cs.actionsFor('patch', 'persistentvolumeclaims')).toHaveLength(0);
    expect(claimsNow()[0].metadata.ownerReferences).toBeUndefined();
    // A claim owned (not controlled) by the pod is not the pod's either.
    const owned = { ...foreignClaim('x'), metadata: { ...foreignClaim('x').metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'runner', uid: 'uid-runner' }] } };
    expect(volumeIsForPod(p, owned)).toBe('PVC default/x was not created for pod default/runner (pod is not owner)');
  });

  it('ignores pods being deleted and pods without ephemeral volumes; a failed create is a FailedBinding event', async () => {
    const deleting = pod('gone', [{ name: 'v', ephemeral: { volumeClaimTemplate: TEMPLATE } }], { deletionTimestamp: '2026-05-01T11:00:00Z' });
    const plain = pod('plain', [{ name: 'v', emptyDir: {} }]);
    const failing = pod('failing', [{ name: 'v', ephemeral: { volumeClaimTemplate: TEMPLATE } }]);
    const { cs, ec, recorder, drain } = await setup([deleting, plain]);
    await drain();
    expect(cs.actionsFor('create', 'persistentvolumeclaims')).toHaveLength(0);
    cs.prependReactor('create', 'persistentvolumeclaims', () => ({ error: forbidden('exceeded quota') }));
    cs.tracker.add(Resources.pods, failing);
    await settle();
    await expect(ec.syncHandler('default/failing')).rejects.toThrow('create PVC failing-v:');
    expect(recorder.events[0]).toMatch(/^Warning FailedBinding PVC creation failed: .*exceeded quota/);
  });

  it('creates a deleted claim again while its pod lives', async () => {
    const p = pod('runner', [{ name: 'scratch', ephemeral: { volumeClaimTemplate: TEMPLATE } }]);
    const { cs, drain, claimsNow } = await setup([p]);
    await drain();
    await cs.persistentvolumeclaims.namespace('default').delete('runner-scratch');
    await settle();
    await drain();
    expect(cs.actionsFor('create', 'persistentvolumeclaims')).toHaveLength(2);
    expect(claimsNow().map((c) => c.metadata.name)).toEqual(['runner-scratch']);
  });

  it('names the claim <pod name>-<volume name>', () => {
    expect(volumeClaimName({ metadata: { name: 'p' } }, { name: 'v' })).toBe('p-v');
  });
});
