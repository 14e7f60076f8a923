// `jobyard server`: the all-in-one process. Starts the API server (server/: storage, registry,
// listener), then the log service, the controllers and the node agent as API clients of that
// server: in process, through the app's inject (the same routes, token and admission as HTTPS,
// without TLS or sockets; a split deployment would use HTTPS). Singletons live here and nowhere else.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { errorMessage, realClock } from '../machinery/index.js';
import { type ApiServer, createApiServer, DEFAULT_SERVICE_CIDR, ENGINE_PATHS, isLoopback, type Level, type ProtectedPath } from '../server/index.js';
import { writeKubeconfig } from './kubeconfig.js';
import { ensurePrivateFile, securePrivateDir } from './data-dir.js';
import { signInUrl, writeConsoleAddress } from './console-url.js';
import { bridgeGatewayAddress, bridgeNetwork } from './bridge-gateway.js';
import type { ControllerManager } from '../controllers/manager.js';
import { type ClientConfig, consoleLogger, noopLogger, RestClientset } from '../client/index.js';
import type { PodLogProvider, PodStreamProvider } from '../api/core-streams.js';
import type { ResourceMetricsProvider } from '../api/metrics.js';
// The node agent and its engine client (dockerode, with gRPC, protobuf and SSH under it) are
// imported when there is an agent to run: with --no-agent they are never loaded. The
// controllers and the agent are imported once the API server listens: it answers meanwhile.
import type { RunningAgent } from '../agent/index.js';
import { type RunningSimulatedNodes, startSimulatedNodes } from '../agent/simulated/index.js';
import type { DockerRuntime } from '../agent/runtime/docker/index.js';
import { serviceUnavailable } from '../machinery/index.js';
import { LogService, LogStore, registerLogRoutes } from '../logs/index.js';
import { ClusterStore, registerClusterRoutes } from '../clusters/index.js';
import type { LogSink } from '../agent/logs/index.js';
import type { ContainerRuntime } from '../agent/runtime/index.js';
import type { PodNetwork } from './cni-network.js';
import { type ContainerRuntimeName, connectCriRuntime, criPodNetwork, criProtectedPaths, DEFAULT_CONTAINERD_ENDPOINT, probeCriRuntime } from './container-runtime-choice.js';

