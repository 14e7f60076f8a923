// The Node this agent runs (pkg/kubelet/kubelet_node_status.go, nodestatus/setters.go): it
// registers the Node (name = hostname, or --node-name) and keeps its status: capacity and
// allocatable from the engine (cpu, memory, pods 110), the conditions Ready (KubeletReady
// while the engine answers; KubeletNotReady with the runtime health check's errors, e.g.
// "container runtime is down: ..." or "PLEG is not healthy: ...", when it does not)
// and MemoryPressure / DiskPressure / PIDPressure False, addresses, nodeInfo (containerRuntime
// `docker://20.10.24`, kubeletVersion, osImage, architecture ...) and the images present
// (status.images, largest first, at most 50, as the console's known images). The status is
// checked every 10 s and written when it changed, or at least every minute (the heartbeat).
import { hostname } from 'node:os';
import type { Node, NodeCondition } from '../api/index.js';
import { type Clientset, type EventRecorder, type Logger, noopLogger, type Scheduler, type TimerHandle, realScheduler } from '../client/index.js';
import { errorMessage, formatBinaryBytes, isAlreadyExists, isConflict, isNotFound, rfc3339 } from '../machinery/index.js';
import type { ContainerRuntime, ImageSummary, RuntimeInfo } from './runtime/index.js';
import { aggregateMessage } from './runtime-health.js';

export const MAX_PODS = 110;
export const MAX_NODE_STATUS_IMAGES = 50;
const MAX_NAMES_PER_IMAGE = 5;

export interface NodeStatusOptions {
  /** How often the status is computed. @defaultValue 10 s */
  updateIntervalMs?: number;
  /** The longest time between two writes (heartbeat). @defaultValue 60 s */
  reportIntervalMs?: number;
  /** The engine's info and images not read in this long: the status is written without them. @defaultValue 10 s */
  runtimeTimeoutMs?: number;
}

export interface NodeStatusDeps {
  client: Clientset;
  runtime: ContainerRuntime;
  nodeName: string;
  /** status.addresses InternalIP. */
  nodeIP: string;
  /** "v1.32.0-jobyard.0.1.0". */
  kubeletVersion: string;
  recorder?: EventRecorder;
  scheduler?: Scheduler;
  logger?: Logger;
  /** The runtime health check (runtime-health.ts): its errors make the node NotReady. */
  health?: { errors(): string[] };
  options?: NodeStatusOptions;
}

/** What the node reports while the engine answers, from its info and images. */
export function nodeStatusFromRuntime(info: RuntimeInfo, images: ImageSummary[], nodeIP: string, nodeName: string, kubeletVersion: string): NonNullable<Node['status']> {
  const capacity = { cpu: String(info.cpus), memory: formatBinaryBytes(info.memoryBytes), pods: String(MAX_PODS) };
  const sorted = [...images].filter((i) => i.names.length > 0).sort((a, b) => b.sizeBytes - a.sizeBytes);
  return {
    capacity,
    allocatable: { ...capacity },
    addresses: [
      { type: 'InternalIP', address: nodeIP },
      { type: 'Hostname', address: nodeName },
    ],
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: info.kernelVersion,
      osImage: info.operatingSystem,
      containerRuntimeVersion: `${info.runtimeName}://${info.runtimeVersion}`,
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: info.architecture === 'x86_64' ? 'amd64' : info.architecture === 'aarch64' ? 'arm64' : info.architecture,
    },
    images: sorted.slice(0, MAX_NODE_STATUS_IMAGES).map((i) => {
      // Digests first, then tags, at most 5 names (setNodeStatusImages).
      const names = [...i.names.filter((n) => n.includes('@')), ...i.names.filter((n) => !n.includes('@'))].slice(0, MAX_NAMES_PER_IMAGE);
      return { names, sizeBytes: i.sizeBytes };
    }),
  };
}

