// Docker's json-file log, line by line, with byte offsets.
//
// Each line of `<id>-json.log` is one write of the container:
//   {"log":"hello\n","stream":"stdout","time":"2026-01-01T00:00:00.123456789Z"}
// A message longer than 16 KiB arrives as several entries of one stream, all but the last
// without the trailing "\n" (Docker's partial messages), possibly with entries of the other
// stream in between; they are joined into one line, timed by its first piece.
//
// Offsets: an entry is emitted with the logical offset just after the json line that ends it.
// While a stream holds pieces of an unfinished message, lines completed after that message
// began are held back, so what is emitted is always a prefix of the log in offset order and
// `checkpoint` (where a reader that stops must resume) never skips a held piece.
import { LOG_LINE_MAX_BYTES, LOG_TRUNCATED_MARKER, type LogIngestEntry } from '../../api/index.js';
import { cutUtf8 } from './line-splitter.js';

type Stream = 'stdout' | 'stderr';

/** An unfinished message: its pieces so far. */
export interface Pending {
  /** Offset where the first piece's json line starts. */
  start: number;
  time: number;
  pieces: string[];
  bytes: number;
  truncated: boolean;
}

interface JsonLogLine {
  log?: unknown;
  stream?: unknown;
  time?: unknown;
}

const LOG_PREFIX = Buffer.from('{"log":"');
const STREAM_THEN_TIME: Record<Stream, Buffer> = {
  stdout: Buffer.from(',"stream":"stdout","time":"'),
  stderr: Buffer.from(',"stream":"stderr","time":"'),
};
const FIELDS_LEN = STREAM_THEN_TIME.stdout.length;

/**
 * A json line in the form Docker writes nearly every line in (moby's jsonlog MarshalJSONBuf:
 * log, stream, time in this order), read without JSON.parse: `{"log":"TEXT\n","stream":
 * "stdout","time":"..."}` where the final `\n` is TEXT's only escape. Anything else (another
 * escape, a piece without its newline, attrs) is undefined, for JSON.parse.
 */
function plainLine(chunk: Buffer, from: number, nl: number): { text: string; stream: Stream; time: string } | undefined {
  const textStart = from + LOG_PREFIX.length;
  if (nl - textStart < FIELDS_LEN + 4 || chunk.compare(LOG_PREFIX, 0, LOG_PREFIX.length, from, textStart) !== 0) return undefined;
  const quote = chunk.indexOf(0x22 /* " */, textStart);
  // The text's first backslash must be that of the final \n (bounded: there is one there).
  if (quote < 0 || quote >= nl || chunk[quote - 1] !== 0x6e /* n */ || chunk[quote - 2] !== 0x5c /* \ */) return undefined;
  if (chunk.indexOf(0x5c, textStart) !== quote - 2) return undefined;
  const fields = quote + 1;
  if (fields + FIELDS_LEN + 2 > nl) return undefined;
  const stream: Stream | undefined =
    chunk.compare(STREAM_THEN_TIME.stdout, 0, FIELDS_LEN, fields, fields + FIELDS_LEN) === 0 ? 'stdout'
    : chunk.compare(STREAM_THEN_TIME.stderr, 0, FIELDS_LEN, fields, fields + FIELDS_LEN) === 0 ? 'stderr'
    : undefined;
  if (!stream || chunk[nl - 1] !== 0x7d /* } */ || chunk[nl - 2] !== 0x22) return undefined;
  const time = chunk.toString('latin1', fields + FIELDS_LEN, nl - 2);
  if (time.includes('"') || time.includes('\\')) return undefined;
  return { text: chunk.toString('utf8', textStart, quote - 2), stream, time };
}

const baseCache = new Map<string, number>();

/** Unix microseconds of Docker's RFC 3339 nano times; NaN when malformed. */
export function dockerTimeToMicros(t: string): number {
  // "2026-01-01T00:00:00.123456789Z": the seconds part repeats line after line; cache it.
  const head = t.slice(0, 19);
  let ms = baseCache.get(head);
  if (ms === undefined) {
    ms = Date.parse(`${head}Z`);
    if (baseCache.size > 4096) baseCache.clear();
    baseCache.set(head, ms);
  }
  let us = ms * 1000;
  if (t.charCodeAt(19) === 0x2e /* . */) {
    let frac = 0;
    let digits = 0;
    for (let i = 20; i < t.length && digits < 6; i++, digits++) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      frac = frac * 10 + c;
    }
    for (; digits < 6; digits++) frac *= 10;
    us += frac;
  }
  // Not UTC ("+02:00"): let Date do the whole thing (millisecond precision).
  if (!t.endsWith('Z')) us = Date.parse(t) * 1000;
  return us;
}

export class DockerJsonLogParser {
  private readonly maxLineBytes: number;
  protected readonly pending: Partial<Record<Stream, Pending>> = {};
  private held: LogIngestEntry[] = [];
  private consumed: number;
  /** json lines that could not be read (corrupt), skipped. */
  skipped = 0;

  constructor(at = 0, maxLineBytes = LOG_LINE_MAX_BYTES) {
    this.consumed = at;
    this.maxLineBytes = maxLineBytes;
  }

  /** Offset after the last complete json line fed. */
  get position(): number {
    return this.consumed;
  }

