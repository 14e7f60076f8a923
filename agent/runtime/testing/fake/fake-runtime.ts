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
// `oomKill(id)`. `calls` records every operation for assertions.
import { Writable } from 'node:stream';
import { FakeClock } from '../../../../machinery/index.js';
import { AsyncQueue } from '../../async-queue.js';
import {
  ANNOTATION_LABEL_PREFIX,
  LABEL_CONTAINER_NAME,
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_SANDBOX_ID,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerEventType,
  type ContainerExitReason,
  type ContainerFilter,
  type ContainerLogInfo,
  type ContainerRuntime,
  type ContainerState,
  type ContainerStatus,
  type ContainerSummary,
  type ContainerType,
  type EventsOptions,
  type ExecResult,
  type FileInfo,
  type ImageConfig,
  type ImageStatus,
  type ImageSummary,
  type KeyValue,
  type LogLine,
  type LogOptions,
  type LogStreamName,
  type Mount,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type ReadFileOptions,
  type RegistryAuth,
  type RuntimeInfo,
  type SandboxFilter,
  type VolumeConfig,
  type VolumeFile,
  type VolumeStatus,
} from '../../container-runtime.js';
import { parseImageReference, type ImageReference } from '../../image-reference.js';
import { formatTimestamp, LogLineFilter } from '../../log-lines.js';
import { matchPathGlob } from '../../path-glob.js';
import { mergeEnv, resolveCommand } from '../../resolve-command.js';
import { RuntimeError } from '../../runtime-error.js';
import { VirtualTime, settle } from './virtual-time.js';

/** What a fake process can see and do. */
export interface FakeProcess {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir: string;
  readonly hostname: string;
  readonly tty: boolean;
  readonly containerName: string;
  readonly podName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Whether this is an exec'd process rather than the container's main one. */
  readonly isExec: boolean;
  write(stream: LogStreamName, text: string): void;
  /** Writes text + "\n" to stdout. */
  out(text: string): void;
  /** Writes text + "\n" to stderr. */
  err(text: string): void;
  /** Ends the process with this code (later writes are dropped). */
  exit(code: number): void;
  /** Handler for SIGTERM/SIGINT. Without one, PID 1 ignores SIGTERM (as in a container). */
  onSignal(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
  /** Never resolves: the process runs until it is signalled, killed or exits. */
  forever(): Promise<never>;
  /** Waits in virtual time. */
  sleep(ms: number): Promise<void>;
  /** Next stdin line without "\n"; undefined at end of input. */
  readLine(): Promise<string | undefined>;
  readFile(path: string): string | undefined;
  readBytes(path: string): Buffer | undefined;
  /** Throws "No space left on device" when a Memory volume's size limit would be exceeded. */
  writeFile(path: string, data: string | Buffer, mode?: number): void;
  appendFile(path: string, data: string): void;
  exists(path: string): boolean;
  /** Resolves once the file exists. */
  waitForFile(path: string): Promise<void>;
  /** Serves `port` on the pod's network namespace. */
  listen(port: number, handler: (request: string) => string | Promise<string>): void;
  /** Sends a request to a listener on localhost or the pod IP; throws "connection refused". */
  request(host: string, port: number, request: string): Promise<string>;
  /** Uses memory; past the container's memory limit the kernel OOM-kills the container. */
  allocate(bytes: number): void;
}

export type FakeProgram = (p: FakeProcess) => void | Promise<void>;

/** What a program matcher sees. */
export interface ProgramContext {
  argv: readonly string[];
  image: string;
  containerName: string;
  podName: string;
  labels: Readonly<Record<string, string>>;
  isExec: boolean;
}

export type ProgramMatcher = readonly string[] | ((ctx: ProgramContext) => boolean);

export interface FakeImageSpec {
  config?: ImageConfig;
  sizeBytes?: number;
  /** Files of the image. When given, a command whose executable is not among them fails to start. */
  files?: Record<string, string | { data: string | Buffer; mode?: number }>;
}

export type FakeOp =
  | 'runPodSandbox'
  | 'stopPodSandbox'
  | 'removePodSandbox'
  | 'pullImage'
  | 'createContainer'
  | 'startContainer'
  | 'stopContainer'
  | 'removeContainer'
  | 'execSync'
  | 'createVolume'
  | 'writeVolumeFiles';

export interface FakeCall {
  op: FakeOp | 'imageStatus' | 'removeImage' | 'removeVolume';
  /** Container/sandbox id, image ref or volume name. */
  target?: string;
  detail?: unknown;
}

export interface FakeRuntimeOptions {
  clock?: FakeClock;
  /** Advance virtual time by itself when every program waits on it (default true). */
  autoAdvance?: boolean;
  cpus?: number;
  memoryBytes?: number;
  /** Program for commands nobody registered (default: exit 0 at once). */
  defaultProgram?: FakeProgram;
}

interface FakeFile {
  type: 'file' | 'directory' | 'symlink';
  data: Buffer;
  mode: number;
  mtime: Date;
  linkTarget?: string;
}

interface FakeImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  sizeBytes: number;
  config: ImageConfig;
  files?: Map<string, FakeFile>;
  /** Normalized names this image answers to. */
  normalized: Set<string>;
}

interface RegistryImage {
  ref: ImageReference;
  digest: string;
  spec: FakeImageSpec;
  auth?: { username: string; password: string };
}

interface FakeVolume {
  config: VolumeConfig;
  files: Map<string, FakeFile>;
  /** Running containers that mount it: a Memory volume empties when the last one stops. */
  mountedBy: Set<string>;
}

interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: 'ready' | 'notready';
  createdAt: Date;
  ip: string;
  labels: Record<string, string>;
  /** The pod's network namespace: port → handler and the container serving it. */
  listeners: Map<number, { handler: (req: string) => string | Promise<string>; owner: string }>;
}

