// A CRI runtime's container log (containerd, CRI-O) read on the host, with byte offsets that
// survive restarts and the kubelet's rotation (the container log manager: rename `<log>` to
// `<log>.<YYYYMMDD-hhmmss>`, ReopenContainerLog, and at the next rotation gzip that one to
// `.gz` and remove it; beyond max files the oldest is removed).
//
// The reader keeps its file open, so the rename never loses it: at the end of the file, when
// the path names another file, the rest is read and the reader goes on with the next newer
// file. A file is known by a hash of its first bytes (each record starts with a nanosecond
// time), which stays the same when it is renamed or gzipped, so a restarted reader finds the
// file of its checkpoint even in a `.gz`. Offsets are logical, increasing across files, as
// json-file-reader.ts's.
import { createHash } from 'node:crypto';
import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { LogCheckpoint, LogIngestEntry } from '../../api/index.js';
import { criLogFiles, type CriLogFile } from '../runtime/index.js';
import { CriLogParser } from './cri-log-parser.js';
import type { ReadResult, SourceReader } from './source-reader.js';

const gunzipAsync = promisify(gunzip);

/** Bytes at a file's start that tell it from the others. */
const HEAD_BYTES = 128;

interface Cursor {
  head: string;
  len: number;
  pos: number;
}

interface Segment {
  head: string;
  len: number;
  /** Logical offset of the file's first byte. */
  base: number;
}

/** One log file, plain (read where it is, followed while it grows) or gzipped (read whole). */
interface OpenFile {
  path: string;
  ino?: bigint;
  read(buf: Buffer, pos: number): Promise<number>;
  size(): Promise<number>;
  head(len: number): Promise<Buffer>;
  close(): Promise<void>;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('base64url');
}

async function openLog(f: CriLogFile): Promise<OpenFile | undefined> {
  try {
    if (f.gzip) {
      const data = await gunzipAsync(await readFile(f.path));
      return {
        path: f.path,
        read: async (buf, pos) => data.copy(buf, 0, pos, Math.min(data.length, pos + buf.length)),
        size: async () => data.length,
        head: async (len) => data.subarray(0, len),
        close: async () => undefined,
      };
    }
    const fh: FileHandle = await open(f.path, 'r');
    const ino = (await fh.stat({ bigint: true })).ino;
    return {
      path: f.path,
      ino,
      read: async (buf, pos) => (await fh.read(buf, 0, buf.length, pos)).bytesRead,
      size: async () => (await fh.stat()).size,
      head: async (len) => {
        const b = Buffer.alloc(len);
        const { bytesRead } = await fh.read(b, 0, len, 0);
        return b.subarray(0, bytesRead);
      },
      close: () => fh.close().catch(() => undefined),
    };
  } catch {
    return undefined;
  }
}

export interface CriFileReaderOptions {
  /** The container's log_path. */
  logPath: string;
  /** Bytes read per call. @defaultValue 1 MiB */
  chunkBytes?: number;
  maxLineBytes?: number;
  /** Told when rotation lost lines (files removed before they were read). */
  onGap?: (message: string) => void;
}

async function inode(path: string): Promise<bigint | undefined> {
  try {
    return (await stat(path, { bigint: true })).ino;
  } catch {
    return undefined;
  }
}

export class CriFileReader implements SourceReader {
  readonly id: string;
  private readonly opts: CriFileReaderOptions;
  private readonly buf: Buffer;
  private file: OpenFile | undefined;
  private readPos = 0;
  private base = 0;
  private carry: Buffer = Buffer.alloc(0);
  private parser: CriLogParser;
  /** The files read since the last resume (the current one last), for checkpoints of held pieces. */
  private segments: Segment[] = [];

