// Readers through the runtime's API, for engines whose files the agent cannot see (a remote
// Docker host, the fake runtime): slower, and with weaker identities, but the same contract.
//
// - stdout/stderr: `containerLogs(follow)`; the position is the number of log messages read
//   (offset) and the last message's timestamp plus how many messages carried it (cursor), so a
//   resumed reader asks the engine for messages since that time and skips those it had.
// - files: `statFiles` / `readFile` by path; a file shorter than the position, or whose first
//   bytes changed, starts again (rotation by rename shows as a new, shorter file at the path).
//   Unlike the host reader, a rotated file that still matches the pattern under its new name
//   is read again from its start (no inode here to recognise it by).
import type { LogCheckpoint, LogIngestEntry } from '../../api/index.js';
import { type ContainerRuntime, isRuntimeError, type LogLine } from '../runtime/index.js';
import { LOG_LINE_MAX_BYTES, LOG_TRUNCATED_MARKER } from '../../api/index.js';
import { dockerTimeToMicros } from './json-log-parser.js';
import { FilePosition } from './file-position.js';
import { cutUtf8 } from './line-splitter.js';
import type { ReadResult, SourceReader } from './source-reader.js';

interface StdioCursor {
  /** Timestamp (RFC 3339, 9 digits) of the last message read, and how many carried it. */
  ts: string;
  n: number;
}

interface Piece {
  time: number;
  text: string;
  /** Offset and cursor before the message's first piece. */
  at: number;
  cursor: StdioCursor;
  truncated: boolean;
}

/** stdout and stderr through `containerLogs`. */
export class RuntimeStdioReader implements SourceReader {
  readonly id: string;
  private readonly runtime: ContainerRuntime;
  private readonly containerId: string;
  private lines: LogLine[] = [];
  private abort = new AbortController();
  private pumping: Promise<void> | undefined;
  private ended = false;
  /** Messages read (the logical offset) and the cursor after them. */
  private offset = 0;
  private cursor: StdioCursor = { ts: '', n: 0 };
  /** Messages split into pieces (partial), per stream. */
  private partial: Partial<Record<'stdout' | 'stderr', Piece>> = {};
  /** Lines completed while a split message is unfinished: held, so offsets stay in order. */
  private held: LogIngestEntry[] = [];

  constructor(id: string, runtime: ContainerRuntime, containerId: string) {
    this.id = id;
    this.runtime = runtime;
    this.containerId = containerId;
  }

  async resume(cp: LogCheckpoint | undefined): Promise<void> {
    this.abort.abort();
    await this.pumping;
    this.abort = new AbortController();
    this.lines = [];
    this.partial = {};
    this.held = [];
    this.ended = false;
    this.offset = cp?.offset ?? 0;
    let cursor: StdioCursor = { ts: '', n: 0 };
    try {
      if (cp?.cursor) cursor = JSON.parse(cp.cursor) as StdioCursor;
    } catch {
      // start over from the beginning of what the engine keeps
    }
    this.cursor = { ...cursor };
    const lines = this.lines;
    this.pumping = this.pump(cursor, this.abort.signal, lines);
  }

  private async pump(from: StdioCursor, signal: AbortSignal, lines: LogLine[]): Promise<void> {
    let skip = from.n;
    try {
      const since = from.ts ? new Date(Math.floor(dockerTimeToMicros(from.ts) / 1000)) : undefined;
      for await (const line of this.runtime.containerLogs(this.containerId, { follow: true, signal, ...(since ? { since } : {}) })) {
        if (signal.aborted) break;
        if (from.ts) {
          if (line.timestamp < from.ts) continue;
          if (line.timestamp === from.ts && skip > 0) {
            skip--;
            continue;
          }
        }
        lines.push(line);
      }
    } catch (err) {
      if (!signal.aborted && !isRuntimeError(err, 'NotFound')) this.failure = err;
    } finally {
      if (!signal.aborted) this.ended = true;
    }
  }

  private failure: unknown;

  async read(maxEntries: number): Promise<ReadResult> {
    if (!this.pumping) await this.resume(undefined);
    if (this.failure) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
    const entries: LogIngestEntry[] = [];
    let n = 0;
    for (; n < this.lines.length && entries.length < maxEntries; n++) {
      const line = this.lines[n];
      const before = { ...this.cursor };
      const at = this.offset;
      this.offset++;
      this.cursor = line.timestamp === this.cursor.ts ? { ts: line.timestamp, n: this.cursor.n + 1 } : { ts: line.timestamp, n: 1 };
      const p = this.partial[line.stream];
      if (line.partial) {
        if (p) append(p, line.content);
        else {
          const np: Piece = { time: dockerTimeToMicros(line.timestamp), text: '', at, cursor: before, truncated: false };
          append(np, line.content);
          this.partial[line.stream] = np;
        }
        continue;
      }
      let entry: LogIngestEntry;
      if (p) {
        append(p, line.content);
        this.partial[line.stream] = undefined;
        entry = { time: p.time, line: cut(p), stream: line.stream, end: this.offset };
        if (p.truncated) entry.truncated = true;
      } else entry = { time: dockerTimeToMicros(line.timestamp), line: line.content, stream: line.stream, end: this.offset };
      this.held.push(entry);
      if (!this.partial.stdout && !this.partial.stderr) entries.push(...this.held.splice(0));
    }
    this.lines.splice(0, n);
    return { entries, checkpoint: this.checkpoint(), eof: this.lines.length === 0 };
  }

