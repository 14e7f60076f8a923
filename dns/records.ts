// The answers of Kubernetes' DNS-based service discovery specification (schema 1.1.0;
// kubernetes/dns docs/specification.md) for the cluster zone, from Services and EndpointSlices:
// A for a ClusterIP Service, one A per ready endpoint of a headless one, A for an endpoint's
// hostname under its headless Service, SRV per named port, PTR for cluster IPs and headless
// endpoints, CNAME for ExternalName, the TXT schema version, and the deprecated but common
// `a-b-c-d.ns.pod.<zone>` A records (CoreDNS's `pods insecure`, kubeadm's default).
// A pure function of a view, so every record kind is tested without sockets.
import type { EndpointSlice, Service } from '../api/index.js';
import type { DeepReadonly } from '../client/index.js';

export const DNS_SCHEMA_VERSION = '1.1.0';
/** CoreDNS's kubernetes plugin answers with a 5 s TTL by default. */
export const DEFAULT_TTL = 5;

export type RecordType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT' | 'SOA' | 'NS' | 'ANY' | string;

export type ResourceRecord =
  | { name: string; type: 'A'; ttl: number; data: string }
  | { name: string; type: 'CNAME' | 'PTR'; ttl: number; data: string }
  | { name: string; type: 'TXT'; ttl: number; data: string[] }
  | { name: string; type: 'SRV'; ttl: number; data: { priority: number; weight: number; port: number; target: string } }
  | {
      name: string;
      type: 'SOA';
      ttl: number;
      data: { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
    };

export interface ClusterAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: ResourceRecord[];
  /** The zone's SOA on NXDOMAIN and on an empty answer (negative caching, RFC 2308). */
  authorities: ResourceRecord[];
  /** The A records SRV targets refer to. */
  additionals: ResourceRecord[];
}

/** What the answers are made of: the informers' caches in the server, fixtures in tests. */
export interface DnsView {
  service(namespace: string, name: string): DeepReadonly<Service> | undefined;
  /** EndpointSlices labelled kubernetes.io/service-name=<name> in the namespace. */
  endpointSlices(namespace: string, serviceName: string): readonly DeepReadonly<EndpointSlice>[];
  /** The Service whose ClusterIP this is. */
  serviceByClusterIP(ip: string): DeepReadonly<Service> | undefined;
  /** Headless Services with an endpoint at this IP. */
  headlessServicesByEndpointIP(ip: string): readonly DeepReadonly<Service>[];
  hasServicesIn(namespace: string): boolean;
}

export interface ZoneOptions {
  /** The cluster domain, e.g. cluster.local (no trailing dot). */
  zone: string;
  ttl?: number;
  /** The service CIDR's and pods' reverse lookups are ours; other PTR queries are forwarded. */
  ownsReverse?: (ip: string) => boolean;
}

