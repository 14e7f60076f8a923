import { describe, expect, it } from 'vitest';
import { LOG_TRUNCATED_MARKER } from '../../api/index.js';
import { DockerJsonLogParser, dockerTimeToMicros } from './json-log-parser.js';

/** One json-file line as Docker writes it. */
function jsonLine(log: string, stream: 'stdout' | 'stderr' = 'stdout', time = '2026-03-01T12:00:00.123456789Z'): string {
  return `${JSON.stringify({ log, stream, time })}\n`;
}

const b = (s: string) => Buffer.from(s, 'utf8');

describe('dockerTimeToMicros', () => {
  it.each([
    ['2026-03-01T12:00:00.123456789Z', Date.parse('2026-03-01T12:00:00Z') * 1000 + 123456],
    ['2026-03-01T12:00:00.5Z', Date.parse('2026-03-01T12:00:00Z') * 1000 + 500000],
    ['2026-03-01T12:00:00Z', Date.parse('2026-03-01T12:00:00Z') * 1000],
    ['2026-03-01T14:00:00.250+02:00', Date.parse('2026-03-01T12:00:00.250Z') * 1000],
  ])('%s', (text, us) => {
    expect(dockerTimeToMicros(text)).toBe(us);
  });
});

describe('DockerJsonLogParser', () => {
  it('turns json lines into entries with their stream, time and end offset', () => {
    const p = new DockerJsonLogParser(1000);
    const a = jsonLine('hello\n');
    const c = jsonLine('oops\n', 'stderr', '2026-03-01T12:00:01Z');
    const r = p.push(b(a + c));
    expect(r.used).toBe(Buffer.byteLength(a + c));
    expect(r.entries).toEqual([
      { time: Date.parse('2026-03-01T12:00:00Z') * 1000 + 123456, line: 'hello', stream: 'stdout', end: 1000 + Buffer.byteLength(a) },
      { time: Date.parse('2026-03-01T12:00:01Z') * 1000, line: 'oops', stream: 'stderr', end: 1000 + Buffer.byteLength(a + c) },
    ]);
    expect(p.checkpoint).toBe(1000 + Buffer.byteLength(a + c));
  });

  it('uses only whole json lines and reports how much it used', () => {
    const p = new DockerJsonLogParser();
    const a = jsonLine('one\n');
    const half = jsonLine('two\n').slice(0, 10);
    const r = p.push(b(a + half));
    expect(r.used).toBe(a.length);
    expect(r.entries.map((e) => e.line)).toEqual(['one']);
    expect(p.position).toBe(a.length);
  });

  it('joins Docker’s partial messages into one line timed by its first piece', () => {
    const p = new DockerJsonLogParser();
    const pieces = [jsonLine('aaa', 'stdout', '2026-03-01T12:00:00.1Z'), jsonLine('bbb', 'stdout', '2026-03-01T12:00:00.2Z'), jsonLine('ccc\n', 'stdout', '2026-03-01T12:00:00.3Z')];
    const first = p.push(b(pieces[0] + pieces[1]));
    expect(first.entries).toEqual([]);
    // A reader that stopped now must start again at the first piece.
    expect(p.checkpoint).toBe(0);
    const r = p.push(b(pieces[2]));
    expect(r.entries).toEqual([{ time: Date.parse('2026-03-01T12:00:00.1Z') * 1000, line: 'aaabbbccc', stream: 'stdout', end: Buffer.byteLength(pieces.join('')) }]);
  });

  it('holds lines of the other stream that end while a message is unfinished, and keeps offsets in order', () => {
    const p = new DockerJsonLogParser();
    const l1 = jsonLine('part-', 'stdout');
    const l2 = jsonLine('err line\n', 'stderr');
    const l3 = jsonLine('end\n', 'stdout');
    const r1 = p.push(b(l1 + l2));
    expect(r1.entries).toEqual([]);
    expect(p.checkpoint).toBe(0);
    const r2 = p.push(b(l3));
    expect(r2.entries.map((e) => [e.line, e.end])).toEqual([
      ['err line', l1.length + l2.length],
      ['part-end', l1.length + l2.length + l3.length],
    ]);
    expect(p.checkpoint).toBe(l1.length + l2.length + l3.length);
  });

  it('ends an unfinished message as it is when the log ends', () => {
    const p = new DockerJsonLogParser();
    p.push(b(jsonLine('no newline at the end')));
    expect(p.finish().map((e) => e.line)).toEqual(['no newline at the end']);
    expect(p.hasPending).toBe(false);
  });

  it('cuts a message longer than the limit, keeping its whole length in the offsets', () => {
    const p = new DockerJsonLogParser(0, 20);
    const text = jsonLine('x'.repeat(16)) + jsonLine('y'.repeat(16)) + jsonLine('z\n');
    const [e] = p.push(b(text)).entries;
    expect(e.line).toBe(`${'x'.repeat(16)}yyyy${LOG_TRUNCATED_MARKER}`);
    expect(e.truncated).toBe(true);
    expect(e.end).toBe(text.length);
    const single = new DockerJsonLogParser(0, 5);
    expect(single.push(b(jsonLine('abcdefgh\n'))).entries[0].line).toBe(`abcde${LOG_TRUNCATED_MARKER}`);
  });

  it('skips damaged json lines and counts them', () => {
    const p = new DockerJsonLogParser();
    const good = jsonLine('ok\n');
    const r = p.push(b(`{not json}\n{"log":5}\n${good}`));
    expect(r.entries.map((e) => e.line)).toEqual(['ok']);
    expect(p.skipped).toBe(2);
    expect(p.position).toBe(r.used);
  });
});
