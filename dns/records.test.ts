import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../api/index.js';
import { answerClusterQuestion, type DnsView } from './records.js';

function svc(name: string, spec: Service['spec'], namespace = 'default'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

function slice(service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = [], namespace = 'default'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-abcde`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

function fixtureView(services: Service[], slices: EndpointSlice[]): DnsView {
  return {
    service: (ns, name) => services.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
    endpointSlices: (ns, name) => slices.filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === name),
    serviceByClusterIP: (ip) => services.find((s) => s.spec?.clusterIP === ip),
    headlessServicesByEndpointIP: (ip) =>
      services.filter((s) => s.spec?.clusterIP === 'None' && slices.some((sl) => sl.metadata.labels?.['kubernetes.io/service-name'] === s.metadata.name && (sl.endpoints ?? []).some((e) => e.addresses.includes(ip)))),
    hasServicesIn: (ns) => services.some((s) => s.metadata.namespace === ns),
  };
}

const view = fixtureView(
  [
    svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
    svc('redis', { clusterIP: '10.96.12.7', ports: [{ port: 6379 }] }),
    svc('workers', { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }] }),
    svc('empty', { clusterIP: 'None' }),
    svc('warming', { clusterIP: 'None', publishNotReadyAddresses: true }),
    svc('mirror', { type: 'ExternalName', externalName: 'Deb.Debian.org' }),
    svc('api', { clusterIP: '10.96.3.3' }, 'team-a'),
  ],
  [
    slice(
      'workers',
      [
        { addresses: ['172.17.0.5'], hostname: 'example-job-0', conditions: { ready: true } },
        { addresses: ['172.17.0.4'], hostname: 'example-job-1', conditions: { ready: true } },
        { addresses: ['172.17.0.9'], conditions: {} },
        { addresses: ['172.17.0.8'], hostname: 'example-job-2', conditions: { ready: false } },
      ],
      [{ name: 'http', port: 8080, protocol: 'TCP' }],
    ),
    slice('warming', [{ addresses: ['172.17.0.20'], conditions: { ready: false } }]),
  ],
);
const zone = { zone: 'cluster.local', ownsReverse: (ip: string) => ip.startsWith('10.96.') || ip.startsWith('172.17.') };

function ask(name: string, type: string) {
  return answerClusterQuestion(name, type, view, zone);
}

function data(name: string, type: string) {
  return ask(name, type)?.answers.map((a) => a.data);
}

describe('cluster DNS records (Kubernetes DNS specification 1.1.0)', () => {
  it('names outside the zone and reverse names outside the cluster are not ours (forwarded)', () => {
    expect(ask('deb.debian.org', 'A')).toBeUndefined();
    expect(ask('cluster.local.example.com', 'A')).toBeUndefined();
    expect(ask('8.8.8.8.in-addr.arpa', 'PTR')).toBeUndefined();
  });

  it('the schema version TXT record', () => {
    expect(data('dns-version.cluster.local', 'TXT')).toEqual([['1.1.0']]);
  });

  it('a ClusterIP Service: A to its cluster IP, case-insensitive, trailing dot or not; AAAA is empty, not NXDOMAIN', () => {
    expect(ask('kubernetes.default.svc.cluster.local.', 'A')).toMatchObject({
      rcode: 'NOERROR',
      answers: [{ name: 'kubernetes.default.svc.cluster.local', type: 'A', ttl: 5, data: '10.96.0.1' }],
    });
    expect(data('Redis.Default.SVC.cluster.local', 'A')).toEqual(['10.96.12.7']);
    const aaaa = ask('redis.default.svc.cluster.local', 'AAAA');
    expect(aaaa).toMatchObject({ rcode: 'NOERROR', answers: [], authorities: [{ type: 'SOA', name: 'cluster.local' }] });
  });

  it('SRV for a named port of a ClusterIP Service, with the A record in the additional section; unnamed ports have none', () => {
    expect(ask('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV')).toMatchObject({
      rcode: 'NOERROR',
      answers: [{ type: 'SRV', data: { port: 443, target: 'kubernetes.default.svc.cluster.local', priority: 0, weight: 100 } }],
      additionals: [{ name: 'kubernetes.default.svc.cluster.local', type: 'A', data: '10.96.0.1' }],
    });
    expect(ask('_https._udp.kubernetes.default.svc.cluster.local', 'SRV')?.rcode).toBe('NXDOMAIN');
    expect(ask('_redis._tcp.redis.default.svc.cluster.local', 'SRV')?.rcode).toBe('NXDOMAIN');
  });

  it('PTR for a cluster IP and for a ready endpoint of a headless Service', () => {
    expect(data('1.0.96.10.in-addr.arpa', 'PTR')).toEqual(['kubernetes.default.svc.cluster.local']);
    expect(data('5.0.17.172.in-addr.arpa', 'PTR')).toEqual(['example-job-0.workers.default.svc.cluster.local']);
    expect(ask('99.0.96.10.in-addr.arpa', 'PTR')?.rcode).toBe('NXDOMAIN');
  });

  it('a headless Service: one A per ready endpoint, in IP order; none for unready ones', () => {
    expect(data('workers.default.svc.cluster.local', 'A')).toEqual(['172.17.0.4', '172.17.0.5', '172.17.0.9']);
  });

  it('a headless Service without ready endpoints is an empty answer, not NXDOMAIN (the Service exists)', () => {
    expect(ask('empty.default.svc.cluster.local', 'A')).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('publishNotReadyAddresses publishes unready endpoints', () => {
    expect(data('warming.default.svc.cluster.local', 'A')).toEqual(['172.17.0.20']);
  });

  it("an endpoint's hostname under its headless Service (an Indexed Job's job-N.subdomain); an unready one is NXDOMAIN", () => {
    expect(data('example-job-1.workers.default.svc.cluster.local', 'A')).toEqual(['172.17.0.4']);
    expect(ask('example-job-2.workers.default.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
    // An endpoint without a hostname answers to its dashed IP, as CoreDNS.
    expect(data('172-17-0-9.workers.default.svc.cluster.local', 'A')).toEqual(['172.17.0.9']);
    // Not under a ClusterIP Service.
    expect(ask('x.kubernetes.default.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });

  it("SRV of a headless Service: one per ready endpoint, targeting its hostname, with the endpoint's port", () => {
    const srv = ask('_http._tcp.workers.default.svc.cluster.local', 'SRV');
    expect(srv?.answers.map((a) => a.data)).toEqual([
      { priority: 0, weight: 33, port: 8080, target: 'example-job-1.workers.default.svc.cluster.local' },
      { priority: 0, weight: 33, port: 8080, target: 'example-job-0.workers.default.svc.cluster.local' },
      { priority: 0, weight: 33, port: 8080, target: '172-17-0-9.workers.default.svc.cluster.local' },
    ]);
    expect(srv?.additionals.map((a) => [a.name, a.data])).toEqual([
      ['example-job-1.workers.default.svc.cluster.local', '172.17.0.4'],
      ['example-job-0.workers.default.svc.cluster.local', '172.17.0.5'],
      ['172-17-0-9.workers.default.svc.cluster.local', '172.17.0.9'],
    ]);
  });

  it('ExternalName: a CNAME to the external name, for A queries too', () => {
    expect(ask('mirror.default.svc.cluster.local', 'A')?.answers).toEqual([{ name: 'mirror.default.svc.cluster.local', type: 'CNAME', ttl: 5, data: 'deb.debian.org' }]);
  });

  it('names that do not exist are NXDOMAIN with the zone SOA; names that exist without records are empty', () => {
    for (const name of ['nope.default.svc.cluster.local', 'redis.team-a.svc.cluster.local', 'foo.cluster.local', 'a.b.c.d.default.svc.cluster.local', 'nobody.svc.cluster.local']) {
      expect(ask(name, 'A'), name).toMatchObject({ rcode: 'NXDOMAIN', answers: [], authorities: [{ type: 'SOA' }] });
    }
    // The search path's first try for a short name in another namespace: `redis.default` from team-a.
    expect(ask('redis.default.team-a.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
    for (const name of ['cluster.local', 'svc.cluster.local', 'default.svc.cluster.local', 'team-a.svc.cluster.local']) {
      expect(ask(name, 'A'), name).toMatchObject({ rcode: 'NOERROR', answers: [] });
    }
  });

  it('the deprecated pod A records a-b-c-d.<ns>.pod.<zone>', () => {
    expect(data('172-17-0-4.default.pod.cluster.local', 'A')).toEqual(['172.17.0.4']);
    expect(ask('172-17-0-400.default.pod.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });

  it('another cluster domain', () => {
    expect(answerClusterQuestion('redis.default.svc.jobyard.internal', 'A', view, { zone: 'jobyard.internal' })?.answers[0]?.data).toBe('10.96.12.7');
    expect(answerClusterQuestion('redis.default.svc.cluster.local', 'A', view, { zone: 'jobyard.internal' })).toBeUndefined();
  });
});
