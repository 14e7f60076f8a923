import { describe, expect, it } from 'vitest';
import type { Lease, Node } from '../api/index.js';
import { FakeClock } from '../machinery/index.js';
import { NodeLeaseController } from './node-lease.js';
import { Resources } from './resource-client.js';
import { FakeClientset, FakeScheduler } from './testing/index.js';

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('NodeLeaseController', () => {
  it('creates kube-node-lease/<node> owned by the Node and renews it every 10 s', async () => {
    const clock = new FakeClock('2026-12-07T05:00:00Z');
    const scheduler = new FakeScheduler(clock);
    const cs = new FakeClientset({ clock });
    const lease = new NodeLeaseController({ client: cs, nodeName: 'n1', scheduler });
    await lease.start({ metadata: { name: 'n1', uid: 'uid-n1' } } as Node);
    const get = () => cs.tracker.get(Resources.leases, 'kube-node-lease', 'n1') as Lease;
    expect(get().spec).toEqual({ holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-12-07T05:00:00.000000Z' });
    expect(get().metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'uid-n1' }]);
    scheduler.step(10_000);
    await settle();
    expect(get().spec?.renewTime).toBe('2026-12-07T05:00:10.000000Z');
    // Someone else wrote it meanwhile: the renewal reads it again instead of failing.
    await cs.resource<Lease>(Resources.leases).namespace('kube-node-lease').update({ ...get(), spec: { ...get().spec, holderIdentity: 'n1' } , metadata: { ...get().metadata, labels: { x: 'y' } } });
    scheduler.step(10_000);
    await settle();
    expect(get().spec?.renewTime).toBe('2026-12-07T05:00:20.000000Z');
    expect(get().metadata.labels).toEqual({ x: 'y' });
    lease.stop();
  });
});
