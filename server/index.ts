// createApiServer: the API server as one piece, its entry point for cmd/. It builds storage
// (DIR/state.db), the registry with admission (Pod Security and the hostPath allow-list), the
// console's session store (DIR/sessions.db), the Fastify app and the listener (HTTPS and
// loopback HTTP on one port), and keeps the watch history compacted. What other parts add
// (their routes, the node's streams) comes in through the options.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { type KubeObject, SYSTEM_PRIORITY_CLASSES } from '../api/index.js';
import type { PodLogProvider, PodStreamProvider } from '../api/core-streams.js';
import type { ResourceMetricsProvider } from '../api/metrics.js';
import { type Clock, errorMessage, isAlreadyExists, realClock } from '../machinery/index.js';
import type { UpgradeListener } from '../machinery/httpstream/upgrade.js';
import { AdmissionChain, HostPathPolicy, type Level, PodSecurityAdmission, PriorityAdmission, uniformPolicy } from './admission/index.js';
import { buildApiServer } from './app.js';
import type { VersionInfo } from './handlers/discovery.js';
import type { InProcessTransport } from '../api/in-process.js';
import { buildOpenAPIProvider } from './openapi/provider.js';
import { withCustomResources } from './openapi/custom-resources.js';
import { SchemaCodec } from './registry/codec.js';
import { GenericRegistry } from './registry/generic-registry.js';
import { allResources, namespaces, priorityClasses } from './registry/index.js';
import { ResourceCatalog } from './registry/catalog.js';
import { CustomResourceDefinitionController } from './registry/customresources/index.js';
import {
  DEFAULT_NODE_PORT_RANGE,
  DEFAULT_SERVICE_CIDR,
  NodePortRange,
  ServiceAllocators,
  ServiceIPRange,
  serviceStorageHooks,
  startServiceAllocations,
} from './registry/services/index.js';
import { KubernetesServiceReconciler } from './kubernetes-service.js';
import { Authenticator } from './serving/auth.js';
import { type DualListener, isLoopback, listenDual, listenTlsOnly } from './serving/listener.js';
import { SessionStore } from './serving/session-store.js';
import { ensureServingCerts } from './serving/tls.js';
import { ServiceAccountAdmission } from './admission/service-account.js';
import { ServiceAccountAuthenticator } from './serviceaccount/authenticator.js';
import { ensureSigningKey } from './serviceaccount/keys.js';
import { NamespaceDefaultsController } from './serviceaccount/namespace-defaults.js';
import { ServiceAccountTokens } from './serviceaccount/tokens.js';
import { SqliteObjectStore } from './storage/index.js';
import { registerStorageObjects } from './metrics.js';

// What cmd/ needs besides createApiServer: the admission levels and the engine's own paths
// (flags, protected paths), whether a host is loopback (the console's scheme).
export { ENGINE_PATHS, isLevel, type Level, LEVELS } from './admission/index.js';
export { isLoopback } from './serving/listener.js';
export { DEFAULT_SERVICE_CIDR } from './registry/services/index.js';

/** A path hostPath volumes may never reach, and what it is (for the refusal's message). */
export interface ProtectedPath {
  path: string;
  what: string;
}

export interface ApiServerOptions {
  /** Where state.db, sessions.db and pki/ live (made private by the caller). */
  dataDir: string;
  host: string;
  port: number;
  /** The administrator's bearer token. */
  token: string;
  /** Extra names for the serving certificate. */
  tlsSans: string[];
  /**
   * The address pods reach the API server on (the container engine's bridge gateway, e.g.
   * 172.17.0.1): a second listener there on the same port, TLS and bearer tokens only, and the
   * endpoint of the `kubernetes` Service in `default`. Absent: pods cannot reach the API.
   */
  podAddress?: string;
  /** The `kubernetes` Service's ClusterIP (the first address of the service CIDR), a name of the serving certificate. Default 10.96.0.1. */
  kubernetesServiceIP?: string;
  /** --service-account-issuer: iss of service-account tokens and the API's audience (default https://kubernetes.default.svc.cluster.local). */
  serviceAccountIssuer?: string;
  /** --service-cluster-ip-range: the IPv4 CIDR ClusterIPs come from (default 10.96.0.0/12). */
  serviceClusterIPRange?: string;
  /** --service-node-port-range: where NodePorts come from (default 30000-32767). */
  serviceNodePortRange?: string;
  version: VersionInfo;
  /** The built console (web/dist); not served when absent. */
  consoleDir?: string;
  logger?: boolean | object;
  /** Pod Security level of namespaces without labels (enforce, audit and warn); kube-system is exempt. */
  podSecurityDefault?: Level;
  /** Directories hostPath volumes may lie under; none: no hostPath at all. */
  allowHostPaths?: string[];
  /** Paths no hostPath may reach besides the engine's own (the data directory, the engine's socket). */
  protectedPaths: ProtectedPath[];
  /** Pod Security audit mode's record, one line per violation. */
  audit(line: string): void;
  /** The node's answers to pods/log, exec and attach. */
  podLogs?: PodLogProvider;
  podStreams?: PodStreamProvider;
  /** The node's resource usage (metrics.k8s.io, `kubectl top`). */
  resourceMetrics?: ResourceMetricsProvider;
  /** Routes of other parts (logs, clusters), registered after authentication; `local()` is this server's URL. */
  extraRoutes?: (app: FastifyInstance, local: () => string) => void | Promise<void>;
  /** Watch history kept: events younger than this (default 15 minutes), and always the newest N (10,000). */
  watchHistoryMaxAgeSeconds?: number;
  watchHistoryMinEvents?: number;
  clock?: Clock;
}