interface FakeContainer {
  id: string;
  type: ContainerType;
  sandboxId: string;
  config: ContainerConfig;
  imageId: string;
  imageRef: string;
  imageFiles?: Map<string, FakeFile>;
  state: ContainerState;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  exitCode?: number;
  oomKilled: boolean;
  message?: string;
  labels: Record<string, string>;
  argv: string[];
  env: KeyValue[];
  workingDir: string;
  layer: Map<string, FakeFile>;
  logs: LogLine[];
  partial: Record<LogStreamName, string>;
  logWaiters: Set<() => void>;
  stdinBuf: string;
  stdinEOF: boolean;
  stdinWaiters: Set<() => void>;
  signalHandlers: Map<string, (() => void)[]>;
  exitWaiters: Set<() => void>;
  memoryUsed: number;
  pid?: number;
  run: number;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const UNLIMITED_MEMORY = '9223372036854771712';

function sha(n: number, salt: string): string {
  // Deterministic pseudo digests: the same sequence in every run.
  let h = 2166136261 ^ n;
  let out = '';
  const s = `${salt}:${n}`;
  for (let round = 0; out.length < 64; round++) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 2246822507) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

function labelsMatch(have: Record<string, string>, want: Record<string, string> | undefined): boolean {
  if (!want) return true;
  return Object.entries(want).every(([k, v]) => have[k] === v);
}

function toFile(v: string | Buffer | { data: string | Buffer; mode?: number }, mtime: Date): FakeFile {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return { type: 'file', data: Buffer.from(v), mode: 0o644, mtime };
  return { type: 'file', data: Buffer.from(v.data), mode: v.mode ?? 0o755, mtime };
}

function normalizePath(p: string): string {
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return '/' + out.join('/');
}

/**
 * A file of a volume by path, following symlinks inside the volume (the atomic writer's
 * `..data` and top-level links of configMap and secret volumes).
 */
function resolveInVolume(files: Map<string, FakeFile>, path: string, depth = 0): FakeFile | undefined {
  if (depth > 8) return undefined;
  const parts = normalizePath(path).split('/').filter(Boolean);
  let cur = '';
  for (let i = 0; i < parts.length; i++) {
    cur = `${cur}/${parts[i]}`;
    const f = files.get(cur);
    if (f?.type === 'symlink' && f.linkTarget !== undefined) {
      const base = cur.slice(0, cur.lastIndexOf('/'));
      const target = f.linkTarget.startsWith('/') ? f.linkTarget : `${base}/${f.linkTarget}`;
      return resolveInVolume(files, [target, ...parts.slice(i + 1)].join('/'), depth + 1);
    }
  }
  return files.get(normalizePath(path));
}

function splitLabels(all: Record<string, string>): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith(ANNOTATION_LABEL_PREFIX)) annotations[k.slice(ANNOTATION_LABEL_PREFIX.length)] = v;
    else labels[k] = v;
  }
  return { labels, annotations };
}

export class FakeRuntime implements ContainerRuntime {
  readonly clock: FakeClock;
  readonly time: VirtualTime;
  /** Every operation, in order. */
  readonly calls: FakeCall[] = [];
  /** Files on the fake node, for `bind` mounts (path → contents). */
  readonly hostFiles = new Map<string, string | Buffer>();

  private readonly opts: FakeRuntimeOptions;
  private readonly images = new Map<string, FakeImage>(); // by id
  private readonly registry: RegistryImage[] = [];
  private readonly volumes = new Map<string, FakeVolume>();
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly programs: { match: ProgramMatcher; program: FakeProgram }[] = [];
  private readonly failures: { op: FakeOp; error: () => Error; match?: (target: string) => boolean; times: number }[] = [];
  private readonly subscribers = new Set<{ queue: AsyncQueue<ContainerEvent>; labels?: Record<string, string> }>();
  private readonly fileWaiters = new Set<() => void>();
  /** Files of `tmpfs` mounts, per "containerId:target". */
  private readonly tmpfsFiles = new Map<string, Map<string, FakeFile>>();
  private seq = 0;
  private logSeq = 0;
  private nextIP = 2;

  constructor(opts: FakeRuntimeOptions = {}) {
    this.opts = opts;
    this.clock = opts.clock ?? new FakeClock();
    this.time = new VirtualTime(this.clock, opts.autoAdvance ?? true);
  }

  // ------------------------------------------------------------------ scripting

  /** Makes an image present locally; returns its id. */
  addImage(ref: string, spec: FakeImageSpec = {}): string {
    const r = parseImageReference(ref);
    for (const img of this.images.values()) img.normalized.delete(r.normalized);
    const id = `sha256:${sha(++this.seq, 'image')}`;
    this.images.set(id, this.makeImage(id, r, spec, undefined));
    return id;
  }

  /** Makes an image pullable; with `auth`, only with those credentials. Returns its digest. */
  addRegistryImage(ref: string, spec: FakeImageSpec & { auth?: { username: string; password: string } } = {}): string {
    const r = parseImageReference(ref);
    const digest = `sha256:${sha(++this.seq, 'manifest')}`;
    this.registry.push({ ref: r, digest, spec, auth: spec.auth });
    return digest;
  }

  /** Registers what a command does; later registrations win. */
  program(match: ProgramMatcher, program: FakeProgram): void {
    this.programs.unshift({ match, program });
  }

  /** The next `times` calls of `op` (whose target matches) fail with `error`. */
  failNext(op: FakeOp, error: Error | (() => Error), options: { match?: (target: string) => boolean; times?: number } = {}): void {
    this.failures.push({ op, error: typeof error === 'function' ? error : () => error, match: options.match, times: options.times ?? 1 });
  }

  /** Ends a running container's main process with `code`. */
  exitContainer(id: string, code: number): void {
    const c = this.mustContainer(id);
    if (c.state === 'running') this.finish(c, code, false);
  }

  /** The kernel OOM-kills a running container (exit 137, OOMKilled). */
  oomKill(id: string): void {
    const c = this.mustContainer(id);
    if (c.state === 'running') this.finish(c, 137, true);
  }

  /**
   * The engine learns of an OOM kill only after it reported the exit (Docker: containerd's
   * TaskOOM after TaskExit): the exited container becomes OOMKilled and an `oom` event follows.
   */
  lateOom(id: string): void {
    const c = this.mustContainer(id);
    if (c.state !== 'exited' || c.oomKilled) return;
    c.oomKilled = true;
    this.emit('oom', c.id, 'container', c.labels);
  }

  /** Moves virtual time forward, firing due timers (grace periods, exec timeouts, sleeps). */
  advance(ms: number): Promise<void> {
    return this.time.advance(ms);
  }

