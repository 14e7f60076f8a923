// Cluster DNS: jobyard's CoreDNS. A DNS server on the pods' network answering the cluster zone
// from Services and EndpointSlices (records.ts) and forwarding the rest to the host's resolvers
// (server.ts), and the `kube-system/kube-dns` Service that gives it its well-known cluster IP
// (the tenth address of the service CIDR, as kubeadm), kept by a small reconciler here as the
// API server keeps the `kubernetes` Service. Imports api/, machinery/ and client/ only.
import { readFileSync } from 'node:fs';
import type { EndpointSlice, Endpoints, Service } from '../api/index.js';
import { InformerFactory, type Clientset, type Logger } from '../client/index.js';
import { errorMessage } from '../machinery/index.js';
import { ENDPOINT_SLICES, InformerDnsView, SERVICES } from './informer-view.js';
import { ClusterDnsServer, resolvConfNameservers } from './server.js';

export { answerClusterQuestion, DNS_SCHEMA_VERSION, type DnsView } from './records.js';
export { ClusterDnsServer, resolvConfNameservers } from './server.js';
export { InformerDnsView } from './informer-view.js';

const ENDPOINTS = { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true } as const;
const FIELD_MANAGER = 'jobyard-cluster-dns';
const RECONCILE_INTERVAL_MS = 30_000;
export const KUBE_DNS_SERVICE = { namespace: 'kube-system', name: 'kube-dns' } as const;

/** The n-th address of an IPv4 CIDR (10.96.0.0/12, 10 → 10.96.0.10). */
export function nthAddress(cidr: string, n: number): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const bits = Number(m[5]);
  const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const ip = (((base & mask) >>> 0) + n) >>> 0;
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

/** Whether an IPv4 address lies in a CIDR. */
export function cidrContains(cidr: string, ip: string): boolean {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  const a = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m || !a) return false;
  const bits = Number(m[2]);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const toInt = (s: string) => s.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
  return ((toInt(m[1]!) & mask) >>> 0) === ((toInt(ip) & mask) >>> 0);
}

export interface ClusterDnsOptions {
  client: Pick<Clientset, 'resource'>;
  /** Where the server listens: an address pods reach (the engine's bridge gateway). */
  address: string;
  /** 53 unless testing. */
  port?: number;
  /** The cluster domain (the kubelet's clusterDomain). @defaultValue cluster.local */
  zone?: string;
  /** The host's resolver configuration, for names outside the zone. @defaultValue /etc/resolv.conf */
  resolvConf?: string;
  /** The kube-dns Service's cluster IP; undefined: no Service (pods are given `address` itself). */
  serviceIP?: string;
  /** Reverse lookups answered here (the service CIDR and the pods' subnet); others are forwarded. */
  ownsReverse?: (ip: string) => boolean;
  logger: Logger;
}

export interface ClusterDns {
  server: ClusterDnsServer;
  /** What pods get as their nameserver: the Service's cluster IP, or the server's address. */
  nameserver: string;
  stop(): Promise<void>;
}

/** Starts the server (its answers fill in once the informers have listed) and the kube-dns reconciler. */
export async function startClusterDns(opts: ClusterDnsOptions): Promise<ClusterDns> {
  const abort = new AbortController();
  const informers = new InformerFactory(opts.client, { name: 'cluster-dns', logger: opts.logger });
  const view = new InformerDnsView(informers);
  let upstreams: string[] = [];
  try {
    upstreams = resolvConfNameservers(readFileSync(opts.resolvConf ?? '/etc/resolv.conf', 'utf8'));
  } catch (err) {
    opts.logger.warn('cluster DNS: no host resolvers (names outside the cluster will not resolve)', { error: errorMessage(err) });
  }
  const server = new ClusterDnsServer({
    address: opts.address,
    port: opts.port ?? 53,
    zone: opts.zone ?? 'cluster.local',
    view,
    upstreams,
    ...(opts.ownsReverse ? { ownsReverse: opts.ownsReverse } : {}),
    logger: opts.logger,
  });
  await server.start();
  informers.start(abort.signal);
  let timer: NodeJS.Timeout | undefined;
  if (opts.serviceIP) {
    const serviceIP = opts.serviceIP;
    const reconcile = () =>
      reconcileKubeDnsService(opts.client, serviceIP, opts.address, server.port).catch((err: unknown) =>
        opts.logger.warn('cluster DNS: could not write the kube-dns Service', { error: errorMessage(err) }),
      );
    await reconcile();
    timer = setInterval(() => void reconcile(), RECONCILE_INTERVAL_MS);
    timer.unref();
  }
  return {
    server,
    nameserver: opts.serviceIP ?? opts.address,
    stop: async () => {
      if (timer) clearInterval(timer);
      abort.abort();
      await server.stop();
    },
  };
}

/**
 * kube-system/kube-dns: a Service without selector at the well-known cluster IP, its Endpoints
 * and EndpointSlice naming the server, so kube-proxy carries `<serviceIP>:53` to it. Written by
 * server-side apply with force: re-created if deleted, put back if changed.
 */
export async function reconcileKubeDnsService(client: Pick<Clientset, 'resource'>, serviceIP: string, address: string, port: number): Promise<void> {
  const { namespace, name } = KUBE_DNS_SERVICE;
  const labels = { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'jobyard-dns', 'kubernetes.io/cluster-service': 'true' };
  const apply = { fieldManager: FIELD_MANAGER, force: true };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: {
      clusterIP: serviceIP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: port },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: port },
      ],
    },
  };
  await client.resource<Service>(SERVICES).namespace(namespace).patch(name, 'apply', service, apply);
  const endpoints: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace, labels },
    subsets: [
      {
        addresses: [{ ip: address }],
        ports: [
          { name: 'dns', port, protocol: 'UDP' },
          { name: 'dns-tcp', port, protocol: 'TCP' },
        ],
      },
    ],
  };
  await client.resource<Endpoints>(ENDPOINTS).namespace(namespace).patch(name, 'apply', endpoints, apply);
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-jobyard`,
      namespace,
      labels: { ...labels, 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'cluster-dns.jobyard.io' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [
      { name: 'dns', port, protocol: 'UDP' },
      { name: 'dns-tcp', port, protocol: 'TCP' },
    ],
  };
  await client.resource<EndpointSlice>(ENDPOINT_SLICES).namespace(namespace).patch(slice.metadata.name ?? '', 'apply', slice, apply);
}
