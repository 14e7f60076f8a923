// DockerRuntime: the ContainerRuntime on the Docker Engine API (dockerode), the one module of
// jobyard that talks to the engine. Works against DOCKER_HOST or /var/run/docker.sock
// (Podman's Docker-compatible socket too).
//
// How it maps the pod model onto Docker, as the kubelet's dockershim did:
// - a sandbox is a pause container (jobyard/pause:latest, built in-process from a static
//   busybox when missing) on the `bridge` network, with the pod hostname, DNS, published
//   ports, `IpcMode: shareable`, and the pod's runtime volumes mounted under
//   /jobyard/volumes/<name> so their tmpfs lives as long as the pod;
// - containers join it with `NetworkMode/IpcMode: container:<sandbox>` (one network
//   namespace: localhost is shared, the hostname is the pod's);
// - a singleContainer sandbox has no pause container: its one container gets the network,
//   hostname, ports and cgroup itself (sandbox-config.ts, InlineSandboxes);
// - names are dockershim's `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` (sandbox:
//   `k8s_POD_...`), labels the kubelet's (io.kubernetes.*), annotations stored as
//   `annotation.<key>` labels;
// - logs use the json-file driver with the kubelet's rotation defaults (10Mi × 5);
// - files inside containers are read through the archive API (`GET/HEAD
//   /containers/{id}/archive`), which works for running and exited containers alike, for
//   local and remote engines, without root on the host. Cost: a wildcard search streams the
//   directory it starts from, and a read streams the file up to the requested range.
//   `containerLogInfo` gives the json-file LogPath, the overlay2 UpperDir and mount sources,
//   so the log collectors on a local engine read host files directly (O(new bytes) tailing).
// Engine facts this relies on (Docker 20.10, cgroup v1): an OOM kill sets State.OOMKilled
// (also when only a child process was killed; the exit code is then the main process's),
// but only when containerd's OOM event reached dockerd before the exit event. The two race,
// so the runtime also remembers the `oom` events it passes on (see `oomKilled`);
//
// One part per service of the runtime interface, each in a file named for what it owns,
// all sharing one DockerEngine (engine.ts: the dockerode client and what the runtime remembers):
// sandboxes.ts and containers.ts (RuntimeService), images.ts (ImageService, and the pause
// image), volumes.ts (VolumeService), streaming.ts (StreamingService), files-and-logs.ts
// (LogAndFileService); status.ts maps inspect data to the interface's statuses.
// Every engine call is tracked with its start time and bounded in number (engine.ts wraps
// dockerode's dial), for the kubelet's health check (agent/runtime-health.ts).
import type { Duplex, Writable } from 'node:stream';
import type Docker from 'dockerode';
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
import type { TarEntry } from '../tar.js';
import { DockerContainers } from './containers.js';
import { DockerEngine } from './engine.js';
import { EngineOperations, type EngineOperation, type PhaseLock } from '../engine-operations.js';
import { DockerFilesAndLogs } from './files-and-logs.js';
import { DockerImages } from './images.js';
import { DEFAULT_PAUSE_IMAGE, STATIC_BUSYBOX_CANDIDATES } from './pause-image.js';
import { InlineSandboxes } from './sandbox-config.js';
import { DockerSandboxes } from './sandboxes.js';
import { dockerContainerStats } from './stats.js';
import { DockerStreaming } from './streaming.js';
import { DockerVolumes } from './volumes.js';

export { SANDBOX_VOLUME_ROOT } from './volumes.js';

export interface DockerRuntimeOptions {
  /** A dockerode client, or its options; default: DOCKER_HOST or /var/run/docker.sock. */
  docker?: Docker | Docker.DockerOptions;
  /** Image of pod sandboxes; built from a static busybox when missing. */
  pauseImage?: string;
  /** Where to look for a static busybox to build the pause image from. */
  staticBusyboxPaths?: string[];
  /** Network of pod sandboxes (default "bridge"). */
  network?: string;
  /** The most engine calls at once; the rest queue (engine-operations.ts). @defaultValue 8 */
  maxConcurrentOperations?: number;
  /** Finished engine calls and network-sandbox lock holds kept for inspection (tests). @defaultValue 0 */
  operationHistory?: number;
}

