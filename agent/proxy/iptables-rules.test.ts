// The generated iptables-restore input against upstream's expectations (pkg/proxy/iptables
// proxier_test.go TestOverallIPTablesRules: the ClusterIP, NodePort, two-endpoint and
// no-endpoint services, with upstream's chain names), compared as upstream's
// assertIPTablesRulesEqual does: the same chains per table, each chain's rules in order.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../api/service.js';
import { buildRestoreData, endpointChainName, perServiceChains, probability, serviceChainName } from './iptables-rules.js';
import { buildServicePorts } from './service-ports.js';

type Parsed = Record<string, { chains: string[]; rules: Record<string, string[]> }>;

/** Tables → declared chains (sorted) and each chain's rules in order; -X lines under "-X". */
function parse(text: string): Parsed {
  const out: Parsed = {};
  let table = '';
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#') || l === 'COMMIT') continue;
    if (l.startsWith('*')) {
      table = l.slice(1);
      out[table] = { chains: [], rules: {} };
    } else if (l.startsWith(':')) out[table]!.chains.push(l.split(' ')[0]!.slice(1));
    else {
      const [verb, chain] = l.split(' ');
      const key = verb === '-X' ? '-X' : chain!;
      (out[table]!.rules[key] ??= []).push(l);
    }
  }
  for (const t of Object.values(out)) t.chains.sort();
  return out;
}

function service(ns: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec };
}

function slice(ns: string, svc: string, ips: (string | { ip: string; ready?: boolean; serving?: boolean; terminating?: boolean })[], portName = 'p80', port = 80): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name: `${svc}-1`, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: ips.map((e) =>
      typeof e === 'string' ? { addresses: [e] } : { addresses: [e.ip], conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating } },
    ),
    ports: [{ name: portName, port, protocol: 'TCP' }],
  };
}

const p80 = [{ name: 'p80', port: 80, protocol: 'TCP' as const, targetPort: 80 }];

// upstream's expectation for ns1/svc1 (1 endpoint), ns3/svc3 (NodePort 3003), ns4/svc4 (2 endpoints)
// and ns6/svc6 (no endpoints); KUBE-FIREWALL (localhost NodePorts) is not made here.
const UPSTREAM = `
*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
COMMIT
`;

