// The container's stdout and stderr, read from Docker's json-file log on the host, with byte
// offsets that survive restarts and rotation.
//
// Docker rotates `<id>-json.log` by renaming it to `.1` (older ones shift to `.2`, ...; the
// oldest beyond max-file is deleted) and starting a new file. The reader keeps its file open,
// so a rename never loses it: at the end of its file it checks whether the path still names
// the same inode; if not, it reads what is left and goes on with the next newer file.
//
// Offsets are logical, increasing across files: the checkpoint is `offset` (bytes of the
// log consumed since the container started) and a cursor `{ino, pos}` naming the file and
// the position in it, so a restarted reader finds its file again even after rotations.
import { createHash } from 'node:crypto';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { LogCheckpoint, LogIngestEntry } from '../../api/index.js';
import { DockerJsonLogParser } from './json-log-parser.js';
import type { ReadResult, SourceReader } from './source-reader.js';

interface Segment {
  ino: string;
  /** Logical offset of the file's first byte. */
  base: number;
  /** sha256 of the file's first HEAD_BYTES bytes (fewer while it is shorter), and how many. */
  head: string;
  len: number;
}

interface Cursor {
  ino: string;
  pos: number;
  /** The file's head (Segment.head): an inode number can be reused by a later file. */
  head?: string;
  len?: number;
}

/** Docker's first json line carries a nanosecond time: its start tells files apart. */
const HEAD_BYTES = 128;

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('base64url');
}

export interface JsonFileReaderOptions {
  /** The container's LogPath. */
  logPath: string;
  /** Bytes read per call. @defaultValue 1 MiB */
  chunkBytes?: number;
  /** Rotated files Docker keeps (max-file - 1). @defaultValue 9 */
  maxRotated?: number;
  maxLineBytes?: number;
  /** Told when rotation lost lines (the reader fell more than max-file files behind). */
  onGap?: (message: string) => void;
}

async function inode(path: string): Promise<string | undefined> {
  try {
    return String((await stat(path, { bigint: true })).ino);
  } catch {
    return undefined;
  }
}

export class JsonFileReader implements SourceReader {
  readonly id: string;
  private readonly opts: JsonFileReaderOptions;
  private readonly buf: Buffer;
  private fh: FileHandle | undefined;
  private ino = '';
  /** File position of the next byte to read. */
  private readPos = 0;
  /** Logical offset of the current file's first byte. */
  private base = 0;
  /** Bytes of an unfinished json line, read but not parsed. */
  private carry: Buffer = Buffer.alloc(0);
  private parser: DockerJsonLogParser;
  /** Files opened since the last resume, for cursors of held pieces in earlier files. */
  private segments: Segment[] = [];

