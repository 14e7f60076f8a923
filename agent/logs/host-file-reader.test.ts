import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogCheckpoint } from '../../api/index.js';
import { HostFileReader } from './host-file-reader.js';

const NOW = Date.parse('2026-03-01T12:00:00Z') * 1000;
const readers: HostFileReader[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'hostfile-'));
  const file = join(dir, 'app.log');
  const reader = (hostPath = file) => {
    const r = new HostFileReader('c1/file/x', { path: '/var/log/app.log', hostPath, chunkBytes: 16, nowMicros: () => NOW });
    readers.push(r);
    return r;
  };
  return { dir, file, reader };
}

async function readAll(r: HostFileReader): Promise<{ lines: string[]; ends: number[]; checkpoint: LogCheckpoint }> {
  const lines: string[] = [];
  const ends: number[] = [];
  for (;;) {
    const res = await r.read(1000);
    for (const e of res.entries) {
      lines.push(e.line);
      ends.push(e.end);
    }
    if (res.eof) return { lines, ends, checkpoint: res.checkpoint };
  }
}

describe('HostFileReader', () => {
  it('reads appended lines, holding a partial line until it ends', async () => {
    const { file, reader } = setup();
    writeFileSync(file, 'one\ntw');
    const r = reader();
    await r.resume(undefined);
    const a = await readAll(r);
    expect(a.lines).toEqual(['one']);
    expect(a.checkpoint.offset).toBe(4);
    appendFileSync(file, 'o\nthree\n');
    const b = await readAll(r);
    expect(b.lines).toEqual(['two', 'three']);
    expect(b.ends).toEqual([8, 14]);
  });

  it('times lines by the file’s modification time, never after now', async () => {
    const { file, reader } = setup();
    writeFileSync(file, 'x\n');
    const r = reader();
    const { entries } = await r.read(10);
    expect(entries[0].time).toBeLessThanOrEqual(NOW);
  });

  it('starts again at the beginning of a truncated file, offsets still increasing, the partial line kept', async () => {
    const { file, reader } = setup();
    writeFileSync(file, 'aaaa\nbbbb\npart');
    const r = reader();
    const first = await readAll(r);
    expect(first.lines).toEqual(['aaaa', 'bbbb']);
    truncateSync(file, 0);
    appendFileSync(file, 'cc\n');
    const after = await readAll(r);
    expect(after.lines).toEqual(['part', 'cc']);
    expect(after.ends[0]).toBe(14);
    expect(after.ends[1]).toBe(17);
    expect(after.checkpoint.offset).toBe(17);
  });

  it('notices a file rewritten in place, even when it grew past the position', async () => {
    const { file, reader } = setup();
    writeFileSync(file, 'first line\n');
    const r = reader();
    expect((await readAll(r)).lines).toEqual(['first line']);
    writeFileSync(file, 'other content, longer than before\nmore\n');
    expect((await readAll(r)).lines).toEqual(['other content, longer than before', 'more']);
  });

  it('notices a truncation that grew back to the same size before it looked (copytruncate with same-length lines)', async () => {
    const { file, reader } = setup();
    writeFileSync(file, 'line 101\nline 102\n');
    const r = reader();
    expect((await readAll(r)).lines).toEqual(['line 101', 'line 102']);
    truncateSync(file, 0);
    appendFileSync(file, 'line 201\nline 202\n');
    expect((await readAll(r)).lines).toEqual(['line 201', 'line 202']);
  });

  it('keeps reading a renamed file through its handle', async () => {
    const { dir, file, reader } = setup();
    writeFileSync(file, 'a\n');
    const r = reader();
    expect((await readAll(r)).lines).toEqual(['a']);
    appendFileSync(file, 'b\n');
    renameSync(file, join(dir, 'app.log.1'));
    writeFileSync(file, 'new file\n'); // another inode: another reader's business
    appendFileSync(join(dir, 'app.log.1'), 'c\n');
    expect((await readAll(r)).lines).toEqual(['b', 'c']);
  });

  it('resumes a new reader at its checkpoint, and from the start of a file replaced meanwhile', async () => {
    const { file, reader } = setup();
    writeFileSync(file, 'a\nb\n');
    const r1 = reader();
    const cp = (await readAll(r1)).checkpoint;
    await r1.close();
    appendFileSync(file, 'c\n');
    const r2 = reader();
    await r2.resume(cp);
    const rest = await readAll(r2);
    expect(rest.lines).toEqual(['c']);
    expect(rest.ends).toEqual([6]);
    await r2.close();
    // Replaced by different content: read whole, above the old checkpoint.
    writeFileSync(file, 'zz\nyy\nxx\n');
    const r3 = reader();
    await r3.resume(rest.checkpoint);
    const again = await readAll(r3);
    expect(again.lines).toEqual(['zz', 'yy', 'xx']);
    expect(again.ends[0]).toBe(6 + 3);
  });

  it('finishes with an unterminated last line as a line, and a finished checkpoint', async () => {
    const { file, reader } = setup();
    writeFileSync(file, 'a\nlast');
    const r = reader();
    await readAll(r);
    const fin = r.finish();
    expect(fin.entries.map((e) => [e.line, e.end])).toEqual([['last', 6]]);
    expect(fin.checkpoint).toMatchObject({ offset: 6, finished: true });
  });
});