export class DockerRuntime implements ContainerRuntime {
  readonly docker: Docker;
  readonly pauseImage: string;
  /** Every engine call, tracked and bounded. */
  readonly engineOperations: EngineOperations;
  /** Network sandbox creates and destroys, kept apart (Docker 20.10's libnetwork deadlock). */
  readonly networkSandboxes: PhaseLock;
  private readonly sandboxes: DockerSandboxes;
  private readonly containers: DockerContainers;
  private readonly images: DockerImages;
  private readonly volumes: DockerVolumes;
  private readonly streaming: DockerStreaming;
  private readonly files: DockerFilesAndLogs;
  private readonly engine: DockerEngine;

  constructor(options: DockerRuntimeOptions = {}) {
    const history = options.operationHistory ?? 0;
    const engine = new DockerEngine(
      options.docker,
      new EngineOperations({ ...(options.maxConcurrentOperations ? { maxConcurrent: options.maxConcurrentOperations } : {}), historySize: history }),
    );
    engine.networkSandboxes.historySize = history;
    this.engine = engine;
    this.docker = engine.docker;
    this.engineOperations = engine.operations;
    this.networkSandboxes = engine.networkSandboxes;
    this.pauseImage = options.pauseImage ?? DEFAULT_PAUSE_IMAGE;
    this.images = new DockerImages(engine, this.pauseImage, options.staticBusyboxPaths ?? STATIC_BUSYBOX_CANDIDATES);
    this.volumes = new DockerVolumes(engine, (id, cmd) => this.streaming.execSync(id, cmd, 30_000));
    const network = options.network ?? 'bridge';
    const inline = new InlineSandboxes();
    this.containers = new DockerContainers(engine, this.images, this.volumes, inline, network);
    this.sandboxes = new DockerSandboxes(engine, this.images, this.containers, inline, network);
    this.streaming = new DockerStreaming(engine, (id) => this.sandboxes.podSandboxStatus(id));
    this.files = new DockerFilesAndLogs(engine);
  }

  info(): Promise<RuntimeInfo> {
    return this.containers.info();
  }
  operations(): EngineOperation[] {
    return this.engineOperations.inFlight();
  }

  // RuntimeService: sandboxes
  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.sandboxes.runPodSandbox(config);
  }
  stopPodSandbox(id: string): Promise<void> {
    return this.sandboxes.stopPodSandbox(id);
  }
  removePodSandbox(id: string): Promise<void> {
    return this.sandboxes.removePodSandbox(id);
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
  startContainer(id: string): Promise<void> {
    return this.containers.startContainer(id);
  }
  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.containers.stopContainer(id, graceSeconds);
  }
  removeContainer(id: string): Promise<void> {
    return this.containers.removeContainer(id);
  }
  containerStatus(id: string): Promise<ContainerStatus> {
    return this.containers.containerStatus(id);
  }
  listContainers(filter?: ContainerFilter): Promise<ContainerSummary[]> {
    return this.containers.listContainers(filter);
  }
  containerStats(id: string): Promise<ContainerStats> {
    return dockerContainerStats(this.engine, id);
  }
  waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    return this.containers.waitContainer(id, signal);
  }
  events(options?: EventsOptions): AsyncIterable<ContainerEvent> {
    return this.containers.events(options);
  }

  // ImageService, and what building images needs
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
  /** Builds an image from files (docker import); `changes` are Dockerfile instructions (ENTRYPOINT, ENV...). */
  importImage(ref: string, files: TarEntry[], changes?: string[]): Promise<ImageStatus> {
    return this.images.importImage(ref, files, changes);
  }
  /** Adds a name to an image (docker tag). */
  tagImage(source: string, target: string): Promise<void> {
    return this.images.tagImage(source, target);
  }
  /** Pushes an image to its registry (docker push). */
  pushImage(ref: string, auth?: RegistryAuth): Promise<void> {
    return this.images.pushImage(ref, auth);
  }
  /** Makes sure the pause image exists, importing it from a static busybox when it does not. */
  ensurePauseImage(): Promise<void> {
    return this.images.ensurePauseImage();
  }

  // VolumeService
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

  // StreamingService
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

  // LogAndFileService
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
