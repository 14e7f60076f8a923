// LogAndFileService of the CRI runtime, on the host as the kubelet reads them: the container's
// log is the CRI log file at its status' log_path (with the kubelet's rotated siblings), and
// files inside the container are read through /proc/<pid>/root while it runs, or through its
// snapshot's layers once it exited (until it is removed), container-fs.ts.
//
// The layers of an exited container: containerd keeps its snapshot (key = the container id)
// until RemoveContainer; its directories come from containerd's own `ctr snapshots mounts`
// (installed with containerd; the CRI does not say where a rootfs is). Another CRI runtime
// (CRI-O) gets running containers' files only; `containerLogInfo` then has no rootfsDir.
import { execFile } from 'node:child_process';
import { open, readdir, rm, rmdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import type { ContainerLogInfo, FileInfo, LogAndFileService, LogLine, LogOptions, ReadFileOptions } from '../container-runtime.js';
import { readCriLog } from '../cri-log-reader.js';
import { RuntimeError } from '../runtime-error.js';
import type { RuntimeServiceCalls } from './client.js';
import { ContainerFs } from './container-fs.js';
import { podLogDirectory } from './context.js';

const run = promisify(execFile);

/** containerd's namespace of CRI containers. */
const CRI_NAMESPACE = 'k8s.io';

/** What `ContainerStatus(verbose)` tells about a container, from containerd's (and CRI-O's) `info`. */
interface VerboseInfo {
  pid?: number;
  snapshotKey?: string;
  snapshotter?: string;
  runtimeSpec?: {
    process?: { env?: string[]; terminal?: boolean };
    mounts?: { destination: string; type?: string; source?: string; options?: string[] }[];
  };
}

interface Inspected {
  state: string;
  logPath: string;
  info: VerboseInfo;
}

export interface CriFilesContext {
  runtime: Pick<RuntimeServiceCalls, 'ContainerStatus' | 'PodSandboxStatus' | 'ListPodSandbox'>;
  /** The CRI endpoint ("unix:///..."): containerd's own API is on the same socket. */
  endpoint: string;
  /** Where the sandboxes' log directories are (podLogDirectory). */
  logRoot: string;
}

/** Host directories of a snapshot, top first, from the mount containerd would make of it. */
export function snapshotLayers(mountCommand: string): string[] {
  const opts = /\s-o\s+(\S+)/.exec(mountCommand)?.[1] ?? '';
  const get = (k: string) => opts.split(',').find((o) => o.startsWith(`${k}=`))?.slice(k.length + 1);
  const upper = get('upperdir');
  const lower = get('lowerdir');
  if (upper || lower) return [...(upper ? [upper] : []), ...(lower ? lower.split(':') : [])];
  // A bind snapshot (the native snapshotter): `mount -t bind <dir> <target> -o rbind,...`.
  const bind = /^mount -t bind (\S+) /.exec(mountCommand.trim());
  return bind ? [bind[1]] : [];
}

export class CriFilesAndLogs implements LogAndFileService {
  private readonly ctx: CriFilesContext;
  /** A snapshot's directories never change: asked once per container. */
  private readonly layers = new Map<string, string[]>();

  constructor(ctx: CriFilesContext) {
    this.ctx = ctx;
  }

  private async inspect(id: string): Promise<Inspected> {
    const res = await this.ctx.runtime.ContainerStatus({ container_id: id, verbose: true });
    if (!res.status) throw new RuntimeError('NotFound', `container "${id}" not found`);
    let info: VerboseInfo = {};
    try {
      info = JSON.parse(res.info?.info ?? '{}') as VerboseInfo;
    } catch {
      info = {};
    }
    return { state: String(res.status.state), logPath: res.status.log_path, info };
  }

  private async snapshotLayers(id: string, info: VerboseInfo): Promise<string[]> {
    const cached = this.layers.get(id);
    if (cached) return cached;
    if (!info.snapshotKey || !info.snapshotter) return [];
    const socket = this.ctx.endpoint.replace(/^unix:\/\//, '');
    let out: string;
    try {
      ({ stdout: out } = await run('ctr', ['-a', socket, '-n', CRI_NAMESPACE, 'snapshots', '--snapshotter', info.snapshotter, 'mounts', '/rootfs', info.snapshotKey], { timeout: 10_000 }));
    } catch {
      return [];
    }
    const layers = snapshotLayers(out);
    if (layers.length) {
      if (this.layers.size > 4096) this.layers.clear();
      this.layers.set(id, layers);
    }
    return layers;
  }

  private async fs(id: string): Promise<ContainerFs> {
    const c = await this.inspect(id);
    const running = c.state === 'CONTAINER_RUNNING' && (c.info.pid ?? 0) > 0;
    const binds = (c.info.runtimeSpec?.mounts ?? []).filter((m) => m.source?.startsWith('/') && (m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind')));
    return new ContainerFs({
      ...(running ? { pid: c.info.pid } : {}),
      layers: running ? [] : await this.snapshotLayers(id, c.info),
      binds: binds.map((m) => ({ destination: m.destination, source: m.source! })),
    });
  }

  containerLogs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const c = await self.inspect(id);
        if (!c.logPath) return;
        const isRunning = async () => {
          try {
            const s = await self.inspect(id);
            return s.state === 'CONTAINER_RUNNING' || s.state === 'CONTAINER_CREATED';
          } catch {
            return false;
          }
        };
        try {
          yield* readCriLog(c.logPath, options, { isRunning });
        } catch (err) {
          if (options.signal?.aborted) return;
          throw err instanceof RuntimeError ? err : new RuntimeError('Unknown', `failed to read logs of ${id}: ${(err as Error).message}`);
        }
      },
    };
  }

  async statFiles(id: string, pattern: string): Promise<FileInfo[]> {
    const fs = await this.fs(id);
    return (await fs.glob(pattern)).map((e) => ({ path: e.path, sizeBytes: e.stat.size, modifiedAt: e.stat.mtime, mode: e.stat.mode & 0o7777 }));
  }

  async readFile(id: string, path: string, options: ReadFileOptions = {}): Promise<Buffer> {
    const fs = await this.fs(id);
    const e = await fs.resolve(path);
    if (!e) throw new RuntimeError('NotFound', `Could not find the file ${path} in container ${id}`);
    if (!e.stat.isFile()) throw new RuntimeError('NotFound', `${path} in container ${id} is not a regular file`);
    const from = options.offsetBytes ?? 0;
    const size = Math.max(0, e.stat.size - from);
    const len = Math.min(size, options.limitBytes ?? size);
    const fh = await open(e.hostPath, 'r').catch(() => {
      throw new RuntimeError('NotFound', `Could not find the file ${path} in container ${id}`);
    });
    try {
      const buf = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(buf, got, len - got, from + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  async containerLogInfo(id: string): Promise<ContainerLogInfo> {
    const c = await this.inspect(id);
    const spec = c.info.runtimeSpec ?? {};
    const out: ContainerLogInfo = {
      env: (spec.process?.env ?? []).map((e) => {
        const i = e.indexOf('=');
        return i < 0 ? { name: e, value: '' } : { name: e.slice(0, i), value: e.slice(i + 1) };
      }),
      tty: !!spec.process?.terminal,
      mounts: (spec.mounts ?? []).map((m) => {
        const bind = m.source?.startsWith('/') && (m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind'));
        return { destination: m.destination, ...(bind ? { source: m.source } : {}) };
      }),
    };
    if (c.logPath) {
      out.logPath = c.logPath;
      out.logFormat = 'cri';
    }
    const layers = await this.snapshotLayers(id, c.info);
    // The writable layer: what the container wrote (as Docker's overlay2 UpperDir).
    if (layers.length > 1) out.rootfsDir = layers[0];
    return out;
  }

  // The kubelet's side of log files: the runtime writes them, the kubelet removes them (a
  // container's with the container, upstream's removeContainerLog; a pod's directory once the
  // pod has no sandbox left, its log GC). CriRuntime calls these around the removals.

  /** A container's log path, to remove its files after the container (undefined when it has none). */
  async containerLogPathOf(id: string): Promise<string | undefined> {
    try {
      const res = await this.ctx.runtime.ContainerStatus({ container_id: id, verbose: false });
      return res.status?.log_path || undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes a container's log and its rotated files (upstream's Clean: `<log>*`), and its directory once empty. */
  async removeContainerLogs(logPath: string): Promise<void> {
    const dir = dirname(logPath);
    const base = basename(logPath);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names) if (n === base || n.startsWith(`${base}.`)) await rm(`${dir}/${n}`, { force: true });
    await rmdir(dir).catch(() => undefined);
  }

  /** The sandbox's pod (its uid) and log directory, to remove after the sandbox. */
  async podLogsOf(sandboxId: string): Promise<{ uid: string; dir: string } | undefined> {
    try {
      const { status } = await this.ctx.runtime.PodSandboxStatus({ pod_sandbox_id: sandboxId, verbose: false });
      const m = status?.metadata;
      return m ? { uid: m.uid, dir: podLogDirectory(this.ctx.logRoot, m) } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes a pod's log directory unless another sandbox of the pod (a later attempt) still uses it. */
  async removePodLogs(pod: { uid: string; dir: string }): Promise<void> {
    const { items } = await this.ctx.runtime.ListPodSandbox({});
    if (items.some((s) => s.metadata?.uid === pod.uid)) return;
    await rm(pod.dir, { recursive: true, force: true });
  }
}
