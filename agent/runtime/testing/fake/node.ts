// The FakeRuntime's shared state (the fake node) and the helpers every part uses.
import { FakeClock } from '../../../../machinery/index.js';
import {
  ANNOTATION_LABEL_PREFIX,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerEventType,
  type ContainerExitReason,
  type ContainerState,
  type ContainerStatus,
  type ContainerSummary,
  type ContainerType,
  type ImageConfig,
  type KeyValue,
  type LogLine,
  type LogStreamName,
  type PodSandboxConfig,
  type VolumeConfig,
} from '../../container-runtime.js';
import { AsyncQueue } from '../../async-queue.js';
import type { ImageReference } from '../../image-reference.js';
import { formatTimestamp } from '../../log-lines.js';
import { RuntimeError } from '../../runtime-error.js';
import { VirtualTime } from './virtual-time.js';
import type { FakeProgram, ProgramMatcher, FakeImageSpec, FakeOp, FakeCall, FakeRuntimeOptions } from './types.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const UNLIMITED_MEMORY = '9223372036854771712';

export interface FakeFile {
  type: 'file' | 'directory' | 'symlink';
  data: Buffer;
  mode: number;
  mtime: Date;
  linkTarget?: string;
}

export interface FakeImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  sizeBytes: number;
  config: ImageConfig;
  files?: Map<string, FakeFile>;
  /** Normalized names this image answers to. */
  normalized: Set<string>;
}

export interface RegistryImage {
  ref: ImageReference;
  digest: string;
  spec: FakeImageSpec;
  auth?: { username: string; password: string };
}

export interface FakeVolume {
  config: VolumeConfig;
  files: Map<string, FakeFile>;
  /** Running containers that mount it: a Memory volume empties when the last one stops. */
  mountedBy: Set<string>;
}

export interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: 'ready' | 'notready';
  createdAt: Date;
  ip: string;
  labels: Record<string, string>;
  /** The pod's network namespace: port → handler and the container serving it. */
  listeners: Map<number, { handler: (req: string) => string | Promise<string>; owner: string }>;
}

export interface FakeContainer {
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
  /** CPU time the container's processes spent (useCpu), for containerStats. */
  cpuNanos: number;
  pid?: number;
  run: number;
}

export function sha(n: number, salt: string): string {
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

export function labelsMatch(have: Record<string, string>, want: Record<string, string> | undefined): boolean {
  if (!want) return true;
  return Object.entries(want).every(([k, v]) => have[k] === v);
}

export function toFile(v: string | Buffer | { data: string | Buffer; mode?: number }, mtime: Date): FakeFile {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return { type: 'file', data: Buffer.from(v), mode: 0o644, mtime };
  return { type: 'file', data: Buffer.from(v.data), mode: v.mode ?? 0o755, mtime };
}

export function normalizePath(p: string): string {
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
export function resolveInVolume(files: Map<string, FakeFile>, path: string, depth = 0): FakeFile | undefined {
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

export function splitLabels(all: Record<string, string>): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith(ANNOTATION_LABEL_PREFIX)) annotations[k.slice(ANNOTATION_LABEL_PREFIX.length)] = v;
    else labels[k] = v;
  }
  return { labels, annotations };
}

/**
 * The fake node's state, shared by every part of the FakeRuntime: images, volumes, sandboxes,
 * containers, scripted programs and failures, event subscribers, virtual time; and what the
 * parts all do with it (record a call, inject a failure, emit an event, end a process).
 */
export class FakeNode {
  readonly clock: FakeClock;
  readonly time: VirtualTime;
  /** Every operation, in order. */
  readonly calls: FakeCall[] = [];
  /** Files on the fake node, for `bind` mounts (path → contents). */
  readonly hostFiles = new Map<string, string | Buffer>();

