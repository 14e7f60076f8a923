// The CRI container log format (kubelet-cri-logging design, pkg/kubelet/kuberuntime/logs):
// one line per write of the container, `<RFC 3339 nano time> <stdout|stderr> <tags> <content>\n`,
// tags `F` (the content ends a line: its "\n" is not written) or `P` (a piece of a longer
// line; the next piece of that stream follows), more tags after a `:` ignored.
// The runtime writes `<log_directory>/<log_path>`; the kubelet rotates it (container log
// manager) into `<log>.<YYYYMMDD-hhmmss>`, older ones gzipped to `.gz`.
import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { LogStreamName } from './container-runtime.js';

export interface CriLogRecord {
  /** The time as written (RFC 3339 with up to 9 fractional digits). */
  time: string;
  stream: LogStreamName;
  /** `P`: a piece of a longer line. */
  partial: boolean;
  /** Start and end (exclusive) of the content in the buffer given. */
  contentStart: number;
  contentEnd: number;
}

function stream(buf: Buffer, at: number, end: number): LogStreamName | undefined {
  const len = end - at;
  if (len === 6 && buf.toString('latin1', at, end) === 'stdout') return 'stdout';
  if (len === 6 && buf.toString('latin1', at, end) === 'stderr') return 'stderr';
  return undefined;
}

/** One record of `buf[from, end)` (without its "\n"); undefined when it is not in the format. */
export function parseCriLogRecord(buf: Buffer, from: number, end: number): CriLogRecord | undefined {
  const s1 = buf.indexOf(0x20, from);
  if (s1 < 0 || s1 >= end) return undefined;
  const s2 = buf.indexOf(0x20, s1 + 1);
  if (s2 < 0 || s2 >= end) return undefined;
  const st = stream(buf, s1 + 1, s2);
  if (!st) return undefined;
  // The tags end at the next space, or at the end of a record with empty content.
  let s3 = buf.indexOf(0x20, s2 + 1);
  if (s3 < 0 || s3 > end) s3 = end;
  const firstTag = buf.toString('latin1', s2 + 1, s3).split(':')[0];
  if (firstTag !== 'F' && firstTag !== 'P') return undefined;
  return { time: buf.toString('latin1', from, s1), stream: st, partial: firstTag === 'P', contentStart: Math.min(s3 + 1, end), contentEnd: end };
}

/** One record, written as a runtime does (for tests and fakes). */
export function formatCriLogRecord(time: string, streamName: LogStreamName, content: string, partial = false): string {
  return `${time} ${streamName} ${partial ? 'P' : 'F'} ${content}\n`;
}

/** The rotated file name's time, as the kubelet writes it (Go's "20060102-150405", local time). */
export function rotationSuffix(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

export interface CriLogFile {
  path: string;
  gzip: boolean;
}

/**
 * A container's log files, oldest first, the live one last (upstream's GetAllLogs): the rotated
 * `<log>.<time>` and `<log>.<time>.gz`; a `.tmp` (a compression under way) or a file whose `.gz`
 * is already there (about to be removed) is not in use.
 */
export async function criLogFiles(logPath: string): Promise<CriLogFile[]> {
  const dir = dirname(logPath);
  const base = basename(logPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    names = [];
  }
  const rotated = names.filter((n) => n.startsWith(`${base}.`) && !n.endsWith('.tmp'));
  const inUse = rotated.filter((n) => n.endsWith('.gz') || !rotated.includes(`${n}.gz`)).sort();
  return [...inUse.map((n) => ({ path: `${dir}/${n}`, gzip: n.endsWith('.gz') })), { path: logPath, gzip: false }];
}