  constructor(id: string, opts: CriFileReaderOptions) {
    this.id = id;
    this.opts = opts;
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1024 * 1024);
    this.parser = new CriLogParser(0, opts.maxLineBytes);
  }

  private async use(file: OpenFile, pos: number, base: number): Promise<void> {
    await this.file?.close();
    this.file = file;
    this.readPos = pos;
    this.base = base;
    this.carry = Buffer.alloc(0);
    const head = await file.head(HEAD_BYTES);
    this.segments.push({ head: sha(head), len: head.length, base });
    if (this.segments.length > 16) this.segments.shift();
  }

  /** The current file's head once it has grown to HEAD_BYTES (it was shorter when opened). */
  private async refreshHead(): Promise<void> {
    const seg = this.segments.at(-1);
    if (!this.file || !seg || seg.len >= HEAD_BYTES) return;
    const head = await this.file.head(HEAD_BYTES);
    seg.head = sha(head);
    seg.len = head.length;
  }

  /** The log's files, oldest first, and which of them starts with `head` (len bytes). */
  private async find(head: string, len: number): Promise<{ files: CriLogFile[]; at: number; file?: OpenFile }> {
    const files = await criLogFiles(this.opts.logPath);
    for (let i = files.length - 1; i >= 0; i--) {
      const f = await openLog(files[i]);
      if (!f) continue;
      if (sha(await f.head(len)) === head) return { files, at: i, file: f };
      await f.close();
    }
    return { files, at: -1 };
  }

  async resume(cp: LogCheckpoint | undefined): Promise<void> {
    await this.file?.close();
    this.file = undefined;
    this.segments = [];
    const offset = cp?.offset ?? 0;
    this.parser = new CriLogParser(offset, this.opts.maxLineBytes);
    let cursor: Cursor | undefined;
    try {
      cursor = cp?.cursor ? (JSON.parse(cp.cursor) as Cursor) : undefined;
    } catch {
      cursor = undefined;
    }
    if (cursor && cursor.len > 0) {
      const found = await this.find(cursor.head, cursor.len);
      if (found.file) return this.use(found.file, cursor.pos, offset - cursor.pos);
      if (offset > 0) this.opts.onGap?.(`log file of checkpoint ${offset} is gone (rotated away); lines between it and the oldest file there are lost`);
    }
    this.base = offset;
    this.readPos = 0;
    await this.openOldest(offset);
  }

  private async openOldest(base: number): Promise<boolean> {
    for (const f of await criLogFiles(this.opts.logPath)) {
      const o = await openLog(f);
      if (o) {
        await this.use(o, 0, base);
        return true;
      }
    }
    return false;
  }

  private cursorFor(offset: number): string {
    let seg: Segment | undefined;
    for (const s of this.segments) if (s.base <= offset && (!seg || s.base >= seg.base)) seg = s;
    return JSON.stringify({ head: seg?.head ?? '', len: seg?.len ?? 0, pos: offset - (seg?.base ?? this.base) } satisfies Cursor);
  }

  private checkpoint(): LogCheckpoint {
    const offset = this.parser.checkpoint;
    return { offset, cursor: this.cursorFor(offset) };
  }

  async read(maxEntries: number): Promise<ReadResult> {
    const entries: LogIngestEntry[] = [];
    if (!this.file && !(await this.openOldest(this.base))) return { entries, checkpoint: this.checkpoint(), eof: true };
    for (let rounds = 0; entries.length < maxEntries && rounds < 64; rounds++) {
      const bytesRead = await this.file!.read(this.buf, this.readPos);
      if (bytesRead === 0) {
        if (!(await this.nextFile())) return { entries, checkpoint: this.checkpoint(), eof: true };
        continue;
      }
      this.readPos += bytesRead;
      await this.refreshHead();
      const data = this.carry.length ? Buffer.concat([this.carry, this.buf.subarray(0, bytesRead)]) : this.buf.subarray(0, bytesRead);
      const { entries: got, used } = this.parser.push(data);
      for (const e of got) entries.push(e);
      this.carry = used < data.length ? Buffer.from(data.subarray(used)) : Buffer.alloc(0);
      if (bytesRead < this.buf.length) break;
    }
    return { entries, checkpoint: this.checkpoint(), eof: false };
  }

  /** At the end of the current file: on to the next newer one if the kubelet rotated; false when there is none. */
  private async nextFile(): Promise<boolean> {
    const file = this.file!;
    const live = await inode(this.opts.logPath);
    // The live file, or renamed and not yet replaced (the runtime still writes to it until ReopenContainerLog).
    if (file.ino !== undefined && (live === undefined || live === file.ino)) return false;
    if ((await file.size()) > this.readPos) return true;
    if (this.carry.length) {
      // A rotated file that ends inside a record: that record is damaged; skip it.
      this.parser.skipped++;
      this.carry = Buffer.alloc(0);
    }
    const seg = this.segments.at(-1)!;
    const found = await this.find(seg.head, seg.len);
    let nextIndex = found.at + 1;
    if (found.file) await found.file.close();
    if (found.at < 0) {
      this.opts.onGap?.(`fell behind log rotation: some lines before ${found.files[0]?.path ?? 'the log'} are lost`);
      nextIndex = 0;
    }
    const nextFile = found.files[nextIndex];
    if (!nextFile) return false;
    const next = await openLog(nextFile);
    if (!next) return false;
    const nextBase = this.base + this.readPos;
    this.parser.skipTo(nextBase);
    await this.use(next, 0, nextBase);
    return true;
  }

  finish(): ReadResult {
    const entries = this.parser.finish();
    return { entries, checkpoint: { ...this.checkpoint(), finished: true }, eof: true };
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }
}
