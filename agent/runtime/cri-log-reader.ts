// `containerLogs` over a CRI container log on this host (cri-log-format.ts): the rotated files
// oldest first (gzipped ones through zlib), then the live file; with `follow`, the live file is
// polled until the container has stopped, going on with the new file when the kubelet's log
// manager rotates it (a rename, then ReopenContainerLog: the old file is read to its end first).
import { createReadStream } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { LogLine, LogOptions } from './container-runtime.js';
import { criLogFiles, parseCriLogRecord } from './cri-log-format.js';
import { LogLineFilter, parseTimestamp } from './log-lines.js';

export interface CriLogReadDeps {
  /** Whether the container may still write (its state is running or created). */
  isRunning(): Promise<boolean>;
  /** Pause between looks at a followed log. @defaultValue 100 ms */
  pollMs?: number;
}

/** Splits bytes into records; a record's "\n" may come in a later chunk. */
class RecordSplitter {
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): LogLine[] {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const out: LogLine[] = [];
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, from);
      if (nl < 0) break;
      const line = toLogLine(buf, from, nl);
      if (line) out.push(line);
      from = nl + 1;
    }
    this.carry = from < buf.length ? Buffer.from(buf.subarray(from)) : Buffer.alloc(0);
    return out;
  }

  /** A file ended inside a record: that record is damaged (rotated mid-write) or unfinished. */
  reset(): void {
    this.carry = Buffer.alloc(0);
  }
}

function toLogLine(buf: Buffer, from: number, end: number): LogLine | undefined {
  const r = parseCriLogRecord(buf, from, end);
  if (!r) return undefined;
  const ts = parseTimestamp(r.time);
  if (!ts) return undefined;
  return { stream: r.stream, timestamp: ts.timestamp, time: ts.time, content: buf.toString('utf8', r.contentStart, r.contentEnd), partial: r.partial };
}

async function inodeOf(path: string): Promise<bigint | undefined> {
  try {
    return (await stat(path, { bigint: true })).ino;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Lines of one whole file (a rotated one, maybe gzipped). */
async function* fileLines(path: string, gzip: boolean, signal?: AbortSignal): AsyncGenerator<LogLine> {
  const splitter = new RecordSplitter();
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  const source = gzip ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (signal?.aborted) return;
      yield* splitter.push(chunk);
    }
  } catch (err) {
    // Removed between listing and reading (rotated away): its lines are gone.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  } finally {
    raw.destroy();
  }
}

/** Yielded once, the first time the reader is at the end of the live file: what was there is read. */
const CAUGHT_UP = Symbol('caught up');

/** Every line of the log in order: rotated files, then the live one (followed on request). */
async function* allLines(logPath: string, options: LogOptions, deps: CriLogReadDeps, follow: boolean): AsyncGenerator<LogLine | typeof CAUGHT_UP> {
  const files = await criLogFiles(logPath);
  for (const f of files.slice(0, -1)) yield* fileLines(f.path, f.gzip, options.signal);
  const pollMs = deps.pollMs ?? 100;
  const buf = Buffer.allocUnsafe(256 * 1024);
  let fh: FileHandle | undefined;
  let ino: bigint | undefined;
  let pos = 0;
  const splitter = new RecordSplitter();
  let caughtUp = false;
  try {
    for (;;) {
      if (options.signal?.aborted) return;
      if (!fh) {
        try {
          fh = await open(logPath, 'r');
          ino = (await fh.stat({ bigint: true })).ino;
          pos = 0;
        } catch {
          fh = undefined;
        }
      }
      if (fh) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead > 0) {
          pos += bytesRead;
          yield* splitter.push(buf.subarray(0, bytesRead));
          continue;
        }
      }
      if (!follow) return;
      if (!caughtUp) {
        caughtUp = true;
        yield CAUGHT_UP;
      }
      // At the end: rotated away (the path names a new file) → on with that one, once this
      // one has been read to its end (it was: bytesRead was 0 after the rename).
      const now = await inodeOf(logPath);
      if (fh && now !== undefined && now !== ino) {
        await fh.close();
        fh = undefined;
        splitter.reset();
        continue;
      }
      if (!(await deps.isRunning())) {
        // Written between the last read and the exit: read once more, then stop.
        if (fh) {
          for (;;) {
            const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
            if (bytesRead === 0) break;
            pos += bytesRead;
            yield* splitter.push(buf.subarray(0, bytesRead));
          }
        }
        return;
      }
      await sleep(pollMs, options.signal);
    }
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** `containerLogs` of a CRI container whose log is at `logPath` (since, stream, tail, limitBytes, follow). */
export async function* readCriLog(logPath: string, options: LogOptions, deps: CriLogReadDeps): AsyncGenerator<LogLine> {
  const select = new LogLineFilter({ since: options.since, stream: options.stream ?? 'all' });
  const limit = new LogLineFilter({ limitBytes: options.limitBytes });
  const tail = options.tail !== undefined && options.tail >= 0 ? options.tail : undefined;
  // With tail, the last N lines of what is there are held until the reader has caught up.
  let ring: LogLine[] | undefined = tail === undefined ? undefined : [];
  const flush = function* (): Generator<LogLine> {
    const held = ring ?? [];
    ring = undefined;
    for (const l of held) {
      const out = limit.accept(l);
      if (out) yield out;
      if (limit.exhausted) return;
    }
  };
  for await (const line of allLines(logPath, options, deps, !!options.follow)) {
    if (line === CAUGHT_UP) {
      yield* flush();
      if (limit.exhausted) return;
      continue;
    }
    const l = select.accept(line);
    if (!l) continue;
    if (ring) {
      if (tail === 0) continue;
      ring.push(l);
      if (ring.length > tail!) ring.shift();
      continue;
    }
    const out = limit.accept(l);
    if (out) yield out;
    if (limit.exhausted) return;
  }
  yield* flush();
}
