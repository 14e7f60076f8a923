// ConfigMap create, one at a time, with open HTTP watches (each its own connection, as clients
// do): p50/p99 of the create's round trip, and every watch must see every create, in order.
// Reference in the same run: an insert into a temp SQLite file (better-sqlite3, journal_mode=WAL,
// synchronous=FULL, one transaction each), p50/p99: the disk's price of one durable write.
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ConfigMap } from '../../api/index.js';
import { percentile } from '../lib/measure.js';
import { type BenchRow, ratioFigure } from '../lib/row.js';
import { BenchServer } from '../lib/server.js';

const GOAL_P50_MS = 3;
const GOAL_P99_MS = 10;

function configMap(name: string, i: number): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { bench: 'configmap-watch' } }, data: { index: String(i), payload: 'x'.repeat(200) } } as ConfigMap;
}

/** SQLite inserts of a ConfigMap-sized row, one transaction each: latencies in ms. */
export function sqliteInserts(n: number): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'jobyard-bench-sqlite-'));
  const db = new Database(join(dir, 'bench.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE objects (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO objects (key, value) VALUES (?, ?)');
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const body = JSON.stringify(configMap(`cm-${i}`, i));
      const t0 = performance.now();
      insert.run(`configmaps/default/cm-${i}`, body);
      out.push(performance.now() - t0);
    }
    return out;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const configmapWatch: BenchRow = {
  id: 'configmap-watch',
  title: 'ConfigMap create with open watches, vs a SQLite insert',
  docker: false,
  async run(ctx) {
    const n = ctx.size('configmaps', 500, 20);
    const w = ctx.size('watches', 100, 5);
    const server = await BenchServer.start({ build: ctx.build, args: ['--no-agent'] });
    const latencies: number[] = [];
    const seen: string[][] = Array.from({ length: w }, () => []);
    const outOfOrder: number[] = [];
    const ac = new AbortController();
    // One signal ends all the watches: each adds its listener to it.
    setMaxListeners(w + 10, ac.signal);
    try {
      const cs = server.clientset();
      const cms = cs.configmaps.namespace('default');
      const rv = (await cms.list()).metadata?.resourceVersion ?? '';
      const ended: Promise<void>[] = [];
      for (let k = 0; k < w; k++) {
        ended.push(
          (async () => {
            try {
              for await (const ev of cms.watch({ resourceVersion: rv, labelSelector: 'bench=configmap-watch', signal: ac.signal })) {
                if (ev.type === 'ADDED') seen[k]!.push(ev.object.metadata.name ?? '');
              }
            } catch {
              // aborted at the end
            }
          })(),
        );
      }
      // Every watch is registered once each sees a first object.
      await cms.create(configMap('ready', -1));
      const deadline = Date.now() + 60_000;
      while (seen.some((s) => s.length === 0)) {
        if (Date.now() > deadline) throw new Error(`only ${seen.filter((s) => s.length).length} of ${w} watches answered`);
        await new Promise((r) => setTimeout(r, 20));
      }
      ctx.log(`configmap-watch: ${n} creates with ${w} watches`);
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await cms.create(configMap(`cm-${i}`, i));
        latencies.push(performance.now() - t0);
      }
      const until = Date.now() + 60_000;
      while (seen.some((s) => s.length < n + 1) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      ac.abort();
      await Promise.all(ended);
    } finally {
      ac.abort();
      await server.stop();
    }
    const expected = ['ready', ...Array.from({ length: n }, (_, i) => `cm-${i}`)];
    seen.forEach((s, k) => {
      if (s.length !== expected.length || s.some((name, i) => name !== expected[i])) outOfOrder.push(k);
    });
    const ref = sqliteInserts(n);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return {
      figures: [
        ratioFigure({ name: `create p50 (${n} creates, ${w} watches)`, value: p50, unit: 'ms', reference: { label: 'SQLite insert, WAL, synchronous=FULL, p50', value: percentile(ref, 50), unit: 'ms' }, goal: { text: `≤ ${GOAL_P50_MS} ms`, met: p50 <= GOAL_P50_MS } }),
        ratioFigure({ name: 'create p99', value: p99, unit: 'ms', reference: { label: 'SQLite insert p99', value: percentile(ref, 99), unit: 'ms' }, goal: { text: `≤ ${GOAL_P99_MS} ms`, met: p99 <= GOAL_P99_MS } }),
      ],
      checks: [
        { name: `every create answered (${n})`, ok: latencies.length === n },
        { name: `every watch saw all ${n} events, in order`, ok: outOfOrder.length === 0, detail: outOfOrder.length ? `watches ${outOfOrder.slice(0, 10).join(', ')}: saw ${outOfOrder.slice(0, 3).map((k) => seen[k]!.length - 1).join(', ')} events` : undefined },
      ],
      notes: [`server: ${ctx.build}, --no-agent; watches are HTTP watches from this process, one connection each`],
      details: { latenciesMs: latencies, sqliteMs: ref },
    };
  },
};
