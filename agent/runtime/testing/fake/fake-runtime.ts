// FakeRuntime: an in-memory, deterministic ContainerRuntime for controller and agent tests.
//
// What a container "does" is a FakeProgram, a function a test registers for a command
// (`runtime.program(['/bin/app'], async (p) => { p.out('hi'); return p.exit(3); })`) or for a
// container by name; unmatched commands run `defaultProgram` (exit 0 at once). Programs see
// their argv, env, hostname, files (image files, volumes, bind mounts, synthetic cgroup
// files), stdin, signals, a loopback network shared by the pod, and a memory counter that the
// memory limit turns into an OOM kill. Time is virtual (a FakeClock): grace periods, exec
// timeouts and `p.sleep` wait on it, advanced by the test (`advance(ms)`) or automatically
// (`autoAdvance`, the default) when nothing else can run.
//
// Scripting failures: `failNext('pullImage', new RuntimeError('ErrImagePull', '...'))`,
// `addRegistryImage(ref, { auth })` for private images, `exitContainer(id, code)`,
// `oomKill(id)`. `calls` records every operation for assertions. A stuck engine: `hang()`
// (every RuntimeService and ImageService call, or only the named ones) holds calls until the
// `resume` it returns is called; meanwhile `operations()` lists them with their start time
// on the fake clock, as the Docker runtime lists its engine calls.
//
// The parts, one per service of the runtime interface, share one FakeNode (node.ts: the
// state): sandboxes.ts and containers.ts (RuntimeService), images.ts, volumes.ts, streaming.ts,
// files-and-logs.ts; processes.ts runs programs, container-fs.ts is what a container sees of files.
import type { Duplex, Writable } from 'node:stream';
import { FakeClock } from '../../../../machinery/index.js';
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
  ExecResult,
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
} from '../../container-runtime.js';
import type { EngineOperation } from '../../engine-operations.js';
import { VirtualTime } from './virtual-time.js';
import type { FakeProgram, ProgramMatcher, FakeImageSpec, FakeOp, FakeCall, FakeRuntimeOptions } from './types.js';
import { FakeNode } from './node.js';
import { FakeContainerFS } from './container-fs.js';
import { FakeProcesses } from './processes.js';
import { FakeImages } from './images.js';
import { FakeContainers } from './containers.js';
import { FakeSandboxes } from './sandboxes.js';
import { FakeVolumes } from './volumes.js';
import { FakeStreaming } from './streaming.js';
import { FakeFilesAndLogs } from './files-and-logs.js';

export type { FakeCall, FakeImageSpec, FakeOp, FakeProcess, FakeProgram, FakeRuntimeOptions, ProgramContext, ProgramMatcher } from './types.js';

export class FakeRuntime implements ContainerRuntime {
  readonly clock: FakeClock;
  readonly time: VirtualTime;
  /** Every operation, in order. */
  readonly calls: FakeCall[];
  /** Files on the fake node, for `bind` mounts (path → contents). */
  readonly hostFiles: Map<string, string | Buffer>;

  private readonly node: FakeNode;
  private readonly sandboxes: FakeSandboxes;
  private readonly containers: FakeContainers;
  private readonly images: FakeImages;
  private readonly volumes: FakeVolumes;
  private readonly streaming: FakeStreaming;
  private readonly files: FakeFilesAndLogs;
  private readonly inFlight = new Set<EngineOperation>();
  private hung: { ops: ReadonlySet<string> | undefined; released: Promise<void> } | undefined;

  constructor(opts: FakeRuntimeOptions = {}) {
    const node = new FakeNode(opts);
    this.node = node;
    this.clock = node.clock;
    this.time = node.time;
    this.calls = node.calls;
    this.hostFiles = node.hostFiles;
    const fs = new FakeContainerFS(node);
    const processes = new FakeProcesses(node, fs);
    this.images = new FakeImages(node);
    this.volumes = new FakeVolumes(node);
    this.containers = new FakeContainers(node, this.images, processes);
    this.sandboxes = new FakeSandboxes(node, this.containers);
    this.streaming = new FakeStreaming(node, processes);
    this.files = new FakeFilesAndLogs(node, fs);
  }

  // ------------------------------------------------------------------ scripting

  /** Makes an image present locally; returns its id. */
  addImage(ref: string, spec: FakeImageSpec = {}): string {
    return this.images.addImage(ref, spec);
  }

  /** Makes an image pullable; with `auth`, only with those credentials. Returns its digest. */
  addRegistryImage(ref: string, spec: FakeImageSpec & { auth?: { username: string; password: string } } = {}): string {
    return this.images.addRegistryImage(ref, spec);
  }

  /** Registers what a command does; later registrations win. */
  program(match: ProgramMatcher, program: FakeProgram): void {
    this.node.programs.unshift({ match, program });
  }

  /** The next `times` calls of `op` (whose target matches) fail with `error`. */
  failNext(op: FakeOp, error: Error | (() => Error), options: { match?: (target: string) => boolean; times?: number } = {}): void {
    this.node.failures.push({ op, error: typeof error === 'function' ? error : () => error, match: options.match, times: options.times ?? 1 });
  }

  /** Ends a running container's main process with `code`. */
  exitContainer(id: string, code: number): void {
    const c = this.node.mustContainer(id);
    if (c.state === 'running') this.node.finish(c, code, false);
  }

  /** The kernel OOM-kills a running container (exit 137, OOMKilled). */
  oomKill(id: string): void {
    const c = this.node.mustContainer(id);
    if (c.state === 'running') this.node.finish(c, 137, true);
  }

