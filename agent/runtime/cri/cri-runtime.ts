// CriRuntime: the ContainerRuntime over the Kubernetes CRI (runtime.v1, gRPC on a unix socket),
// the way every Kubernetes node since 1.24 runs pods: jobyard's own containerd (its CRI plugin,
// scripts/containerd.sh) by default; CRI-O speaks the same API (untested here).
//
// How the pod model maps onto the CRI, as the kubelet's kuberuntime does:
// - a sandbox is RunPodSandbox (the runtime's pause container and CNI network), with the
//   kubelet's labels (io.kubernetes.*, jobyard.io/managed) so adoption and orphan cleanup find
//   ours, and log_directory `<logRoot>/<ns>_<name>_<uid>` (sandboxes.ts);
// - containers are CreateContainer in it, log_path `<name>/<attempt>.log` (CRI log format),
//   command/args applied over the image by the runtime (containers.ts);
// - volumes are host directories bound into containers (volumes.ts, cri-host's HostVolumes);
// - exec/attach/port-forward go through the runtime's streaming server (streaming.ts);
// - events come from a relist each second (events.ts: containerd 1.6 has no event stream);
// - stats from ContainerStats (stats.ts); images from the ImageService (images.ts).
// Every call is tracked by EngineOperations (client.ts), for the node's health check.
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import type { Duplex, Writable } from 'node:stream';
import type {
  ContainerConfig,
  ContainerEvent,
  ContainerFilter,
  ContainerLogInfo,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ContainerSummary,
  EventsOptions,
  ExecOptions,
  ExecResult,
  ExecSession,
  FileInfo,
  ImageStatus,
  ImageSummary,
  LogLine,
  LogOptions,
  Mount,
  PodSandboxConfig,
  PodSandboxStatus,
  ReadFileOptions,
  RegistryAuth,
  RuntimeInfo,
  SandboxFilter,
  VolumeConfig,
  VolumeDataSwap,
  VolumeFile,
  VolumeStatus,
} from '../container-runtime.js';
import { EngineOperations, type EngineOperation } from '../engine-operations.js';
import { RuntimeError } from '../runtime-error.js';
import { connectCri, DEFAULT_CRI_ENDPOINT, type CriClient } from './client.js';
import { CriContainers } from './containers.js';
import { DEFAULT_CRI_LOG_ROOT, DEFAULT_CRI_VOLUME_ROOT, type CriContext } from './context.js';
import { criEvents } from './events.js';
import { CriFilesAndLogs } from './files-and-logs.js';
import { CriImages } from './images.js';
import { CriSandboxes } from './sandboxes.js';
import { criContainerStats } from './stats.js';
import { CriStreaming } from './streaming.js';
import { CriVolumes } from './volumes.js';

export interface CriRuntimeOptions {
  /** The kubelet's --container-runtime-endpoint. @defaultValue unix:///run/jobyard/containerd/containerd.sock */
  endpoint?: string;
  /** Pod log directories. @defaultValue /var/log/jobyard/pods */
  logRoot?: string;
  /** Pod volume directories. @defaultValue /var/lib/jobyard/cri/volumes */
  volumeRoot?: string;
  /** The most CRI calls at once; the rest queue. @defaultValue 8 */
  maxConcurrentOperations?: number;
  /** Finished calls kept for inspection (tests). @defaultValue 0 */
  operationHistory?: number;
  /** Deadline of calls that set none. @defaultValue 2 min (the kubelet's --runtime-request-timeout) */
  requestTimeoutMs?: number;
}

/** Go's GOARCH names of Node's, as the node reports them (Docker says x86_64: uname -m). */
function machine(): string {
  return typeof os.machine === 'function' ? os.machine() : os.arch();
}

async function prettyOs(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? os.type();
}

export class CriRuntime implements ContainerRuntime {
  readonly client: CriClient;
  readonly engineOperations: EngineOperations;
  readonly context: CriContext;
  private readonly sandboxes: CriSandboxes;
  private readonly containers: CriContainers;
  private readonly images: CriImages;
  private readonly volumes: CriVolumes;
  private readonly streaming: CriStreaming;
  private readonly files: CriFilesAndLogs;
  /** An empty read-only directory: what a `tmpfs` mask mount becomes (the CRI mounts only binds). */
  private readonly emptyDir: string;