  /** Ids of containers (not sandboxes) currently known, for tests. */
  containerIds(): string[] {
    return [...this.containers.values()].filter((c) => c.type === 'container').map((c) => c.id);
  }

  // ------------------------------------------------------------------ runtime

  async info(): Promise<RuntimeInfo> {
    return {
      runtimeName: 'fake',
      runtimeVersion: '0.1.0',
      apiVersion: 'v1',
      cpus: this.opts.cpus ?? 4,
      memoryBytes: this.opts.memoryBytes ?? 8 * 1024 ** 3,
      cgroupVersion: '1',
      cgroupDriver: 'cgroupfs',
      storageDriver: 'memory',
      kernelVersion: 'fake',
      operatingSystem: 'fake',
      architecture: 'amd64',
    };
  }

  // ------------------------------------------------------------------ sandboxes

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.record('runPodSandbox', config.metadata.name, config);
    this.injected('runPodSandbox', config.metadata.name);
    for (const v of config.volumes ?? []) {
      if (!this.volumes.has(v)) throw new RuntimeError('CreatePodSandboxError', `volume "${v}" not found`);
    }
    const id = this.newId();
    const labels: Record<string, string> = {
      ...config.labels,
      ...Object.fromEntries(Object.entries(config.annotations ?? {}).map(([k, v]) => [ANNOTATION_LABEL_PREFIX + k, v])),
      [LABEL_POD_NAME]: config.metadata.name,
      [LABEL_POD_NAMESPACE]: config.metadata.namespace,
      [LABEL_POD_UID]: config.metadata.uid,
      [LABEL_CONTAINER_TYPE]: 'podsandbox',
      [LABEL_MANAGED]: 'true',
    };
    const sandbox: FakeSandbox = {
      id,
      config,
      state: 'ready',
      createdAt: this.clock.now(),
      ip: config.hostNetwork ? '' : `10.88.0.${this.nextIP++}`,
      labels,
      listeners: new Map(),
    };
    this.sandboxes.set(id, sandbox);
    for (const v of config.volumes ?? []) this.volumes.get(v)!.mountedBy.add(id);
    this.emit('created', id, 'podsandbox', labels);
    this.emit('started', id, 'podsandbox', labels);
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.record('stopPodSandbox', id);
    this.injected('stopPodSandbox', id);
    const s = this.sandboxes.get(id);
    if (!s) return;
    for (const c of this.containers.values()) {
      if (c.sandboxId === id && c.state === 'running') this.finish(c, 137, false);
    }
    if (s.state === 'ready') {
      s.state = 'notready';
      s.ip = '';
      s.listeners.clear();
      this.unmountAll(id);
      this.emit('exited', id, 'podsandbox', s.labels, 137);
    }
  }

  async removePodSandbox(id: string): Promise<void> {
    this.record('removePodSandbox', id);
    this.injected('removePodSandbox', id);
    const s = this.sandboxes.get(id);
    if (!s) return;
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) await this.removeContainer(c.id);
    if (s.state === 'ready') await this.stopPodSandbox(id);
    this.sandboxes.delete(id);
    this.emit('removed', id, 'podsandbox', s.labels);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const s = this.sandboxes.get(id);
    if (!s) throw new RuntimeError('NotFound', `no such sandbox: ${id}`);
    return this.sandboxStatus(s);
  }

  async listPodSandboxes(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    return [...this.sandboxes.values()]
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state) && labelsMatch(s.labels, filter.labels))
      .map((s) => this.sandboxStatus(s));
  }

  private sandboxStatus(s: FakeSandbox): PodSandboxStatus {
    const { labels, annotations } = splitLabels(s.labels);
    return { id: s.id, metadata: { ...s.config.metadata }, state: s.state, createdAt: s.createdAt, ip: s.ip, hostname: s.config.hostname, labels, annotations };
  }

  // ------------------------------------------------------------------ images

  async pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus> {
    this.record('pullImage', ref, auth ? { serverAddress: auth.serverAddress } : undefined);
    const r = parseImageReference(ref);
    this.injected('pullImage', ref);
    const candidates = this.registry.filter(
      (i) => i.ref.repository === r.repository && (r.digest ? i.digest === r.digest : i.ref.normalized === r.normalized),
    );
    const found = candidates[candidates.length - 1];
    if (!found) {
      throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": manifest for ${r.familiar} not found: manifest unknown`);
    }
    if (found.auth) {
      let user = auth?.username;
      let pass = auth?.password;
      if (user === undefined && auth?.auth) {
        const d = Buffer.from(auth.auth, 'base64').toString();
        user = d.slice(0, d.indexOf(':'));
        pass = d.slice(d.indexOf(':') + 1);
      }
      if (user === undefined) throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": no basic auth credentials`);
      if (user !== found.auth.username || pass !== found.auth.password) {
        throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": unauthorized: authentication required`);
      }
    }
    // Same manifest pulled again: keep the id; a new tag of it joins the same image.
    let image = [...this.images.values()].find((i) => i.repoDigests.some((d) => d.endsWith('@' + found.digest)));
    if (!image) {
      const id = `sha256:${sha(++this.seq, 'image')}`;
      image = this.makeImage(id, found.ref, found.spec, found.digest);
      this.images.set(id, image);
    }
    for (const other of this.images.values()) if (other !== image) other.normalized.delete(r.normalized);
    if (!r.digest) {
      image.normalized.add(r.normalized);
      if (!image.repoTags.includes(r.familiar)) image.repoTags.push(r.familiar);
    }
    return this.imageView(image);
  }

  async imageStatus(ref: string): Promise<ImageStatus | undefined> {
    const image = this.findImage(ref);
    return image ? this.imageView(image) : undefined;
  }

  async listImages(): Promise<ImageSummary[]> {
    return [...this.images.values()].map((i) => ({ id: i.id, names: [...i.repoTags, ...i.repoDigests], sizeBytes: i.sizeBytes }));
  }

  async removeImage(ref: string): Promise<void> {
    this.record('removeImage', ref);
    const image = this.findImage(ref);
    if (image) this.images.delete(image.id);
  }

  private makeImage(id: string, r: ImageReference, spec: FakeImageSpec, digest: string | undefined): FakeImage {
    const now = this.clock.now();
    const files = spec.files ? new Map(Object.entries(spec.files).map(([p, v]) => [normalizePath(p), toFile(v, now)])) : undefined;
    const repoTags = r.digest ? [] : [r.familiar];
    const familiarRepo = r.familiar.replace(/[:@].*$/, '');
    return {
      id,
      repoTags,
      repoDigests: digest ? [`${familiarRepo}@${digest}`] : r.digest ? [`${familiarRepo}@${r.digest}`] : [],
      sizeBytes: spec.sizeBytes ?? [...(files?.values() ?? [])].reduce((n, f) => n + f.data.length, 0),
      config: { ...spec.config },
      files,
      normalized: new Set(r.digest ? [] : [r.normalized]),
    };
  }

  private findImage(ref: string): FakeImage | undefined {
    if (/^sha256:[a-f0-9]{64}$/.test(ref)) return this.images.get(ref);
    const r = parseImageReference(ref);
    for (const i of this.images.values()) {
      if (r.digest) {
        if (i.repoDigests.some((d) => d.endsWith('@' + r.digest)) && parseImageReference(i.repoDigests[0]).repository === r.repository) return i;
      } else if (i.normalized.has(r.normalized)) return i;
    }
    return undefined;
  }

  private imageView(i: FakeImage): ImageStatus {
    return { id: i.id, repoTags: [...i.repoTags], repoDigests: [...i.repoDigests], sizeBytes: i.sizeBytes, config: structuredClone(i.config) };
  }

  // ------------------------------------------------------------------ volumes

  async createVolume(config: VolumeConfig): Promise<void> {
    this.record('createVolume', config.name, config);
    this.injected('createVolume', config.name);
    if (!this.volumes.has(config.name)) this.volumes.set(config.name, { config: { ...config }, files: new Map(), mountedBy: new Set() });
  }

  async removeVolume(name: string): Promise<void> {
    this.record('removeVolume', name);
    if (!this.volumes.has(name)) return;
    const users = [...this.containers.values()].filter((c) => (c.config.mounts ?? []).some((m) => m.type === 'volume' && m.source === name));
    const sandboxUsers = [...this.sandboxes.values()].filter((s) => (s.config.volumes ?? []).includes(name));
    if (users.length > 0 || sandboxUsers.length > 0) throw new RuntimeError('Unknown', `remove ${name}: volume is in use`);
    this.volumes.delete(name);
  }

  async listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]> {
    return [...this.volumes.values()]
      .filter((v) => labelsMatch(v.config.labels ?? {}, labels))
      .map((v) => {
        const s: VolumeStatus = { name: v.config.name, medium: v.config.medium ?? '', labels: { ...v.config.labels } };
        if (v.config.sizeLimitBytes !== undefined) s.sizeLimitBytes = v.config.sizeLimitBytes;
        return s;
      });
  }

  async writeVolumeFiles(sandboxId: string, volume: string, files: VolumeFile[]): Promise<void> {
    this.record('writeVolumeFiles', volume, files.map((f) => f.path));
    this.injected('writeVolumeFiles', volume);
    const s = this.sandboxes.get(sandboxId);
    if (!s) throw new RuntimeError('NotFound', `no such sandbox: ${sandboxId}`);
    if (s.state !== 'ready') throw new RuntimeError('NotRunning', `sandbox ${sandboxId} is not running`);
    if (!(s.config.volumes ?? []).includes(volume)) throw new RuntimeError('NotFound', `volume "${volume}" is not mounted by sandbox ${sandboxId}`);
    const v = this.volumes.get(volume)!;
    const now = this.clock.now();
    for (const f of files) {
      const path = normalizePath(f.path);
      if (f.linkTarget !== undefined) v.files.set(path, { type: 'symlink', data: Buffer.alloc(0), mode: 0o777, mtime: now, linkTarget: f.linkTarget });
      else if (f.isDirectory) v.files.set(path, { type: 'directory', data: Buffer.alloc(0), mode: f.mode ?? 0o755, mtime: now });
      else this.volumeWrite(v, path, Buffer.from(f.data ?? ''), f.mode ?? 0o644);
    }
    this.notifyFiles();
  }

  private volumeWrite(v: FakeVolume, path: string, data: Buffer, mode: number): void {
    if (v.config.medium === 'Memory' && v.config.sizeLimitBytes !== undefined) {
      let used = 0;
      for (const [p, f] of v.files) if (p !== path) used += f.data.length;
      if (used + data.length > v.config.sizeLimitBytes) throw new Error(`write ${path}: No space left on device`);
    }
    v.files.set(path, { type: 'file', data, mode, mtime: this.clock.now() });
  }

  private unmountAll(containerId: string): void {
    for (const v of this.volumes.values()) {
      if (!v.mountedBy.delete(containerId)) continue;
      // A tmpfs lives only while mounted somewhere.
      if (v.mountedBy.size === 0 && v.config.medium === 'Memory') v.files.clear();
    }
  }

  // ------------------------------------------------------------------ containers

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    this.record('createContainer', config.metadata.name, config);
    this.injected('createContainer', config.metadata.name);
    const s = this.sandboxes.get(sandboxId);
    if (!s) throw new RuntimeError('CreateContainerError', `no such sandbox: ${sandboxId}`);
    if (s.state !== 'ready') throw new RuntimeError('CreateContainerError', `cannot join network of a non running sandbox ${sandboxId}`);
    const image = this.findImage(config.image);
    if (!image) throw new RuntimeError('CreateContainerError', `No such image: ${config.image}`);
    const argv = resolveCommand(image.config, config.command, config.args);
    for (const m of config.mounts ?? []) {
      if (m.type === 'volume' && !this.volumes.has(m.source)) throw new RuntimeError('CreateContainerError', `no such volume: ${m.source}`);
    }
    const id = this.newId();
    const labels: Record<string, string> = {
      ...config.labels,
      ...Object.fromEntries(Object.entries(config.annotations ?? {}).map(([k, v]) => [ANNOTATION_LABEL_PREFIX + k, v])),
      [LABEL_POD_NAME]: s.config.metadata.name,
      [LABEL_POD_NAMESPACE]: s.config.metadata.namespace,
      [LABEL_POD_UID]: s.config.metadata.uid,
      [LABEL_CONTAINER_NAME]: config.metadata.name,
      [LABEL_CONTAINER_TYPE]: 'container',
      [LABEL_SANDBOX_ID]: sandboxId,
      [LABEL_MANAGED]: 'true',
    };
    const c: FakeContainer = {
      id,
      type: 'container',
      sandboxId,
      config: structuredClone(config),
      imageId: image.id,
      imageRef: image.repoDigests[0] ?? image.id,
      imageFiles: image.files,
      state: 'created',
      createdAt: this.clock.now(),
      oomKilled: false,
      labels,
      argv,
      env: mergeEnv(image.config.env, config.env),
      workingDir: config.workingDir || image.config.workingDir || '/',
      layer: new Map(),
      logs: [],
      partial: { stdout: '', stderr: '' },
      logWaiters: new Set(),
      stdinBuf: '',
      stdinEOF: false,
      stdinWaiters: new Set(),
      signalHandlers: new Map(),
      exitWaiters: new Set(),
      memoryUsed: 0,
      run: 0,
    };
    this.containers.set(id, c);
    this.emit('created', id, 'container', labels);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.record('startContainer', id);
    this.injected('startContainer', id);
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state !== 'created') throw new RuntimeError('RunContainerError', `container ${id} is not in created state`);
    const s = this.sandboxes.get(c.sandboxId);
    if (!s || s.state !== 'ready') throw new RuntimeError('RunContainerError', `cannot join network of a non running sandbox ${c.sandboxId}`);
    const missing = this.missingExecutable(c, c.argv[0]);
    if (missing) {
      // Docker leaves the container "created" with exit code 127; CRI reports it exited (ContainerCannotRun).
      c.state = 'exited';
      c.exitCode = 127;
      c.startedAt = c.createdAt;
      c.finishedAt = c.createdAt;
      c.message = missing;
      throw new RuntimeError('RunContainerError', `failed to start container: ${missing}`);
    }
    c.state = 'running';
    c.startedAt = this.clock.now();
    c.pid = 1000 + this.seq++;
    c.run++;
    for (const m of c.config.mounts ?? []) if (m.type === 'volume') this.volumes.get(m.source)!.mountedBy.add(c.id);
    this.emit('started', id, 'container', c.labels);
    const proc = this.makeProcess(c, c.argv, false);
    const program = this.findProgram(c, c.argv, false);
    const run = c.run;
    void Promise.resolve()
      .then(() => program(proc.api))
      .then(
        () => {
          if (c.state === 'running' && c.run === run) this.finish(c, 0, false);
        },
        (err: unknown) => {
          if (c.state === 'running' && c.run === run) {
            proc.api.err(String(err instanceof Error ? err.message : err));
            this.finish(c, 1, false);
          }
        },
      );
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    this.record('stopContainer', id, { graceSeconds });
    this.injected('stopContainer', id);
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state !== 'running') return;
    if (graceSeconds > 0) {
      for (const h of c.signalHandlers.get('SIGTERM') ?? []) h();
      const exited = this.exitPromise(c);
      const cancel = new AbortController();
      await Promise.race([exited, this.time.sleep(graceSeconds * 1000, cancel.signal)]);
      cancel.abort();
    }
    if (c.state === 'running') this.finish(c, 137, false);
  }

  async removeContainer(id: string): Promise<void> {
    this.record('removeContainer', id);
    this.injected('removeContainer', id);
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'running') this.finish(c, 137, false);
    this.containers.delete(id);
    for (const w of c.logWaiters) w();
    this.emit('removed', id, 'container', c.labels);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.containers.get(id);
    if (!c || c.type !== 'container') throw new RuntimeError('NotFound', `no such container: ${id}`);
    return this.status(c);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerSummary[]> {
    return [...this.containers.values()]
      .filter(
        (c) =>
          (!filter.id || c.id === filter.id) &&
          (!filter.sandboxId || c.sandboxId === filter.sandboxId) &&
          (!filter.state || c.state === filter.state) &&
          labelsMatch(c.labels, filter.labels),
      )
      .map((c) => this.summary(c));
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state === 'running') {
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          c.exitWaiters.delete(done);
          reject(signal?.reason ?? new Error('aborted'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        c.exitWaiters.add(done);
      });
    }
    return this.status(c);
  }

  events(options: EventsOptions = {}): AsyncIterable<ContainerEvent> {
    const sub = { queue: new AsyncQueue<ContainerEvent>(() => this.subscribers.delete(sub)), labels: options.labels };
    this.subscribers.add(sub);
    options.signal?.addEventListener('abort', () => {
      this.subscribers.delete(sub);
      sub.queue.end();
    });
    if (options.signal?.aborted) sub.queue.end();
    return sub.queue;
  }

  async execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    this.record('execSync', id, cmd);
    this.injected('execSync', id);
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state !== 'running') throw new RuntimeError('NotRunning', `container ${id} is not running`);
    const missing = this.missingExecutable(c, cmd[0]);
    if (missing) return { exitCode: 126, stdout: `OCI runtime exec failed: exec failed: unable to start container process: ${missing}: unknown\r\n`, stderr: '' };
    const proc = this.makeProcess(c, cmd, true);
    const program = this.findProgram(c, cmd, true);
    const done = Promise.resolve()
      .then(() => program(proc.api))
      .then(
        () => proc.exit(0),
        (err: unknown) => {
          proc.api.err(String(err instanceof Error ? err.message : err));
          proc.exit(1);
        },
      );
    void done;
    const cancel = new AbortController();
    const timedOut = await Promise.race([proc.exited.then(() => false), this.time.sleep(timeoutMs, cancel.signal).then(() => true)]);
    cancel.abort();
    if (timedOut && proc.exitCode === undefined) {
      throw new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutMs}ms`);
    }
    return { exitCode: proc.exitCode ?? 0, stdout: proc.stdout, stderr: proc.stderr };
  }

  async attachStdin(id: string): Promise<Writable> {
    const c = this.mustContainer(id);
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (c.config.stdin && !c.stdinEOF) {
          c.stdinBuf += chunk.toString('utf8');
          for (const w of c.stdinWaiters) w();
        }
        cb();
      },
      final: (cb) => {
        if (c.config.stdin && c.config.stdinOnce) {
          c.stdinEOF = true;
          for (const w of c.stdinWaiters) w();
        }
        cb();
      },
    });
  }

  // ------------------------------------------------------------------ logs

  containerLogs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        // Like the engine: an unknown container fails when the stream is read, not before.
        const c = self.containers.get(id);
        if (!c || c.type !== 'container') throw new RuntimeError('NotFound', `no such container: ${id}`);
        const filter = new LogLineFilter(options);
        let start = 0;
        if (options.tail !== undefined && options.tail >= 0) start = Math.max(0, c.logs.length - options.tail);
        let i = start;
        for (;;) {
          while (i < c.logs.length) {
            const line = filter.accept(c.logs[i++]);
            if (line) yield line;
            if (filter.exhausted) return;
          }
          if (!options.follow || options.signal?.aborted) return;
          if (c.state === 'exited' || !self.containers.has(id)) return;
          await new Promise<void>((resolve) => {
            const wake = () => {
              c.logWaiters.delete(wake);
              options.signal?.removeEventListener('abort', wake);
              resolve();
            };
            c.logWaiters.add(wake);
            options.signal?.addEventListener('abort', wake, { once: true });
          });
        }
      },
    };
  }

  // ------------------------------------------------------------------ files

  async statFiles(id: string, pattern: string): Promise<FileInfo[]> {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    const out: FileInfo[] = [];
    for (const [path, f] of this.visibleFiles(c)) {
      if (f.type === 'file' && matchPathGlob(pattern, path)) out.push({ path, sizeBytes: f.data.length, modifiedAt: f.mtime, mode: f.mode });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** The env the process sees; no host paths (a fake has no host): collectors read through the API. */
  async containerLogInfo(id: string): Promise<ContainerLogInfo> {
    const c = this.containers.get(id);
    if (!c || c.type !== 'container') throw new RuntimeError('NotFound', `no such container: ${id}`);
    return { env: c.env.map((e) => ({ ...e })), tty: !!c.config.tty, mounts: (c.config.mounts ?? []).map((m) => ({ destination: m.target })) };
  }

  async readFile(id: string, path: string, options: ReadFileOptions = {}): Promise<Buffer> {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    const f = this.lookupFile(c, normalizePath(path));
    if (!f || f.type !== 'file') throw new RuntimeError('NotFound', `Could not find the file ${path} in container ${id}`);
    const from = options.offsetBytes ?? 0;
    const to = options.limitBytes === undefined ? undefined : from + options.limitBytes;
    return Buffer.from(f.data.subarray(from, to));
  }

  // ------------------------------------------------------------------ internals

  private newId(): string {
    return sha(++this.seq, 'container');
  }

  private record(op: FakeCall['op'], target?: string, detail?: unknown): void {
    const call: FakeCall = { op };
    if (target !== undefined) call.target = target;
    if (detail !== undefined) call.detail = detail;
    this.calls.push(call);
  }

  private injected(op: FakeOp, target: string): void {
    const i = this.failures.findIndex((f) => f.op === op && (!f.match || f.match(target)));
    if (i < 0) return;
    const f = this.failures[i];
    if (--f.times <= 0) this.failures.splice(i, 1);
    throw f.error();
  }

  private mustContainer(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    return c;
  }

  private emit(type: ContainerEventType, id: string, containerType: ContainerType, labels: Record<string, string>, exitCode?: number): void {
    const ev: ContainerEvent = { type, id, containerType, labels: { ...labels }, time: this.clock.now() };
    if (exitCode !== undefined) ev.exitCode = exitCode;
    for (const s of this.subscribers) if (labelsMatch(labels, s.labels)) s.queue.push(ev);
  }

  private summary(c: FakeContainer): ContainerSummary {
    const { labels, annotations } = splitLabels(c.labels);
    return {
      id: c.id,
      sandboxId: c.sandboxId,
      metadata: { ...c.config.metadata },
      image: c.config.image,
      imageId: c.imageId,
      state: c.state,
      createdAt: c.createdAt,
      labels,
      annotations,
    };
  }

  private status(c: FakeContainer): ContainerStatus {
    const s: ContainerStatus = { ...this.summary(c), oomKilled: c.oomKilled, imageRef: c.imageRef, mounts: structuredClone(c.config.mounts ?? []) };
    if (c.startedAt) s.startedAt = c.startedAt;
    if (c.finishedAt) s.finishedAt = c.finishedAt;
    if (c.state === 'exited') {
      s.exitCode = c.exitCode;
      let reason: ContainerExitReason;
      if (c.message !== undefined) reason = 'ContainerCannotRun';
      else if (c.oomKilled) reason = 'OOMKilled';
      else reason = c.exitCode === 0 ? 'Completed' : 'Error';
      s.reason = reason;
    }
    if (c.message !== undefined) s.message = c.message;
    if (c.state === 'running' && c.pid !== undefined) s.pid = c.pid;
    return s;
  }

  private exitPromise(c: FakeContainer): Promise<void> {
    if (c.state !== 'running') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        c.exitWaiters.delete(done);
        resolve();
      };
      c.exitWaiters.add(done);
    });
  }

  /** The main process ended: flush logs, record the exit, wake everyone waiting. */
  private finish(c: FakeContainer, code: number, oom: boolean): void {
    if (c.state !== 'running') return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (c.partial[stream] !== '') {
        this.pushLine(c, stream, c.partial[stream], true);
        c.partial[stream] = '';
      }
    }
    c.state = 'exited';
    c.exitCode = code;
    c.oomKilled = c.oomKilled || oom;
    c.finishedAt = this.clock.now();
    c.pid = undefined;
    c.signalHandlers.clear();
    const s = this.sandboxes.get(c.sandboxId);
    if (s) for (const [port, l] of s.listeners) if (l.owner === c.id) s.listeners.delete(port);
    this.unmountAll(c.id);
    if (oom) this.emit('oom', c.id, 'container', c.labels);
    this.emit('exited', c.id, 'container', c.labels, code);
    for (const w of [...c.exitWaiters]) w();
    for (const w of [...c.logWaiters]) w();
    for (const w of [...c.stdinWaiters]) w();
  }

  private pushLine(c: FakeContainer, stream: LogStreamName, content: string, partial: boolean): void {
    const time = this.clock.now();
    c.logs.push({ stream, time, timestamp: formatTimestamp(time, ++this.logSeq % 1_000_000), content, partial });
    for (const w of [...c.logWaiters]) w();
  }

  private writeLog(c: FakeContainer, stream: LogStreamName, text: string): void {
    if (c.state !== 'running') return;
    // A tty has one stream, and its line discipline turns "\n" into "\r\n".
    if (c.config.tty) {
      stream = 'stdout';
      text = text.replace(/\r?\n/g, '\r\n');
    }
    let buf = c.partial[stream] + text;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      this.pushLine(c, stream, buf.slice(0, nl), false);
      buf = buf.slice(nl + 1);
    }
    c.partial[stream] = buf;
  }

  private findProgram(c: FakeContainer, argv: readonly string[], isExec: boolean): FakeProgram {
    const s = this.sandboxes.get(c.sandboxId);
    const ctx: ProgramContext = {
      argv,
      image: c.config.image,
      containerName: c.config.metadata.name,
      podName: s?.config.metadata.name ?? '',
      labels: c.labels,
      isExec,
    };
    for (const { match, program } of this.programs) {
      if (typeof match === 'function' ? match(ctx) : match.length === argv.length && match.every((a, i) => a === argv[i])) return program;
    }
    return this.opts.defaultProgram ?? (() => undefined);
  }

  /** Docker's start error for an executable the image lacks, or undefined. */
  private missingExecutable(c: FakeContainer, exe: string | undefined): string | undefined {
    if (!c.imageFiles || exe === undefined) return undefined;
    const has = (p: string) => this.lookupFile(c, normalizePath(p))?.type === 'file';
    if (exe.includes('/')) {
      const p = exe.startsWith('/') ? exe : `${c.workingDir}/${exe}`;
      return has(p) ? undefined : `exec: "${exe}": stat ${exe}: no such file or directory`;
    }
    const path = c.env.find((e) => e.name === 'PATH')?.value ?? DEFAULT_PATH;
    return path.split(':').some((d) => has(`${d}/${exe}`)) ? undefined : `exec: "${exe}": executable file not found in $PATH`;
  }

  /** The mount serving `path`, longest target first. */
  private mountFor(c: FakeContainer, path: string): { mount: Mount; rel: string } | undefined {
    let best: { mount: Mount; rel: string } | undefined;
    for (const m of c.config.mounts ?? []) {
      const t = normalizePath(m.target);
      if (path === t || path.startsWith(t === '/' ? '/' : t + '/')) {
        if (!best || t.length > normalizePath(best.mount.target).length) {
          const sub = m.type === 'volume' && m.subPath ? `/${m.subPath}` : '';
          best = { mount: m, rel: normalizePath(sub + path.slice(t.length)) };
        }
      }
    }
    return best;
  }

  private lookupFile(c: FakeContainer, path: string): FakeFile | undefined {
    const m = this.mountFor(c, path);
    if (m) {
      if (m.mount.type === 'volume') {
        const files = this.volumes.get(m.mount.source)?.files;
        return files ? resolveInVolume(files, m.rel) : undefined;
      }
      if (m.mount.type === 'tmpfs') return this.tmpfsFiles.get(`${c.id}:${m.mount.target}`)?.get(m.rel);
      const host = this.hostFiles.get(normalizePath(m.mount.source + m.rel));
      return host === undefined ? undefined : { type: 'file', data: Buffer.from(host), mode: 0o644, mtime: new Date(0) };
    }
    return c.layer.get(path) ?? c.imageFiles?.get(path);
  }

  private visibleFiles(c: FakeContainer): Map<string, FakeFile> {
    const out = new Map<string, FakeFile>();
    const hidden = (p: string) => this.mountFor(c, p) !== undefined;
    for (const [p, f] of c.imageFiles ?? []) if (!hidden(p)) out.set(p, f);
    for (const [p, f] of c.layer) if (!hidden(p)) out.set(p, f);
    for (const m of c.config.mounts ?? []) {
      const t = normalizePath(m.target);
      const join = (rel: string) => normalizePath(`${t}/${rel}`);
      let files: Iterable<[string, FakeFile]> = [];
      if (m.type === 'volume') {
        const sub = m.subPath ? normalizePath(m.subPath) : '';
        files = [...(this.volumes.get(m.source)?.files ?? [])]
          .filter(([p]) => !sub || p.startsWith(sub + '/'))
          .map(([p, f]): [string, FakeFile] => [p.slice(sub.length), f]);
      } else if (m.type === 'tmpfs') files = this.tmpfsFiles.get(`${c.id}:${m.target}`) ?? [];
      else {
        const src = normalizePath(m.source);
        files = [...this.hostFiles]
          .filter(([p]) => p.startsWith(src + '/'))
          .map(([p, d]): [string, FakeFile] => [p.slice(src.length), { type: 'file', data: Buffer.from(d), mode: 0o644, mtime: new Date(0) }]);
      }
      for (const [rel, f] of files) {
        const p = join(rel);
        if (this.mountFor(c, p)?.mount === m) out.set(p, f);
      }
    }
    return out;
  }

  private syntheticFile(c: FakeContainer, path: string): string | undefined {
    const r = c.config.resources ?? {};
    const s = this.sandboxes.get(c.sandboxId);
    switch (path) {
      case '/etc/hostname':
        return `${s?.config.hostname ?? ''}\n`;
      case '/sys/fs/cgroup/cpu/cpu.cfs_quota_us':
        return `${r.cpuQuota && r.cpuQuota > 0 ? r.cpuQuota : -1}\n`;
      case '/sys/fs/cgroup/cpu/cpu.cfs_period_us':
        return `${r.cpuPeriod ?? 100000}\n`;
      case '/sys/fs/cgroup/cpu/cpu.shares':
        return `${r.cpuShares ?? 1024}\n`;
      case '/sys/fs/cgroup/memory/memory.limit_in_bytes':
        return `${r.memoryLimitBytes ?? UNLIMITED_MEMORY}\n`;
      case '/sys/fs/cgroup/pids/pids.max':
        return `${r.pidsLimit && r.pidsLimit > 0 ? r.pidsLimit : 'max'}\n`;
      case '/proc/mounts':
        return (c.config.mounts ?? [])
          .map((m) => {
            const fstype = m.type === 'tmpfs' || (m.type === 'volume' && this.volumes.get(m.source)?.config.medium === 'Memory') ? 'tmpfs' : 'ext4';
            return `${m.type === 'tmpfs' ? 'tmpfs' : m.source} ${m.target} ${fstype} ${'readOnly' in m && m.readOnly ? 'ro' : 'rw'} 0 0\n`;
          })
          .join('');
      default:
        return undefined;
    }
  }

  private notifyFiles(): void {
    for (const w of [...this.fileWaiters]) w();
  }

  private makeProcess(c: FakeContainer, argv: string[], isExec: boolean) {
    const self = this;
    const s = this.sandboxes.get(c.sandboxId)!;
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    if (!('HOSTNAME' in env)) env.HOSTNAME = s.config.hostname;
    const run = c.run;
    const state = { exitCode: undefined as number | undefined, stdout: '', stderr: '', resolveExit: () => {} };
    const exited = new Promise<void>((r) => (state.resolveExit = r));
    const alive = () => (isExec ? state.exitCode === undefined && c.state === 'running' : c.state === 'running' && c.run === run);
    const exit = (code: number) => {
      if (isExec) {
        if (state.exitCode === undefined) {
          state.exitCode = code;
          state.resolveExit();
        }
      } else if (alive()) self.finish(c, code, false);
    };
    const write = (stream: LogStreamName, text: string) => {
      if (!alive()) return;
      if (isExec) {
        if (stream === 'stdout') state.stdout += text;
        else state.stderr += text;
      } else self.writeLog(c, stream, text);
    };
    const resolvePath = (p: string) => normalizePath(p.startsWith('/') ? p : `${c.workingDir}/${p}`);
    const api: FakeProcess = {
      argv,
      env,
      workingDir: c.workingDir,
      hostname: s.config.hostname,
      tty: !!c.config.tty,
      containerName: c.config.metadata.name,
      podName: s.config.metadata.name,
      labels: c.labels,
      isExec,
      write,
      out: (text) => write('stdout', text + '\n'),
      err: (text) => write('stderr', text + '\n'),
      exit: (code) => {
        exit(code);
      },
      onSignal: (signal, handler) => {
        if (isExec) return;
        const list = c.signalHandlers.get(signal) ?? [];
        list.push(handler);
        c.signalHandlers.set(signal, list);
      },
      forever: () => new Promise<never>(() => {}),
      sleep: (ms) => self.time.sleep(ms),
      readLine: async () => {
        for (;;) {
          const nl = c.stdinBuf.indexOf('\n');
          if (nl >= 0) {
            const line = c.stdinBuf.slice(0, nl);
            c.stdinBuf = c.stdinBuf.slice(nl + 1);
            return line;
          }
          if (c.stdinEOF || !alive()) {
            if (c.stdinBuf === '') return undefined;
            const rest = c.stdinBuf;
            c.stdinBuf = '';
            return rest;
          }
          await new Promise<void>((resolve) => {
            const wake = () => {
              c.stdinWaiters.delete(wake);
              resolve();
            };
            c.stdinWaiters.add(wake);
          });
        }
      },
      readBytes: (p) => {
        const path = resolvePath(p);
        const synthetic = self.syntheticFile(c, path);
        if (synthetic !== undefined) return Buffer.from(synthetic);
        const f = self.lookupFile(c, path);
        return f?.type === 'file' ? Buffer.from(f.data) : undefined;
      },
      readFile: (p) => api.readBytes(p)?.toString('utf8'),
      writeFile: (p, data, mode = 0o644) => {
        const path = resolvePath(p);
        const buf = Buffer.from(data);
        const m = self.mountFor(c, path);
        if (m?.mount.type === 'volume') {
          if (m.mount.readOnly) throw new Error(`write ${path}: Read-only file system`);
          self.volumeWrite(self.volumes.get(m.mount.source)!, m.rel, buf, mode);
        } else if (m?.mount.type === 'tmpfs') {
          const key = `${c.id}:${m.mount.target}`;
          const files = self.tmpfsFiles.get(key) ?? new Map<string, FakeFile>();
          self.tmpfsFiles.set(key, files);
          files.set(m.rel, { type: 'file', data: buf, mode, mtime: self.clock.now() });
        } else if (m?.mount.type === 'bind') {
          if (m.mount.readOnly) throw new Error(`write ${path}: Read-only file system`);
          self.hostFiles.set(normalizePath(m.mount.source + m.rel), buf);
        } else {
          if (c.config.security?.readOnlyRootFilesystem) throw new Error(`write ${path}: Read-only file system`);
          c.layer.set(path, { type: 'file', data: buf, mode, mtime: self.clock.now() });
        }
        self.notifyFiles();
      },
      appendFile: (p, data) => api.writeFile(p, Buffer.concat([api.readBytes(p) ?? Buffer.alloc(0), Buffer.from(data)])),
      exists: (p) => api.readBytes(p) !== undefined,
      waitForFile: (p) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (api.exists(p) || !alive()) {
              self.fileWaiters.delete(check);
              resolve();
            }
          };
          self.fileWaiters.add(check);
          check();
        }),
      listen: (port, handler) => {
        if (s.listeners.has(port)) throw new Error(`listen tcp :${port}: bind: address already in use`);
        s.listeners.set(port, { handler, owner: c.id });
      },
      request: async (host, port, request) => {
        await settle(1);
        const local = host === '127.0.0.1' || host === 'localhost' || host === s.ip;
        const target = local ? s : [...self.sandboxes.values()].find((o) => o.ip === host && o.state === 'ready');
        const listener = target?.listeners.get(port);
        if (!listener) throw new Error(`dial tcp ${host}:${port}: connect: connection refused`);
        return listener.handler(request);
      },
      allocate: (bytes) => {
        if (isExec || !alive()) return;
        c.memoryUsed += bytes;
        const limit = c.config.resources?.memoryLimitBytes;
        if (limit && c.memoryUsed > limit) self.finish(c, 137, true);
      },
    };
    return {
      api,
      exited,
      exit,
      get exitCode() {
        return state.exitCode;
      },
      get stdout() {
        return state.stdout;
      },
      get stderr() {
        return state.stderr;
      },
    };
  }
}
