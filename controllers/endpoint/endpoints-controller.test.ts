import { afterEach, describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, Pod, Service } from '../../api/index.js';
import { InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { EndpointSliceController, desiredSlices } from '../endpointslice/index.js';
import { settle } from '../testing/settle.js';
import { EndpointsController, endpointSubsetsFor } from './endpoints-controller.js';
import { ENDPOINTS, ENDPOINT_SLICES, SERVICES } from './util.js';

const NOW = '2026-12-07T05:00:00Z';

function pod(name: string, o: { ip?: string; ready?: boolean; deleting?: boolean; phase?: string; hostname?: string; subdomain?: string; port?: number; readyAt?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: NOW } : {}) },
    spec: {
      nodeName: 'node-1',
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }],
    },
    status: {
      phase: (o.phase ?? 'Running') as Pod['status'] extends infer S ? S extends { phase?: infer P } ? P : never : never,
      ...(o.ip === '' ? {} : { podIP: o.ip ?? `10.0.0.${name.slice(-1)}` }),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readyAt ?? NOW }],
    },
  } as Pod;
}

function service(spec: Service['spec'], name = 'web'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `uid-svc-${name}`, creationTimestamp: '2026-12-07T04:00:00Z', labels: { tier: 'front' } }, spec };
}

const web = service({ clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] });

describe('endpointSubsetsFor (syncService\'s loop)', () => {
  it('puts ready pods in addresses, unready in notReadyAddresses, resolves named ports per pod, skips terminal, IP-less and terminating pods', () => {
    const subsets = endpointSubsetsFor(web, [
      pod('p1'),
      pod('p2', { ready: false }),
      pod('p3', { port: 9090 }),
      pod('p4', { phase: 'Succeeded' }),
      pod('p5', { ip: '' }),
      pod('p6', { deleting: true }),
    ]);
    expect(subsets).toEqual([
      {
        addresses: [{ ip: '10.0.0.1', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'uid-p1' } }],
        notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p2', uid: 'uid-p2' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      { addresses: [{ ip: '10.0.0.3', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p3', uid: 'uid-p3' } }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    ]);
  });
  it('publishNotReadyAddresses lists unready and terminating pods as ready; headless without ports; hostname for the subdomain', () => {
    const peers = service({ clusterIP: 'None', selector: { app: 'web' }, publishNotReadyAddresses: true }, 'peers');
    const subsets = endpointSubsetsFor(peers, [pod('p1', { ready: false, hostname: 'h1', subdomain: 'peers' }), pod('p2', { deleting: true, hostname: 'h2', subdomain: 'other' })]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.1', nodeName: 'node-1', hostname: 'h1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'uid-p1' } },
          { ip: '10.0.0.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p2', uid: 'uid-p2' } },
        ],
      },
    ]);
  });
  it('EndpointSlices: conditions ready/serving/terminating, grouped by resolved ports, chunked', () => {
    const slices = desiredSlices(web, [pod('p1'), pod('p2', { ready: false }), pod('p3', { deleting: true }), pod('p4', { port: 9090 })], 2);
    expect(slices.map((s) => [s.ports.map((p) => p.port), s.endpoints.map((e) => [e.addresses[0], e.conditions])])).toEqual([
      [[8080], [['10.0.0.1', { ready: true, serving: true, terminating: false }], ['10.0.0.2', { ready: false, serving: false, terminating: false }]]],
      [[8080], [['10.0.0.3', { ready: false, serving: true, terminating: true }]]],
      [[9090], [['10.0.0.4', { ready: true, serving: true, terminating: false }]]],
    ]);
  });
});

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(objects: { services?: Service[]; pods?: Pod[]; endpoints?: Endpoints[] }) {
  const clock = new FakeClock(NOW);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const s of objects.services ?? []) cs.tracker.add(SERVICES, s);
  for (const p of objects.pods ?? []) cs.tracker.add(Resources.pods, p);
  for (const e of objects.endpoints ?? []) cs.tracker.add(ENDPOINTS, e);
  const informers = new InformerFactory(cs, { scheduler });
  const ec = new EndpointsController({ clientset: cs, informers, scheduler });
  const sc = new EndpointSliceController({ clientset: cs, informers, scheduler });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const drain = async () => {
    for (let i = 0; i < 5; i++) {
      while (ec.queue.len() > 0) await ec.processNextWorkItem();
      while (sc.queue.len() > 0) await sc.processNextWorkItem();
      await settle();
    }
  };
  const endpoints = (name = 'web') => {
    try {
      return cs.tracker.get(ENDPOINTS, 'default', name) as Endpoints;
    } catch {
      return undefined;
    }
  };
  const slices = () => cs.tracker.list(ENDPOINT_SLICES, 'default') as EndpointSlice[];
  return { cs, drain, endpoints, slices };
}

describe('EndpointsController and EndpointSliceController on FakeClientset', () => {
  it('write Endpoints and one slice, follow a pod going unready, delete with the Service', async () => {
    const { cs, drain, endpoints, slices } = await setup({ services: [web], pods: [pod('p1'), pod('p2'), pod('p3')] });
    await drain();
    const ep = endpoints()!;
    expect(ep.subsets![0]!.addresses!.map((a) => a.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(ep.metadata.labels).toEqual({ tier: 'front' });
    // A service seen the first time: its creation time.
    expect(ep.metadata.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': '2026-12-07T04:00:00Z' });
    expect(slices()).toHaveLength(1);
    expect(slices()[0]!.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slices()[0]!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'uid-svc-web', controller: true, blockOwnerDeletion: true }]);

    await cs.resource<Pod>(Resources.pods).namespace('default').updateStatus({ ...pod('p2', { ready: false, readyAt: '2026-12-07T05:00:07Z' }), metadata: { ...pod('p2').metadata, resourceVersion: (cs.tracker.get(Resources.pods, 'default', 'p2') as Pod).metadata.resourceVersion } });
    await settle();
    await drain();
    expect(endpoints()!.subsets![0]!.notReadyAddresses!.map((a) => a.ip)).toEqual(['10.0.0.2']);
    // The pod's Ready transition triggered this write.
    expect(endpoints()!.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time']).toBe('2026-12-07T05:00:07Z');
    expect(slices()[0]!.endpoints!.find((e) => e.addresses[0] === '10.0.0.2')!.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(slices()).toHaveLength(1);

    await cs.resource<Service>(SERVICES).namespace('default').delete('web');
    await settle();
    await drain();
    expect(endpoints()).toBeUndefined();
    expect(slices()).toEqual([]);
  });

  it('leave a selectorless Service\'s Endpoints alone and keep a placeholder slice for a Service without pods', async () => {
    const manual: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.168.1.5' }], ports: [{ port: 5432, protocol: 'TCP' }] }] };
    const { drain, endpoints, slices } = await setup({ services: [service({ ports: [{ port: 5432, protocol: 'TCP' }] }, 'external'), service({ selector: { app: 'none' }, ports: [{ port: 80, protocol: 'TCP' }] }, 'empty')], endpoints: [manual] });
    await drain();
    expect(endpoints('external')!.subsets).toEqual(manual.subsets);
    expect(endpoints('empty')!.subsets).toEqual([]);
    const placeholder = slices().filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'empty');
    expect(placeholder).toHaveLength(1);
    expect(placeholder[0]).toMatchObject({ addressType: 'IPv4', endpoints: null, ports: null });
    expect(slices().filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'external')).toEqual([]);
  });
});
