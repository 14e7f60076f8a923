import { describe, expect, it } from 'vitest';
import { LOG_TRUNCATED_MARKER } from '../../api/index.js';
import { LineSplitter } from './line-splitter.js';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('LineSplitter', () => {
  it('splits lines with the offset after each newline, from a logical start', () => {
    const s = new LineSplitter(100);
    expect(s.push(b('ab\ncd\n'))).toEqual([
      { line: 'ab', end: 103, truncated: false },
      { line: 'cd', end: 106, truncated: false },
    ]);
    expect(s.pendingStart).toBe(106);
  });

  it('holds a partial line until its newline, across chunks', () => {
    const s = new LineSplitter();
    expect(s.push(b('hel'))).toEqual([]);
    expect(s.pendingStart).toBe(0);
    expect(s.hasPending).toBe(true);
    expect(s.push(b('lo wor'))).toEqual([]);
    expect(s.push(b('ld\nnext'))).toEqual([{ line: 'hello world', end: 12, truncated: false }]);
    expect(s.pendingStart).toBe(12);
    expect(s.position).toBe(16);
    expect(s.flush()).toEqual({ line: 'next', end: 16, truncated: false });
    expect(s.flush()).toBeUndefined();
  });

  it('keeps multi-byte characters split between chunks whole', () => {
    const s = new LineSplitter();
    const bytes = b('日志\n');
    expect(s.push(bytes.subarray(0, 2))).toEqual([]);
    expect(s.push(bytes.subarray(2))).toEqual([{ line: '日志', end: 7, truncated: false }]);
  });

  it('drops a carriage return before the newline, and keeps empty lines', () => {
    const s = new LineSplitter();
    expect(s.push(b('a\r\n\n'))).toEqual([
      { line: 'a', end: 3, truncated: false },
      { line: '', end: 4, truncated: false },
    ]);
  });

  it('cuts a line longer than the limit, at a character boundary, with the marker, and counts all its bytes', () => {
    const s = new LineSplitter(0, 10);
    const [l] = s.push(b('0123456789abcdef\nok\n'));
    expect(l).toEqual({ line: `0123456789${LOG_TRUNCATED_MARKER}`, end: 17, truncated: true });
    const multi = new LineSplitter(0, 10);
    // 4 characters of 3 bytes: 12 bytes, cut to 9 (3 whole characters).
    expect(multi.push(b('日志日志\n'))[0].line).toBe(`日志日${LOG_TRUNCATED_MARKER}`);
  });

  it('cuts a long line arriving in many chunks without holding more than the limit', () => {
    const s = new LineSplitter(0, 8);
    for (let i = 0; i < 100; i++) expect(s.push(b('xxxxxxxxxx'))).toEqual([]);
    expect(s.push(b('\n'))).toEqual([{ line: `xxxxxxxx${LOG_TRUNCATED_MARKER}`, end: 1001, truncated: true }]);
  });

  it('starts over at a new offset on reset', () => {
    const s = new LineSplitter();
    s.push(b('partial'));
    s.reset(50);
    expect(s.push(b('x\n'))).toEqual([{ line: 'x', end: 52, truncated: false }]);
  });
});
