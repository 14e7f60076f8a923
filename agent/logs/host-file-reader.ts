// One file inside a container, read on the host (host-view.ts) by its inode.
//
// - appended: lines are read from the last position (O(new bytes));
// - renamed (rotated away) and recreated: the reader holds the old file open and reads it to
//   its end; the new file is a new inode, hence a new source read from its start;
// - truncated (copytruncate) or rewritten in place: the file is shorter than the position, or
//   its first bytes changed; reading starts again at its beginning, with logical offsets that
//   keep increasing so the stored checkpoint still covers what was read before.
// Lines are timed by the file's modification time when read (an upper bound of when each was
// written; files carry no time per line).
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import type { LogCheckpoint, LogIngestEntry } from '../../api/index.js';
import { LineSplitter } from './line-splitter.js';
import type { ReadResult, SourceReader } from './source-reader.js';

/** Bytes at the start of a file that identify its content (besides its inode). */
const HEAD_BYTES = 64;

interface Cursor {
  pos: number;
  /** sha256 of the first `len` bytes when the reader last looked. */
  head: string;
  len: number;
  /** Where the file was found (a restarted collector looks for a renamed file beside it). */
  path?: string;
}

/** The path a HostFileReader checkpoint's file was found at, if it says. */
export function hostFileCursorPath(cursor: string | undefined): string | undefined {
  try {
    return cursor ? (JSON.parse(cursor) as Cursor).path : undefined;
  } catch {
    return undefined;
  }
}

export interface HostFileReaderOptions {
  /** The path inside the container (the source's path). */
  path: string;
  hostPath: string;
  /** Bytes read per call. @defaultValue 1 MiB */
  chunkBytes?: number;
  maxLineBytes?: number;
  /** Unix µs now (lines are never timed after it). */
  nowMicros: () => number;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('base64url');
}

export class HostFileReader implements SourceReader {
  readonly id: string;
  readonly path: string;
  private readonly opts: HostFileReaderOptions;
  private readonly buf: Buffer;
  private fh: FileHandle | undefined;
  /** Logical offset of the file's first byte (grows when the file is truncated). */
  private base = 0;
  private readPos = 0;
  private head = '';
  private headLen = 0;
  private splitter: LineSplitter;

  constructor(id: string, opts: HostFileReaderOptions) {
    this.id = id;
    this.path = opts.path;
    this.opts = opts;
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1024 * 1024);
    this.splitter = new LineSplitter(0, opts.maxLineBytes);
  }

  private async headOf(len: number): Promise<Buffer> {
    const b = Buffer.alloc(len);
    const { bytesRead } = await this.fh!.read(b, 0, len, 0);
    return b.subarray(0, bytesRead);
  }

  async resume(cp: LogCheckpoint | undefined): Promise<void> {
    if (!this.fh) this.fh = await open(this.opts.hostPath, 'r');
    const offset = cp?.offset ?? 0;
    let cursor: Cursor | undefined;
    try {
      cursor = cp?.cursor ? (JSON.parse(cp.cursor) as Cursor) : undefined;
    } catch {
      cursor = undefined;
    }
    const size = (await this.fh.stat()).size;
    let pos = 0;
    if (cursor && cursor.pos <= size && (cursor.len === 0 || sha(await this.headOf(cursor.len)) === cursor.head)) pos = cursor.pos;
    // Otherwise the file was truncated or replaced since: its content starts at the checkpoint.
    this.base = offset - pos;
    this.readPos = pos;
    this.splitter = new LineSplitter(offset, this.opts.maxLineBytes);
    this.head = cursor && pos ? cursor.head : '';
    this.headLen = cursor && pos ? cursor.len : 0;
  }

  private checkpoint(): LogCheckpoint {
    const offset = this.splitter.pendingStart;
    return { offset, cursor: JSON.stringify({ pos: offset - this.base, head: this.head, len: this.headLen, path: this.path } satisfies Cursor) };
  }

  /** Restarts at the file's beginning; what was read stays below the new logical offsets. */
  private restart(entries: LogIngestEntry[], time: number): void {
    const last = this.splitter.flush();
    if (last) entries.push({ time, line: last.line, end: last.end, ...(last.truncated ? { truncated: true } : {}) });
    this.base = this.splitter.position;
    this.readPos = 0;
    this.splitter.reset(this.base);
    this.head = '';
    this.headLen = 0;
  }

  async read(maxEntries: number): Promise<ReadResult> {
    if (!this.fh) await this.resume(undefined);
    const entries: LogIngestEntry[] = [];
    const st = await this.fh!.stat();
    const time = Math.min(this.opts.nowMicros(), Math.trunc(st.mtimeMs * 1000));
    // Content replaced since the last look (truncated and written again to the same size or
    // more, within the same timestamp tick) shows only in the first bytes: compare them on
    // every look (one small read).
    if (st.size < this.readPos) this.restart(entries, time);
    else if (this.headLen > 0 && sha(await this.headOf(this.headLen)) !== this.head) this.restart(entries, time);
    for (let rounds = 0; entries.length < maxEntries && rounds < 64; rounds++) {
      const { bytesRead } = await this.fh!.read(this.buf, 0, this.buf.length, this.readPos);
      if (bytesRead === 0) return { entries, checkpoint: this.checkpoint(), eof: true };
      this.readPos += bytesRead;
      for (const l of this.splitter.push(this.buf.subarray(0, bytesRead))) {
        entries.push(l.truncated ? { time, line: l.line, end: l.end, truncated: true } : { time, line: l.line, end: l.end });
      }
      if (this.headLen < HEAD_BYTES) {
        // Remember the file's first bytes (up to HEAD_BYTES) to notice it being rewritten.
        const h = await this.headOf(Math.min(HEAD_BYTES, this.readPos));
        this.head = sha(h);
        this.headLen = h.length;
      }
      if (bytesRead < this.buf.length) break;
    }
    return { entries, checkpoint: this.checkpoint(), eof: false };
  }

  finish(): ReadResult {
    const entries: LogIngestEntry[] = [];
    const last = this.splitter.flush();
    if (last) entries.push({ time: this.opts.nowMicros(), line: last.line, end: last.end, ...(last.truncated ? { truncated: true } : {}) });
    return { entries, checkpoint: { ...this.checkpoint(), finished: true }, eof: true };
  }

  async close(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }
}
