import { describe, expect, it } from 'vitest';
import { DockerLogParser, encodeFrame, formatTimestamp, FrameDemuxer, LogLineFilter, parseTimestamp } from './log-lines.js';
import type { LogLine } from './container-runtime.js';

const T1 = '2026-11-27T23:35:42.523965522Z';
const T2 = '2026-11-27T23:35:43.000000001Z';

describe('FrameDemuxer', () => {
  it('reassembles frames split across chunks and keeps stdout and stderr apart', () => {
    const bytes = Buffer.concat([encodeFrame(1, 'out\n'), encodeFrame(2, 'err\n'), encodeFrame(1, 'tail')]);
    const d = new FrameDemuxer();
    const frames = [...d.push(bytes.subarray(0, 5)), ...d.push(bytes.subarray(5, 17)), ...d.push(bytes.subarray(17))];
    expect(frames.map((f) => [f.streamType, f.payload.toString()])).toEqual([
      [1, 'out\n'],
      [2, 'err\n'],
      [1, 'tail'],
    ]);
    expect(d.pendingBytes).toBe(0);
  });
});

describe('timestamps', () => {
  it('normalises to 9 fractional digits in UTC', () => {
    expect(parseTimestamp('2026-01-01T00:00:00Z')?.timestamp).toBe('2026-01-01T00:00:00.000000000Z');
    expect(parseTimestamp('2026-01-01T00:00:00.5Z')?.timestamp).toBe('2026-01-01T00:00:00.500000000Z');
    expect(parseTimestamp(T1)?.timestamp).toBe(T1);
    expect(parseTimestamp(T1)?.time.toISOString()).toBe('2026-11-27T23:35:42.523Z');
    expect(parseTimestamp('2026-01-01T02:00:00.123456789+02:00')?.timestamp).toBe('2026-01-01T00:00:00.123456789Z');
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });

  it('formats a Date with extra nanoseconds', () => {
    expect(formatTimestamp(new Date('2026-01-01T00:00:00.123Z'), 4567)).toBe('2026-01-01T00:00:00.123004567Z');
  });
});

describe('DockerLogParser', () => {
  it('parses multiplexed timestamped messages, with partial last lines', () => {
    const p = new DockerLogParser(false);
    const lines = p.push(Buffer.concat([encodeFrame(1, `${T1} hello\n`), encodeFrame(2, `${T2} oops\n`), encodeFrame(1, `${T2} no newline`)]));
    expect(lines).toEqual([
      { stream: 'stdout', timestamp: T1, time: new Date('2026-11-27T23:35:42.523Z'), content: 'hello', partial: false },
      { stream: 'stderr', timestamp: T2, time: new Date('2026-11-27T23:35:43.000Z'), content: 'oops', partial: false },
      { stream: 'stdout', timestamp: T2, time: new Date('2026-11-27T23:35:43.000Z'), content: 'no newline', partial: true },
    ]);
  });

  it('splits a tty stream at newlines, keeps the \\r and flushes the partial end', () => {
    const p = new DockerLogParser(true);
    const first = p.push(Buffer.from(`${T1} a\r\n${T2} b`));
    const rest = [...p.push(Buffer.from('c\r\n')), ...p.end()];
    expect(first.map((l) => l.content)).toEqual(['a\r']);
    expect(rest.map((l) => [l.stream, l.content, l.partial])).toEqual([['stdout', 'bc\r', false]]);
  });

  it('keeps multi-byte characters whole across chunk boundaries', () => {
    const p = new DockerLogParser(false);
    const frame = encodeFrame(1, `${T1} héllo ✓\n`);
    const lines = [...p.push(frame.subarray(0, 40)), ...p.push(frame.subarray(40))];
    expect(lines[0].content).toBe('héllo ✓');
  });
});

describe('LogLineFilter', () => {
  const line = (content: string, at: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({
    stream,
    content,
    partial: false,
    time: new Date(at),
    timestamp: formatTimestamp(new Date(at)),
  });

  it('drops lines before since and of the other stream', () => {
    const f = new LogLineFilter({ since: new Date('2026-01-01T00:00:01Z'), stream: 'stderr' });
    expect(f.accept(line('early', '2026-01-01T00:00:00Z', 'stderr'))).toBeUndefined();
    expect(f.accept(line('out', '2026-01-01T00:00:02Z'))).toBeUndefined();
    expect(f.accept(line('late', '2026-01-01T00:00:02Z', 'stderr'))?.content).toBe('late');
  });

  it('cuts at limitBytes counting the newline', () => {
    const f = new LogLineFilter({ limitBytes: 6 });
    expect(f.accept(line('abc', '2026-01-01T00:00:00Z'))?.content).toBe('abc');
    const cut = f.accept(line('defg', '2026-01-01T00:00:00Z'));
    expect(cut).toMatchObject({ content: 'de', partial: true });
    expect(f.exhausted).toBe(true);
    expect(f.accept(line('more', '2026-01-01T00:00:00Z'))).toBeUndefined();
  });
});