  constructor(options: CriRuntimeOptions = {}) {
    const operations = new EngineOperations({
      ...(options.maxConcurrentOperations ? { maxConcurrent: options.maxConcurrentOperations } : {}),
      historySize: options.operationHistory ?? 0,
    });
    this.client = connectCri(options.endpoint ?? DEFAULT_CRI_ENDPOINT, { operations, ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}) });
    this.engineOperations = operations;
    this.context = {
      runtime: this.client.runtime,
      images: this.client.images,
      operations,
      endpoint: this.client.endpoint,
      logRoot: options.logRoot ?? DEFAULT_CRI_LOG_ROOT,
      volumeRoot: options.volumeRoot ?? DEFAULT_CRI_VOLUME_ROOT,
    };
    this.emptyDir = join(this.context.volumeRoot, '.empty');
    this.sandboxes = new CriSandboxes(this.context);
    this.volumes = new CriVolumes(this.context);
    this.containers = new CriContainers(this.context, this.sandboxes, (m) => this.hostMount(m));
    this.images = new CriImages(this.context);
    this.streaming = new CriStreaming(this.context);
    this.files = new CriFilesAndLogs(this.context);
  }

  /** Closes the gRPC channel (the runtime's containers keep running). */
  close(): void {
    this.client.close();
  }

  async info(): Promise<RuntimeInfo> {
    const [version, status, operatingSystem] = await Promise.all([
      this.context.runtime.Version({ version: '' }, { reason: 'RuntimeUnavailable' }),
      this.context.runtime.Status({ verbose: true }, { reason: 'RuntimeUnavailable' }),
      prettyOs(),
    ]);
    // The kubelet's runtime state: a runtime that says it is not ready is as good as down (its health check).
    const runtimeReady = status.status?.conditions.find((c) => c.type === 'RuntimeReady');
    if (!runtimeReady?.status) {
      const what = runtimeReady ? `RuntimeReady=false reason:${runtimeReady.reason} message:${runtimeReady.message}` : 'no RuntimeReady condition';
      throw new RuntimeError('RuntimeUnavailable', `container runtime not ready: ${what}`);
    }
    let config: { containerd?: { snapshotter?: string; runtimes?: Record<string, { options?: { SystemdCgroup?: boolean } | null }> } } = {};
    try {
      config = JSON.parse(status.info?.config ?? '{}') as typeof config;
    } catch {
      config = {};
    }
    const systemd = Object.values(config.containerd?.runtimes ?? {}).some((r) => r.options?.SystemdCgroup === true);
    const v2 = await readFile('/sys/fs/cgroup/cgroup.controllers').then(
      () => true,
      () => false,
    );
    return {
      runtimeName: version.runtime_name,
      runtimeVersion: version.runtime_version,
      apiVersion: version.runtime_api_version,
      cpus: os.cpus().length,
      memoryBytes: os.totalmem(),
      cgroupVersion: v2 ? '2' : '1',
      cgroupDriver: systemd ? 'systemd' : 'cgroupfs',
      storageDriver: config.containerd?.snapshotter ?? '',
      kernelVersion: os.release(),
      operatingSystem,
      architecture: machine(),
    };
  }
  operations(): EngineOperation[] {
    return this.engineOperations.inFlight();
  }

  /** A container's mount as the CRI takes it: a host path (volumes are directories on this host). */
  private async hostMount(m: Mount): Promise<Mount> {
    if (m.type === 'volume') {
      return { type: 'bind', source: await this.volumes.hostPathOf(m.source, m.subPath), target: m.target, ...(m.readOnly ? { readOnly: true } : {}) };
    }
    if (m.type === 'tmpfs') {
      // Masks over parts of a hostPath volume (volume-manager.ts): an empty read-only directory hides them as well.
      mkdirSync(this.emptyDir, { recursive: true, mode: 0o555 });
      return { type: 'bind', source: this.emptyDir, target: m.target, readOnly: true };
    }
    return m;
  }

  // RuntimeService: sandboxes
  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.sandboxes.runPodSandbox(config);
  }
  stopPodSandbox(id: string): Promise<void> {
    return this.sandboxes.stopPodSandbox(id);
  }
  async removePodSandbox(id: string): Promise<void> {
    const logs = await this.files.podLogsOf(id);
    await this.sandboxes.removePodSandbox(id);
    if (logs) await this.files.removePodLogs(logs);
  }
  podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return this.sandboxes.podSandboxStatus(id);
  }
  listPodSandboxes(filter?: SandboxFilter): Promise<PodSandboxStatus[]> {
    return this.sandboxes.listPodSandboxes(filter);
  }

  // RuntimeService: containers
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return this.containers.createContainer(sandboxId, config);
  }
  async startContainer(id: string): Promise<void> {
    try {
      await this.containers.startContainer(id);
    } catch (err) {
      this.streaming.containerStarted(id, err as Error);
      throw err;
    }
    this.streaming.containerStarted(id);
  }
  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.containers.stopContainer(id, graceSeconds);
  }
  async removeContainer(id: string): Promise<void> {
    const logPath = await this.files.containerLogPathOf(id);
    await this.containers.removeContainer(id);
    if (logPath) await this.files.removeContainerLogs(logPath);
  }
  containerStatus(id: string): Promise<ContainerStatus> {
    return this.containers.containerStatus(id);
  }
  listContainers(filter?: ContainerFilter): Promise<ContainerSummary[]> {
    return this.containers.listContainers(filter);
  }
  containerStats(id: string): Promise<ContainerStats> {
    return criContainerStats(this.context, id);
  }
  waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    return this.containers.waitContainer(id, signal);
  }
  events(options?: EventsOptions): AsyncIterable<ContainerEvent> {
    return criEvents(this.context, options);
  }

  // ImageService
  pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus> {
    return this.images.pullImage(ref, auth);
  }
  imageStatus(ref: string): Promise<ImageStatus | undefined> {
    return this.images.imageStatus(ref);
  }
  listImages(): Promise<ImageSummary[]> {
    return this.images.listImages();
  }
  removeImage(ref: string): Promise<void> {
    return this.images.removeImage(ref);
  }

  // VolumeService: host directories (cri-host's HostVolumes)
  createVolume(config: VolumeConfig): Promise<void> {
    return this.volumes.createVolume(config);
  }
  removeVolume(name: string): Promise<void> {
    return this.volumes.removeVolume(name);
  }
  listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]> {
    return this.volumes.listVolumes(labels);
  }
  writeVolumeFiles(sandboxId: string, volume: string, files: VolumeFile[]): Promise<void> {
    return this.volumes.writeVolumeFiles(sandboxId, volume, files);
  }
  swapVolumeData(sandboxId: string, volume: string, swap: VolumeDataSwap): Promise<void> {
    return this.volumes.swapVolumeData(sandboxId, volume, swap);
  }

  // StreamingService: the runtime's streaming server
  execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    return this.streaming.execSync(id, cmd, timeoutMs);
  }
  exec(id: string, cmd: string[], options: ExecOptions): Promise<ExecSession> {
    return this.streaming.exec(id, cmd, options);
  }
  attach(id: string, options: ExecOptions): Promise<ExecSession> {
    return this.streaming.attach(id, options);
  }
  attachStdin(id: string): Promise<Writable> {
    return this.streaming.attachStdin(id);
  }
  portForward(podSandboxId: string, port: number): Promise<Duplex> {
    return this.streaming.portForward(podSandboxId, port);
  }

  // LogAndFileService: the CRI log files and the container's filesystem on the host (cri-host's CriFilesAndLogs)
  containerLogs(id: string, options?: LogOptions): AsyncIterable<LogLine> {
    return this.files.containerLogs(id, options);
  }
  statFiles(id: string, pattern: string): Promise<FileInfo[]> {
    return this.files.statFiles(id, pattern);
  }
  readFile(id: string, path: string, options?: ReadFileOptions): Promise<Buffer> {
    return this.files.readFile(id, path, options);
  }
  containerLogInfo(id: string): Promise<ContainerLogInfo> {
    return this.files.containerLogInfo(id);
  }
}