export interface ServerOptions {
  dataDir: string;
  host: string;
  port: number;
  /** Run the controllers in this process. */
  controllers: boolean;
  /** Run the node agent in this process. */
  agent: boolean;
  /** The engine the agent runs pods on: Docker (DOCKER_HOST) or a CRI runtime (containerd). @defaultValue 'docker' */
  runtime?: ContainerRuntimeName;
  /** The CRI runtime's socket (the kubelet's --container-runtime-endpoint). @defaultValue unix:///run/jobyard/containerd/containerd.sock */
  containerRuntimeEndpoint?: string;
  /** The agent's Node name (default: the host's name). */
  nodeName?: string;
  /** Base and cap of the Job controller's pod-failure backoff (10 s and 6 min: docs/product.md#job-settings). */
  jobBackoffBaseSeconds: number;
  /** The Job controller's syncJobBatchPeriod (upstream: 1 s). */
  jobSyncBatchPeriodSeconds?: number;
  jobBackoffMaxSeconds: number;
  /** Extra names for the serving certificate (e.g. a DNS name when listening off loopback). */
  tlsSans: string[];
  /**
   * Where pods reach the API (a TLS-only listener, the `kubernetes` Service's endpoint): an
   * address, false for nowhere, undefined for the engine's bridge gateway when the agent runs.
   */
  podApiAddress?: string | false;
  /** --service-cluster-ip-range and --service-node-port-range (defaults 10.96.0.0/12 and 30000-32767). */
  serviceClusterIPRange?: string;
  serviceNodePortRange?: string;
  /** --service-account-issuer (default https://kubernetes.default.svc.cluster.local). */
  serviceAccountIssuer?: string;
  /** kube-proxy on the node agent's machine: iptables rules for Services (the CLI's default), or none (the default here). */
  proxyMode?: 'iptables' | 'none';
  /** Cluster DNS for pods on the pod address, port 53 (dns/; the CLI's default), or none (the default here). */
  clusterDns?: boolean;
  /** The cluster DNS server's port (default 53; another one only behind kube-proxy's kube-dns Service). */
  clusterDnsPort?: number;
  /** The cluster domain. @defaultValue cluster.local */
  clusterDomain?: string;
  quiet: boolean;
  /** Options of the node agent's log collectors (tests shorten their intervals). */
  logCollection?: { pollIntervalMs?: number; relistIntervalMs?: number };
  /** How often Logstore status and retention run (tests shorten them). */
  logServiceIntervals?: { statusMs?: number; retentionMs?: number };
  /** Watch history kept: events younger than this, and always the newest N. */
  watchHistoryMaxAgeSeconds?: number;
  watchHistoryMinEvents?: number;
  /** The kubelet's podPidsLimit: pids.max of each container of a pod (-1: none). */
  podPidsLimit?: number;
  /** An engine call not answered in this long makes the node NotReady (agent/runtime-health.ts; default 180). */
  engineOperationDeadlineSeconds?: number;
  /** The most engine calls the agent makes at once (default 8). */
  engineMaxConcurrency?: number;
  /** Every pod gets a pause container (KubeletOptions.alwaysPauseContainer). */
  alwaysPauseContainer?: boolean;
  /** Pod Security level of namespaces without labels (enforce, audit and warn); kube-system is exempt. */
  podSecurityDefault?: Level;
  /** Directories hostPath volumes may lie under (--allow-host-path); none: no hostPath at all. */
  allowHostPaths?: string[];
  /** Simulated nodes sim-node-0..N-1 played in this process (agent/simulated, kwok-like); 0: none. */
  simulatedNodes?: number;
  /** Their capacity over the defaults (cpu 32, memory 256Gi, pods 1000). */
  simulatedNodeCapacity?: Record<string, string>;
}

/** The most processes a pod's container may have unless told otherwise (a fork bomb stops there). */
export const DEFAULT_POD_PIDS_LIMIT = 4096;

export const DEFAULT_DATA_DIR = join(homedir(), '.jobyard');

export interface RunningServer {
  port: number;
  kubeconfigPath: string;
  token: string;
  /** The console's sign-in link: it carries the token, so it is printed only when the token is new. */
  consoleUrl: string;
  /** The console's address, without the token (e.g. http://127.0.0.1:6443). */
  consoleAddress: string;
  /** This start made the token (a new data directory). */
  tokenCreated: boolean;
  /** Where pods reach the API, when they can. */
  podEndpoint?: { ip: string; port: number };
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root, from dist/cmd or cmd/. */
function repoRoot(): string {
  let dir = here;
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return resolve(here, '..', '..');
}

function readOrCreateToken(path: string): { token: string; created: boolean } {
  if (existsSync(path)) return { token: readFileSync(path, 'utf8').trim(), created: false };
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return { token, created: true };
}

/** Request URLs are logged without their query: GET /auth/login?token=... must never reach a log. */
const requestLogSerializer = (req: { method?: string; url?: string }) => ({ method: req.method, url: (req.url ?? '').split('?')[0] });

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function noEngine(err: unknown): Error {
  const where = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  return new Error(
    `no container engine answers at ${where} (${errorMessage(err)}): start one (sudo systemctl start docker, or sudo dockerd &), point DOCKER_HOST at it, or run without the node agent (--no-agent)`,
    { cause: err },
  );
}

/**
 * Whether anything listens where the engine should (DOCKER_HOST unset, unix:// or tcp://): a
 * missing or refused socket fails here at once, before anything is written. Cheap: the engine's
 * client (dockerode, with gRPC, protobuf and SSH under it) and `docker info` (a quarter second on
 * a busy host) come after the API server listens (connectRuntime), as do other DOCKER_HOSTs.
 */
function probeEngine(): Promise<void> {
  const host = process.env.DOCKER_HOST;
  let target: { path: string } | { host: string; port: number };
  if (!host) target = { path: '/var/run/docker.sock' };
  else if (host.startsWith('unix://')) target = { path: host.slice('unix://'.length) };
  else if (host.startsWith('tcp://')) {
    const url = new URL(host);
    target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (process.env.DOCKER_TLS_VERIFY ? 2376 : 2375) };
  } else return Promise.resolve();
  return new Promise((resolve, reject) => {
    const socket = connect(target);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => reject(noEngine(err)));
  });
}

