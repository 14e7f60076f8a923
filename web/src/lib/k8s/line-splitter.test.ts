import { describe, expect, it } from 'vitest';
import { LineSplitter, readLines } from './line-splitter.js';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
}

describe('LineSplitter', () => {
  it('returns complete lines and keeps the tail for the next chunk', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\n\n')).toEqual(['{"b":2}', '']);
    expect(s.push('tail')).toEqual([]);
    expect(s.flush()).toEqual(['tail']);
    expect(s.flush()).toEqual([]);
  });

  it('drops carriage returns before newlines', () => {
    expect(new LineSplitter().push('a\r\nb\r\n')).toEqual(['a', 'b']);
  });
});

describe('readLines', () => {
  it('decodes UTF-8 split across chunks and yields the last unterminated line', async () => {
    const bytes = new TextEncoder().encode('任务 1\n完成');
    const lines: string[] = [];
    for await (const l of readLines(streamOf([bytes.slice(0, 2), bytes.slice(2, 9), bytes.slice(9)]))) lines.push(l);
    expect(lines).toEqual(['任务 1', '完成']);
  });

  it('cancels the stream when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('one\ntwo\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const l of readLines(body)) {
      expect(l).toBe('one');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
