// The iptables rules of upstream's kube-proxy (pkg/proxy/iptables/proxier.go syncProxyRules) as
// one iptables-restore input, a pure function of the service ports: chain names hashed as
// upstream's (KUBE-SVC-/KUBE-EXT-/KUBE-SEP- + base32(sha256)[:16]), the same rules, comments and
// probabilities, so `iptables-save` on a jobyard node reads like a cluster node's.
// Not here (one node, IPv4, no cloud): LoadBalancer ingress and source ranges, traffic policies
// Local, topology hints, localhost NodePorts (route_localnet), IPv6.
import { createHash } from 'node:crypto';
import type { ProxyServicePort } from './service-ports.js';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';

/** Upstream's default masquerade bit (--iptables-masquerade-bit 14). */
const MASQ_MARK = '0x4000';

/** Chains of ours whose names are per service or endpoint: stale ones are deleted on a sync. */
export const PER_SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-[A-Z2-7]{16}$/;

/** The fixed chains each table gets. */
export const FILTER_CHAINS = [KUBE_NODEPORTS, KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_PROXY_FIREWALL] as const;
export const NAT_CHAINS = [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ] as const;

/** A jump from a built-in chain into ours (upstream's iptablesJumpChains); inserted first. */
export interface JumpRule {
  table: 'filter' | 'nat';
  from: string;
  args: string[];
}

export const JUMP_RULES: readonly JumpRule[] = [
  { table: 'filter', from: 'INPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', KUBE_EXTERNAL_SERVICES] },
  { table: 'filter', from: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', KUBE_EXTERNAL_SERVICES] },
  { table: 'filter', from: 'INPUT', args: ['-m', 'comment', '--comment', 'kubernetes health check service ports', '-j', KUBE_NODEPORTS] },
  { table: 'filter', from: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', KUBE_SERVICES] },
  { table: 'filter', from: 'OUTPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', KUBE_SERVICES] },
  { table: 'filter', from: 'FORWARD', args: ['-m', 'comment', '--comment', 'kubernetes forwarding rules', '-j', KUBE_FORWARD] },
  { table: 'filter', from: 'INPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes load balancer firewall', '-j', KUBE_PROXY_FIREWALL] },
  { table: 'filter', from: 'OUTPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes load balancer firewall', '-j', KUBE_PROXY_FIREWALL] },
  { table: 'filter', from: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes load balancer firewall', '-j', KUBE_PROXY_FIREWALL] },
  { table: 'nat', from: 'OUTPUT', args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', KUBE_SERVICES] },
  { table: 'nat', from: 'PREROUTING', args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', KUBE_SERVICES] },
  { table: 'nat', from: 'POSTROUTING', args: ['-m', 'comment', '--comment', 'kubernetes postrouting rules', '-j', KUBE_POSTROUTING] },
];

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), without padding: only a prefix is used. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** portProtoHash: the 16 characters that name a service port's chains. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32(createHash('sha256').update(servicePortName + protocol).digest()).slice(0, 16);
}

export function serviceChainName(servicePortName: string, protocol: string): string {
  return `KUBE-SVC-${portProtoHash(servicePortName, protocol)}`;
}

export function externalChainName(servicePortName: string, protocol: string): string {
  return `KUBE-EXT-${portProtoHash(servicePortName, protocol)}`;
}