/** The engine the agent runs pods on: DOCKER_HOST or the default socket; fails with how to start one. */
async function connectRuntime(maxConcurrentOperations: number | undefined): Promise<DockerRuntime> {
  const { DockerRuntime } = await import('../agent/runtime/docker/index.js');
  const runtime = new DockerRuntime(maxConcurrentOperations ? { maxConcurrentOperations } : {});
  try {
    await runtime.info();
  } catch (err) {
    throw noEngine(err);
  }
  return runtime;
}

/** The agent's collectors write straight into the store of this process. */
function inProcessLogSink(store: LogStore): LogSink {
  return {
    checkpoints: (logstore, prefix) => Promise.resolve(store.checkpoints(logstore, prefix)),
    ingest: (batches) => {
      try {
        return Promise.resolve(store.ingest(batches));
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
}

/** What the node's streams answer until the agent (or, for exec and attach, the engine) is there. */
const agentNotRunning = () => Promise.reject(serviceUnavailable('the node agent is not running yet'));

/** The API server is built before the engine is reached: pods/exec, attach and portforward go through this until it is. */
function forwardingStreamProvider(): PodStreamProvider & { target?: PodStreamProvider } {
  const forward: PodStreamProvider & { target?: PodStreamProvider } = {
    exec: (pod, options) => (forward.target ? forward.target.exec(pod, options) : agentNotRunning()),
    attach: (pod, options) => (forward.target ? forward.target.attach(pod, options) : agentNotRunning()),
    portForward: (pod) => (forward.target?.portForward ? forward.target.portForward(pod) : agentNotRunning()),
  };
  return forward;
}

/** The API server is built before the agent runs: metrics.k8s.io has no figures until it does. */
function forwardingMetricsProvider(): ResourceMetricsProvider & { target?: ResourceMetricsProvider } {
  const forward: ResourceMetricsProvider & { target?: ResourceMetricsProvider } = {
    podUsage: (pods) => (forward.target ? forward.target.podUsage(pods) : Promise.resolve([])),
    nodeUsage: (nodeName) => (forward.target ? forward.target.nodeUsage(nodeName) : Promise.resolve(undefined)),
  };
  return forward;
}

/** The API server is built before the agent runs: pods/log goes through this until it does. */
function forwardingLogProvider(): PodLogProvider & { target?: PodLogProvider } {
  const forward: PodLogProvider & { target?: PodLogProvider } = {
    streamLogs: (pod, options, signal) => (forward.target ? forward.target.streamLogs(pod, options, signal) : agentNotRunning()),
  };
  return forward;
}

/** What no hostPath may reach besides the engine's own paths: jobyard's data directory and the engine's socket. */
function protectedPaths(dataDir: string, criEndpoint: string | undefined): ProtectedPath[] {
  const what = "jobyard's data directory (its token, keys and state)";
  const paths = [...ENGINE_PATHS, ...(criEndpoint ? criProtectedPaths(criEndpoint) : []), { path: dataDir, what }];
  if (existsSync(dataDir)) paths.push({ path: realpathSync(dataDir), what });
  // An engine reached elsewhere than /var/run/docker.sock (rootless Docker, DOCKER_HOST).
  const socket = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : undefined;
  if (socket) paths.push({ path: socket, what: "the container engine's socket" });
  return paths;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const root = repoRoot();
  const dataDir = resolve(opts.dataDir);
  // Under a CRI runtime: its socket; pods are on its CNI bridge (Docker: docker0, asked of the engine).
  const criEndpoint = opts.runtime === 'containerd' ? (opts.containerRuntimeEndpoint ?? DEFAULT_CONTAINERD_ENDPOINT) : undefined;
  const podNetwork = (): Promise<PodNetwork> => (criEndpoint ? Promise.resolve(criPodNetwork()) : bridgeNetwork());
  // Fail before anything else when the agent has no engine to run pods on.
  if (opts.agent) await (criEndpoint ? probeCriRuntime(criEndpoint) : probeEngine());
  const podStreams = forwardingStreamProvider();
  const podLogs = forwardingLogProvider();
  const resourceMetrics = forwardingMetricsProvider();
  // 0700 and 0600 all the way down, on every start (SQLite's -wal/-shm take the db file's mode).
  securePrivateDir(dataDir);
  const { token, created: tokenCreated } = readOrCreateToken(join(dataDir, 'token'));
  ensurePrivateFile(join(dataDir, 'state.db'));
  ensurePrivateFile(join(dataDir, 'logs.db'));
  ensurePrivateFile(join(dataDir, 'sessions.db'));
  const clock = realClock;
  // The log service's own database, apart from the API's.
  const logStore = new LogStore({ path: join(dataDir, 'logs.db'), clock });
  const version = packageVersion(root);
  const gitVersion = `v1.32.0-jobyard.${version}`;
  const auditLog = opts.quiet ? noopLogger : consoleLogger('info', 'pod-security');
  const podAddress = opts.podApiAddress === false ? undefined : (opts.podApiAddress ?? (opts.agent ? (criEndpoint ? criPodNetwork().gateway : await bridgeGatewayAddress()) : undefined));
  let api: ApiServer;
  try {
    api = await createApiServer({
      dataDir,
      host: opts.host,
      port: opts.port,
      token,
      tlsSans: opts.tlsSans,
      podAddress,
      serviceClusterIPRange: opts.serviceClusterIPRange,
      serviceNodePortRange: opts.serviceNodePortRange,
      serviceAccountIssuer: opts.serviceAccountIssuer,
      clock,
      version: {
        major: '1',
        minor: '32',
        gitVersion,
        gitCommit: 'jobyard',
        gitTreeState: 'clean',
        buildDate: new Date(0).toISOString(),
        goVersion: `node${process.versions.node}`,
        compiler: 'node',
        platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
      },
      consoleDir: join(root, 'web', 'dist'),
      logger: opts.quiet ? false : { level: 'warn', serializers: { req: requestLogSerializer } },
      podSecurityDefault: opts.podSecurityDefault,
      allowHostPaths: opts.allowHostPaths,
      protectedPaths: protectedPaths(dataDir, criEndpoint),
      audit: (line) => auditLog.info(line),
      // pods/exec needs only the engine: it is served once the engine answers, before the agent runs.
      ...(opts.agent ? { podLogs, podStreams, resourceMetrics } : {}),
      watchHistoryMaxAgeSeconds: opts.watchHistoryMaxAgeSeconds,
      watchHistoryMinEvents: opts.watchHistoryMinEvents,
      extraRoutes: (app, local) => {
        registerLogRoutes(app, { store: logStore, clock });
        registerClusterRoutes(app, { store: new ClusterStore(join(dataDir, 'clusters')), clock, local: () => ({ server: local(), version: gitVersion }) });
      },
    });
  } catch (err) {
    logStore.close();
    throw err;
  }
  const { port, clientHost, server } = api;
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { server, caPem: api.caPem, token });
  const consoleAddress = `${isLoopback(opts.host) ? 'http' : 'https'}://${clientHost}:${port}`;
  writeConsoleAddress(dataDir, consoleAddress);
  // The in-process clients reach this server with what the kubeconfig says, without reading it
  // back (a kubeconfig reader is @kubernetes/client-node, most of a second to load), and
  // without TLS or sockets: their requests go straight into the app's routes and hooks (the
  // front door checks the token as for any client); nothing on the network reaches that path.
  const selfConfig: ClientConfig = { server, caData: api.caPem, token, transport: api.inProcess };

  // The log service keeps the store in step with the Logstore objects, as an API client.
  const logClient = new RestClientset(selfConfig);
  const logService = new LogService({
    store: logStore,
    client: logClient,
    logger: opts.quiet ? noopLogger : consoleLogger('warn', 'log-service'),
    statusIntervalMs: opts.logServiceIntervals?.statusMs,
    retentionIntervalMs: opts.logServiceIntervals?.retentionMs,
  });
  logService.start();

  let agent: RunningAgent | undefined;
  let proxy: { stop(): Promise<void> } | undefined;
  let clusterDns: { stop(): Promise<void> } | undefined;
  let simulated: RunningSimulatedNodes | undefined;
  // The agent and the controllers first: their in-flight requests still need the listener.
  const stop = async () => {
    // kube-proxy first: its teardown removes our iptables rules (a kill -9 leaves them to the next start).
    await proxy?.stop();
    await clusterDns?.stop();
    await agent?.stop();
    await simulated?.stop();
    await controllers?.stop();
    await logService.stop();
    logClient.close();
    await api.stop();
    logStore.close();
  };

  // The controllers are API clients of this server, in process (selfConfig).
  let controllers: ControllerManager | undefined;
  if (opts.controllers) {
    const { startControllers } = await import('../controllers/manager.js');
    controllers = startControllers({
      clientConfig: selfConfig,
      logger: opts.quiet ? noopLogger : consoleLogger('warn', 'controller-manager'),
      controllers: {
        job: {
          backoff: { baseMs: opts.jobBackoffBaseSeconds * 1000, capMs: opts.jobBackoffMaxSeconds * 1000 },
          ...(opts.jobSyncBatchPeriodSeconds !== undefined ? { syncJobBatchPeriodMs: opts.jobSyncBatchPeriodSeconds * 1000 } : {}),
        },
      },
    });
  }

  // The node agent, also an API client in process; pods/log is answered by it from now on.
  if (opts.agent) {
    // Cluster DNS first: the kubelet gives pods its address in their resolv.conf.
    const clusterDomain = opts.clusterDomain ?? 'cluster.local';
    let podDns: { clusterDNS: string[]; clusterDomain: string; resolvConf: string } | undefined;
    const dnsPort = opts.clusterDnsPort ?? 53;
    const dnsLogger = opts.quiet ? noopLogger : consoleLogger('warn', 'cluster-dns');
    if (opts.clusterDns && podAddress && dnsPort !== 53 && opts.proxyMode !== 'iptables') {
      dnsLogger.warn('cluster DNS not started: a port other than 53 needs kube-proxy (--proxy-mode iptables)', { port: dnsPort });
    } else if (opts.clusterDns && podAddress) {
      const dns = await import('../dns/index.js');
      const podSubnet = (await podNetwork()).subnet;
      const serviceCIDR = opts.serviceClusterIPRange ?? DEFAULT_SERVICE_CIDR;
      try {
        const started = await dns.startClusterDns({
          client: new RestClientset(selfConfig),
          address: podAddress,
          port: dnsPort,
          zone: clusterDomain,
          // The kube-dns Service's cluster IP only where kube-proxy carries it to the server.
          ...(opts.proxyMode === 'iptables' ? { serviceIP: dns.nthAddress(serviceCIDR, 10) } : {}),
          ownsReverse: (ip) => dns.cidrContains(serviceCIDR, ip) || (!!podSubnet && dns.cidrContains(podSubnet, ip)),
          logger: dnsLogger,
        });
        clusterDns = started;
        podDns = { clusterDNS: [started.nameserver], clusterDomain, resolvConf: '/etc/resolv.conf' };
      } catch (err) {
        // Port 53 taken (another server on this machine) or not root: pods keep the engine's resolv.conf.
        dnsLogger.warn('cluster DNS not started: pods get the host\'s resolvers', { address: `${podAddress}:${dnsPort}`, error: errorMessage(err) });
      }
    }
    try {
      const runtime: ContainerRuntime = criEndpoint ? await connectCriRuntime(criEndpoint, opts.engineMaxConcurrency) : await connectRuntime(opts.engineMaxConcurrency);
      podStreams.target = new (await import('../agent/pod-streams.js')).PodStreams({ runtime });
      const { startAgent } = await import('../agent/index.js');
      agent = await startAgent({
        client: new RestClientset(selfConfig),
        runtime,
        nodeName: opts.nodeName,
        dataDir,
        // The node checks hostPath binds again by real path (symlinks), with the same list.
        allowedHostPaths: opts.allowHostPaths ?? [],
        kubeletVersion: gitVersion,
        kubelet: { podPidsLimit: opts.podPidsLimit ?? DEFAULT_POD_PIDS_LIMIT, alwaysPauseContainer: !!opts.alwaysPauseContainer, ...(podDns ? { dns: podDns } : {}) },
        ...(opts.engineOperationDeadlineSeconds ? { runtimeHealth: { operationDeadlineMs: opts.engineOperationDeadlineSeconds * 1000, intervalMs: Math.min(5_000, opts.engineOperationDeadlineSeconds * 500) } } : {}),
        // Pod cgroups only when the engine shares this machine's cgroups (its local socket; a CRI endpoint is one).
        ...(criEndpoint || !process.env.DOCKER_HOST || process.env.DOCKER_HOST.startsWith('unix://') ? { podCgroupRoot: '/sys/fs/cgroup' } : {}),
        logger: opts.quiet ? noopLogger : consoleLogger('warn', 'agent'),
        // The collectors write to the store in this process: no HTTP, no JSON, same
        // idempotent ingest (an agent elsewhere would use HttpLogSink).
        logs: { sink: inProcessLogSink(logStore), options: opts.logCollection },
      });
      podLogs.target = agent.logs;
      if (opts.proxyMode === 'iptables') {
        const { startProxy } = await import('../agent/proxy/index.js');
        const bridge = await podNetwork();
        proxy = await startProxy({
          client: new RestClientset(selfConfig),
          ...(bridge.subnet ? { clusterCIDR: bridge.subnet } : {}),
          ...(bridge.interface ? { bridgeInterface: bridge.interface } : {}),
          logger: opts.quiet ? noopLogger : consoleLogger('info', 'kube-proxy'),
        });
      }
      resourceMetrics.target = new (await import('../agent/resource-metrics.js')).ResourceMetrics({ runtime, nodeName: agent.nodeName });
    } catch (err) {
      await stop();
      throw err;
    }
  }

  // Simulated nodes: another API client, playing the kubelet of nodes without containers.
  if (opts.simulatedNodes) {
    try {
      simulated = await startSimulatedNodes({
        client: new RestClientset(selfConfig),
        count: opts.simulatedNodes,
        capacity: opts.simulatedNodeCapacity,
        kubeletVersion: gitVersion,
        logger: opts.quiet ? noopLogger : consoleLogger('warn', 'simulated-nodes'),
      });
    } catch (err) {
      await stop();
      throw err;
    }
  }

  // What this start wrote (certificates, the agent's files) is private too.
  securePrivateDir(dataDir);

  return {
    port,
    kubeconfigPath,
    token,
    consoleUrl: signInUrl(consoleAddress, token),
    consoleAddress,
    tokenCreated,
    ...(api.podEndpoint ? { podEndpoint: api.podEndpoint } : {}),
    stop,
  };
}