interface Endpoint {
  ip: string;
  hostname: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function lower(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function isHeadless(svc: DeepReadonly<Service>): boolean {
  return svc.spec?.type !== 'ExternalName' && (svc.spec?.clusterIP === 'None' || !svc.spec?.clusterIP);
}

/** `10.1.2.3` → `10-1-2-3`: the system-assigned hostname of an endpoint that has none (as CoreDNS). */
function dashed(ip: string): string {
  return ip.replace(/\./g, '-');
}

/** The ready IPv4 endpoints of a Service, once each, in a stable order (by IP). */
function readyEndpoints(view: DnsView, svc: DeepReadonly<Service>): Endpoint[] {
  const ns = svc.metadata.namespace ?? 'default';
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const byIp = new Map<string, Endpoint>();
  for (const slice of view.endpointSlices(ns, svc.metadata.name ?? '')) {
    if (slice.addressType !== 'IPv4') continue;
    for (const ep of slice.endpoints ?? []) {
      // EndpointSlice API: a nil ready is to be read as ready.
      if (!publishNotReady && ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses ?? []) {
        if (!byIp.has(ip)) byIp.set(ip, { ip, hostname: ep.hostname ? ep.hostname.toLowerCase() : dashed(ip) });
      }
    }
  }
  return [...byIp.values()].sort((a, b) => ipOrder(a.ip) - ipOrder(b.ip));
}

function ipOrder(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** The names of the Service's ports that have SRV records: named ports, with their protocol. */
function namedPort(svc: DeepReadonly<Service>, portLabel: string, protoLabel: string): { port: number; name: string } | undefined {
  if (!portLabel.startsWith('_') || !protoLabel.startsWith('_')) return undefined;
  const name = portLabel.slice(1);
  const proto = protoLabel.slice(1);
  for (const p of svc.spec?.ports ?? []) {
    if (p.name && p.name.toLowerCase() === name && (p.protocol ?? 'TCP').toLowerCase() === proto) return { port: p.port, name: p.name };
  }
  return undefined;
}

/**
 * The answer for one question when the name is in the cluster zone (or a reverse name we own);
 * undefined when it is not ours and must be forwarded to the host's resolvers.
 */
export function answerClusterQuestion(qname: string, qtype: RecordType, view: DnsView, opts: ZoneOptions): ClusterAnswer | undefined {
  const ttl = opts.ttl ?? DEFAULT_TTL;
  const zone = lower(opts.zone);
  const name = lower(qname);
  const soa: ResourceRecord = {
    name: zone,
    type: 'SOA',
    ttl,
    data: { mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
  const answer = (answers: ResourceRecord[], additionals: ResourceRecord[] = []): ClusterAnswer =>
    answers.length ? { rcode: 'NOERROR', answers, authorities: [], additionals } : { rcode: 'NOERROR', answers: [], authorities: [soa], additionals: [] };
  const nxdomain: ClusterAnswer = { rcode: 'NXDOMAIN', answers: [], authorities: [soa], additionals: [] };
  /** A name that exists: the records of qtype among `records` (ANY: all of them). */
  const ofType = (records: ResourceRecord[], additionals: ResourceRecord[] = []): ClusterAnswer => {
    const wanted = qtype === 'ANY' ? records : records.filter((r) => r.type === qtype || (r.type === 'CNAME' && qtype !== 'CNAME'));
    return answer(wanted, wanted.some((r) => r.type === 'SRV') ? additionals : []);
  };

  const reverse = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
  if (reverse) {
    const ip = `${reverse[4]}.${reverse[3]}.${reverse[2]}.${reverse[1]}`;
    if (!IPV4.test(ip) || !(opts.ownsReverse?.(ip) ?? false)) return undefined;
    const records: ResourceRecord[] = [];
    const svc = view.serviceByClusterIP(ip);
    if (svc) records.push({ name, type: 'PTR', ttl, data: `${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}` });
    for (const headless of view.headlessServicesByEndpointIP(ip)) {
      const ep = readyEndpoints(view, headless).find((e) => e.ip === ip);
      if (ep) records.push({ name, type: 'PTR', ttl, data: `${ep.hostname}.${headless.metadata.name}.${headless.metadata.namespace}.svc.${zone}` });
    }
    return records.length ? ofType(records) : nxdomain;
  }

  if (name !== zone && !name.endsWith(`.${zone}`)) return undefined;
  const labels = name === zone ? [] : name.slice(0, -(zone.length + 1)).split('.');
  if (labels.length === 0) return ofType([soa]);
  if (labels.length === 1 && labels[0] === 'dns-version') return ofType([{ name, type: 'TXT', ttl, data: [DNS_SCHEMA_VERSION] }]);

  const kind = labels[labels.length - 1];
  if (kind === 'pod') {
    // <a-b-c-d>.<ns>.pod.<zone>; `<ns>.pod.<zone>` and `pod.<zone>` exist as names only.
    if (labels.length <= 2) return ofType([]);
    if (labels.length !== 3) return nxdomain;
    const ip = labels[0].replace(/-/g, '.');
    return IPV4.test(ip) ? ofType([{ name, type: 'A', ttl, data: ip }]) : nxdomain;
  }
  if (kind !== 'svc') return nxdomain;
  if (labels.length === 1) return ofType([]);
  const namespace = labels[labels.length - 2];
  const rest = labels.slice(0, -2);
  if (rest.length === 0) return view.hasServicesIn(namespace) ? ofType([]) : nxdomain;
  const svcName = rest[rest.length - 1];
  const svc = view.service(namespace, svcName);
  if (!svc) return nxdomain;
  const svcFqdn = `${svcName}.${namespace}.svc.${zone}`;

  if (rest.length === 1) {
    // <service>.<ns>.svc.<zone>
    if (svc.spec?.type === 'ExternalName') {
      const target = lower(svc.spec.externalName ?? '');
      return target ? ofType([{ name, type: 'CNAME', ttl, data: target }]) : nxdomain;
    }
    if (!isHeadless(svc)) return ofType([{ name, type: 'A', ttl, data: svc.spec?.clusterIP ?? '' }]);
    // Headless: one A per ready endpoint; none ready is an empty answer, not NXDOMAIN (the Service exists).
    return ofType(readyEndpoints(view, svc).map((e) => ({ name, type: 'A', ttl, data: e.ip })));
  }

  if (rest.length === 2) {
    // <hostname>.<service>.<ns>.svc.<zone>: an endpoint of a headless Service.
    if (!isHeadless(svc) || svc.spec?.type === 'ExternalName') return nxdomain;
    const host = rest[0];
    const ips = readyEndpoints(view, svc).filter((e) => e.hostname === host);
    return ips.length ? ofType(ips.map((e) => ({ name, type: 'A', ttl, data: e.ip }))) : nxdomain;
  }

  if (rest.length === 3) {
    // _<port>._<proto>.<service>.<ns>.svc.<zone>
    const port = namedPort(svc, rest[0], rest[1]);
    if (!port || svc.spec?.type === 'ExternalName') return nxdomain;
    if (!isHeadless(svc)) {
      const target = svcFqdn;
      return ofType(
        [{ name, type: 'SRV', ttl, data: { priority: 0, weight: 100, port: port.port, target } }],
        [{ name: target, type: 'A', ttl, data: svc.spec?.clusterIP ?? '' }],
      );
    }
    const eps = readyEndpoints(view, svc);
    // The target's port is the endpoint's: the EndpointSlice port of that name (a named targetPort
    // may differ per pod); the Service's port when the slice does not list it.
    const weight = eps.length ? Math.max(1, Math.floor(100 / eps.length)) : 100;
    const srv: ResourceRecord[] = [];
    const extra: ResourceRecord[] = [];
    for (const e of eps) {
      const target = `${e.hostname}.${svcFqdn}`;
      srv.push({ name, type: 'SRV', ttl, data: { priority: 0, weight, port: endpointPort(view, svc, port.name, e.ip) ?? port.port, target } });
      extra.push({ name: target, type: 'A', ttl, data: e.ip });
    }
    return ofType(srv, extra);
  }
  return nxdomain;
}

function endpointPort(view: DnsView, svc: DeepReadonly<Service>, portName: string, ip: string): number | undefined {
  for (const slice of view.endpointSlices(svc.metadata.namespace ?? 'default', svc.metadata.name ?? '')) {
    if (!(slice.endpoints ?? []).some((ep) => (ep.addresses ?? []).includes(ip))) continue;
    const p = (slice.ports ?? []).find((sp) => sp.name === portName);
    if (p?.port !== undefined) return p.port;
  }
  return undefined;
}
