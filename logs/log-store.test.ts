import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_LINE_MAX_BYTES, LOG_TRUNCATED_MARKER, type LogIngestBatch, type LogSource } from '../api/index.js';
import { FakeClock, StatusError } from '../machinery/index.js';
import { LogStore } from './log-store.js';

const isBadRequest = (err: unknown) => err instanceof StatusError && err.code === 400;

const T0 = Date.parse('2026-03-01T12:00:00Z');
const us = (msFromT0: number) => (T0 + msFromT0) * 1000;

const stores: LogStore[] = [];
function open(path = ':memory:', clock = new FakeClock(new Date(T0))): LogStore {
  const s = new LogStore({ path, clock });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function source(over: Partial<LogSource> = {}): LogSource {
  return { id: 'c1/stdio', namespace: 'default', pod: 'pi-abc', container: 'main', job: 'pi', tags: { app: 'pi', env: 'prod' }, ...over };
}

/** Lines "<prefix> 0".."<prefix> n-1" of one source, one per ms from `startMs`, ending at byte offsets 10, 20, ... */
function batch(n: number, opts: { from?: number; startMs?: number; prefix?: string; src?: Partial<LogSource>; logstore?: string; stream?: 'stdout' | 'stderr' } = {}): LogIngestBatch {
  const from = opts.from ?? 0;
  const entries = Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { time: us((opts.startMs ?? 0) + i), line: `${opts.prefix ?? 'line'} ${i}`, end: (i + 1) * 10, ...(opts.stream ? { stream: opts.stream } : {}) };
  });
  return { logstore: opts.logstore ?? 'app', source: source(opts.src), entries, checkpoint: { offset: (from + n) * 10, cursor: `pos-${from + n}` } };
}

const lines = (items: { line: string }[]) => items.map((r) => r.line);

