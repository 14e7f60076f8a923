// What kube-proxy proxies, as upstream's ServicePortMap and EndpointsMap (pkg/proxy/serviceport.go,
// endpointslicecache.go, topology.go's CategorizeEndpoints) reduced to one node and IPv4: one entry
// per port of a Service with a cluster IP, with the endpoints traffic to it may go to.
import type { EndpointSlice, Service, ServiceProtocol } from '../../api/service.js';
import type { DeepReadonly } from '../../client/index.js';

type RO<T> = DeepReadonly<T>;

/** The label EndpointSlices name their Service by (discovery/v1 LabelServiceName). */
const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface ProxyServicePort {
  /** upstream's ServicePortName.String(): `ns/name` or `ns/name:port`. */
  name: string;
  /** Lower case, as in iptables' `-p` and the chain-name hash. */
  protocol: 'tcp' | 'udp' | 'sctp';
  clusterIP: string;
  port: number;
  /** 0: none. */
  nodePort: number;
  externalIPs: string[];
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800). */
  stickyMaxAgeSeconds: number;
  /** Endpoints traffic from anywhere may go to (CategorizeEndpoints' clusterEndpoints), sorted by ip:port. */
  endpoints: ProxyEndpoint[];
}

/** v1helper.IsServiceIPSet: a cluster IP that is neither empty nor "None". */
export function isServiceIPSet(service: RO<Service>): boolean {
  const ip = service.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

function protocolOf(p: ServiceProtocol | undefined): ProxyServicePort['protocol'] {
  return (p ?? 'TCP').toLowerCase() as ProxyServicePort['protocol'];
}

function isIPv4(ip: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
}

/**
 * The endpoints of each service port, from the slices: keyed `ns/name:portName/protocol`.
 * Conditions as endpointslicecache: ready nil = true; serving nil = ready; terminating nil = false.
 */
function endpointsByPort(slices: readonly RO<EndpointSlice>[]): Map<string, Map<string, ProxyEndpoint>> {
  const out = new Map<string, Map<string, ProxyEndpoint>>();
  for (const slice of slices) {
    const svcName = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!svcName || slice.addressType !== 'IPv4') continue;
    const ns = slice.metadata.namespace ?? '';
    for (const p of slice.ports ?? []) {
      if (p.port === undefined || p.port <= 0) continue;
      const key = `${ns}/${svcName}:${p.name ?? ''}/${protocolOf(p.protocol)}`;
      let eps = out.get(key);
      if (!eps) out.set(key, (eps = new Map()));
      for (const e of slice.endpoints ?? []) {
        const ip = e.addresses?.[0];
        if (!ip || !isIPv4(ip)) continue;
        const ready = e.conditions?.ready ?? true;
        const ep: ProxyEndpoint = { ip, port: p.port, ready, serving: e.conditions?.serving ?? ready, terminating: e.conditions?.terminating ?? false };
        const id = `${ip}:${p.port}`;
        // The same address in two slices (a slice being replaced): a ready copy wins.
        const seen = eps.get(id);
        if (!seen || (!seen.ready && ep.ready)) eps.set(id, ep);
      }
    }
  }
  return out;
}

/**
 * Cluster endpoints as CategorizeEndpoints: the ready ones; when none is ready, those still
 * serving while terminating (so a rolling replacement does not drop connections).
 */
export function clusterEndpoints(all: readonly ProxyEndpoint[]): ProxyEndpoint[] {
  const ready = all.filter((e) => e.ready);
  if (ready.length) return ready;
  return all.filter((e) => e.serving && e.terminating);
}

/** The service ports to proxy, sorted by name then protocol (a stable rule order). */
export function buildServicePorts(services: readonly RO<Service>[], slices: readonly RO<EndpointSlice>[]): ProxyServicePort[] {
  const eps = endpointsByPort(slices);
  const out: ProxyServicePort[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc) || !isIPv4(svc.spec!.clusterIP!)) continue;
    const spec = svc.spec!;
    const base = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    for (const sp of spec.ports ?? []) {
      const protocol = protocolOf(sp.protocol);
      const all = [...(eps.get(`${base}:${sp.name ?? ''}/${protocol}`)?.values() ?? [])];
      const endpoints = clusterEndpoints(all).sort((a, b) => compareStrings(`${a.ip}:${a.port}`, `${b.ip}:${b.port}`));
      out.push({
        name: sp.name ? `${base}:${sp.name}` : base,
        protocol,
        clusterIP: spec.clusterIP!,
        port: sp.port,
        nodePort: spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? (sp.nodePort ?? 0) : 0,
        externalIPs: (spec.externalIPs ?? []).filter(isIPv4),
        sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
        stickyMaxAgeSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
        endpoints,
      });
    }
  }
  return out.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.protocol, b.protocol));
}

/** Go's string order (bytes), not the locale's. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
