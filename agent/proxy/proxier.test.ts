// The Proxier's sync loop on FakeClientset, a FakeScheduler and an iptables that only records:
// the first sync adopts what a previous run left (stale chains deleted in the same restore),
// a burst of changes costs one restore after minSyncPeriod, the period resyncs, stop tears down.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EndpointSlice, Service } from '../../api/service.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import type { Iptables } from './iptables.js';
import { serviceChainName } from './iptables-rules.js';
import { ENDPOINT_SLICES, Proxier, SERVICES } from './proxier.js';

/** The nat chains a node has, changed by what is restored. */
class RecordingIptables implements Iptables {
  readonly binary = 'iptables-fake';
  readonly natChains = new Set<string>();
  readonly restores: string[] = [];
  jumps = 0;
  tornDown = false;

  save(): Promise<string> {
    return Promise.resolve([...this.natChains].map((c) => `:${c} - [0:0]`).join('\n'));
  }

  restore(data: string): Promise<void> {
    this.restores.push(data);
    const nat = data.slice(data.indexOf('*nat'));
    for (const l of nat.split('\n')) {
      if (l.startsWith(':')) this.natChains.add(l.slice(1).split(' ')[0]!);
      if (l.startsWith('-X ')) this.natChains.delete(l.slice(3));
    }
    return Promise.resolve();
  }

  ensureJumps(): Promise<void> {
    this.jumps++;
    return Promise.resolve();
  }

  teardown(): Promise<void> {
    this.tornDown = true;
    this.natChains.clear();
    return Promise.resolve();
  }
}

function service(name: string, clusterIP: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name }, spec: { clusterIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
}

function slice(svc: string, ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'ns', name: `${svc}-abc`, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip] })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

let proxier: Proxier | undefined;
afterEach(async () => {
  await proxier?.stop(false);
  proxier = undefined;
});

async function setup(existing: string[] = []) {
  const scheduler = new FakeScheduler();
  const client = new FakeClientset({ clock: scheduler.clock });
  const iptables = new RecordingIptables();
  for (const c of existing) iptables.natChains.add(c);
  await client.resource<Service>(SERVICES).namespace('ns').create(service('web', '10.96.0.10'));
  await client.resource<EndpointSlice>(ENDPOINT_SLICES).namespace('ns').create(slice('web', ['10.0.0.1']));
  proxier = new Proxier({ client, iptables, scheduler, clusterCIDR: '172.17.0.0/16' });
  await proxier.start();
  return { scheduler, client, iptables, proxier };
}

describe('Proxier', () => {
  it('adopts on start: the first sync writes the Services and deletes chains no Service has', async () => {
    const { iptables } = await setup(['KUBE-SVC-AAAAAAAAAAAAAAAA', 'KUBE-SEP-BBBBBBBBBBBBBBBB', 'DOCKER']);
    expect(iptables.restores).toHaveLength(1);
    expect(iptables.restores[0]).toContain(`:${serviceChainName('ns/web:http', 'tcp')} - [0:0]`);
    expect(iptables.restores[0]).toContain('-X KUBE-SEP-BBBBBBBBBBBBBBBB\n-X KUBE-SVC-AAAAAAAAAAAAAAAA');
    expect(iptables.natChains.has('KUBE-SVC-AAAAAAAAAAAAAAAA')).toBe(false);
    expect(iptables.natChains.has('DOCKER')).toBe(true);
    expect(iptables.jumps).toBe(1);
  });

  it('writes a burst of changes in one restore, no sooner than minSyncPeriod after the last', async () => {
    const { scheduler, client, iptables, proxier: p } = await setup();
    const slices = client.resource<EndpointSlice>(ENDPOINT_SLICES).namespace('ns');
    for (const ips of [['10.0.0.1', '10.0.0.2'], ['10.0.0.1', '10.0.0.2', '10.0.0.3']]) {
      const cur = await slices.get('web-abc');
      await slices.update({ ...slice('web', ips), metadata: cur.metadata });
    }
    await client.resource<Service>(SERVICES).namespace('ns').create(service('api', '10.96.0.11'));
    // The informers have seen all three changes; nothing is written before 1 s has passed.
    await vi.waitFor(() => expect(p.services.lister().list()).toHaveLength(2));
    await vi.waitFor(() => expect(p.slices.lister().list()[0]!.endpoints).toHaveLength(3));
    expect(iptables.restores).toHaveLength(1);
    scheduler.step(999);
    expect(iptables.restores).toHaveLength(1);
    scheduler.step(1);
    await vi.waitFor(() => expect(iptables.restores).toHaveLength(2));
    const last = iptables.restores[1]!;
    expect(last).toContain('--to-destination 10.0.0.3:8080');
    expect(last).toContain('"ns/api:http has no endpoints"');
  });

  it('resyncs every syncPeriod without changes (repairs rules removed by hand)', async () => {
    const { scheduler, iptables } = await setup();
    scheduler.step(30_000);
    await vi.waitFor(() => expect(iptables.restores).toHaveLength(2));
    expect(iptables.restores[1]).toBe(iptables.restores[0]);
  });

  it('tears down on stop, and never after a stop without teardown', async () => {
    const { iptables, proxier: p } = await setup();
    await p.stop(true);
    expect(iptables.tornDown).toBe(true);
    proxier = undefined;
    const second = await setup();
    await second.proxier.stop(false);
    expect(second.iptables.tornDown).toBe(false);
    proxier = undefined;
  });
});