describe('iptables rules (upstream TestOverallIPTablesRules)', () => {
  it('names chains as upstream (sha256, base32, 16 characters)', () => {
    expect(serviceChainName('ns1/svc1:p80', 'tcp')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
    expect(serviceChainName('ns2/svc2:p80', 'tcp')).toBe('KUBE-SVC-GNZBNJ2PO5MGZ6GT');
    expect(probability(3)).toBe('0.3333333333');
    expect(probability(2)).toBe('0.5000000000');
  });

  it('writes ClusterIP (1 and 2 endpoints), NodePort and no-endpoint services as upstream', () => {
    const services = [
      service('ns1', 'svc1', { type: 'ClusterIP', clusterIP: '172.30.0.41', ports: p80 }),
      service('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', ports: [{ ...p80[0]!, nodePort: 3003 }] }),
      service('ns4', 'svc4', { type: 'ClusterIP', clusterIP: '172.30.0.44', ports: p80 }),
      service('ns6', 'svc6', { type: 'ClusterIP', clusterIP: '172.30.0.46', ports: p80 }),
    ];
    const slices = [slice('ns1', 'svc1', ['10.180.0.1']), slice('ns3', 'svc3', ['10.180.0.3']), slice('ns4', 'svc4', ['10.180.0.5', '10.180.0.4'])];
    const text = buildRestoreData(buildServicePorts(services, slices), { clusterCIDR: '10.0.0.0/8' });
    expect(parse(text)).toEqual(parse(UPSTREAM));
  });

  it('spreads over 3 endpoints with probabilities 1/3, 1/2, then the rest; unready endpoints get nothing', () => {
    const services = [service('ns1', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })];
    const eps = ['172.17.0.2', '172.17.0.3', '172.17.0.4', { ip: '172.17.0.5', ready: false }];
    const text = buildRestoreData(buildServicePorts(services, [slice('ns1', 'web', eps, 'http', 8080)]), { clusterCIDR: '172.17.0.0/16' });
    const svc = serviceChainName('ns1/web:http', 'tcp');
    const sep = (ip: string) => endpointChainName('ns1/web:http', 'tcp', `${ip}:8080`);
    expect(parse(text).nat!.rules[svc]).toEqual([
      `-A ${svc} -m comment --comment "ns1/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 172.17.0.0/16 -j KUBE-MARK-MASQ`,
      `-A ${svc} -m comment --comment "ns1/web:http -> 172.17.0.2:8080" -m statistic --mode random --probability 0.3333333333 -j ${sep('172.17.0.2')}`,
      `-A ${svc} -m comment --comment "ns1/web:http -> 172.17.0.3:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep('172.17.0.3')}`,
      `-A ${svc} -m comment --comment "ns1/web:http -> 172.17.0.4:8080" -j ${sep('172.17.0.4')}`,
    ]);
    expect(text).not.toContain('172.17.0.5');
  });

  it('falls back to serving, terminating endpoints when none is ready (upstream ProxyTerminatingEndpoints)', () => {
    const services = [service('ns1', 'web', { clusterIP: '10.96.0.10', ports: p80 })];
    const eps = [{ ip: '172.17.0.2', ready: false, serving: true, terminating: true }, { ip: '172.17.0.3', ready: false, serving: false, terminating: true }];
    const text = buildRestoreData(buildServicePorts(services, [slice('ns1', 'web', eps)]));
    expect(text).toContain('--to-destination 172.17.0.2:80');
    expect(text).not.toContain('172.17.0.3');
  });

  it('writes nothing for a headless Service (clusterIP None) or an ExternalName one', () => {
    const services = [
      service('ns1', 'headless', { clusterIP: 'None', ports: p80 }),
      service('ns1', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
    ];
    const text = buildRestoreData(buildServicePorts(services, [slice('ns1', 'headless', ['10.180.0.1'])]));
    expect(text).not.toMatch(/KUBE-(SVC|SEP|EXT)-|headless|REJECT/);
  });

  it('rejects a NodePort without endpoints on local addresses, as upstream', () => {
    const services = [service('ns2', 'np', { type: 'NodePort', clusterIP: '172.30.0.42', ports: [{ ...p80[0]!, nodePort: 3001 }] })];
    const filter = parse(buildRestoreData(buildServicePorts(services, []))).filter!;
    expect(filter.rules['KUBE-EXTERNAL-SERVICES']).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/np:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT',
    ]);
    expect(filter.rules['KUBE-SERVICES']).toEqual(['-A KUBE-SERVICES -m comment --comment "ns2/np:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j REJECT']);
  });

  it('keeps a client on its endpoint with ClientIP session affinity (recent module, 10800 s)', () => {
    const services = [service('ns1', 'sticky', { clusterIP: '10.96.0.11', sessionAffinity: 'ClientIP', ports: p80 })];
    const text = buildRestoreData(buildServicePorts(services, [slice('ns1', 'sticky', ['10.1.0.1', '10.1.0.2'])]));
    const sep = endpointChainName('ns1/sticky:p80', 'tcp', '10.1.0.1:80');
    expect(text).toContain(`-m recent --name ${sep} --rcheck --seconds 10800 --reap -j ${sep}`);
    expect(text).toContain(`-A ${sep} -m comment --comment ns1/sticky:p80 -m recent --name ${sep} --set -m tcp -p tcp -j DNAT --to-destination 10.1.0.1:80`);
  });

  it('flushes and deletes the chains of services and endpoints that are gone, never others', () => {
    const services = [service('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80 })];
    const saved = [':KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]', ':KUBE-SEP-AAAAAAAAAAAAAAAA - [0:0]', ':KUBE-SVC-BBBBBBBBBBBBBBBB - [0:0]', ':DOCKER - [0:0]', ':KUBE-SERVICES - [0:0]'].join('\n');
    const text = buildRestoreData(buildServicePorts(services, [slice('ns1', 'svc1', ['10.180.0.1'])]), { existingNatChains: perServiceChains(saved) });
    expect(parse(text).nat!.rules['-X']).toEqual(['-X KUBE-SEP-AAAAAAAAAAAAAAAA', '-X KUBE-SVC-BBBBBBBBBBBBBBBB']);
    expect(parse(text).nat!.chains).toContain('KUBE-SEP-AAAAAAAAAAAAAAAA');
    expect(text).not.toContain('DOCKER');
  });
});