  /** Where a reader that stops now must resume: before the oldest held piece. */
  get checkpoint(): number {
    let cp = this.consumed;
    for (const p of Object.values(this.pending)) if (p && p.start < cp) cp = p.start;
    return cp;
  }

  /** True while pieces of an unfinished message are held. */
  get hasPending(): boolean {
    return this.pending.stdout !== undefined || this.pending.stderr !== undefined;
  }

  /** Skips bytes that will not be fed (a damaged end of a rotated file): the next chunk starts at `at`. */
  skipTo(at: number): void {
    if (at > this.consumed) this.consumed = at;
  }

  reset(at: number): void {
    this.pending.stdout = undefined;
    this.pending.stderr = undefined;
    this.held = [];
    this.consumed = at;
  }

  /**
   * Feeds bytes that follow the previous ones. Only whole json lines are used; returns the
   * entries that can be emitted and how many bytes of `chunk` were used (the rest is an
   * unfinished json line to feed again with more bytes).
   */
  push(chunk: Buffer): { entries: LogIngestEntry[]; used: number } {
    let from = 0;
    const base = this.consumed;
    for (;;) {
      const nl = chunk.indexOf(0x0a, from);
      if (nl < 0) break;
      this.entry(chunk, from, nl, base + from, base + nl + 1);
      from = nl + 1;
    }
    this.consumed = base + from;
    return { entries: this.release(), used: from };
  }

  /** At the end of a container's log: unfinished messages become lines as they are. */
  finish(): LogIngestEntry[] {
    for (const s of ['stdout', 'stderr'] as const) {
      const p = this.pending[s];
      if (!p) continue;
      this.pending[s] = undefined;
      this.held.push(this.complete(s, p, '', this.consumed));
    }
    return this.release();
  }

  /** One json line `chunk[from, nl)`, which spans `[start, end)` of the log (the CRI parser reads its own format here). */
  protected entry(chunk: Buffer, from: number, nl: number, start: number, end: number): void {
    const plain = plainLine(chunk, from, nl);
    if (plain) {
      const p = this.pending[plain.stream];
      this.line(plain.stream, dockerTimeToMicros(plain.time), plain.text, p, start, end);
      return;
    }
    let j: JsonLogLine;
    try {
      j = JSON.parse(chunk.toString('utf8', from, nl)) as JsonLogLine;
    } catch {
      this.skipped++;
      return;
    }
    if (typeof j.log !== 'string') {
      this.skipped++;
      return;
    }
    const stream: Stream = j.stream === 'stderr' ? 'stderr' : 'stdout';
    const time = typeof j.time === 'string' ? dockerTimeToMicros(j.time) : NaN;
    const log = j.log;
    const ends = log.endsWith('\n');
    const p = this.pending[stream];
    if (!ends) {
      // A piece of a longer message.
      if (p) this.add(p, log);
      else {
        const np: Pending = { start, time, pieces: [], bytes: 0, truncated: false };
        this.add(np, log);
        this.pending[stream] = np;
      }
      return;
    }
    this.line(stream, time, log.endsWith('\r\n') ? log.slice(0, -2) : log.slice(0, -1), p, start, end);
  }

  /** A message's end (its newline read): a line of its own, or the last piece of `p`. */
  protected line(stream: Stream, time: number, text: string, p: Pending | undefined, start: number, end: number): void {
    if (p) {
      this.pending[stream] = undefined;
      this.held.push(this.complete(stream, p, text, end));
    } else if (text.length * 3 <= this.maxLineBytes) {
      this.held.push({ time, line: text, stream, end });
    } else {
      const np: Pending = { start, time, pieces: [], bytes: 0, truncated: false };
      this.held.push(this.complete(stream, np, text, end));
    }
  }

  protected add(p: Pending, piece: string): void {
    if (p.bytes > this.maxLineBytes) {
      p.truncated = true;
      return;
    }
    p.pieces.push(piece);
    p.bytes += Buffer.byteLength(piece, 'utf8');
  }

  private complete(stream: Stream, p: Pending, last: string, end: number): LogIngestEntry {
    this.add(p, last);
    let line = p.pieces.join('');
    let truncated = p.truncated;
    if (truncated || (line.length * 3 > this.maxLineBytes && Buffer.byteLength(line, 'utf8') > this.maxLineBytes)) {
      truncated = true;
      line = cutUtf8(Buffer.from(line, 'utf8'), this.maxLineBytes) + LOG_TRUNCATED_MARKER;
    }
    const entry: LogIngestEntry = { time: Number.isNaN(p.time) ? 0 : p.time, line, stream, end };
    if (truncated) entry.truncated = true;
    return entry;
  }

  /** Held entries that end before every unfinished message began, in offset order. */
  private release(): LogIngestEntry[] {
    if (!this.held.length) return [];
    const limit = this.checkpoint;
    if (!this.hasPending) {
      const out = this.held;
      this.held = [];
      if (out.length > 1 && !isSorted(out)) out.sort((a, b) => a.end - b.end);
      return out;
    }
    const ready: LogIngestEntry[] = [];
    const keep: LogIngestEntry[] = [];
    for (const e of this.held) (e.end <= limit ? ready : keep).push(e);
    this.held = keep;
    return ready.sort((a, b) => a.end - b.end);
  }
}

function isSorted(entries: LogIngestEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (entries[i].end < entries[i - 1].end) return false;
  return true;
}