  /**
   * The engine learns of an OOM kill only after it reported the exit (Docker: containerd's
   * TaskOOM after TaskExit): the exited container becomes OOMKilled and an `oom` event follows.
   */
  lateOom(id: string): void {
    const c = this.node.mustContainer(id);
    if (c.state !== 'exited' || c.oomKilled) return;
    c.oomKilled = true;
    this.node.emit('oom', c.id, 'container', c.labels);
  }

  /** Moves virtual time forward, firing due timers (grace periods, exec timeouts, sleeps). */
  advance(ms: number): Promise<void> {
    return this.time.advance(ms);
  }

  /** Ids of containers (not sandboxes) currently known, for tests. */
  containerIds(): string[] {
    return [...this.node.containers.values()].filter((c) => c.type === 'container').map((c) => c.id);
  }

  /**
   * The engine stops answering: calls of `ops` (default: every RuntimeService and ImageService
   * call) wait until `resume()`, listed by `operations()` meanwhile.
   */
  hang(ops?: (FakeOp | 'info' | 'listPodSandboxes' | 'listContainers' | 'containerStatus' | 'podSandboxStatus' | 'imageStatus' | 'listImages')[]): () => void {
    let resume!: () => void;
    const released = new Promise<void>((r) => (resume = r));
    const hung = { ops: ops ? new Set<string>(ops) : undefined, released };
    this.hung = hung;
    return () => {
      if (this.hung === hung) this.hung = undefined;
      resume();
    };
  }

  operations(): EngineOperation[] {
    return [...this.inFlight].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }

  private async op<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const op: EngineOperation = { name, startedAt: this.clock.now() };
    this.inFlight.add(op);
    try {
      const hung = this.hung;
      if (hung && (!hung.ops || hung.ops.has(name))) await hung.released;
      return await fn();
    } finally {
      this.inFlight.delete(op);
    }
  }

  // ------------------------------------------------------------------ RuntimeService

  info(): Promise<RuntimeInfo> {
    return this.op('info', () => this.sandboxes.info());
  }
  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.op('runPodSandbox', () => this.sandboxes.runPodSandbox(config));
  }
  stopPodSandbox(id: string): Promise<void> {
    return this.op('stopPodSandbox', () => this.sandboxes.stopPodSandbox(id));
  }
  removePodSandbox(id: string): Promise<void> {
    return this.op('removePodSandbox', () => this.sandboxes.removePodSandbox(id));
  }
  podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return this.op('podSandboxStatus', () => this.sandboxes.podSandboxStatus(id));
  }
  listPodSandboxes(filter?: SandboxFilter): Promise<PodSandboxStatus[]> {
    return this.op('listPodSandboxes', () => this.sandboxes.listPodSandboxes(filter));
  }
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return this.op('createContainer', () => this.containers.createContainer(sandboxId, config));
  }
  startContainer(id: string): Promise<void> {
    return this.op('startContainer', () => this.containers.startContainer(id));
  }
  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.op('stopContainer', () => this.containers.stopContainer(id, graceSeconds));
  }
  removeContainer(id: string): Promise<void> {
    return this.op('removeContainer', () => this.containers.removeContainer(id));
  }
  containerStatus(id: string): Promise<ContainerStatus> {
    return this.op('containerStatus', () => this.containers.containerStatus(id));
  }
  listContainers(filter?: ContainerFilter): Promise<ContainerSummary[]> {
    return this.op('listContainers', () => this.containers.listContainers(filter));
  }
  waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    return this.containers.waitContainer(id, signal);
  }
  containerStats(id: string): Promise<ContainerStats> {
    return this.containers.containerStats(id);
  }
  events(options?: EventsOptions): AsyncIterable<ContainerEvent> {
    return this.containers.events(options);
  }

  // ------------------------------------------------------------------ ImageService

  pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus> {
    return this.op('pullImage', () => this.images.pullImage(ref, auth));
  }
  imageStatus(ref: string): Promise<ImageStatus | undefined> {
    return this.op('imageStatus', () => this.images.imageStatus(ref));
  }
  listImages(): Promise<ImageSummary[]> {
    return this.op('listImages', () => this.images.listImages());
  }
  removeImage(ref: string): Promise<void> {
    return this.op('removeImage', () => this.images.removeImage(ref));
  }

  // ------------------------------------------------------------------ VolumeService

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

  // ------------------------------------------------------------------ StreamingService

  execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    return this.streaming.execSync(id, cmd, timeoutMs);
  }
  attachStdin(id: string): Promise<Writable> {
    return this.streaming.attachStdin(id);
  }
  portForward(podSandboxId: string, port: number): Promise<Duplex> {
    return this.streaming.portForward(podSandboxId, port);
  }

  // ------------------------------------------------------------------ LogAndFileService

  containerLogs(id: string, options?: LogOptions): AsyncIterable<LogLine> {
    return this.files.containerLogs(id, options);
  }
  statFiles(id: string, pattern: string): Promise<FileInfo[]> {
    return this.files.statFiles(id, pattern);
  }
  /** The env the process sees; no host paths (a fake has no host): collectors read through the API. */
  containerLogInfo(id: string): Promise<ContainerLogInfo> {
    return this.files.containerLogInfo(id);
  }
  readFile(id: string, path: string, options?: ReadFileOptions): Promise<Buffer> {
    return this.files.readFile(id, path, options);
  }
}
