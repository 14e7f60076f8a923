import { describe, expect, it } from 'vitest';
import { filterLogLines, highlightParts, logMatcher, mergeLogLines, parseLogLine, type LogLine } from './log-lines.js';

let seq = 0;
const line = (pod: string, raw: string): LogLine => ({ pod, container: 'c', ...parseLogLine(raw), seq: seq++ });

describe('parseLogLine', () => {
  it('splits the RFC 3339 timestamp from the text and pads the fraction for sorting', () => {
    expect(parseLogLine('2026-01-01T00:00:01.5Z hello world')).toEqual({ timestamp: '2026-01-01T00:00:01.5Z', sortKey: '2026-01-01T00:00:01.500000000', text: 'hello world' });
    expect(parseLogLine('2026-01-01T00:00:01Z ')).toEqual({ timestamp: '2026-01-01T00:00:01Z', sortKey: '2026-01-01T00:00:01.000000000', text: '' });
  });

  it('normalises other zones to UTC for sorting', () => {
    expect(parseLogLine('2026-01-01T08:00:01.25+08:00 x').sortKey).toBe('2026-01-01T00:00:01.250000000');
  });

  it('keeps a line without timestamp whole', () => {
    expect(parseLogLine('plain text')).toEqual({ timestamp: '', sortKey: '', text: 'plain text' });
  });
});

describe('mergeLogLines', () => {
  it('orders lines of several pods by time, a shorter fraction before a longer later one', () => {
    const a1 = line('a', '2026-01-01T00:00:01.5Z a1');
    const b1 = line('b', '2026-01-01T00:00:01.25Z b1');
    const a2 = line('a', '2026-01-01T00:00:02Z a2');
    const b2 = line('b', '2026-01-01T00:00:01.123456789Z b2');
    const merged = mergeLogLines(mergeLogLines([], [a1, a2]), [b2, b1]);
    expect(merged.map((l) => l.text)).toEqual(['b2', 'b1', 'a1', 'a2']);
  });

  it('keeps arrival order for equal timestamps and keeps only the newest lines', () => {
    const l1 = line('a', '2026-01-01T00:00:01Z first');
    const l2 = line('b', '2026-01-01T00:00:01Z second');
    const l3 = line('a', '2026-01-01T00:00:03Z third');
    expect(mergeLogLines([], [l1, l2, l3], 2).map((l) => l.text)).toEqual(['second', 'third']);
  });
});

describe('search', () => {
  const lines = [line('a', '2026-01-01T00:00:01Z Error: disk full'), line('b', '2026-01-01T00:00:02Z all good'), line('b', '2026-01-01T00:00:03Z error again')];

  it('matches plain text case-insensitively by default', () => {
    expect(filterLogLines(lines, { query: 'error' }).map((l) => l.text)).toEqual(['Error: disk full', 'error again']);
    expect(filterLogLines(lines, { query: 'error', caseSensitive: true }).map((l) => l.text)).toEqual(['error again']);
  });

  it('treats the query literally unless regex is on', () => {
    expect(filterLogLines(lines, { query: 'e.r' })).toHaveLength(0);
    expect(filterLogLines(lines, { query: '^(all|error)', regex: true, caseSensitive: true }).map((l) => l.text)).toEqual(['all good', 'error again']);
  });

  it('shows every line for an invalid regex and reports the error', () => {
    expect(logMatcher({ query: '(', regex: true })).toBeInstanceOf(Error);
    expect(filterLogLines(lines, { query: '(', regex: true })).toHaveLength(3);
  });

  it('filters by pod', () => {
    expect(filterLogLines(lines, { query: '', pods: new Set(['a']) }).map((l) => l.pod)).toEqual(['a']);
  });

  it('splits a line into highlighted parts', () => {
    expect(highlightParts('an error and an ERROR', logMatcher({ query: 'error' }))).toEqual([
      { text: 'an ', match: false },
      { text: 'error', match: true },
      { text: ' and an ', match: false },
      { text: 'ERROR', match: true },
    ]);
    expect(highlightParts('x', undefined)).toEqual([{ text: 'x', match: false }]);
  });
});
