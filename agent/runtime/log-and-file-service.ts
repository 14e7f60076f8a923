// LogAndFileService: what a container wrote, running or exited (CRI's container log files,
// read through the engine, and files inside the container for the log service).
import type { KeyValue } from './runtime-types.js';

export type LogStreamName = 'stdout' | 'stderr';

export interface LogOptions {
  /** Keep streaming until the container stops or `signal` aborts. */
  follow?: boolean;
  /** Only lines at or after this instant (kubectl --since / --since-time). */
  since?: Date;
  /** Only the last N lines (before following). */
  tail?: number;
  /** Stop after this many bytes of content. */
  limitBytes?: number;
  /** Which stream; both by default. */
  stream?: LogStreamName | 'all';
  signal?: AbortSignal;
}

export interface LogLine {
  stream: LogStreamName;
  /** RFC 3339 with 9 fractional digits, as `kubectl logs --timestamps` prints it. */
  timestamp: string;
  time: Date;
  /** The line without its "\n" (a tty's "\r" stays). */
  content: string;
  /** The line had no "\n" (a write that did not end a line). */
  partial: boolean;
}

export interface FileInfo {
  /** Absolute path inside the container. */
  path: string;
  sizeBytes: number;
  modifiedAt: Date;
  mode: number;
}

export interface ReadFileOptions {
  offsetBytes?: number;
  limitBytes?: number;
}

/**
 * Where a container's output and files are, for a reader on the engine's host (the log
 * collectors in agent/logs read them directly, with byte offsets that survive restarts).
 * Paths are host paths; they may be unreadable when the engine runs on another machine.
 */
export interface ContainerLogInfo {
  /** The container's final environment (the image's variables merged with the config's). */
  env: KeyValue[];
  tty: boolean;
  /**
   * The container's log on the host. `json-file` (Docker's; rotated files `<logPath>.1`, `.2`, ...,
   * newest first) unless `logFormat` says `cri` (the CRI log format, cri-log-format.ts; rotated by
   * the kubelet to `<logPath>.<YYYYMMDD-hhmmss>`, older ones `.gz`).
   */
  logPath?: string;
  /** @defaultValue 'json-file' */
  logFormat?: 'json-file' | 'cri';
  /** The host directory that holds what the container wrote to its root filesystem (overlay2 UpperDir). */
  rootfsDir?: string;
  /** Every mount: its path inside the container and, for binds and volumes, its host directory. */
  mounts: { destination: string; source?: string }[];
}

export interface LogAndFileService {
  /** Log lines of a container, running or exited, stdout and stderr apart. */
  containerLogs(id: string, options?: LogOptions): AsyncIterable<LogLine>;

  /**
   * Regular files inside the container whose absolute path matches `pattern`
   * (`*`, `?`, `[...]` within one path segment, path-glob.ts). Works on exited containers.
   */
  statFiles(id: string, pattern: string): Promise<FileInfo[]>;
  /** Bytes of one file inside the container (running or exited), from offsetBytes. */
  readFile(id: string, path: string, options?: ReadFileOptions): Promise<Buffer>;

  /** Env and host locations of a container's output and files (running or exited), for log collectors. */
  containerLogInfo(id: string): Promise<ContainerLogInfo>;
}