export interface ApiServer {
  port: number;
  /** The host clients use (127.0.0.1 when listening on loopback or every address). */
  clientHost: string;
  /** https://clientHost:port */
  server: string;
  /** The CA that signed the serving certificate, for kubeconfigs. */
  caPem: string;
  /** Where pods reach the API (ApiServerOptions.podAddress and the port), when they can. */
  podEndpoint?: { ip: string; port: number };
  handler: http.RequestListener;
  upgrade: UpgradeListener;
  /** Requests of clients in this process (controllers, agent, log service): the same routes, no socket. */
  inProcess: InProcessTransport;
  /** Closes the listener, the app and the stores. */
  stop(): Promise<void>;
}

/** The objects every cluster has from the start. */
function bootstrap(registry: GenericRegistry): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    try {
      registry.create(namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  // The built-in PriorityClasses (upstream's scheduling/bootstrap-system-priority-classes hook).
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    if (registry.store.get('scheduling.k8s.io/priorityclasses', '', pc.metadata.name ?? '')) continue;
    registry.create(priorityClasses, '', structuredClone(pc) as unknown as KubeObject);
  }
}

/** Priority admission, then Pod Security with the hostPath allow-list. */
function podSecurity(store: SqliteObjectStore, opts: ApiServerOptions): AdmissionChain {
  return new AdmissionChain([
    // The pod's ServiceAccount: defaulted, required, and its API token volume mounted.
    new ServiceAccountAdmission({ getServiceAccount: (namespace, name) => store.get('serviceaccounts', namespace, name) }),
    new PriorityAdmission({ listPriorityClasses: () => store.list('scheduling.k8s.io/priorityclasses', {}).items }),
    new PodSecurityAdmission({
      defaults: uniformPolicy(opts.podSecurityDefault ?? 'baseline'),
      exemptNamespaces: ['kube-system'],
      hostPaths: new HostPathPolicy(opts.allowHostPaths ?? [], opts.protectedPaths),
      namespaceLabels: (name) => {
        const ns = store.get('namespaces', '', name);
        return ns ? (ns.metadata.labels ?? {}) : undefined;
      },
      listPods: (namespace) => store.list('pods', { namespace }).items,
      audit: opts.audit,
    }),
  ]);
}

/** The `kubernetes` Service's ClusterIP unless told otherwise (the first address of 10.96.0.0/12). */
export const DEFAULT_KUBERNETES_SERVICE_IP = '10.96.0.1';

/** Names pods use for the API (the `kubernetes` Service's DNS names, its ClusterIP) and the pod address. */
function kubernetesServiceNames(opts: ApiServerOptions): string[] {
  return [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    opts.kubernetesServiceIP ?? (opts.serviceClusterIPRange ? new ServiceIPRange(opts.serviceClusterIPRange).first : DEFAULT_KUBERNETES_SERVICE_IP),
    ...(opts.podAddress ? [opts.podAddress] : []),
  ];
}

/**
 * The TLS-only listener on the pod address, same port. None when there is no pod address, or when
 * the main listener already takes every address (0.0.0.0, ::).
 */
async function listenForPods(
  opts: ApiServerOptions,
  port: number,
  tls: { cert: string; key: string },
  handler: http.RequestListener,
  upgrade: UpgradeListener,
): Promise<DualListener | undefined> {
  if (!opts.podAddress) return undefined;
  if (opts.host === '0.0.0.0' || opts.host === '::' || opts.host === opts.podAddress) return { port, close: async () => {} };
  return listenTlsOnly({ host: opts.podAddress, port, tls, handler, upgrade });
}