  readonly opts: FakeRuntimeOptions;
  readonly images = new Map<string, FakeImage>(); // by id
  readonly registry: RegistryImage[] = [];
  readonly volumes = new Map<string, FakeVolume>();
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  readonly programs: { match: ProgramMatcher; program: FakeProgram }[] = [];
  readonly failures: { op: FakeOp; error: () => Error; match?: (target: string) => boolean; times: number }[] = [];
  readonly subscribers = new Set<{ queue: AsyncQueue<ContainerEvent>; labels?: Record<string, string> }>();
  readonly fileWaiters = new Set<() => void>();
  /** Files of `tmpfs` mounts, per "containerId:target". */
  readonly tmpfsFiles = new Map<string, Map<string, FakeFile>>();
  seq = 0;
  logSeq = 0;
  nextIP = 2;

  constructor(opts: FakeRuntimeOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? new FakeClock();
    this.time = new VirtualTime(this.clock, opts.autoAdvance ?? true);
  }

  newId(): string {
    return sha(++this.seq, 'container');
  }

  record(op: FakeCall['op'], target?: string, detail?: unknown): void {
    const call: FakeCall = { op };
    if (target !== undefined) call.target = target;
    if (detail !== undefined) call.detail = detail;
    this.calls.push(call);
  }

  injected(op: FakeOp, target: string): void {
    const i = this.failures.findIndex((f) => f.op === op && (!f.match || f.match(target)));
    if (i < 0) return;
    const f = this.failures[i];
    if (--f.times <= 0) this.failures.splice(i, 1);
    throw f.error();
  }

  mustContainer(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    return c;
  }

  emit(type: ContainerEventType, id: string, containerType: ContainerType, labels: Record<string, string>, exitCode?: number): void {
    const ev: ContainerEvent = { type, id, containerType, labels: { ...labels }, time: this.clock.now() };
    if (exitCode !== undefined) ev.exitCode = exitCode;
    for (const s of this.subscribers) if (labelsMatch(labels, s.labels)) s.queue.push(ev);
  }

  summary(c: FakeContainer): ContainerSummary {
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

  status(c: FakeContainer): ContainerStatus {
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

  exitPromise(c: FakeContainer): Promise<void> {
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
  finish(c: FakeContainer, code: number, oom: boolean): void {
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
    // A single-container sandbox is its container: it ends with it (as on the Docker runtime).
    if (s?.state === 'ready' && s.config.singleContainer && !s.config.volumes?.length) {
      s.state = 'notready';
      s.ip = '';
      s.listeners.clear();
      this.unmountAll(s.id);
      this.emit('exited', s.id, 'podsandbox', s.labels, code);
    }
    if (oom) this.emit('oom', c.id, 'container', c.labels);
    this.emit('exited', c.id, 'container', c.labels, code);
    for (const w of [...c.exitWaiters]) w();
    for (const w of [...c.logWaiters]) w();
    for (const w of [...c.stdinWaiters]) w();
  }

  pushLine(c: FakeContainer, stream: LogStreamName, content: string, partial: boolean): void {
    const time = this.clock.now();
    c.logs.push({ stream, time, timestamp: formatTimestamp(time, ++this.logSeq % 1_000_000), content, partial });
    for (const w of [...c.logWaiters]) w();
  }

  writeLog(c: FakeContainer, stream: LogStreamName, text: string): void {
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

  notifyFiles(): void {
    for (const w of [...this.fileWaiters]) w();
  }

  volumeWrite(v: FakeVolume, path: string, data: Buffer, mode: number): void {
    if (v.config.medium === 'Memory' && v.config.sizeLimitBytes !== undefined) {
      let used = 0;
      for (const [p, f] of v.files) if (p !== path) used += f.data.length;
      if (used + data.length > v.config.sizeLimitBytes) throw new Error(`write ${path}: No space left on device`);
    }
    v.files.set(path, { type: 'file', data, mode, mtime: this.clock.now() });
  }

  unmountAll(containerId: string): void {
    for (const v of this.volumes.values()) {
      if (!v.mountedBy.delete(containerId)) continue;
      // A tmpfs lives only while mounted somewhere.
      if (v.mountedBy.size === 0 && v.config.medium === 'Memory') v.files.clear();
    }
  }
}
