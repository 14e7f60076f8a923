// The node agent, assembled: the Node's registration and status, the kubelet (pods as
// containers), the local volume provisioner for PersistentVolumeClaims, and the log provider
// the API server serves pods/log from. cmd/ builds the client and the runtime and calls
// startAgent; everything here talks to the API as a client.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { TokenRequest } from '../api/index.js';
import { ClientEventRecorder, type Clientset, type Logger, NodeLeaseController, noopLogger, RestClientset, type Scheduler, realScheduler } from '../client/index.js';
import { Kubelet, type KubeletOptions } from './kubelet.js';
import { LogCollector, type LogCollectorOptions } from './logs/log-collector.js';
import type { LogSink } from './logs/log-sink.js';
import { defaultNodeName, NodeStatusManager, type NodeStatusOptions } from './node-status.js';
import type { PodLogProvider } from '../api/core-streams.js';
import { PodLogs } from './pod-logs.js';
import type { NetworkProber } from './prober/prober.js';
import type { ContainerRuntime } from './runtime/index.js';
import type { HostFS } from './volumes/host-fs.js';
import { LocalVolumeProvisioner } from './volumes/pvc-provisioner.js';
import { ServiceAccountTokenManager } from './volumes/service-account-token.js';
import { detectPodCgroups } from './pod-cgroups.js';
import { RuntimeHealth, type RuntimeHealthOptions } from './runtime-health.js';
import { ServiceInformerEnvSource } from './service-env.js';

export interface AgentOptions {
  client: Clientset;
  runtime: ContainerRuntime;
  /** Default: the host's name. */
  nodeName?: string;
  /** The agent keeps node-side files (termination logs) under `<dataDir>/agent`. */
  dataDir?: string;
  /**
   * Directories hostPath volumes may lie under, compared by real path (the server's
   * --allow-host-path): a symlink planted in an allowed directory leads nowhere else.
   * Absent: not checked here.
   */
  allowedHostPaths?: string[];
  /** Default: the first non-loopback IPv4 address of the host. */
  nodeIP?: string;
  /** nodeInfo.kubeletVersion. */
  kubeletVersion: string;
  logger?: Logger;
  scheduler?: Scheduler;
  network?: NetworkProber;
  hostFS?: HostFS;
  kubelet?: KubeletOptions;
  /**
   * Where this machine's cgroup hierarchies are mounted (/sys/fs/cgroup), given only when the
   * engine runs on them: each pod then gets its own cgroup, and podPidsLimit bounds the pod as
   * a whole (agent/pod-cgroups.ts). Without it, the limit applies to each container.
   */
  podCgroupRoot?: string;
  nodeStatus?: NodeStatusOptions;
  /** The engine health check: its deadline for an engine call, how often it looks (runtime-health.ts). */
  runtimeHealth?: RuntimeHealthOptions;
  /**
   * The log service the collectors send to (containers with `aliyun_logs_*` env); no log
   * collection without one.
   */
  logs?: { sink: LogSink; options?: LogCollectorOptions };
}

export interface RunningAgent {
  nodeName: string;
  kubelet: Kubelet;
  /** What the API server serves pods/log from. */
  logs: PodLogProvider;
  /** The log service's collectors, when AgentOptions.logs was given. */
  logCollector?: LogCollector;
  /** Stops syncing; containers keep running and are adopted by the next agent. */
  stop(): Promise<void>;
}