  constructor(id: string, opts: JsonFileReaderOptions) {
    this.id = id;
    this.opts = opts;
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1024 * 1024);
    this.parser = new DockerJsonLogParser(0, opts.maxLineBytes);
  }

  /** One look at the log files: path, path.1, path.2, ... with their inodes (holes included). */
  private async look(): Promise<({ path: string; ino: string } | undefined)[]> {
    const max = this.opts.maxRotated ?? 9;
    const out: ({ path: string; ino: string } | undefined)[] = [];
    for (let i = 0; i <= max; i++) {
      const path = i === 0 ? this.opts.logPath : `${this.opts.logPath}.${i}`;
      const ino = await inode(path);
      out.push(ino === undefined ? undefined : { path, ino });
    }
    while (out.length && out[out.length - 1] === undefined) out.pop();
    return out;
  }

  /**
   * The log files, newest first. Docker renames them one by one when it rotates (.3 → .4,
   * ..., log → .1, then a new log): a look in the middle sees holes or a file twice. Look
   * again until two looks agree and show no hole.
   */
  private async files(): Promise<{ path: string; ino: string }[]> {
    let prev = await this.look();
    for (let attempt = 0; attempt < 50; attempt++) {
      const next = await this.look();
      const same = next.length === prev.length && next.every((f, i) => f?.ino === prev[i]?.ino);
      if (same && next.every((f) => f !== undefined)) return next as { path: string; ino: string }[];
      prev = next;
      await new Promise((r) => setTimeout(r, 10));
    }
    return prev.filter((f): f is { path: string; ino: string } => f !== undefined);
  }

  private async headOf(fh: FileHandle, len: number): Promise<Buffer> {
    const b = Buffer.alloc(len);
    const { bytesRead } = await fh.read(b, 0, len, 0);
    return b.subarray(0, bytesRead);
  }

  /** Opens a file at a position; with `expect`, only if its head is that one (the same file). */
  private async openFile(path: string, ino: string, pos: number, base: number, expect?: { head: string; len: number }): Promise<boolean> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    let head: Buffer;
    try {
      const fh = await open(path, 'r');
      // The name may have moved on between listing and opening.
      if (String((await fh.stat({ bigint: true })).ino) !== ino) {
        await fh.close();
        return false;
      }
      if (expect && sha(await this.headOf(fh, expect.len)) !== expect.head) {
        await fh.close();
        return false;
      }
      head = await this.headOf(fh, HEAD_BYTES);
      this.fh = fh;
    } catch {
      return false;
    }
    this.ino = ino;
    this.readPos = pos;
    this.base = base;
    this.carry = Buffer.alloc(0);
    this.segments.push({ ino, base, head: sha(head), len: head.length });
    if (this.segments.length > 16) this.segments.shift();
    return true;
  }

  /** The current file's head once it has HEAD_BYTES bytes (it was shorter when opened). */
  private async refreshHead(): Promise<void> {
    const seg = this.segments.at(-1);
    if (!this.fh || !seg || seg.len >= HEAD_BYTES || seg.ino !== this.ino) return;
    const head = await this.headOf(this.fh, HEAD_BYTES);
    seg.head = sha(head);
    seg.len = head.length;
  }

  async resume(cp: LogCheckpoint | undefined): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    this.segments = [];
    const offset = cp?.offset ?? 0;
    this.parser = new DockerJsonLogParser(offset, this.opts.maxLineBytes);
    let cursor: Cursor | undefined;
    try {
      cursor = cp?.cursor ? (JSON.parse(cp.cursor) as Cursor) : undefined;
    } catch {
      cursor = undefined;
    }
    const files = await this.files();
    if (cursor) {
      const f = files.find((x) => x.ino === cursor.ino);
      const expect = cursor.head !== undefined && cursor.len !== undefined ? { head: cursor.head, len: cursor.len } : undefined;
      if (f && (await this.openFile(f.path, f.ino, cursor.pos, offset - cursor.pos, expect))) return;
      if (offset > 0) this.opts.onGap?.(`log file of checkpoint ${offset} is gone (rotated away); lines between it and ${files.at(-1)?.path ?? 'the log'} are lost`);
    }
    // From the oldest file there is (a fresh start, or a file rotated away while we were down).
    const oldest = files.at(-1);
    if (oldest) await this.openFile(oldest.path, oldest.ino, 0, offset);
    else {
      this.base = offset;
      this.readPos = 0;
      this.ino = '';
    }
  }

  private cursorFor(offset: number): string {
    let seg: Segment | undefined;
    for (const s of this.segments) if (s.base <= offset && (!seg || s.base >= seg.base)) seg = s;
    if (!seg) return JSON.stringify({ ino: this.ino, pos: offset - this.base } satisfies Cursor);
    return JSON.stringify({ ino: seg.ino, pos: offset - seg.base, head: seg.head, len: seg.len } satisfies Cursor);
  }

  private checkpoint(): LogCheckpoint {
    const offset = this.parser.checkpoint;
    return { offset, cursor: this.cursorFor(offset) };
  }

  async read(maxEntries: number): Promise<ReadResult> {
    const entries: LogIngestEntry[] = [];
    if (!this.fh) {
      // No log yet (the container has not started), or a resume found nothing: look again.
      const files = await this.files();
      const oldest = files.at(-1);
      if (!oldest || !(await this.openFile(oldest.path, oldest.ino, 0, this.base))) return { entries, checkpoint: this.checkpoint(), eof: true };
    }
    for (let rounds = 0; entries.length < maxEntries && rounds < 64; rounds++) {
      const { bytesRead } = await this.fh!.read(this.buf, 0, this.buf.length, this.readPos);
      if (bytesRead === 0) {
        if (!(await this.nextFile())) return { entries, checkpoint: this.checkpoint(), eof: true };
        continue;
      }
      this.readPos += bytesRead;
      await this.refreshHead();
      const data = this.carry.length ? Buffer.concat([this.carry, this.buf.subarray(0, bytesRead)]) : this.buf.subarray(0, bytesRead);
      const { entries: got, used } = this.parser.push(data);
      for (const e of got) entries.push(e);
      // Keep the unfinished json line (copied: the read buffer is reused).
      this.carry = used < data.length ? Buffer.from(data.subarray(used)) : Buffer.alloc(0);
      if (bytesRead < this.buf.length) break;
    }
    return { entries, checkpoint: this.checkpoint(), eof: false };
  }

  /** At the end of the current file: moves to the next newer file if Docker rotated; false when there is none. */
  private async nextFile(): Promise<boolean> {
    const current = await inode(this.opts.logPath);
    if (current === undefined || current === this.ino) return false;
    // Rotated: the old file is complete (Docker renames after its last write to it), but bytes
    // may have arrived between our last read and the rename: the caller reads it to its end
    // first, which is where we are when we get here again with nothing read.
    const size = (await this.fh!.stat()).size;
    if (size > this.readPos) return true;
    if (this.carry.length) {
      // A rotated file that ends inside a json line: that line is damaged; skip it.
      this.parser.skipped++;
      this.carry = Buffer.alloc(0);
    }
    const files = await this.files();
    const at = files.findIndex((f) => f.ino === this.ino);
    let next: { path: string; ino: string } | undefined;
    if (at > 0) next = files[at - 1];
    else {
      next = files.at(-1);
      this.opts.onGap?.(`fell behind log rotation: some lines before ${next?.path ?? 'the log'} are lost`);
    }
    if (!next) return false;
    const nextBase = this.base + this.readPos;
    this.parser.skipTo(nextBase);
    return this.openFile(next.path, next.ino, 0, nextBase);
  }

  finish(): ReadResult {
    const entries = this.parser.finish();
    return { entries, checkpoint: { ...this.checkpoint(), finished: true }, eof: true };
  }

  async close(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }
}
