// The CRI log format and containerLogs over real files: rotated (gzipped) siblings, tail,
// since, stream, limitBytes, partial records, and following across a rotation.
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogLine, LogOptions } from './container-runtime.js';
import { criLogFiles, formatCriLogRecord, parseCriLogRecord, rotationSuffix } from './cri-log-format.js';
import { readCriLog } from './cri-log-reader.js';

let dir: string;
let log: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cri-log-'));
  log = join(dir, '0.log');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ts = (n: number) => `2026-12-07T10:00:${String(n).padStart(2, '0')}.000000001Z`;
const rec = (n: number, s: 'stdout' | 'stderr', text: string, partial = false) => formatCriLogRecord(ts(n), s, text, partial);
const stopped = { isRunning: async () => false };

async function read(options: LogOptions = {}, deps = stopped): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of readCriLog(log, options, deps)) out.push(l);
  return out;
}
const text = (ls: LogLine[]) => ls.map((l) => l.content);

describe('CRI log format', () => {
  it('parses a record: time, stream, tag, content (empty too); refuses other lines', () => {
    const b = Buffer.from('2016-10-06T00:17:09.669794202Z stdout F a line  with spaces');
    const r = parseCriLogRecord(b, 0, b.length)!;
    expect(r).toMatchObject({ time: '2016-10-06T00:17:09.669794202Z', stream: 'stdout', partial: false });
    expect(b.toString('utf8', r.contentStart, r.contentEnd)).toBe('a line  with spaces');
    const p = Buffer.from('2016-10-06T00:17:09.669794202Z stderr P:more,tags piece');
    expect(parseCriLogRecord(p, 0, p.length)).toMatchObject({ stream: 'stderr', partial: true });
    const empty = Buffer.from('2016-10-06T00:17:09.669794202Z stdout F ');
    const e = parseCriLogRecord(empty, 0, empty.length)!;
    expect(e.contentEnd - e.contentStart).toBe(0);
    for (const bad of ['{"log":"x"}', '2016-10-06T00:17:09Z stdin F x', '2016-10-06T00:17:09Z stdout X x']) {
      expect(parseCriLogRecord(Buffer.from(bad), 0, bad.length)).toBeUndefined();
    }
  });

  it('lists the rotated files oldest first, gzipped ones in use, the live one last', async () => {
    await writeFile(`${log}.20261207-100000.gz`, '');
    await writeFile(`${log}.20261207-100010`, '');
    await writeFile(`${log}.20261207-100005`, ''); // compressed already: about to be removed
    await writeFile(`${log}.20261207-100005.gz`, '');
    await writeFile(`${log}.20261207-100010.gz.tmp`, '');
    await writeFile(log, '');
    expect((await criLogFiles(log)).map((f) => f.path.slice(dir.length + 1))).toEqual(['0.log.20261207-100000.gz', '0.log.20261207-100005.gz', '0.log.20261207-100010', '0.log']);
    expect(rotationSuffix(new Date(2026, 11, 7, 9, 5, 3))).toBe('20261207-090503');
  });
});

describe('readCriLog', () => {
  beforeEach(async () => {
    await writeFile(`${log}.20261207-100000.gz`, gzipSync(rec(1, 'stdout', 'one') + rec(2, 'stderr', 'two')));
    await writeFile(`${log}.20261207-100005`, rec(3, 'stdout', 'three') + rec(4, 'stdout', 'fo', true) + rec(5, 'stdout', 'ur'));
    await writeFile(log, rec(6, 'stderr', 'six') + 'not a record\n' + rec(7, 'stdout', 'seven-no-newline', true));
  });

  it('reads the rotated files (gzipped too) then the live one, with nanosecond timestamps and partial pieces', async () => {
    const lines = await read();
    expect(text(lines)).toEqual(['one', 'two', 'three', 'fo', 'ur', 'six', 'seven-no-newline']);
    expect(lines[1]).toMatchObject({ stream: 'stderr', timestamp: ts(2), partial: false });
    expect(lines[3].partial).toBe(true);
    expect(lines[6].partial).toBe(true);
  });

  it('applies tail, stream, since and limitBytes as the Docker runtime does', async () => {
    expect(text(await read({ tail: 2 }))).toEqual(['six', 'seven-no-newline']);
    expect(text(await read({ tail: 0 }))).toEqual([]);
    expect(text(await read({ stream: 'stderr' }))).toEqual(['two', 'six']);
    expect(text(await read({ stream: 'stderr', tail: 1 }))).toEqual(['six']);
    expect(text(await read({ since: new Date('2026-12-07T10:00:05Z') }))).toEqual(['ur', 'six', 'seven-no-newline']);
    expect(text(await read({ limitBytes: 6 }))).toEqual(['one', 'tw']);
  });

  it('follows the live file across a rotation until the container stops, without losing or repeating a line', async () => {
    let running = true;
    const deps = { isRunning: async () => running, pollMs: 10 };
    const seen: string[] = [];
    const done = (async () => {
      for await (const l of readCriLog(log, { follow: true, tail: 1 }, deps)) seen.push(l.content);
    })();
    const until = async (n: number) => {
      for (let i = 0; i < 500 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen.length).toBeGreaterThanOrEqual(n);
    };
    await until(1);
    await appendFile(log, rec(8, 'stdout', 'eight'));
    await until(2);
    // The kubelet's rotation: rename, a last write the runtime made before reopening, a new file.
    await rename(log, `${log}.20261207-100009`);
    await appendFile(`${log}.20261207-100009`, rec(9, 'stdout', 'nine'));
    await writeFile(log, rec(10, 'stdout', 'ten'));
    await until(4);
    running = false;
    await done;
    expect(seen).toEqual(['seven-no-newline', 'eight', 'nine', 'ten']);
  });

  it('stops following when the signal aborts', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const l of readCriLog(log, { follow: true, signal: ac.signal }, { isRunning: async () => true, pollMs: 10 })) seen.push(l.content);
    })();
    for (let i = 0; i < 500 && seen.length < 7; i++) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await done;
    expect(seen).toHaveLength(7);
  });
});
