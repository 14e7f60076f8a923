import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/index.js';
import { parseResolvConf, PodDnsConfigurer } from './pod-dns.js';

const dir = mkdtempSync(join(tmpdir(), 'pod-dns-'));
const resolvConf = join(dir, 'resolv.conf');
writeFileSync(resolvConf, '# host\nnameserver 127.0.0.53\nnameserver 10.255.255.53\nsearch corp.example lab.example.\noptions edns0 ndots:2\n');

function pod(spec: Partial<Pod['spec']>, namespace = 'team-a'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace, uid: 'u1' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

function recorder() {
  const events: string[] = [];
  return { events, event: (_o: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`) };
}

const cluster = new PodDnsConfigurer({ clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', resolvConf });

describe('pod DNS (the kubelet DNS configurer)', () => {
  it('parses resolv.conf: nameservers in order, the last search line, options', () => {
    expect(parseResolvConf('nameserver 1.1.1.1\nsearch a b\nsearch c.\noptions ndots:1 # x\nnameserver 2.2.2.2 ; y\n')).toEqual({
      servers: ['1.1.1.1', '2.2.2.2'],
      searches: ['c'],
      options: ['ndots:1'],
    });
  });

  it('ClusterFirst (the default): the cluster DNS only, the cluster search path then the host\'s, ndots:5', () => {
    expect(cluster.podDNS(pod({}))).toEqual({
      servers: ['10.96.0.10'],
      searches: ['team-a.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    });
  });

  it("Default: the host's settings, without its loopback resolver (out of a pod's reach)", () => {
    expect(cluster.podDNS(pod({ dnsPolicy: 'Default' }))).toEqual({ servers: ['10.255.255.53'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'ndots:2'] });
  });

  it("ClusterFirst on the host's network falls back to Default; ClusterFirstWithHostNet does not", () => {
    expect(cluster.podDNS(pod({ hostNetwork: true })).servers).toEqual(['10.255.255.53']);
    expect(cluster.podDNS(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' })).servers).toEqual(['10.96.0.10']);
  });

  it('None: only dnsConfig', () => {
    expect(cluster.podDNS(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }))).toEqual({
      servers: ['1.2.3.4'],
      searches: ['my.dns.search.suffix'],
      options: ['ndots:2', 'edns0'],
    });
  });

  it('dnsConfig is merged into ClusterFirst: servers and searches appended without duplicates, options overriding by name', () => {
    const dns = cluster.podDNS(pod({ dnsConfig: { nameservers: ['10.96.0.10', '1.2.3.4'], searches: ['cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '1' }, { name: 'timeout', value: '3' }] } }));
    expect(dns).toEqual({
      servers: ['10.96.0.10', '1.2.3.4'],
      searches: ['team-a.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'extra.example'],
      options: ['ndots:1', 'timeout:3'],
    });
  });

  it('cuts to 3 nameservers and 32 search paths with upstream\'s DNSConfigForming events', () => {
    const rec = recorder();
    const searches = Array.from({ length: 40 }, (_, i) => `s${i}.example`);
    const dns = cluster.podDNS(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches } }), rec);
    expect(dns.servers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(dns.searches).toHaveLength(32);
    expect(rec.events).toEqual([
      'Warning DNSConfigForming Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3',
      `Warning DNSConfigForming Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.slice(0, 32).join(' ')}`,
    ]);
  });

  it('without a cluster DNS, ClusterFirst falls back to Default with a MissingClusterDNS event', () => {
    const rec = recorder();
    const none = new PodDnsConfigurer({ clusterDNS: [], clusterDomain: 'cluster.local', resolvConf });
    expect(none.podDNS(pod({}), rec).servers).toEqual(['10.255.255.53']);
    expect(rec.events).toEqual([
      'Warning MissingClusterDNS pod: "p_team-a(u1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
    ]);
  });
});
