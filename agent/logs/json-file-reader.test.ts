import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogCheckpoint } from '../../api/index.js';
import { JsonFileReader } from './json-file-reader.js';

function jsonLine(log: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  return `${JSON.stringify({ log, stream, time: '2026-03-01T12:00:00.000000001Z' })}\n`;
}
const lines = (from: number, to: number, prefix = 'l') => Array.from({ length: to - from }, (_, i) => jsonLine(`${prefix}${from + i}\n`)).join('');

const readers: JsonFileReader[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'jsonlog-'));
  const logPath = join(dir, 'c1-json.log');
  const gaps: string[] = [];
  const reader = (chunkBytes = 4096) => {
    const r = new JsonFileReader('c1/stdio', { logPath, chunkBytes, maxRotated: 4, onGap: (m) => gaps.push(m) });
    readers.push(r);
    return r;
  };
  /** Docker's rotation: .3 → .4 (the oldest beyond max-file goes), ..., log → .1, new log. */
  const rotate = (keep = 4) => {
    rmSync(`${logPath}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${logPath}.${i}`, `${logPath}.${i + 1}`);
      } catch {
        // not there yet
      }
    }
    renameSync(logPath, `${logPath}.1`);
    writeFileSync(logPath, '');
  };
  return { dir, logPath, reader, rotate, gaps };
}

async function readAll(r: JsonFileReader): Promise<{ lines: string[]; ends: number[]; checkpoint: LogCheckpoint }> {
  const out: string[] = [];
  const ends: number[] = [];
  let cp: LogCheckpoint = { offset: 0 };
  for (;;) {
    const res = await r.read(1000);
    for (const e of res.entries) {
      out.push(e.line);
      ends.push(e.end);
    }
    cp = res.checkpoint;
    if (res.eof) return { lines: out, ends, checkpoint: cp };
  }
}

describe('JsonFileReader', () => {
  it('reads the log from the start and resumes a new reader exactly at the checkpoint', async () => {
    const { logPath, reader } = setup();
    writeFileSync(logPath, lines(0, 5));
    const a = reader();
    await a.resume(undefined);
    const first = await readAll(a);
    expect(first.lines).toEqual(['l0', 'l1', 'l2', 'l3', 'l4']);
    expect(first.checkpoint.offset).toBe(lines(0, 5).length);
    appendFileSync(logPath, lines(5, 8));
    const b = reader();
    await b.resume(first.checkpoint);
    const second = await readAll(b);
    expect(second.lines).toEqual(['l5', 'l6', 'l7']);
    expect(second.ends[0]).toBe(lines(0, 6).length);
  });

  it('follows Docker’s rotation: the renamed file to its end, then the new one, offsets going on', async () => {
    const { logPath, reader, rotate } = setup();
    writeFileSync(logPath, lines(0, 3));
    const r = reader(64); // small reads: many steps
    await r.resume(undefined);
    expect((await readAll(r)).lines).toEqual(['l0', 'l1', 'l2']);
    appendFileSync(logPath, lines(3, 5)); // written before the rotation, not read yet
    rotate();
    appendFileSync(logPath, lines(5, 7));
    const after = await readAll(r);
    expect(after.lines).toEqual(['l3', 'l4', 'l5', 'l6']);
    expect(after.checkpoint.offset).toBe(lines(0, 7).length);
    expect(after.ends.at(-1)).toBe(lines(0, 7).length);
  });

  it('finds its file again after rotations that happened while it was stopped', async () => {
    const { logPath, reader, rotate, gaps } = setup();
    writeFileSync(logPath, lines(0, 4));
    const a = reader();
    await a.resume(undefined);
    const r1 = await a.read(2);
    expect(r1.entries.map((e) => e.line)).toEqual(['l0', 'l1', 'l2', 'l3']);
    const cp = { ...r1.checkpoint };
    await a.close();
    appendFileSync(logPath, lines(4, 6));
    rotate();
    appendFileSync(logPath, lines(6, 8));
    rotate();
    appendFileSync(logPath, lines(8, 9));
    const b = reader();
    await b.resume(cp);
    const rest = await readAll(b);
    expect(rest.lines).toEqual(['l4', 'l5', 'l6', 'l7', 'l8']);
    expect(rest.checkpoint.offset).toBe(lines(0, 9).length);
    expect(gaps).toEqual([]);
  });

  it('reports a gap and reads what is left when its file was rotated away entirely', async () => {
    const { logPath, reader, rotate, gaps } = setup();
    writeFileSync(logPath, lines(0, 2));
    const a = reader();
    await a.resume(undefined);
    const cp = (await readAll(a)).checkpoint;
    await a.close();
    for (let i = 0; i < 5; i++) {
      appendFileSync(logPath, lines(2 + i, 3 + i));
      rotate(2); // max-file 3: log, .1, .2
    }
    appendFileSync(logPath, lines(7, 8));
    const b = reader();
    await b.resume(cp);
    const rest = await readAll(b);
    expect(rest.lines).toEqual(['l5', 'l6', 'l7']);
    expect(gaps).toHaveLength(1);
    // Offsets stay above the checkpoint, so nothing read before is stored twice.
    expect(Math.min(...rest.ends)).toBeGreaterThan(cp.offset);
  });

  it('waits for a log file that does not exist yet', async () => {
    const { logPath, reader } = setup();
    const r = reader();
    await r.resume(undefined);
    expect(await r.read(10)).toMatchObject({ entries: [], eof: true, checkpoint: { offset: 0 } });
    writeFileSync(logPath, lines(0, 1));
    expect((await readAll(r)).lines).toEqual(['l0']);
  });

  it('leaves an unfinished json line for the next read and finishes with a pending message as a line', async () => {
    const { logPath, reader } = setup();
    const whole = jsonLine('a\n');
    const partial = jsonLine('no end');
    writeFileSync(logPath, whole + partial.slice(0, 7));
    const r = reader();
    await r.resume(undefined);
    expect((await readAll(r)).lines).toEqual(['a']);
    appendFileSync(logPath, partial.slice(7));
    const next = await readAll(r);
    expect(next.lines).toEqual([]);
    expect(next.checkpoint.offset).toBe(whole.length); // the piece is held: resume before it
    const fin = r.finish();
    expect(fin.entries.map((e) => e.line)).toEqual(['no end']);
    expect(fin.checkpoint).toMatchObject({ offset: whole.length + partial.length, finished: true });
  });
});
