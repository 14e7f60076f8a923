// The server on real sockets, asked by Node's own resolver (c-ares: UDP, then TCP on a truncated
// answer) and by raw packets; names outside the zone forwarded to an upstream DNS server (a
// second server of ours for another zone, so the test needs no network).
import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../api/index.js';
import { noopLogger } from '../client/index.js';
import type { DnsView } from './records.js';
import { ClusterDnsServer, resolvConfNameservers } from './server.js';

const many = Array.from({ length: 60 }, (_, i) => ({ addresses: [`172.17.1.${i + 1}`], hostname: `w-${i}`, conditions: { ready: true } }));
const services: Service[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'redis', namespace: 'default' }, spec: { clusterIP: '10.96.12.7', ports: [{ name: 'redis', port: 6379 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'big', namespace: 'default' }, spec: { clusterIP: 'None' } },
];
const slices: EndpointSlice[] = [
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'big-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'big' } }, addressType: 'IPv4', endpoints: many, ports: [] },
];
const view: DnsView = {
  service: (ns, name) => services.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
  endpointSlices: (ns, name) => slices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name && s.metadata.namespace === ns),
  serviceByClusterIP: (ip) => services.find((s) => s.spec?.clusterIP === ip),
  headlessServicesByEndpointIP: () => [],
  hasServicesIn: (ns) => ns === 'default',
};
const emptyView: DnsView = { service: () => undefined, endpointSlices: () => [], serviceByClusterIP: () => undefined, headlessServicesByEndpointIP: () => [], hasServicesIn: () => false };

describe('ClusterDnsServer on real sockets', () => {
  let upstream: ClusterDnsServer;
  let server: ClusterDnsServer;
  let resolver: Resolver;

  beforeAll(async () => {
    upstream = new ClusterDnsServer({ address: '127.0.0.1', port: 0, zone: 'upstream.test', view: emptyView, upstreams: [], logger: noopLogger });
    await upstream.start();
    server = new ClusterDnsServer({
      address: '127.0.0.1',
      port: 0,
      zone: 'cluster.local',
      view,
      upstreams: [`127.0.0.1:${upstream.port}`],
      ownsReverse: (ip) => ip.startsWith('10.96.'),
      logger: noopLogger,
    });
    await server.start();
    resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${server.port}`]);
  });

  afterAll(async () => {
    await server?.stop();
    await upstream?.stop();
  });

  it('answers A, SRV, PTR and TXT of the zone to a real resolver', async () => {
    expect(await resolver.resolve4('redis.default.svc.cluster.local')).toEqual(['10.96.12.7']);
    expect(await resolver.resolveSrv('_redis._tcp.redis.default.svc.cluster.local')).toEqual([
      { name: 'redis.default.svc.cluster.local', port: 6379, priority: 0, weight: 100 },
    ]);
    expect(await resolver.reverse('10.96.12.7')).toEqual(['redis.default.svc.cluster.local']);
    expect(await resolver.resolveTxt('dns-version.cluster.local')).toEqual([['1.1.0']]);
  });

  it('NXDOMAIN for a missing name, NODATA for an existing one without that type', async () => {
    await expect(resolver.resolve4('nope.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve6('redis.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('an answer too big for UDP is truncated (TC) and the resolver gets it whole over TCP', async () => {
    const udpReply = await askUdp(server.port, 'big.default.svc.cluster.local', 'A');
    expect(udpReply.flag_tc).toBe(true);
    expect(udpReply.answers ?? []).toEqual([]);
    const all = await resolver.resolve4('big.default.svc.cluster.local');
    expect(all).toHaveLength(60);
    expect(all).toContain('172.17.1.60');
  });

  it('forwards names outside the zone to the upstream, over UDP and TCP, and passes its answer back', async () => {
    expect(await resolver.resolveTxt('dns-version.upstream.test')).toEqual([['1.1.0']]);
    const reply = await askUdp(server.port, 'dns-version.upstream.test', 'TXT');
    expect(reply.flag_aa).toBe(true); // the upstream's authoritative answer, unchanged
    await expect(resolver.resolve4('missing.upstream.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('SERVFAIL when no upstream answers', async () => {
    const lonely = new ClusterDnsServer({ address: '127.0.0.1', port: 0, zone: 'cluster.local', view, upstreams: ['127.0.0.1:9'], logger: noopLogger });
    await lonely.start();
    try {
      const reply = await askUdp(lonely.port, 'example.org', 'A', 5_000);
      expect(rcodeOf(reply)).toBe('SERVFAIL');
    } finally {
      await lonely.stop();
    }
  });

  it('a malformed packet gets FORMERR or nothing, and the server keeps answering', async () => {
    const socket = dgram.createSocket('udp4');
    const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]), server.port, '127.0.0.1');
    const decoded = dnsPacket.decode(await reply);
    socket.close();
    expect(decoded.id).toBe(0x1234);
    expect(rcodeOf(decoded)).toBe('FORMERR');
    expect(await resolver.resolve4('redis.default.svc.cluster.local')).toEqual(['10.96.12.7']);
  });

  it('reads nameservers from resolv.conf text', () => {
    expect(resolvConfNameservers('# x\nnameserver 10.255.255.53\nsearch a.b\nnameserver  127.0.0.53 \noptions ndots:1\n')).toEqual(['10.255.255.53', '127.0.0.53']);
  });
});

/** dns-packet decodes the rcode; its types leave it out. */
function rcodeOf(p: dnsPacket.DecodedPacket): string {
  return (p as unknown as { rcode: string }).rcode;
}

function askUdp(port: number, name: string, type: 'A' | 'TXT', timeoutMs = 2_000): Promise<dnsPacket.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no reply'));
    }, timeoutMs);
    socket.once('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(msg));
    });
    socket.send(dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] }), port, '127.0.0.1');
  });
}
