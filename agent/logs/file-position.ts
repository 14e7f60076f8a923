// Where a reader of one text file stands, for both ways of reading a file inside a container
// (on the host by its inode, host-file-reader.ts; through the runtime by its path,
// runtime-readers.ts): the logical offset stored in the checkpoint, the position in the file,
// and a hash of the file's first bytes that tells a rewritten file from an appended one.
//
// Logical offsets only grow: when the file is truncated or rewritten, reading starts again at
// its beginning above what was read before, so the stored checkpoint still covers it.
import { createHash } from 'node:crypto';
import type { LogCheckpoint, LogIngestEntry } from '../../api/index.js';
import { LineSplitter, type SplitLine } from './line-splitter.js';
import type { ReadResult } from './source-reader.js';

/** Bytes at the start of a file that identify its content. */
const HEAD_BYTES = 64;

/** What a file reader's checkpoint cursor holds. */
export interface FileCursor {
  /** Position in the file of the first byte not yet stored. */
  pos: number;
  /** sha256 of the first `len` bytes when the reader last looked. */
  head: string;
  len: number;
  /** Where the file was found (a restarted collector looks for a renamed file beside it). */
  path?: string;
}

export function parseFileCursor(cursor: string | undefined): FileCursor | undefined {
  try {
    return cursor ? (JSON.parse(cursor) as FileCursor) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads up to `len` bytes from the file's start. */
export type HeadReader = (len: number) => Promise<Buffer>;

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('base64url');
}

export function entryOf(l: SplitLine, time: number): LogIngestEntry {
  return l.truncated ? { time, line: l.line, end: l.end, truncated: true } : { time, line: l.line, end: l.end };
}

export class FilePosition {
  /** Logical offset of the file's first byte (grows when the file is truncated). */
  private base = 0;
  private pos = 0;
  private head = '';
  private headLen = 0;
  private splitter: LineSplitter;
  private readonly headOf: HeadReader;
  private readonly options: { maxLineBytes?: number | undefined; path?: string };

  /** `path` is written into checkpoints when given. */
  constructor(headOf: HeadReader, options: { maxLineBytes?: number | undefined; path?: string } = {}) {
    this.headOf = headOf;
    this.options = options;
    this.splitter = new LineSplitter(0, options.maxLineBytes);
  }

  /** Position in the file of the next byte to read. */
  get readPos(): number {
    return this.pos;
  }

  /**
   * Continues from a checkpoint on a file of `size` bytes. When the file is shorter than the
   * cursor or its first bytes changed, it was truncated or replaced since: its content starts
   * at the checkpoint's offset.
   */
  async resume(cp: LogCheckpoint | undefined, size: number): Promise<void> {
    const offset = cp?.offset ?? 0;
    const cursor = parseFileCursor(cp?.cursor);
    let pos = 0;
    if (cursor && cursor.pos <= size && (cursor.len === 0 || sha(await this.headOf(cursor.len)) === cursor.head)) pos = cursor.pos;
    this.base = offset - pos;
    this.pos = pos;
    this.splitter = new LineSplitter(offset, this.options.maxLineBytes);
    this.head = cursor && pos ? cursor.head : '';
    this.headLen = cursor && pos ? cursor.len : 0;
  }

  checkpoint(): LogCheckpoint {
    const offset = this.splitter.pendingStart;
    const cursor: FileCursor = { pos: offset - this.base, head: this.head, len: this.headLen };
    if (this.options.path !== undefined) cursor.path = this.options.path;
    return { offset, cursor: JSON.stringify(cursor) };
  }

  /**
   * Starts again at the file's beginning when it is now shorter than what was read, or its
   * first bytes changed (truncated and written again to the same size or more within one
   * timestamp tick shows only there). The unfinished line read before is stored as it is.
   */
  async restartIfRewritten(size: number, entries: LogIngestEntry[], time: number): Promise<void> {
    if (size >= this.pos && (this.headLen === 0 || sha(await this.headOf(this.headLen)) === this.head)) return;
    const last = this.splitter.flush();
    if (last) entries.push(entryOf(last, time));
    this.base = this.splitter.position;
    this.pos = 0;
    this.splitter.reset(this.base);
    this.head = '';
    this.headLen = 0;
  }

  /** Takes the bytes read at `readPos`: whole lines go to `entries`. */
  async consume(data: Buffer, entries: LogIngestEntry[], time: number): Promise<void> {
    this.pos += data.length;
    for (const l of this.splitter.push(data)) entries.push(entryOf(l, time));
    if (this.headLen < HEAD_BYTES) {
      const h = await this.headOf(Math.min(HEAD_BYTES, this.pos));
      this.head = sha(h);
      this.headLen = h.length;
    }
  }

  /** The source is done: its unfinished last line is stored as it is. */
  finish(time: number): ReadResult {
    const entries: LogIngestEntry[] = [];
    const last = this.splitter.flush();
    if (last) entries.push(entryOf(last, time));
    return { entries, checkpoint: { ...this.checkpoint(), finished: true }, eof: true };
  }
}
