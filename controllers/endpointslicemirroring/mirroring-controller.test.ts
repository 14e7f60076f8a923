import { afterEach, describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, Service } from '../../api/index.js';
import { InformerFactory } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { ENDPOINTS, ENDPOINT_SLICES, SERVICES } from '../endpoint/util.js';
import { settle } from '../testing/settle.js';
import { EndpointSliceMirroringController } from './mirroring-controller.js';

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

const svc = (name: string, selector?: Record<string, string>): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { ...(selector ? { selector } : {}), ports: [{ port: 5432, protocol: 'TCP' }] } });
const ep = (name: string, labels?: Record<string, string>): Endpoints => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name, namespace: 'default', uid: `uid-ep-${name}`, ...(labels ? { labels } : {}) },
  subsets: [{ addresses: [{ ip: '192.168.1.5', hostname: 'db-0' }], notReadyAddresses: [{ ip: '192.168.1.6' }], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }],
});

describe('EndpointSliceMirroringController', () => {
  it('mirrors the Endpoints of a selectorless Service, not of selecting or skip-mirror ones, and drops mirrors when the Service goes', async () => {
    const clock = new FakeClock('2026-12-07T05:00:00Z');
    const scheduler = new FakeScheduler(clock);
    const cs = new FakeClientset({ clock });
    for (const s of [svc('db'), svc('web', { app: 'web' }), svc('kubernetes')]) cs.tracker.add(SERVICES, s);
    for (const e of [ep('db'), ep('web'), ep('kubernetes', { 'endpointslice.kubernetes.io/skip-mirror': 'true' })]) cs.tracker.add(ENDPOINTS, e);
    const informers = new InformerFactory(cs, { scheduler });
    const mc = new EndpointSliceMirroringController({ clientset: cs, informers, scheduler });
    const ac = new AbortController();
    aborts.push(ac);
    informers.start(ac.signal);
    await informers.waitForCacheSync(ac.signal);
    await settle();
    const drain = async () => {
      for (let i = 0; i < 3; i++) {
        while (mc.queue.len() > 0) await mc.processNextWorkItem();
        await settle();
      }
    };
    await drain();
    const slices = () => cs.tracker.list(ENDPOINT_SLICES, 'default') as EndpointSlice[];
    expect(slices()).toHaveLength(1);
    const [mirror] = slices();
    expect(mirror!.metadata.name).toMatch(/^db-/);
    expect(mirror!.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    expect(mirror!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Endpoints', name: 'db', uid: 'uid-ep-db', controller: true, blockOwnerDeletion: true }]);
    expect(mirror!.ports).toEqual([{ name: 'pg', port: 5432, protocol: 'TCP' }]);
    expect(mirror!.endpoints).toEqual([
      { addresses: ['192.168.1.5'], conditions: { ready: true }, hostname: 'db-0' },
      { addresses: ['192.168.1.6'], conditions: { ready: false } },
    ]);
    await cs.resource<Service>(SERVICES).namespace('default').delete('db');
    await settle();
    await drain();
    expect(slices()).toEqual([]);
  });
});
