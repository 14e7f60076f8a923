// Lines of a text file with their byte offsets, for readers that resume at an offset.
//
// Offsets are *logical*: the caller says where each chunk starts, so a reader can keep one
// increasing position across truncations and recreated files. A line is emitted with the
// offset just after its "\n" (`end`); bytes after the last "\n" wait for more (a partial line)
// and `pendingStart` says where they begin, which is where a reader that stops must resume.
// A line longer than the limit keeps its first `maxLineBytes` bytes, a marker, and is flagged.
import { LOG_LINE_MAX_BYTES, LOG_TRUNCATED_MARKER } from '../../api/index.js';

export interface SplitLine {
  line: string;
  /** Logical offset just after the line's "\n" (or its last byte, for a flushed partial line). */
  end: number;
  truncated: boolean;
}

/** The first `max` bytes of `bytes` as text, cut at a UTF-8 character boundary. */
export function cutUtf8(bytes: Buffer, max: number): string {
  if (bytes.length <= max) return bytes.toString('utf8');
  let end = max;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

export class LineSplitter {
  private readonly maxLineBytes: number;
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private truncated = false;
  private start = 0;
  private next = 0;

  constructor(at = 0, maxLineBytes = LOG_LINE_MAX_BYTES) {
    this.maxLineBytes = maxLineBytes;
    this.start = at;
    this.next = at;
  }

  /** Where the unfinished line begins (= where a resumed reader must start). */
  get pendingStart(): number {
    return this.start;
  }

  /** Offset of the next byte expected. */
  get position(): number {
    return this.next;
  }

  /** True when bytes of an unfinished line are held. */
  get hasPending(): boolean {
    return this.next > this.start;
  }

  /** Forgets everything and expects bytes from `at` (a truncated or replaced file). */
  reset(at: number): void {
    this.pieces = [];
    this.pendingBytes = 0;
    this.truncated = false;
    this.start = at;
    this.next = at;
  }

  /** Feeds the bytes that follow the previous ones; returns the lines they complete. */
  push(chunk: Buffer): SplitLine[] {
    const out: SplitLine[] = [];
    const base = this.next;
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, from);
      if (nl < 0) break;
      if (this.pendingBytes === 0 && !this.truncated && nl - from <= this.maxLineBytes) {
        // The common case: a whole line inside this chunk, decoded without a copy.
        const stop = nl > from && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
        out.push({ line: chunk.toString('utf8', from, stop), end: base + nl + 1, truncated: false });
        this.start = base + nl + 1;
      } else {
        this.keep(chunk.subarray(from, nl));
        out.push(this.take(base + nl + 1));
      }
      from = nl + 1;
    }
    if (from < chunk.length) this.keep(chunk.subarray(from));
    this.next = base + chunk.length;
    return out;
  }

  /** The held bytes as a final line (the file will not grow any more), if there are any. */
  flush(): SplitLine | undefined {
    if (!this.hasPending) return undefined;
    return this.take(this.next);
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const room = this.maxLineBytes + 4 - this.pendingBytes; // a little beyond, to cut at a character boundary
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (part.length < bytes.length) this.truncated = true;
    // Copy: the chunk's buffer is reused by the reader.
    this.pieces.push(Buffer.from(part));
    this.pendingBytes += part.length;
  }

  private take(end: number): SplitLine {
    let bytes = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.pendingBytes);
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1); // CRLF
    const truncated = this.truncated || bytes.length > this.maxLineBytes;
    const line = truncated ? cutUtf8(bytes, this.maxLineBytes) + LOG_TRUNCATED_MARKER : bytes.toString('utf8');
    this.pieces = [];
    this.pendingBytes = 0;
    this.truncated = false;
    this.start = end;
    return { line, end, truncated };
  }
}
