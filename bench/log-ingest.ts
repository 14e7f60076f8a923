// Log ingest throughput: lines per second from one container's stdout into a searchable
// logstore, through the same parts `jobyard server` uses (the node agent's LogCollector on
// the Docker engine's json-file log, the in-process sink, the LogStore with its FTS5 index).
//
//   npm run bench:logs                       # 3 runs: 240,000 lines live + 300,000 lines backlog
//   npm run bench:logs -- --lines 200000 --backlog 100000 --runs 1
//
// Two measurements:
// - live: a container prints N lines (busybox awk, ~90 bytes each) while the collector reads;
//   the clock runs from the container's start until the N-th line is stored and searchable.
//   Docker's own logging (the json-file writer) is part of this path, and on a small machine
//   the writer, dockerd and the collector share the CPUs. N is kept within Docker's log
//   window (jobyard's 5 × 10 MiB rotation keeps at least the last 40 MiB, about 250,000 of
//   these lines as ~160-byte JSON records): a writer that outruns the collector by more than
//   that loses lines to rotation, as with any reader of json-file logs (the collector
//   reports such a gap, and the run fails).
// - backlog: a container has already written M lines (fitting Docker's 5 × 10 MiB rotation);
//   a fresh collector and store take them in: the collector + store alone.
// Each run checks every line is stored exactly once and found by a full-text search.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Logger, noopLogger, realScheduler } from '../client/index.js';
import { type LogSink, LogCollector } from '../agent/logs/index.js';
import { DockerRuntime } from '../agent/runtime/docker/index.js';
import { LogStore } from '../logs/index.js';

// Also a module: `npm run bench` (bench/rows/logs.ts) calls live() and backlog().
const RUN_ID = `bench-${process.pid}`;
const LABELS = { 'jobyard.io/bench': RUN_ID };
const LOGSTORE = 'bench';

function sink(store: LogStore): LogSink {
  const t0 = performance.now();
  return {
    checkpoints: async (l, p) => store.checkpoints(l, p),
    ingest: async (b) => {
      const s = performance.now();
      const r = store.ingest(b);
      if (process.env.BENCH_TRACE) process.stdout.write(`ingest at ${(s - t0).toFixed(0)}ms: ${b.reduce((n, x) => n + x.entries.length, 0)} lines in ${(performance.now() - s).toFixed(0)}ms\n`);
      return r;
    },
  };
}

