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

  it('reads every text as Docker escapes it (moby jsonlog: \\n \\r \\t, other controls and <>& as \\u00XX), plain or not', () => {
    // Docker's encoder: Go's escapes, and <, >, & escaped for browsers; fields log, stream, (attrs,) time.
    const dockerString = (s: string) =>
      `"${s.replace(/[\\"\u0000-\u001f<>&\u2028\u2029]/g, (c) =>
        c === '\\' || c === '"' ? `\\${c}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )}"`;
    const texts = ['plain words', '', 'x', 'quote " inside', 'ends with quote "', 'back\\slash', 'ends with backslash \\', 'tab\there', 'cr only\r', '<b>&amp;</b>',
      'üñíçødé ✓ 中文', 'emoji 🎉 end', 'literal \\n not a newline', 'line\u2028sep', 'nul\u0000byte', '{"log":"nested\\n"}'];
    let text = '';
    const expected: { line: string; stream: string; time: number }[] = [];
    texts.forEach((t, i) => {
      const stream = i % 3 === 0 ? 'stderr' : 'stdout';
      const time = `2026-03-01T12:00:0${i % 10}.00000${i % 10}000Z`;
      const attrs = i % 5 === 4 ? ',"attrs":{"tag":"a"}' : '';
      text += `{"log":${dockerString(`${t}\n`)},"stream":"${stream}"${attrs},"time":"${time}"}\n`;
      expected.push({ line: t.endsWith('\r') ? t.slice(0, -1) : t, stream, time: dockerTimeToMicros(time) });
    });
    // And a line in another field order (not Docker's, still JSON): read all the same.
    text += `${JSON.stringify({ time: '2026-03-01T12:00:09Z', stream: 'stdout', log: 'other order\n' })}\n`;
    expected.push({ line: 'other order', stream: 'stdout', time: dockerTimeToMicros('2026-03-01T12:00:09Z') });
    const p = new DockerJsonLogParser();
    const r = p.push(b(text));
    expect(r.used).toBe(Buffer.byteLength(text));
    expect(r.entries.map((e) => ({ line: e.line, stream: e.stream, time: e.time }))).toEqual(expected);
    expect(p.skipped).toBe(0);
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