describe('LogStore ingest', () => {
  it('stores a batch once: the same batch again is skipped whole', () => {
    const s = open();
    expect(s.ingest([batch(5)])).toEqual([{ accepted: 5, skipped: 0, checkpoint: { offset: 50, cursor: 'pos-5' } }]);
    expect(s.ingest([batch(5)])).toEqual([{ accepted: 0, skipped: 5, checkpoint: { offset: 50, cursor: 'pos-5' } }]);
    expect(s.stats()[0]).toMatchObject({ name: 'app', lines: 5, bytes: 'line 0'.length * 5, sources: 1 });
    expect(s.search({ logstore: 'app' }, { order: 'oldest' }).items.map((r) => r.line)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('trims a batch that overlaps the checkpoint to the lines after it', () => {
    const s = open();
    s.ingest([batch(3)]); // lines 0..2, checkpoint 30
    const r = s.ingest([batch(4, { from: 1 })]); // lines 1..4
    expect(r[0]).toMatchObject({ accepted: 2, skipped: 2, checkpoint: { offset: 50 } });
    expect(lines(s.search({ logstore: 'app' }, { order: 'oldest' }).items)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('never moves a checkpoint back, and keeps its cursor when an older batch arrives', () => {
    const s = open();
    s.ingest([batch(4)]);
    expect(s.ingest([batch(2)])[0]).toEqual({ accepted: 0, skipped: 2, checkpoint: { offset: 40, cursor: 'pos-4' } });
    expect(s.checkpoints('app')).toEqual([{ source: 'c1/stdio', offset: 40, cursor: 'pos-4' }]);
  });

  it('moves the checkpoint past bytes that made no line (a batch with no entries)', () => {
    const s = open();
    s.ingest([batch(1)]);
    s.ingest([{ logstore: 'app', source: source(), entries: [], checkpoint: { offset: 25, cursor: 'mid', finished: true } }]);
    expect(s.checkpoints('app')).toEqual([{ source: 'c1/stdio', offset: 25, cursor: 'mid', finished: true }]);
  });

  it('keeps sources apart, per logstore, and lists checkpoints by prefix', () => {
    const s = open();
    s.ingest([batch(2), batch(3, { src: { id: 'c1/file/8:12' } }), batch(1, { src: { id: 'c2/stdio' } }), batch(2, { logstore: 'other' })]);
    expect(s.checkpoints('app', 'c1/').map((c) => [c.source, c.offset])).toEqual([
      ['c1/file/8:12', 30],
      ['c1/stdio', 20],
    ]);
    expect(s.checkpoints('other').map((c) => c.source)).toEqual(['c1/stdio']);
    expect(s.checkpoints('missing')).toEqual([]);
  });

  it('commits all batches of a call or none', () => {
    const s = open();
    const bad = batch(2, { src: { id: 'c2/stdio' } });
    bad.entries[1].end = 5; // goes backwards
    expect(() => s.ingest([batch(2), bad])).toThrow(/entries\[1\]\.end: must increase/);
    expect(s.stats()).toEqual([]);
  });

  it.each<[string, (b: LogIngestBatch) => void, RegExp]>([
    ['an entry beyond the checkpoint', (b) => (b.checkpoint.offset = 5), /checkpoint.offset: must not be below the last entry's end/],
    ['no logstore', (b) => (b.logstore = ''), /logstore: Required value/],
    ['no source id', (b) => (b.source.id = ''), /source.id: Required value/],
    ['a negative checkpoint', (b) => (b.checkpoint.offset = -1), /checkpoint.offset: must be a non-negative integer/],
    ['a time that is no number', (b) => ((b.entries[0] as { time: unknown }).time = 'now'), /time: must be Unix microseconds/],
  ])('refuses a batch with %s (400)', (_name, spoil, message) => {
    const s = open();
    const b = batch(2);
    spoil(b);
    let err: unknown;
    try {
      s.ingest([b]);
    } catch (e) {
      err = e;
    }
    expect(isBadRequest(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it('stores and indexes every line of large batches (multi-row inserts and their remainders), in order, with their fields', () => {
    const s = open();
    // 64 × 3 + 5 lines of one source and 70 of another in one call, then 63 more: full statements, remainders, both.
    const a = batch(197, { prefix: 'alpha', stream: 'stderr' });
    const b = batch(70, { prefix: 'beta', src: { id: 'c2/stdio' }, startMs: 10_000 });
    expect(s.ingest([a, b]).map((r) => r.accepted)).toEqual([197, 70]);
    expect(s.ingest([batch(63, { from: 197, prefix: 'alpha' })])[0]!.accepted).toBe(63);
    expect(s.stats()[0]).toMatchObject({ lines: 330 });
    const all = s.search({ logstore: 'app' }, { order: 'oldest', limit: 1000 }).items;
    expect(lines(all)).toEqual([...Array.from({ length: 260 }, (_, i) => `alpha ${i}`), ...Array.from({ length: 70 }, (_, i) => `beta ${i}`)]);
    expect(all[0]).toMatchObject({ time: '2026-03-01T12:00:00.000000Z', stream: 'stderr' });
    expect(all[259]).toMatchObject({ time: '2026-03-01T12:00:00.259000Z', stream: 'stdout' });
    expect(all[260]).toMatchObject({ time: '2026-03-01T12:00:10.000000Z', stream: 'stdout' });
    // The full-text index has each of them: first, last, either side of a statement's end.
    for (const line of ['alpha 0', 'alpha 63', 'alpha 64', 'alpha 192', 'alpha 196', 'alpha 197', 'alpha 259', 'beta 0', 'beta 64', 'beta 69']) {
      expect(lines(s.search({ logstore: 'app', text: line }).items)).toEqual([line]);
    }
    expect(s.search({ logstore: 'app', text: 'beta' }, { limit: 1000 }).items).toHaveLength(70);
  });

  it('keeps long lines whole up to the limit and cuts longer ones with a marker', () => {
    const s = open();
    const exact = 'x'.repeat(LOG_LINE_MAX_BYTES);
    const long = 'é'.repeat(LOG_LINE_MAX_BYTES); // 2 bytes each
    s.ingest([{ logstore: 'app', source: source(), entries: [{ time: us(0), line: exact, end: 1 }, { time: us(1), line: long, end: 2 }], checkpoint: { offset: 2 } }]);
    const [a, b] = s.search({ logstore: 'app' }, { order: 'oldest' }).items;
    expect(a.line).toBe(exact);
    expect(a.truncated).toBeUndefined();
    expect(b.truncated).toBe(true);
    expect(b.line.endsWith(LOG_TRUNCATED_MARKER)).toBe(true);
    expect(Buffer.byteLength(b.line.slice(0, -LOG_TRUNCATED_MARKER.length))).toBe(LOG_LINE_MAX_BYTES);
  });

  it('survives a reopen: lines and checkpoints are on disk', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'logstore-')), 'logs.db');
    const a = open(path);
    a.ingest([batch(3)]);
    a.close();
    const b = open(path);
    expect(b.checkpoints('app')).toEqual([{ source: 'c1/stdio', offset: 30, cursor: 'pos-3' }]);
    expect(b.ingest([batch(5)])[0]).toMatchObject({ accepted: 2, skipped: 3 });
    expect(b.stats()[0].lines).toBe(5);
  });

  it('tells listeners which logstores got lines, after commit', () => {
    const s = open();
    const seen: string[][] = [];
    s.onIngest((names) => seen.push([...names].sort()));
    s.ingest([batch(1), batch(1, { logstore: 'b' })]);
    s.ingest([batch(1)]); // all skipped: no news
    expect(seen).toEqual([['app', 'b']]);
  });
});

describe('LogStore search', () => {
  function filled(): LogStore {
    const s = open();
    s.ingest([
      batch(3, { prefix: 'pi says hello', src: { id: 'a/stdio', pod: 'pi-a', job: 'pi', tags: { app: 'pi', env: 'prod' } } }),
      batch(2, { prefix: 'pi warns', stream: 'stderr', startMs: 10, src: { id: 'a/stdio2', pod: 'pi-a', job: 'pi', tags: { app: 'pi', env: 'prod' } } }),
      batch(2, { prefix: 'report user=alice took 5ms', startMs: 20, src: { id: 'b/file/1:2', pod: 'rep-b', container: 'worker', job: 'report', path: '/var/log/app/a.log', tags: { app: 'report' } } }),
      batch(1, { prefix: 'kube-system noise', startMs: 30, src: { id: 'c/stdio', namespace: 'kube-system', pod: 'x', job: undefined, tags: undefined } }),
    ]);
    return s;
  }

  it('returns newest first by default, and records carry their source', () => {
    const s = filled();
    const { items } = s.search({ logstore: 'app' });
    expect(items.map((r) => r.line)).toEqual(['kube-system noise 0', 'report user=alice took 5ms 1', 'report user=alice took 5ms 0', 'pi warns 1', 'pi warns 0', 'pi says hello 2', 'pi says hello 1', 'pi says hello 0']);
    expect(items[1]).toEqual({
      id: expect.any(Number),
      time: '2026-03-01T12:00:00.021000Z',
      line: 'report user=alice took 5ms 1',
      stream: 'file',
      path: '/var/log/app/a.log',
      logstore: 'app',
      namespace: 'default',
      pod: 'rep-b',
      container: 'worker',
      job: 'report',
      tags: { app: 'report' },
    });
    expect(items[3]).toMatchObject({ stream: 'stderr', job: 'pi', tags: { app: 'pi', env: 'prod' } });
    expect(items[0].job).toBeUndefined();
    expect(items[0].tags).toBeUndefined();
  });

  it.each<[string, object, string[]]>([
    ['namespace', { namespace: 'kube-system' }, ['kube-system noise 0']],
    ['job', { job: 'report' }, ['report user=alice took 5ms 0', 'report user=alice took 5ms 1']],
    ['pod and container', { pod: 'rep-b', container: 'worker' }, ['report user=alice took 5ms 0', 'report user=alice took 5ms 1']],
    ['a tag', { tags: { env: 'prod' } }, ['pi says hello 0', 'pi says hello 1', 'pi says hello 2', 'pi warns 0', 'pi warns 1']],
    ['two tags, one not matching', { tags: { env: 'prod', app: 'report' } }, []],
    ['a stream', { stream: 'stderr' }, ['pi warns 0', 'pi warns 1']],
    ['a path glob', { path: '/var/log/app/*.log' }, ['report user=alice took 5ms 0', 'report user=alice took 5ms 1']],
    ['a time range', { from: us(1), to: us(11) }, ['pi says hello 1', 'pi says hello 2', 'pi warns 0']],
    ['plain words (all of them)', { text: 'pi hello' }, ['pi says hello 0', 'pi says hello 1', 'pi says hello 2']],
    ['words with FTS5 syntax in them, taken literally', { text: 'user=alice 5ms' }, ['report user=alice took 5ms 0', 'report user=alice took 5ms 1']],
    ['a hyphenated word as a phrase', { text: 'kube-system' }, ['kube-system noise 0']],
    ['a prefix', { text: 'warn*' }, ['pi warns 0', 'pi warns 1']],
    ['quotes and operators as plain text', { text: '"hello" AND NOT' }, []],
    ['only punctuation (nothing to search: everything)', { text: ' - ', job: 'report' }, ['report user=alice took 5ms 0', 'report user=alice took 5ms 1']],
    ['a raw FTS5 expression', { match: 'warns OR noise' }, ['pi warns 0', 'pi warns 1', 'kube-system noise 0']],
    ['a raw expression and words', { match: 'pi NOT warns', text: 'hello 2' }, ['pi says hello 2']],
    ['an unknown logstore', { logstore: 'nope' }, []],
  ])('filters by %s', (_name, q, expected) => {
    const s = filled();
    expect(lines(s.search({ logstore: 'app', ...q }, { order: 'oldest' }).items)).toEqual(expected);
  });

  it('answers a malformed raw expression with 400', () => {
    const s = filled();
    expect(() => s.search({ logstore: 'app', match: 'hello AND' })).toThrow(/invalid search expression/);
    try {
      s.search({ logstore: 'app', match: '"unterminated' });
    } catch (err) {
      expect(isBadRequest(err)).toBe(true);
    }
  });

  it('pages with continue tokens, also through lines with the same time, in both orders', () => {
    const s = open();
    // 7 lines, all at the same microsecond.
    s.ingest([{ logstore: 'app', source: source(), entries: Array.from({ length: 7 }, (_, i) => ({ time: us(0), line: `l${i}`, end: i + 1 })), checkpoint: { offset: 7 } }]);
    for (const order of ['newest', 'oldest'] as const) {
      const seen: string[] = [];
      let cont: string | undefined;
      let pages = 0;
      do {
        const page = s.search({ logstore: 'app' }, { order, limit: 3, continue: cont });
        seen.push(...lines(page.items));
        cont = page.continue;
        pages++;
      } while (cont);
      expect(pages).toBe(3);
      const expected = ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6'];
      expect(seen).toEqual(order === 'oldest' ? expected : [...expected].reverse());
    }
  });

  it('refuses a continue token of the other order', () => {
    const s = filled();
    const { continue: cont } = s.search({ logstore: 'app' }, { limit: 2 });
    expect(() => s.search({ logstore: 'app' }, { order: 'oldest', continue: cont })).toThrow(/invalid continue token/);
    expect(() => s.search({ logstore: 'app' }, { continue: 'garbage' })).toThrow(/invalid continue token/);
  });

  it('follows: lines stored after an id, in the order they were stored, filtered', () => {
    const s = filled();
    const mark = s.lastId();
    s.ingest([batch(2, { prefix: 'late pi', startMs: -100, src: { id: 'a/stdio', pod: 'pi-a' } , from: 3 }), batch(1, { prefix: 'late other', src: { id: 'z/stdio', job: 'other' } })]);
    expect(lines(s.after({ logstore: 'app', job: 'pi' }, mark))).toEqual(['late pi 3', 'late pi 4']);
    expect(lines(s.after({ logstore: 'app' }, mark))).toEqual(['late pi 3', 'late pi 4', 'late other 0']);
    expect(s.after({ logstore: 'app' }, s.lastId())).toEqual([]);
  });
});

describe('LogStore histogram', () => {
  it('counts lines per bucket over the asked range, empty buckets included', () => {
    const s = open();
    s.ingest([batch(3, { startMs: 0 }), batch(2, { startMs: 60_000, from: 3, src: { id: 'x' } })]);
    const h = s.histogram({ logstore: 'app', from: us(0), to: us(120_000) }, { bucketSeconds: 30 });
    expect(h).toMatchObject({ kind: 'LogHistogram', bucketSeconds: 30, total: 5, from: '2026-03-01T12:00:00.000000Z', to: '2026-03-01T12:02:00.000000Z' });
    expect(h.buckets).toEqual([
      { time: '2026-03-01T12:00:00.000000Z', count: 3 },
      { time: '2026-03-01T12:00:30.000000Z', count: 0 },
      { time: '2026-03-01T12:01:00.000000Z', count: 2 },
      { time: '2026-03-01T12:01:30.000000Z', count: 0 },
    ]);
  });

  it('picks a round bucket width for about the wanted number of buckets, over the stored range by default', () => {
    const s = open();
    s.ingest([batch(1, { startMs: 0 }), batch(1, { startMs: 3_600_000, src: { id: 'y' } })]);
    const h = s.histogram({ logstore: 'app' }, { buckets: 60 });
    expect(h.bucketSeconds).toBe(60);
    expect(h.total).toBe(2);
    expect(h.buckets[0].count).toBe(1);
    expect(h.buckets.at(-1)!.count).toBe(1);
    expect(h.buckets.length).toBe(61);
  });

  it('applies the same filters as search', () => {
    const s = open();
    s.ingest([batch(3, { prefix: 'error' }), batch(2, { prefix: 'fine', src: { id: 'z' } })]);
    expect(s.histogram({ logstore: 'app', text: 'error', from: us(0), to: us(1000) }, { bucketSeconds: 1 }).total).toBe(3);
  });
});

describe('LogStore retention', () => {
  it('removes lines older than the retention days, and only them', () => {
    const clock = new FakeClock(new Date(T0));
    const s = open(':memory:', clock);
    s.setRetention('app', { retentionDays: 1, maxBytes: 1e9 });
    s.ingest([batch(4, { startMs: 0, prefix: 'old' })]);
    s.ingest([batch(3, { startMs: 86_400_000 + 1000, prefix: 'new', from: 4 })]);
    clock.set(new Date(T0 + 86_400_000 + 500)); // the old lines are a day and 0.5 s old
    expect(s.enforceRetention()).toEqual({ deleted: 4, more: false });
    expect(lines(s.search({ logstore: 'app' }, { order: 'oldest' }).items)).toEqual(['new 4', 'new 5', 'new 6']);
    expect(s.search({ logstore: 'app', text: 'old' }).items).toEqual([]); // gone from the index too
    expect(s.stats()[0]).toMatchObject({ lines: 3, bytes: 'new 4'.length * 3 });
    expect(s.enforceRetention()).toEqual({ deleted: 0, more: false });
  });

  it('removes the oldest lines until the logstore fits its size, and no more', () => {
    const s = open();
    s.ingest([batch(10)]); // 10 lines of 6 bytes
    s.setRetention('app', { retentionDays: 3650, maxBytes: 6 * 7 });
    expect(s.enforceRetention({ chunk: 4 }).deleted).toBe(3);
    expect(lines(s.search({ logstore: 'app' }, { order: 'oldest' }).items)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9']);
    expect(s.stats()[0].bytes).toBe(42);
  });

  it('works in budgets and says when more is left', () => {
    const clock = new FakeClock(new Date(T0));
    const s = open(':memory:', clock);
    s.ingest([batch(25)]);
    clock.set(new Date(T0 + 8 * 86_400_000));
    expect(s.enforceRetention({ chunk: 4, budget: 10 })).toEqual({ deleted: 10, more: true });
    expect(s.enforceRetention({ chunk: 4, budget: 100 })).toEqual({ deleted: 15, more: false });
    expect(s.stats()[0]).toMatchObject({ lines: 0, bytes: 0 });
    // The checkpoint stays: the source is not finished, its container may still write.
    expect(s.checkpoints('app')).toHaveLength(1);
  });

  it('forgets finished sources without lines a month after they were last heard of', () => {
    const clock = new FakeClock(new Date(T0));
    const s = open(':memory:', clock);
    s.ingest([{ ...batch(2), checkpoint: { offset: 20, finished: true } }]);
    clock.set(new Date(T0 + 31 * 86_400_000));
    s.enforceRetention();
    expect(s.checkpoints('app')).toEqual([]);
  });

  it('drops a logstore with its lines and sources, in chunks', () => {
    const s = open();
    s.ingest([batch(5), batch(2, { logstore: 'keep' })]);
    expect(s.dropLogstore('app', { chunk: 2, budget: 3 })).toBe(false);
    expect(s.dropLogstore('app', { chunk: 2, budget: 3 })).toBe(true);
    expect(s.stats().map((x) => x.name)).toEqual(['keep']);
    expect(s.checkpoints('app')).toEqual([]);
    expect(s.search({ logstore: 'keep' }).items).toHaveLength(2);
    // A dropped logstore starts afresh when lines arrive again.
    expect(s.ingest([batch(1)])[0].accepted).toBe(1);
  });
});