/** servicePortEndpointChainName: the endpoint `ip:port` is part of the hash. */
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${base32(createHash('sha256').update(servicePortName + protocol + endpoint).digest()).slice(0, 16)}`;
}

/** proxier.probability: 1/n with ten decimals, as Go's %0.10f. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

export interface RuleOptions {
  /** The pods' addresses (the engine's bridge subnet): traffic from elsewhere to a cluster IP is masqueraded (detect-local-mode ClusterCIDR). */
  clusterCIDR?: string;
  /** Masquerade all traffic to cluster IPs (--masquerade-all). */
  masqueradeAll?: boolean;
  /** MASQUERADE --random-fully (iptables ≥ 1.6.2 and a kernel with it: always here). */
  randomFully?: boolean;
  /** Our per-service chains found in the nat table: those not written again are flushed and deleted. */
  existingNatChains?: Iterable<string>;
}

/** A comment as upstream writes it: quoted when it has spaces. */
function comment(text: string): string[] {
  return ['-m', 'comment', '--comment', text.includes(' ') ? `"${text}"` : text];
}

function line(...parts: (string | string[])[]): string {
  return parts.flat().join(' ');
}

/** The iptables-restore input (filter and nat tables, --noflush) for these service ports. */
export function buildRestoreData(ports: readonly ProxyServicePort[], opts: RuleOptions = {}): string {
  const filterRules: string[] = [];
  const natChains: string[] = NAT_CHAINS.map((c) => `:${c} - [0:0]`);
  const natRules: string[] = [
    line('-A', KUBE_POSTROUTING, '-m', 'mark', '!', '--mark', `${MASQ_MARK}/${MASQ_MARK}`, '-j', 'RETURN'),
    // Clear the mark: a packet re-traversing the stack is not masqueraded twice.
    line('-A', KUBE_POSTROUTING, '-j', 'MARK', '--xor-mark', MASQ_MARK),
    line('-A', KUBE_POSTROUTING, comment('kubernetes service traffic requiring SNAT'), '-j', 'MASQUERADE', ...(opts.randomFully ? ['--random-fully'] : [])),
    line('-A', KUBE_MARK_MASQ, '-j', 'MARK', '--or-mark', MASQ_MARK),
  ];
  const active = new Set<string>();

  for (const sp of ports) {
    const name = sp.name;
    const proto = sp.protocol;
    const svcChain = serviceChainName(name, proto);
    const extChain = externalChainName(name, proto);
    const hasEndpoints = sp.endpoints.length > 0;
    const externallyAccessible = sp.nodePort > 0 || sp.externalIPs.length > 0;
    const match = ['-m', proto, '-p', proto];
    const noEndpoints = comment(`${name} has no endpoints`);

    // Capture the cluster IP.
    if (hasEndpoints) {
      natRules.push(line('-A', KUBE_SERVICES, comment(`${name} cluster IP`), match, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', svcChain));
    } else {
      filterRules.push(line('-A', KUBE_SERVICES, noEndpoints, match, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', 'REJECT'));
    }
    // Capture external IPs.
    for (const ip of sp.externalIPs) {
      if (hasEndpoints) natRules.push(line('-A', KUBE_SERVICES, comment(`${name} external IP`), match, '-d', ip, '--dport', String(sp.port), '-j', extChain));
      else filterRules.push(line('-A', KUBE_EXTERNAL_SERVICES, noEndpoints, match, '-d', ip, '--dport', String(sp.port), '-j', 'REJECT'));
    }
    // Capture node ports.
    if (sp.nodePort > 0) {
      if (hasEndpoints) natRules.push(line('-A', KUBE_NODEPORTS, comment(name), match, '--dport', String(sp.nodePort), '-j', extChain));
      else filterRules.push(line('-A', KUBE_EXTERNAL_SERVICES, noEndpoints, '-m', 'addrtype', '--dst-type', 'LOCAL', match, '--dport', String(sp.nodePort), '-j', 'REJECT'));
    }
    if (!hasEndpoints) continue;

    // Internal traffic: masquerade what does not come from a pod, then spread over the endpoints.
    active.add(svcChain);
    natChains.push(`:${svcChain} - [0:0]`);
    const clusterMatch = [comment(`${name} cluster IP`), match, '-d', sp.clusterIP, '--dport', String(sp.port)].flat();
    if (opts.masqueradeAll) natRules.push(line('-A', svcChain, clusterMatch, '-j', KUBE_MARK_MASQ));
    else if (opts.clusterCIDR) natRules.push(line('-A', svcChain, clusterMatch, '!', '-s', opts.clusterCIDR, '-j', KUBE_MARK_MASQ));
    writeServiceToEndpointRules(natRules, sp, svcChain);

    // External traffic (node ports, external IPs): always masqueraded (traffic policy Cluster).
    if (externallyAccessible) {
      active.add(extChain);
      natChains.push(`:${extChain} - [0:0]`);
      natRules.push(line('-A', extChain, comment(`masquerade traffic for ${name} external destinations`), '-j', KUBE_MARK_MASQ));
      natRules.push(line('-A', extChain, '-j', svcChain));
    }

    // One chain per endpoint: hairpin traffic (a pod reaching itself) is masqueraded, then DNAT.
    for (const ep of sp.endpoints) {
      const addr = `${ep.ip}:${ep.port}`;
      const sepChain = endpointChainName(name, proto, addr);
      active.add(sepChain);
      natChains.push(`:${sepChain} - [0:0]`);
      natRules.push(line('-A', sepChain, comment(name), '-s', ep.ip, '-j', KUBE_MARK_MASQ));
      const affinity = sp.sessionAffinity === 'ClientIP' ? ['-m', 'recent', '--name', sepChain, '--set'] : [];
      natRules.push(line('-A', sepChain, comment(name), affinity, match, '-j', 'DNAT', '--to-destination', addr));
    }
  }

  // Node ports last: they match every local address.
  natRules.push(line('-A', KUBE_SERVICES, comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', KUBE_NODEPORTS));

  // Chains of services and endpoints that are gone: flushed (declared) and deleted, in this same transaction.
  const stale = [...new Set(opts.existingNatChains ?? [])].filter((c) => PER_SERVICE_CHAIN.test(c) && !active.has(c)).sort();
  for (const c of stale) natChains.push(`:${c} - [0:0]`);
  for (const c of stale) natRules.push(line('-X', c));

  const filter = [
    '*filter',
    ...FILTER_CHAINS.map((c) => `:${c} - [0:0]`),
    ...filterRules,
    line('-A', KUBE_FORWARD, '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'),
    line('-A', KUBE_FORWARD, comment('kubernetes forwarding rules'), '-m', 'mark', '--mark', `${MASQ_MARK}/${MASQ_MARK}`, '-j', 'ACCEPT'),
    line('-A', KUBE_FORWARD, comment('kubernetes forwarding conntrack rule'), '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
    'COMMIT',
  ];
  return [...filter, '*nat', ...natChains, ...natRules, 'COMMIT', ''].join('\n');
}

/** writeServiceToEndpointRules: session affinity first, then one probabilistic jump per endpoint. */
function writeServiceToEndpointRules(natRules: string[], sp: ProxyServicePort, svcChain: string): void {
  const chains = sp.endpoints.map((ep) => ({ addr: `${ep.ip}:${ep.port}`, chain: endpointChainName(sp.name, sp.protocol, `${ep.ip}:${ep.port}`) }));
  if (sp.sessionAffinity === 'ClientIP') {
    for (const { addr, chain } of chains) {
      natRules.push(line('-A', svcChain, comment(`${sp.name} -> ${addr}`), '-m', 'recent', '--name', chain, '--rcheck', '--seconds', String(sp.stickyMaxAgeSeconds), '--reap', '-j', chain));
    }
  }
  const n = chains.length;
  chains.forEach(({ addr, chain }, i) => {
    const statistic = i < n - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', probability(n - i)] : [];
    natRules.push(line('-A', svcChain, comment(`${sp.name} -> ${addr}`), statistic, '-j', chain));
  });
}

/** The names of our per-service chains in `iptables-save -t nat` output. */
export function perServiceChains(saveOutput: string): string[] {
  const out: string[] = [];
  for (const l of saveOutput.split('\n')) {
    const m = /^:(\S+) /.exec(l);
    if (m && PER_SERVICE_CHAIN.test(m[1]!)) out.push(m[1]!);
  }
  return out;
}