  private checkpoint(): LogCheckpoint {
    // Pieces of an unfinished message, and lines held behind them, are read again after a restart.
    const pieces = [this.partial.stdout, this.partial.stderr].filter((p): p is Piece => p !== undefined).sort((a, b) => a.at - b.at);
    if (pieces.length) return { offset: pieces[0].at, cursor: JSON.stringify(pieces[0].cursor) };
    return { offset: this.offset, cursor: JSON.stringify(this.cursor) };
  }

  /** Whether the engine ended the stream (the container stopped) and everything was read. */
  get done(): boolean {
    return this.ended && this.lines.length === 0;
  }

  finish(): ReadResult {
    const entries: LogIngestEntry[] = [];
    for (const s of ['stdout', 'stderr'] as const) {
      const p = this.partial[s];
      if (!p) continue;
      this.partial[s] = undefined;
      this.held.push({ time: p.time, line: cut(p), stream: s, end: Math.max(this.offset, (this.held.at(-1)?.end ?? 0) + 1), ...(p.truncated ? { truncated: true } : {}) });
    }
    entries.push(...this.held.splice(0).sort((a, b) => a.end - b.end));
    const last = entries.at(-1)?.end ?? this.offset;
    if (last > this.offset) this.offset = last;
    return { entries, checkpoint: { offset: this.offset, cursor: JSON.stringify(this.cursor), finished: true }, eof: true };
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.pumping?.catch(() => undefined);
  }
}

function append(p: { text: string; truncated: boolean }, text: string): void {
  if (p.text.length > LOG_LINE_MAX_BYTES) p.truncated = true;
  else p.text += text;
}

function cut(p: { text: string; truncated: boolean }): string {
  const b = Buffer.from(p.text, 'utf8');
  if (b.length <= LOG_LINE_MAX_BYTES && !p.truncated) return p.text;
  p.truncated = true;
  return cutUtf8(b, LOG_LINE_MAX_BYTES) + LOG_TRUNCATED_MARKER;
}

/** One file inside a container by its path, through `statFiles` / `readFile`. */
export class RuntimeFileReader implements SourceReader {
  readonly id: string;
  readonly path: string;
  private readonly runtime: ContainerRuntime;
  private readonly containerId: string;
  private readonly chunkBytes: number;
  private readonly nowMicros: () => number;
  private readonly position: FilePosition;
  private started = false;

  constructor(id: string, opts: { runtime: ContainerRuntime; containerId: string; path: string; chunkBytes?: number; nowMicros: () => number }) {
    this.id = id;
    this.path = opts.path;
    this.runtime = opts.runtime;
    this.containerId = opts.containerId;
    this.chunkBytes = opts.chunkBytes ?? 1024 * 1024;
    this.nowMicros = opts.nowMicros;
    this.position = new FilePosition((len) => this.runtime.readFile(this.containerId, this.path, { offsetBytes: 0, limitBytes: len }));
  }

  private async size(): Promise<number | undefined> {
    const files = await this.runtime.statFiles(this.containerId, this.path);
    return files.find((f) => f.path === this.path)?.sizeBytes;
  }

  async resume(cp: LogCheckpoint | undefined): Promise<void> {
    this.started = true;
    await this.position.resume(cp, (await this.size()) ?? 0);
  }

  async read(maxEntries: number): Promise<ReadResult> {
    if (!this.started) await this.resume(undefined);
    const entries: LogIngestEntry[] = [];
    const time = this.nowMicros();
    const size = await this.size();
    if (size === undefined) return { entries, checkpoint: this.position.checkpoint(), eof: true };
    await this.position.restartIfRewritten(size, entries, time);
    while (entries.length < maxEntries && this.position.readPos < size) {
      const offsetBytes = this.position.readPos;
      const data = await this.runtime.readFile(this.containerId, this.path, { offsetBytes, limitBytes: Math.min(this.chunkBytes, size - offsetBytes) });
      if (!data.length) break;
      await this.position.consume(data, entries, time);
    }
    return { entries, checkpoint: this.position.checkpoint(), eof: this.position.readPos >= size };
  }

  finish(): ReadResult {
    return this.position.finish(this.nowMicros());
  }

  async close(): Promise<void> {
    // nothing held
  }
}