export async function createApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const clock = opts.clock ?? realClock;
  const certs = await ensureServingCerts(
    join(opts.dataDir, 'pki'),
    [opts.host, hostname(), ...opts.tlsSans, ...kubernetesServiceNames(opts)].filter((h) => h && h !== '0.0.0.0' && h !== '::'),
  );
  const serviceAllocators = new ServiceAllocators(
    new ServiceIPRange(opts.serviceClusterIPRange ?? DEFAULT_SERVICE_CIDR),
    new NodePortRange(opts.serviceNodePortRange ?? DEFAULT_NODE_PORT_RANGE),
  );
  const store = new SqliteObjectStore({ path: join(opts.dataDir, 'state.db'), groupCommit: true });
  const byName = new Map(allResources.map((d) => [`${d.names.group}/${d.names.resource}`, d]));
  const registry = new GenericRegistry({
    store,
    clock,
    codec: new SchemaCodec(),
    namespaces: byName.get('/namespaces'),
    admission: podSecurity(store, opts),
    storageHooks: new Map([['services', serviceStorageHooks(serviceAllocators)]]),
  });
  bootstrap(registry);
  // ClusterIPs and NodePorts held by the stored Services, before any write takes one.
  const stopServiceAllocations = startServiceAllocations(store, serviceAllocators, (msg) => console.error(`jobyard: ${msg}`));
  // Custom resources of the stored CRDs are served from the first request on.
  const catalog = new ResourceCatalog(allResources);
  const crdController = new CustomResourceDefinitionController({ registry, catalog, clock, log: (msg) => console.error(`jobyard: ${msg}`) });
  crdController.start();
  const sessions = new SessionStore({ path: join(opts.dataDir, 'sessions.db') });
  // Every namespace's `default` ServiceAccount and kube-root-ca.crt ConfigMap, from the start.
  const namespaceDefaults = new NamespaceDefaultsController({ registry, caPem: certs.caPem, log: (msg) => console.error(`jobyard: ${msg}`) });
  namespaceDefaults.start();
  // Service-account tokens: signed with DIR/pki/sa.key, checked against the store on every request.
  const serviceAccountTokens = new ServiceAccountTokens(ensureSigningKey(join(opts.dataDir, 'pki')), { issuer: opts.serviceAccountIssuer });
  const serviceAccountAuthenticator = new ServiceAccountAuthenticator(serviceAccountTokens, { get: (resource, namespace, name) => store.get(resource, namespace, name) }, () => clock.now());

  const clientHost = isLoopback(opts.host) || opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  // Known once listening (the port may be 0).
  let local = `https://${clientHost}:${opts.port}`;
  registerStorageObjects(() => store.countObjects());
  const { app, handler, upgrade, inProcess, startShutdown } = await buildApiServer({
    registry,
    resources: allResources,
    catalog,
    clock,
    // Console sessions in the data dir: they survive a restart, sign-out revokes them.
    authenticator: new Authenticator(opts.token, { sessions }),
    // The keys' address as upstream's default jwks_uri: this server's external address.
    serviceAccounts: { tokens: serviceAccountTokens, authenticate: (token) => serviceAccountAuthenticator.authenticate(token), jwksUri: () => `${local}/openid/v1/jwks` },
    version: opts.version,
    // Custom resources' documents beside the built-in ones (kubectl explain of a CR).
    openapi: withCustomResources(buildOpenAPIProvider(allResources), catalog),
    consoleDir: opts.consoleDir,
    serverAddress: `${clientHost}:${opts.port}`,
    logger: opts.logger,
    podLogs: opts.podLogs,
    podStreams: opts.podStreams,
    resourceMetrics: opts.resourceMetrics,
    extraRoutes: opts.extraRoutes && ((a) => opts.extraRoutes!(a, () => local)),
  });
  const listener = await listenDual({ host: opts.host, port: opts.port, tls: { cert: certs.certPem, key: certs.keyPem }, handler, upgrade });
  local = `https://${clientHost}:${listener.port}`;
  let podListener: DualListener | undefined;
  try {
    podListener = await listenForPods(opts, listener.port, { cert: certs.certPem, key: certs.keyPem }, handler, upgrade);
  } catch (err) {
    await listener.close();
    throw new Error(`cannot listen for pods on ${opts.podAddress}:${listener.port} (${errorMessage(err)}): pass another --pod-api-address, or --no-pod-api`, { cause: err });
  }

  const kubernetesService = new KubernetesServiceReconciler({
    registry,
    clusterIP: opts.kubernetesServiceIP ?? serviceAllocators.ips.first,
    apiPort: listener.port,
    ...(podListener ? { endpointIP: opts.podAddress! } : {}),
    log: (msg) => console.error(`jobyard: ${msg}`),
  });
  kubernetesService.start();

  // Watch history: by default 15 minutes, and at least the newest 10,000 events.
  const compact = () => store.compactOlderThan((opts.watchHistoryMaxAgeSeconds ?? 900) * 1000, opts.watchHistoryMinEvents ?? 10_000);
  compact();
  const compaction = setInterval(compact, 60_000);
  compaction.unref();

  return {
    port: listener.port,
    clientHost,
    server: local,
    caPem: certs.caPem,
    ...(podListener ? { podEndpoint: { ip: opts.podAddress!, port: listener.port } } : {}),
    handler,
    upgrade,
    inProcess,
    async stop() {
      startShutdown();
      clearInterval(compaction);
      crdController.stop();
      namespaceDefaults.stop();
      kubernetesService.stop();
      stopServiceAllocations();
      await podListener?.close();
      await listener.close();
      await app.close().catch(() => {});
      store.close();
      sessions.close();
    },
  };
}