/** The four conditions, Ready following whether the runtime answers; `notReadyMessage` says why it does not. */
export function nodeConditions(runtimeUp: boolean, old: NodeCondition[] | undefined, now: Date, notReadyMessage = 'container runtime is down'): NodeCondition[] {
  const ts = rfc3339(now);
  const make = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => {
    const prev = (old ?? []).find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: ts,
      lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : ts,
      reason,
      message,
    };
  };
  return [
    make('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    make('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    make('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    runtimeUp
      ? make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : make('Ready', 'False', 'KubeletNotReady', notReadyMessage),
  ];
}

/** Without the heartbeat times: what changed worth a write. */
function meaningful(status: Node['status']): string {
  const s = structuredClone(status ?? {});
  for (const c of s.conditions ?? []) delete c.lastHeartbeatTime;
  return JSON.stringify(s);
}

/** The default node name: the host's name, lower case (as the kubelet's hostname override). */
export function defaultNodeName(): string {
  return hostname().toLowerCase();
}

export class NodeStatusManager {
  private readonly deps: NodeStatusDeps;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private timer: ReturnType<Scheduler['setTimer']> | undefined;
  private lastWrite = 0;
  private node: Node | undefined;
  private lastInfo: RuntimeInfo | undefined;
  private stopped = false;
  private wasReady: boolean | undefined;
  private syncing: Promise<void> | undefined;
  private again = false;

  constructor(deps: NodeStatusDeps) {
    this.deps = deps;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
  }

  /** Allocatable cpu (millicores) and memory (bytes) as last read from the engine. */
  allocatable(): { cpuMilli: number; memoryBytes: number } {
    return { cpuMilli: (this.lastInfo?.cpus ?? 0) * 1000, memoryBytes: this.lastInfo?.memoryBytes ?? 0 };
  }

  /** Registers the node (create, or adopt the existing one) with a first status; then keeps it. */
  async start(): Promise<Node> {
    await this.sync(true);
    this.schedule();
    return this.node as Node;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.scheduler.clearTimer(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.scheduler.setTimer(() => {
      // One sync at a time: a health change's requestSync may be under way.
      void (this.syncing ?? Promise.resolve())
        .then(() => this.sync(false))
        .catch((err: unknown) => this.logger.warn('node status update failed', { error: errorMessage(err) }))
        .finally(() => this.schedule());
    }, this.deps.options?.updateIntervalMs ?? 10_000);
  }

  /** Computes the status and writes it at once (after the sync under way, if any): the health check's changes. */
  requestSync(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = this.sync(true)
      .catch((err: unknown) => this.logger.warn('node status update failed', { error: errorMessage(err) }))
      .finally(() => {
        this.syncing = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.requestSync();
        }
      });
  }

  /** Computes the status and writes it when it changed or the heartbeat is due. */
  async sync(force: boolean): Promise<void> {
    const { client, nodeName } = this.deps;
    const now = this.scheduler.now();
    let status: NonNullable<Node['status']>;
    // The health check's errors first: while they stand the engine is not asked (it would not answer).
    const errors = this.deps.health?.errors() ?? [];
    if (errors.length === 0) {
      try {
        status = await this.readRuntime();
      } catch (err) {
        errors.push(`container runtime is down: ${errorMessage(err)}`);
      }
    }
    status ??= structuredClone(this.node?.status ?? {});
    const up = errors.length === 0;
    const message = up ? undefined : aggregateMessage(errors);
    if (!this.node) {
      this.node = await this.register(status, up, message, now);
      this.lastWrite = now.getTime();
      this.recordReadiness(up);
      return;
    }
    status.conditions = nodeConditions(up, this.node.status?.conditions, now, message);
    const due = now.getTime() - this.lastWrite >= (this.deps.options?.reportIntervalMs ?? 60_000);
    if (!force && !due && meaningful(status) === meaningful(this.node.status)) return;
    try {
      this.node = await client.nodes.updateStatus({ ...this.node, status });
    } catch (err) {
      if (isNotFound(err)) {
        // Someone deleted the Node: register again.
        this.node = undefined;
        return this.sync(true);
      }
      if (!isConflict(err)) throw err;
      this.node = await client.nodes.get(nodeName);
      this.node = await client.nodes.updateStatus({ ...this.node, status });
    }
    this.lastWrite = now.getTime();
    this.recordReadiness(up);
  }

  /** The engine's info and images, or an error when it fails or does not answer in time. */
  private async readRuntime(): Promise<NonNullable<Node['status']>> {
    const { runtime, nodeName } = this.deps;
    const timeoutMs = this.deps.options?.runtimeTimeoutMs ?? 10_000;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.scheduler.setTimer(() => reject(new Error(`no answer from the engine in ${timeoutMs / 1000}s`)), timeoutMs);
    });
    try {
      const [info, images] = await Promise.race([Promise.all([runtime.info(), runtime.listImages()]), timeout]);
      this.lastInfo = info;
      return nodeStatusFromRuntime(info, images, this.deps.nodeIP, nodeName, this.deps.kubeletVersion);
    } finally {
      if (timer) this.scheduler.clearTimer(timer);
    }
  }

  private recordReadiness(up: boolean): void {
    if (this.wasReady === up || !this.node) return;
    this.wasReady = up;
    this.deps.recorder?.event(this.node, 'Normal', up ? 'NodeReady' : 'NodeNotReady', `Node ${this.deps.nodeName} status is now: ${up ? 'NodeReady' : 'NodeNotReady'}`);
  }

  private async register(status: NonNullable<Node['status']>, up: boolean, message: string | undefined, now: Date): Promise<Node> {
    const { client, nodeName } = this.deps;
    const labels = {
      'kubernetes.io/hostname': nodeName,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': status.nodeInfo?.architecture ?? 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': status.nodeInfo?.architecture ?? 'amd64',
      'node-role.kubernetes.io/control-plane': '',
    };
    try {
      const existing = await client.nodes.get(nodeName);
      status.conditions = nodeConditions(up, existing.status?.conditions, now, message);
      const merged: Node = { ...existing, metadata: { ...existing.metadata, labels: { ...(existing.metadata.labels ?? {}), ...labels } } };
      const updated = await client.nodes.update(merged);
      return await client.nodes.updateStatus({ ...updated, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    status.conditions = nodeConditions(up, undefined, now, message);
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels }, spec: {}, status };
    try {
      const created = await client.nodes.create(node);
      // The server keeps a node's status on create; write it again when it did not.
      return created.status?.conditions?.length ? created : await client.nodes.updateStatus({ ...created, status });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return this.register(status, up, message, now);
    }
  }
}
