// The CRI log on real files: records to lines with offsets, and a reader that follows the
// kubelet's rotation (rotateContainerLog itself: rename, reopen, gzip, removal) without losing
// or repeating a line, also when restarted from a checkpoint in a file gzipped since.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogCheckpoint } from '../../api/index.js';
import { formatCriLogRecord, rotateContainerLog } from '../runtime/index.js';
import { CriFileReader } from './cri-file-reader.js';
import { CriLogParser } from './cri-log-parser.js';

const TS = '2026-12-07T10:00:00.12345678Z';
const rec = (text: string, stream: 'stdout' | 'stderr' = 'stdout', partial = false) => formatCriLogRecord(TS, stream, text, partial);

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

/** The runtime's side: writes to the file it opened; ReopenContainerLog opens a new one at the path. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'crilog-'));
  const logPath = join(dir, '0.log');
  let fd = openSync(logPath, 'a');
  const gaps: string[] = [];
  let seq = 0;
  const write = (n: number) => {
    for (let i = 0; i < n; i++) writeSync(fd, rec(`line-${seq++}`));
  };
  const reopen = async () => {
    closeSync(fd);
    fd = openSync(logPath, 'a');
  };
  let clock = Date.UTC(2026, 11, 7, 10, 0, 0);
  const rotate = (maxFiles = 5) => rotateContainerLog(logPath, { maxSizeBytes: 1, maxFiles }, reopen, new Date((clock += 1000)));
  const reader = (chunkBytes = 4096) => {
    const r = new CriFileReader('c1/stdio', { logPath, chunkBytes, onGap: (m) => gaps.push(m) });
    cleanup.push(() => r.close());
    return r;
  };
  cleanup.push(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, logPath, write, rotate, reader, gaps, written: () => seq };
}

async function readAll(r: CriFileReader): Promise<{ lines: string[]; ends: number[]; checkpoint: LogCheckpoint }> {
  const lines: string[] = [];
  const ends: number[] = [];
  let checkpoint: LogCheckpoint = { offset: 0 };
  for (;;) {
    const res = await r.read(1000);
    for (const e of res.entries) {
      lines.push(e.line);
      ends.push(e.end);
    }
    checkpoint = res.checkpoint;
    if (res.eof) return { lines, ends, checkpoint };
  }
}
const seqOf = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line-${from + i}`);

describe('CriLogParser', () => {
  it('makes lines of F records and joins P pieces per stream, timed by the first piece, with offsets after each record', () => {
    const p = new CriLogParser();
    const data = Buffer.from(
      formatCriLogRecord('2026-12-07T10:00:00.1Z', 'stdout', 'long-', true) +
        formatCriLogRecord('2026-12-07T10:00:00.2Z', 'stderr', 'between\r') +
        'garbage\n' +
        formatCriLogRecord('2026-12-07T10:00:00.3Z', 'stdout', 'line') +
        formatCriLogRecord('2026-12-07T10:00:00.4Z', 'stdout', 'tail', true) +
        formatCriLogRecord('2026-12-07T10:00:00.5Z', 'stdout', 'unfin'),
    );
    const { entries, used } = p.push(data.subarray(0, data.length - 5));
    expect(entries.map((e) => [e.stream, e.line, e.time])).toEqual([
      ['stderr', 'between', Date.UTC(2026, 11, 7, 10, 0, 0) * 1000 + 200_000],
      ['stdout', 'long-line', Date.UTC(2026, 11, 7, 10, 0, 0) * 1000 + 100_000],
    ]);
    // The stderr line waited for the stdout message begun before it: offsets only grow.
    expect(entries[0].end).toBeLessThanOrEqual(entries[1].end);
    expect(p.skipped).toBe(1);
    expect(used).toBeLessThan(data.length - 5);
    // A pending piece holds the checkpoint at its start.
    expect(p.checkpoint).toBe(data.indexOf('2026-12-07T10:00:00.4Z'));
    expect(p.finish().map((e) => e.line)).toEqual(['tail']);
  });
});

describe('CriFileReader', () => {
  it('follows the kubelet rotation (rename, reopen, gzip, removal of the oldest) without losing or repeating a line', async () => {
    const { write, rotate, reader, dir, gaps } = setup();
    const r = reader(64);
    await r.resume(undefined);
    const seen: string[] = [];
    const ends: number[] = [];
    const drain = async () => {
      const got = await readAll(r);
      seen.push(...got.lines);
      ends.push(...got.ends);
    };
    write(3);
    await drain();
    for (let round = 0; round < 6; round++) {
      write(2);
      expect(await rotate()).toBe(true);
      write(2);
      await drain();
    }
    expect(seen).toEqual(seqOf(0, 27));
    expect([...ends].sort((a, b) => a - b)).toEqual(ends);
    expect(new Set(ends).size).toBe(ends.length);
    const files = (await readdir(dir)).sort();
    // maxFiles 5: the live file, the newest rotation uncompressed, at most 3 gzipped.
    expect(files.filter((f) => f.endsWith('.gz'))).toHaveLength(3);
    expect(files.filter((f) => !f.endsWith('.gz'))).toHaveLength(2);
    expect(gaps).toEqual([]);
  });

  it('a restarted reader resumes at its checkpoint in a file rotated and gzipped since', async () => {
    const { write, rotate, reader } = setup();
    write(10);
    const first = reader(100);
    await first.resume(undefined);
    const res = await first.read(4);
    const got = res.entries.map((e) => e.line);
    await first.close();
    // The file of the checkpoint is renamed, then gzipped by the next rotation.
    await rotate();
    write(5);
    await rotate();
    write(5);
    const second = reader();
    await second.resume(res.checkpoint);
    const rest = await readAll(second);
    expect([...got, ...rest.lines]).toEqual(seqOf(0, 20));
  });

  it('tells of a gap when the file of its checkpoint was removed as excess, and goes on with the oldest there is', async () => {
    const { write, rotate, reader, gaps } = setup();
    write(3);
    const first = reader();
    await first.resume(undefined);
    const res = await first.read(1);
    await first.close();
    for (let i = 0; i < 4; i++) {
      write(2);
      await rotate(3);
    }
    const second = reader();
    await second.resume(res.checkpoint);
    const rest = await readAll(second);
    expect(gaps).toHaveLength(1);
    expect(rest.lines.at(-1)).toBe('line-10');
    expect(rest.lines.length).toBeLessThan(10);
    expect(rest.ends[0]).toBeGreaterThan(res.checkpoint.offset);
  });
});