/** The node's address: the first IPv4 address of an interface that is not loopback or a container bridge. */
export function detectNodeIP(): string {
  const ifaces = networkInterfaces();
  for (const [name, addrs] of Object.entries(ifaces)) {
    if (/^(docker|br-|veth|virbr|cni|flannel|lo)/.test(name)) continue;
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Label naming the agent that owns a container or volume (see KubeletDeps.instanceLabels). */
export const LABEL_AGENT = 'jobyard.io/agent';

/**
 * The agent's identity on the engine: kept in `<dataDir>/agent/instance`, so the agent of a
 * restarted server (same data directory) adopts its containers and never touches those of
 * another server on the same engine. Without a data directory: the node name.
 */
export function agentInstanceId(dataDir: string | undefined, nodeName: string): string {
  if (!dataDir) return nodeName;
  const dir = join(dataDir, 'agent');
  const file = join(dir, 'instance');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (id) return id;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const id = `${nodeName}-${randomBytes(6).toString('hex')}`;
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}

/** Registers the node and starts running its pods. Rejects when the runtime does not answer. */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const nodeName = opts.nodeName || defaultNodeName();
  const logger = opts.logger ?? noopLogger;
  const scheduler = opts.scheduler ?? realScheduler;
  const nodeIP = opts.nodeIP ?? detectNodeIP();
  const info = await opts.runtime.info();
  const instance = agentInstanceId(opts.dataDir, nodeName);
  const instanceLabels = { [LABEL_AGENT]: instance };
  const podCgroups = await detectPodCgroups({ info, root: opts.podCgroupRoot, instance, pidsLimit: opts.kubelet?.podPidsLimit });
  if (opts.kubelet?.podPidsLimit && opts.kubelet.podPidsLimit > 0) {
    logger.info(podCgroups ? 'podPidsLimit applies to each pod (a cgroup per pod)' : 'podPidsLimit applies to each container (no pod cgroups on this engine)', { podPidsLimit: opts.kubelet.podPidsLimit });
  }
  const recorder = new ClientEventRecorder({
    events: opts.client.events,
    component: 'kubelet',
    host: nodeName,
    clock: scheduler,
    logger,
    defaultKind: { kind: 'Pod', apiVersion: 'v1' },
  });
  // The engine's health (upstream's runtimeState and PLEG check): Ready=False while it fails.
  const health = new RuntimeHealth({ runtime: opts.runtime, scheduler, logger, ...(opts.runtimeHealth ? { options: opts.runtimeHealth } : {}) });
  const nodeStatus = new NodeStatusManager({
    client: opts.client,
    runtime: opts.runtime,
    nodeName,
    nodeIP,
    kubeletVersion: opts.kubeletVersion,
    recorder,
    scheduler,
    logger,
    health,
    options: opts.nodeStatus,
  });
  const node = await nodeStatus.start();
  // The heartbeat Lease beside the status (the kubelet's node lease controller).
  const nodeLease = new NodeLeaseController({ client: opts.client, nodeName, scheduler, logger });
  await nodeLease.start(node);
  health.onChange(() => nodeStatus.requestSync());
  health.start();
  const logCollector = opts.logs
    ? new LogCollector({ runtime: opts.runtime, sink: opts.logs.sink, client: opts.client, instanceLabels, scheduler, logger, options: opts.logs.options })
    : undefined;
  const abort = new AbortController();
  // The kubelet's Service informer: containers' Service environment variables.
  const serviceEnv = new ServiceInformerEnvSource({ client: opts.client, scheduler, logger });
  serviceEnv.run(abort.signal);
  // Projected serviceAccountToken sources: pod-bound tokens from TokenRequest, cached until 80% of their TTL.
  const rest = opts.client instanceof RestClientset ? opts.client.rest : undefined;
  const tokens = new ServiceAccountTokenManager(async (namespace, serviceAccount, request) => {
    if (!rest) throw new Error('this node has no API client for token requests');
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`;
    return (await rest.request<TokenRequest>({ method: 'POST', path, body: request })).body;
  });
  const kubelet = new Kubelet({
    client: opts.client,
    projectors: { serviceAccountToken: tokens.projector() },
    runtime: opts.runtime,
    nodeName,
    recorder,
    scheduler,
    logger,
    network: opts.network,
    hostFS: opts.hostFS,
    rootDir: opts.dataDir ? join(opts.dataDir, 'agent') : undefined,
    // The server's token, keys and state: never in a hostPath bind (read-only and hidden in one that contains them).
    protectedDirs: opts.dataDir ? [opts.dataDir] : [],
    ...(opts.allowedHostPaths ? { allowedHostPaths: opts.allowedHostPaths } : {}),
    hostIP: nodeIP,
    nodeAllocatable: () => nodeStatus.allocatable(),
    instanceLabels,
    options: opts.kubelet,
    ...(podCgroups ? { podCgroups } : {}),
    health,
    serviceEnv,
    ...(logCollector ? { beforeContainerRemoval: (id: string) => logCollector.drainContainer(id) } : {}),
  });
  logCollector?.start();
  await kubelet.start(abort.signal);
  const provisioner = new LocalVolumeProvisioner({
    client: opts.client,
    runtime: opts.runtime,
    recorder: new ClientEventRecorder({ events: opts.client.events, component: 'persistentvolume-controller', clock: scheduler, logger, defaultKind: { kind: 'PersistentVolumeClaim', apiVersion: 'v1' } }),
    scheduler,
    logger,
    instanceLabels,
  });
  provisioner.start(abort.signal);
  const logs = new PodLogs({ runtime: opts.runtime, clock: scheduler });
  let stopped: Promise<void> | undefined;
  return {
    nodeName,
    kubelet,
    logs,
    ...(logCollector ? { logCollector } : {}),
    stop() {
      stopped ??= (async () => {
        health.stop();
        nodeStatus.stop();
        nodeLease.stop();
        provisioner.stop();
        abort.abort();
        await kubelet.stop();
        await logCollector?.stop();
        recorder.stop();
        await recorder.flush();
      })();
      return stopped;
    },
  };
}
