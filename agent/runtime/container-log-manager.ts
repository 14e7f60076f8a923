// The kubelet's container log manager (pkg/kubelet/logs/container_log_manager.go) for CRI
// runtimes, whose log files the runtime writes and the kubelet rotates: every period, each
// running container's log at or above maxSize is rotated: leftovers of an interrupted rotation
// removed (`.tmp`, a file whose `.gz` exists), the oldest rotated files beyond maxFiles - 2
// removed, the rotated ones not yet compressed gzipped to `.gz`, then the live file renamed
// to `<log>.<YYYYMMDD-hhmmss>` and the runtime told to open a new one (ReopenContainerLog);
// if that fails the rename is undone. Readers (cri-log-reader.ts, agent/logs' CriFileReader)
// hold the file open, so a rename or compression never cuts what they read.
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { rotationSuffix } from './cri-log-format.js';

export interface LogRotatePolicy {
  /** containerLogMaxSize. @defaultValue 10 MiB */
  maxSizeBytes: number;
  /** containerLogMaxFiles, the live file included (at least 2). @defaultValue 5 */
  maxFiles: number;
}

export const DEFAULT_LOG_ROTATE_POLICY: LogRotatePolicy = { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5 };

export interface ContainerLogManagerDeps {
  /** Running containers and their log paths. */
  listRunning(): Promise<{ id: string; logPath: string }[]>;
  /** The runtime closes the container's log file and opens a new one at its path (CRI ReopenContainerLog). */
  reopen(id: string): Promise<void>;
  logger?: { warn(message: string, fields?: Record<string, unknown>): void };
  now?: () => Date;
  /** Run after each pass (the CRI runtime's removal of orphaned pod log directories). */
  afterPass?: () => Promise<void>;
}

async function compress(path: string): Promise<void> {
  const tmp = `${path}.gz.tmp`;
  try {
    const mode = (await stat(path)).mode & 0o777;
    await pipeline(createReadStream(path), createGzip(), createWriteStream(tmp, { mode }));
    await rename(tmp, `${path}.gz`);
    await rm(path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * One rotation of a container's log, as upstream's rotateLog. Returns false when it did not
 * rotate (the log is smaller than maxSize, or a file of this second's name exists already).
 */
export async function rotateContainerLog(logPath: string, policy: LogRotatePolicy, reopen: () => Promise<void>, now = new Date()): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(logPath)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    // Removed from under the runtime: have it open a new one (upstream does the same).
    await reopen();
    return false;
  }
  if (size < policy.maxSizeBytes) return false;
  const dir = dirname(logPath);
  const prefix = `${basename(logPath)}.`;
  const all = (await readdir(dir)).filter((n) => n.startsWith(prefix));
  // Leftovers of an interrupted rotation: a compression's temporary file, a file already compressed.
  const unused = all.filter((n) => n.endsWith('.tmp') || (!n.endsWith('.gz') && all.includes(`${n}.gz`)));
  for (const n of unused) await rm(`${dir}/${n}`, { force: true });
  let rotated = all.filter((n) => !unused.includes(n)).sort();
  // The runtime's new file and the one rotated now are two: keep maxFiles - 2 older ones, the oldest go first.
  const excess = rotated.length - Math.max(0, policy.maxFiles - 2);
  for (const n of rotated.slice(0, Math.max(0, excess))) await rm(`${dir}/${n}`, { force: true });
  rotated = rotated.slice(Math.max(0, excess));
  for (const n of rotated) if (!n.endsWith('.gz')) await compress(`${dir}/${n}`);
  const target = `${logPath}.${rotationSuffix(now)}`;
  if (rotated.some((n) => `${dir}/${n}`.startsWith(target))) return false;
  await rename(logPath, target);
  try {
    await reopen();
  } catch (err) {
    // Rename it back so that the next round tries again (upstream's way).
    await rename(target, logPath).catch(() => undefined);
    throw err;
  }
  return true;
}

export class ContainerLogManager {
  private readonly deps: ContainerLogManagerDeps;
  private readonly policy: LogRotatePolicy;

  constructor(deps: ContainerLogManagerDeps, policy: Partial<LogRotatePolicy> = {}) {
    this.deps = deps;
    this.policy = { ...DEFAULT_LOG_ROTATE_POLICY, ...policy };
    if (this.policy.maxFiles < 2) throw new Error(`invalid MaxFiles ${this.policy.maxFiles}, must be > 1`);
  }

  /** One pass over the running containers; returns the ids whose log was rotated. */
  async rotateLogs(): Promise<string[]> {
    const done: string[] = [];
    for (const c of await this.deps.listRunning()) {
      if (!c.logPath) continue;
      try {
        if (await rotateContainerLog(c.logPath, this.policy, () => this.deps.reopen(c.id), this.deps.now?.() ?? new Date())) done.push(c.id);
      } catch (err) {
        this.deps.logger?.warn('Failed to rotate log for container', { containerID: c.id, path: c.logPath, error: String(err) });
      }
    }
    await this.deps.afterPass?.();
    return done;
  }

  /** Rotates every `periodMs` (the kubelet's containerLogMonitorInterval, 10 s) until aborted. */
  async run(signal: AbortSignal, periodMs = 10_000): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.rotateLogs();
      } catch (err) {
        this.deps.logger?.warn('Failed to rotate container logs', { error: String(err) });
      }
      await new Promise<void>((resolve) => {
        // Never what keeps the process alive.
        const t = setTimeout(resolve, periodMs).unref();
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            resolve();
          },
          { once: true },
        );
      });
    }
  }
}
