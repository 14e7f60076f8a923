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
import { type FileHandle, open } from 'node:fs/promises';
import type { LogCheckpoint } from '../../api/index.js';
import { FilePosition, parseFileCursor } from './file-position.js';
import type { ReadResult, SourceReader } from './source-reader.js';

/** The path a HostFileReader checkpoint's file was found at, if it says. */
export function hostFileCursorPath(cursor: string | undefined): string | undefined {
  return parseFileCursor(cursor)?.path;
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

export class HostFileReader implements SourceReader {
  readonly id: string;
  readonly path: string;
  private readonly opts: HostFileReaderOptions;
  private readonly buf: Buffer;
  private fh: FileHandle | undefined;
  private readonly position: FilePosition;

  constructor(id: string, opts: HostFileReaderOptions) {
    this.id = id;
    this.path = opts.path;
    this.opts = opts;
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1024 * 1024);
    this.position = new FilePosition((len) => this.headOf(len), { maxLineBytes: opts.maxLineBytes, path: opts.path });
  }

  private async headOf(len: number): Promise<Buffer> {
    const b = Buffer.alloc(len);
    const { bytesRead } = await this.fh!.read(b, 0, len, 0);
    return b.subarray(0, bytesRead);
  }

  async resume(cp: LogCheckpoint | undefined): Promise<void> {
    if (!this.fh) this.fh = await open(this.opts.hostPath, 'r');
    await this.position.resume(cp, (await this.fh.stat()).size);
  }

  async read(maxEntries: number): Promise<ReadResult> {
    if (!this.fh) await this.resume(undefined);
    const entries: ReadResult['entries'] = [];
    const st = await this.fh!.stat();
    const time = Math.min(this.opts.nowMicros(), Math.trunc(st.mtimeMs * 1000));
    await this.position.restartIfRewritten(st.size, entries, time);
    for (let rounds = 0; entries.length < maxEntries && rounds < 64; rounds++) {
      const { bytesRead } = await this.fh!.read(this.buf, 0, this.buf.length, this.position.readPos);
      if (bytesRead === 0) return { entries, checkpoint: this.position.checkpoint(), eof: true };
      await this.position.consume(this.buf.subarray(0, bytesRead), entries, time);
      if (bytesRead < this.buf.length) break;
    }
    return { entries, checkpoint: this.position.checkpoint(), eof: false };
  }

  finish(): ReadResult {
    return this.position.finish(this.opts.nowMicros());
  }

  async close(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }
}