/** A sandbox and a container that prints `n` lines to stdout, created (not started). */
async function container(runtime: DockerRuntime, n: number, tag: string, image: string): Promise<{ sandbox: string; id: string }> {
  const sandbox = await runtime.runPodSandbox({ metadata: { name: `bench-${tag}`, namespace: 'bench', uid: `${RUN_ID}-${tag}`, attempt: 0 }, hostname: 'bench', labels: { ...LABELS, 'batch.kubernetes.io/job-name': 'bench' } });
  const script = `BEGIN { for (i = 1; i <= ${n}; i++) printf "2026-03-01T12:00:00Z INFO worker-%d processed item %d in %d ms status=ok user=alice\\n", i % 7, i, i % 1000 }`;
  const id = await runtime.createContainer(sandbox, {
    metadata: { name: 'writer', attempt: 0 },
    image,
    command: ['/bin/busybox', 'awk', script],
    labels: LABELS,
    env: [{ name: `aliyun_logs_${LOGSTORE}`, value: 'stdout' }],
  });
  return { sandbox, id };
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function check(store: LogStore, n: number): void {
  const stats = store.stats().find((s) => s.name === LOGSTORE);
  if (stats?.lines !== n) throw new Error(`stored ${stats?.lines} lines, expected ${n}`);
  const probe = Math.max(1, Math.floor(n / 2));
  const hits = store.search({ logstore: LOGSTORE, text: `item ${probe} in` }).items.filter((r) => r.line.includes(` item ${probe} in `));
  if (hits.length !== 1) throw new Error(`full-text search found line ${probe} ${hits.length} times`);
}

/** Warnings of the collector (a gap: Docker rotated lines away before they were read). */
function warnings(): Logger & { seen: string[] } {
  const seen: string[] = [];
  return { ...noopLogger, seen, warn: (m, f) => seen.push(`${m} ${JSON.stringify(f ?? {})}`) };
}

export async function live(runtime: DockerRuntime, n: number, image = 'busybox:1.36'): Promise<{ seconds: number; rate: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  const store = new LogStore({ path: join(dir, 'logs.db') });
  const logger = warnings();
  const collector = new LogCollector({ runtime, sink: sink(store), instanceLabels: LABELS, scheduler: realScheduler, logger, options: { relistIntervalMs: 100, pollIntervalMs: 50 } });
  const c = await container(runtime, n, `live-${Date.now()}`, image);
  collector.start();
  try {
    const t0 = performance.now();
    await runtime.startContainer(c.id);
    let stored = 0;
    const off = store.onIngest(() => (stored = store.stats().find((s) => s.name === LOGSTORE)?.lines ?? 0));
    await waitFor(() => {
      if (logger.seen.length) throw new Error(`collector: ${logger.seen.join('; ')} (stored ${stored} of ${n})`);
      return stored >= n;
    }, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    off();
    check(store, n);
    return { seconds, rate: n / seconds };
  } finally {
    await collector.stop();
    await runtime.removePodSandbox(c.sandbox);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function backlog(runtime: DockerRuntime, n: number, image = 'busybox:1.36'): Promise<{ seconds: number; rate: number }> {
  const c = await container(runtime, n, `backlog-${Date.now()}`, image);
  await runtime.startContainer(c.id);
  await runtime.waitContainer(c.id);
  // Docker writes the log after the process wrote it: let it settle.
  await new Promise((r) => setTimeout(r, 500));
  const dir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  const store = new LogStore({ path: join(dir, 'logs.db') });
  const collector = new LogCollector({ runtime, sink: sink(store), instanceLabels: LABELS, scheduler: realScheduler, logger: noopLogger });
  try {
    const t0 = performance.now();
    await collector.drainContainer(c.id);
    const seconds = (performance.now() - t0) / 1000;
    check(store, n);
    return { seconds, rate: n / seconds };
  } finally {
    await collector.stop();
    await runtime.removePodSandbox(c.sandbox);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '240000' },
      backlog: { type: 'string', default: '300000' },
      runs: { type: 'string', default: '3' },
      image: { type: 'string', default: 'busybox:1.36' },
    },
  });
  const LIVE = Number(values.lines);
  const BACKLOG = Number(values.backlog);
  const RUNS = Number(values.runs);
  const IMAGE = values.image!;
  const runtime = new DockerRuntime();
  const info = await runtime.info();
  process.stdout.write(`log ingest benchmark: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}, ${info.runtimeName} ${info.runtimeVersion}, ${info.storageDriver}\n`);
  const fmt = (r: { seconds: number; rate: number }) => `${Math.round(r.rate).toLocaleString('en-US')} lines/s (${r.seconds.toFixed(2)} s)`;
  const rates: Record<'live' | 'backlog', number[]> = { live: [], backlog: [] };
  for (let i = 1; i <= RUNS; i++) {
    if (LIVE > 0) {
      const r = await live(runtime, LIVE, IMAGE);
      rates.live.push(r.rate);
      process.stdout.write(`run ${i} live:    ${LIVE.toLocaleString('en-US')} lines, container start → all stored and searchable: ${fmt(r)}\n`);
    }
    if (BACKLOG > 0) {
      const r = await backlog(runtime, BACKLOG, IMAGE);
      rates.backlog.push(r.rate);
      process.stdout.write(`run ${i} backlog: ${BACKLOG.toLocaleString('en-US')} lines already in the json-file log → stored and searchable: ${fmt(r)}\n`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const k of ['live', 'backlog'] as const) {
    if (rates[k].length) process.stdout.write(`median ${k}: ${Math.round(median(rates[k])).toLocaleString('en-US')} lines/s over ${rates[k].length} run(s)\n`);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:logs failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
