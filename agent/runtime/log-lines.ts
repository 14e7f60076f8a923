// Turning an engine's log byte stream into LogLines: Docker's multiplexed framing
// (8-byte header: stream type, 3 zero bytes, big-endian payload length) for containers
// without a tty, a raw byte stream for tty containers; every message prefixed with an
// RFC 3339 timestamp and a space when timestamps are requested.
import type { LogLine, LogStreamName } from './container-runtime.js';

export interface Frame {
  /** 0 stdin, 1 stdout, 2 stderr. */
  streamType: number;
  payload: Buffer;
}

/** Incremental demultiplexer of Docker's stdcopy framing. */
export class FrameDemuxer {
  private buf: Buffer = Buffer.alloc(0);

  /** Frames completed by this chunk. */
  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + len) break;
      out.push({ streamType: this.buf[0], payload: this.buf.subarray(8, 8 + len) });
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }

  /** Bytes of an unfinished frame (a truncated stream). */
  get pendingBytes(): number {
    return this.buf.length;
  }
}

/** Encodes one frame (for tests and fakes of the engine). */
export function encodeFrame(streamType: number, payload: Buffer | string): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const h = Buffer.alloc(8);
  h[0] = streamType;
  h.writeUInt32BE(p.length, 4);
  return Buffer.concat([h, p]);
}

const TS_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** "2026-01-01T00:00:00.5Z" → fixed 9 fractional digits, UTC, and the Date (ms precision). */
export function parseTimestamp(s: string): { timestamp: string; time: Date } | undefined {
  const m = TS_RE.exec(s);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  const time = new Date(`${m[1]}.${frac.slice(0, 3)}${m[3]}`);
  if (Number.isNaN(time.getTime())) return undefined;
  if (m[3] === 'Z') return { timestamp: `${m[1]}.${frac}Z`, time };
  // Re-express an offset time in UTC, keeping the sub-millisecond digits.
  return { timestamp: formatTimestamp(time, Number(frac.slice(3))), time };
}

/** RFC 3339 in UTC with 9 fractional digits; `extraNanos` (0-999999) refines the Date's ms. */
export function formatTimestamp(time: Date, extraNanos = 0): string {
  const iso = time.toISOString(); // 2026-01-01T00:00:00.123Z
  return `${iso.slice(0, 23)}${String(extraNanos).padStart(6, '0')}Z`;
}

/** One timestamped message ("<ts> <content>[\n]") as a LogLine; undefined when it has no timestamp. */
export function parseMessage(message: Buffer, stream: LogStreamName): LogLine | undefined {
  const sp = message.indexOf(0x20);
  if (sp < 0) return undefined;
  const ts = parseTimestamp(message.subarray(0, sp).toString('latin1'));
  if (!ts) return undefined;
  let body = message.subarray(sp + 1);
  const partial = body.length === 0 || body[body.length - 1] !== 0x0a;
  if (!partial) body = body.subarray(0, body.length - 1);
  return { stream, timestamp: ts.timestamp, time: ts.time, content: body.toString('utf8'), partial };
}

function streamName(streamType: number): LogStreamName {
  return streamType === 2 ? 'stderr' : 'stdout';
}

/**
 * Parses a Docker logs response (requested with timestamps) chunk by chunk.
 * Non-tty: each frame is one message. Tty: one raw stream on stdout, split at "\n".
 */
export class DockerLogParser {
  private readonly demux = new FrameDemuxer();
  private raw: Buffer = Buffer.alloc(0);
  private readonly tty: boolean;

  constructor(tty: boolean) {
    this.tty = tty;
  }

  push(chunk: Buffer): LogLine[] {
    const out: LogLine[] = [];
    if (!this.tty) {
      for (const f of this.demux.push(chunk)) {
        const line = parseMessage(f.payload, streamName(f.streamType));
        if (line) out.push(line);
      }
      return out;
    }
    this.raw = this.raw.length === 0 ? chunk : Buffer.concat([this.raw, chunk]);
    for (;;) {
      const nl = this.raw.indexOf(0x0a);
      if (nl < 0) break;
      const line = parseMessage(this.raw.subarray(0, nl + 1), 'stdout');
      this.raw = this.raw.subarray(nl + 1);
      if (line) out.push(line);
    }
    return out;
  }

  /** What is left when the stream ends: a final partial line of a tty container. */
  end(): LogLine[] {
    if (!this.tty || this.raw.length === 0) return [];
    const line = parseMessage(this.raw, 'stdout');
    this.raw = Buffer.alloc(0);
    return line ? [line] : [];
  }
}

/** Applies `since`, `stream` and `limitBytes` to lines in order; returns false once the limit is spent. */
export class LogLineFilter {
  private remaining: number;
  private readonly opts: { since?: Date; stream?: LogStreamName | 'all'; limitBytes?: number };

  constructor(opts: { since?: Date; stream?: LogStreamName | 'all'; limitBytes?: number }) {
    this.opts = opts;
    this.remaining = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  }

  get exhausted(): boolean {
    return this.remaining <= 0;
  }

  /** The line to emit (possibly cut to the byte limit), or undefined to skip it. */
  accept(line: LogLine): LogLine | undefined {
    if (this.remaining <= 0) return undefined;
    if (this.opts.stream && this.opts.stream !== 'all' && line.stream !== this.opts.stream) return undefined;
    if (this.opts.since && line.time.getTime() < this.opts.since.getTime()) return undefined;
    const bytes = Buffer.byteLength(line.content) + (line.partial ? 0 : 1);
    if (bytes <= this.remaining) {
      this.remaining -= bytes;
      return line;
    }
    const cut = Buffer.from(line.content).subarray(0, this.remaining).toString('utf8');
    this.remaining = 0;
    return { ...line, content: cut, partial: true };
  }
}
