import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../../api/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { FakeRuntime, settle } from '../runtime/testing/index.js';
import { LocalVolumeProvisioner } from './pvc-provisioner.js';

function claim(name: string, storageClassName?: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'ns' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName !== undefined ? { storageClassName } : {}) },
    status: { phase: 'Pending' },
  };
}

async function setup() {
  const clock = new FakeClock();
  const scheduler = new FakeScheduler(clock);
  const client = new FakeClientset({ clock });
  const runtime = new FakeRuntime({ clock, autoAdvance: false });
  const recorder = new FakeEventRecorder();
  const provisioner = new LocalVolumeProvisioner({ client, runtime, recorder, scheduler, instanceLabels: { 'jobyard.io/agent': 'a1' }, gcIntervalMs: 30_000 });
  const abort = new AbortController();
  provisioner.start(abort.signal);
  const quiet = async () => {
    for (let i = 0; i < 10; i++) {
      await settle(5);
      await provisioner.idle();
    }
  };
  await quiet();
  return { client, runtime, recorder, provisioner, scheduler, quiet, abort };
}

describe('LocalVolumeProvisioner', () => {
  it('binds a claim of the default class to a new runtime volume pvc-<uid>', async () => {
    const t = await setup();
    const created = await t.client.persistentvolumeclaims.namespace('ns').create(claim('data'));
    await t.quiet();
    const pvc = await t.client.persistentvolumeclaims.namespace('ns').get('data');
    const volume = `pvc-${created.metadata.uid}`;
    expect(pvc.spec.volumeName).toBe(volume);
    expect(pvc.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    expect(pvc.metadata.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/storage-provisioner': 'jobyard.io/local' });
    expect((await t.runtime.listVolumes()).map((v) => [v.name, v.labels])).toEqual([
      [volume, { 'jobyard.io/agent': 'a1', 'jobyard.io/volume-type': 'pvc', 'jobyard.io/claim-uid': created.metadata.uid }],
    ]);
    expect(t.recorder.events).toEqual([`Normal ProvisioningSucceeded Successfully provisioned volume ${volume} using jobyard.io/local`]);
    t.abort.abort();
  });

  it('leaves claims of other classes alone', async () => {
    const t = await setup();
    await t.client.persistentvolumeclaims.namespace('ns').create(claim('nas', 'nfs-client'));
    await t.quiet();
    expect((await t.client.persistentvolumeclaims.namespace('ns').get('nas')).status?.phase).toBe('Pending');
    expect(await t.runtime.listVolumes()).toEqual([]);
    t.abort.abort();
  });

  it('removes the volume when the claim is deleted; a volume in use is collected later', async () => {
    const t = await setup();
    const created = await t.client.persistentvolumeclaims.namespace('ns').create(claim('data'));
    await t.quiet();
    const volume = `pvc-${created.metadata.uid}`;
    // A pod's container still mounts it.
    t.runtime.addImage('x:1', { config: { cmd: ['/app'] } });
    const sb = await t.runtime.runPodSandbox({ metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 }, hostname: 'p' });
    const c = await t.runtime.createContainer(sb, { metadata: { name: 'c', attempt: 0 }, image: 'x:1', mounts: [{ type: 'volume', source: volume, target: '/data' }] });
    await t.client.persistentvolumeclaims.namespace('ns').delete('data');
    await t.quiet();
    expect((await t.runtime.listVolumes()).map((v) => v.name)).toEqual([volume]);
    await t.runtime.removeContainer(c);
    t.scheduler.step(30_000);
    await t.quiet();
    expect(await t.runtime.listVolumes()).toEqual([]);
    t.abort.abort();
  });
});
