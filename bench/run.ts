// `npm run bench`: every row of issue 12's table side by side with its reference, measured in
// the same run. Prints a table (row, figure, reference, ratio, goal, met?) and writes JSON under
// artifacts/bench/ (one file per run, timestamped, and latest.json).
//
//   npm run bench                                   # every row at full size (about 15 minutes)
//   npm run bench -- --only control-plane,configmap-watch
//   npm run bench -- --smoke                        # every row small: seconds each, for CI
//   npm run bench -- --only job-200 --runs 5        # the Job five times in a row (no wedge?)
//   npm run bench -- --markdown                     # the README's table form
//   npm run bench -- --cpu-prof                     # server CPU profiles kept under artifacts/bench/profiles/
//   npm run bench -- --server dist                  # the built dist/ (npm run build first), not the sources via tsx
//   npm run bench -- --only job-200 --server-arg=--always-pause-container   # a server flag for the rows with a Job or pods
//
// Sizes: --job-completions 200 --job-parallelism 10 --pods 30 --cp-completions 3000
// --cp-parallelism 300 --configmaps 500 --watches 100 --idle-seconds 20 --log-lines 240000
// --log-backlog 300000 --probes 200. A row that fails is reported as failed; the others still run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage } from './lib/measure.js';
import type { BenchRow, RowContext, RowResult } from './lib/row.js';
import { REPO_ROOT, type ServerBuild } from './lib/server.js';
import { formatMarkdown, formatTable } from './lib/table.js';
import { apiHeavyBodies } from './rows/api-heavy-bodies.js';
import { coldStart } from './rows/cold-start.js';
import { configmapWatch } from './rows/configmap-watch.js';
import { controlPlane } from './rows/control-plane.js';
import { job200 } from './rows/job-200.js';
import { logs } from './rows/logs.js';
import { podStart } from './rows/pod-start.js';

export const ROWS: BenchRow[] = [job200, podStart, controlPlane, configmapWatch, apiHeavyBodies, coldStart, logs];

const SIZE_FLAGS = ['job-completions', 'job-parallelism', 'pods', 'cp-completions', 'cp-parallelism', 'configmaps', 'watches', 'idle-seconds', 'log-lines', 'log-backlog', 'probes'] as const;

export interface BenchOptions {
  only?: string[];
  smoke?: boolean;
  runs?: number;
  build?: ServerBuild;
  sizes?: Partial<Record<(typeof SIZE_FLAGS)[number], number>>;
  cpuProf?: boolean;
  /** More flags for the servers of the rows with a Job or pods (job-200, pod-start, control-plane). */
  serverArgs?: string[];
  /** Where JSON goes. @defaultValue artifacts/bench */
  outDir?: string;
  log?: (line: string) => void;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; model: string; memoryBytes: number; node: string; loadBefore: number[]; loadAfter: number[] };
  options: { smoke: boolean; runs: number; build: ServerBuild; only: string[]; serverArgs: string[] };
  rows: (RowResult & { error?: string; loadAtStart?: number[] })[];
  file?: string;
}

/** Runs the chosen rows one after another; never throws for a failing row. */
export async function runBench(opts: BenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const only = opts.only?.length ? opts.only : ROWS.map((r) => r.id);
  for (const id of only) if (!ROWS.some((r) => r.id === id)) throw new Error(`unknown row ${id} (rows: ${ROWS.map((r) => r.id).join(', ')})`);
  const smoke = !!opts.smoke;
  const build = opts.build ?? 'tsx';
  const runs = opts.runs ?? 1;
  const outDir = opts.outDir ?? join(REPO_ROOT, 'artifacts', 'bench');
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const ctx: RowContext = {
    smoke,
    build,
    runs,
    size: (name, full, small) => opts.sizes?.[name as (typeof SIZE_FLAGS)[number]] ?? (smoke ? small : full),
    profileDir: opts.cpuProf ? join(outDir, 'profiles', stamp) : undefined,
    serverArgs: opts.serverArgs ?? [],
    log,
  };
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    machine: { cpus: cpus().length, model: cpus()[0]?.model.trim() ?? '', memoryBytes: totalmem(), node: process.version, loadBefore: loadAverage(), loadAfter: [] },
    options: { smoke, runs, build, only, serverArgs: opts.serverArgs ?? [] },
    rows: [],
  };
  for (const row of ROWS.filter((r) => only.includes(r.id))) {
    const t0 = performance.now();
    const load = loadAverage();
    log(`bench: ${row.id} (load ${load.join(' ')})`);
    try {
      const r = await row.run(ctx);
      report.rows.push({ row: row.id, title: row.title, seconds: (performance.now() - t0) / 1000, loadAtStart: load, ...r });
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      log(`bench: ${row.id} failed: ${message}`);
      report.rows.push({ row: row.id, title: row.title, seconds: (performance.now() - t0) / 1000, figures: [], checks: [{ name: 'ran', ok: false, detail: message.split('\n')[0] }], notes: [], error: message });
    }
  }
  report.finishedAt = new Date().toISOString();
  report.machine.loadAfter = loadAverage();
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `bench-${stamp}${smoke ? '-smoke' : ''}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(join(outDir, 'latest.json'), json);
  report.file = file;
  return report;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      runs: { type: 'string', default: '1' },
      markdown: { type: 'boolean', default: false },
      server: { type: 'string', default: 'tsx' },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string' },
      'server-arg': { type: 'string', multiple: true },
      ...Object.fromEntries(SIZE_FLAGS.map((f) => [f, { type: 'string' as const }])),
    },
  });
  const v = values as Record<string, string | boolean | string[] | undefined>;
  if (v.server !== 'tsx' && v.server !== 'dist') throw new Error('--server is tsx or dist');
  const sizes: BenchOptions['sizes'] = {};
  for (const f of SIZE_FLAGS) {
    if (v[f] === undefined) continue;
    const n = Number(v[f]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${f} must be a non-negative integer`);
    sizes[f] = n;
  }
  const runs = Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const report = await runBench({
    only: typeof v.only === 'string' ? v.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    smoke: v.smoke === true,
    runs,
    build: v.server,
    sizes,
    cpuProf: v['cpu-prof'] === true,
    outDir: typeof v.out === 'string' ? v.out : undefined,
    serverArgs: (values as { 'server-arg'?: string[] })['server-arg'] ?? [],
  });
  process.stdout.write(v.markdown ? formatMarkdown(report) : formatTable(report));
  process.stdout.write(`\nJSON: ${report.file}\n`);
  if (report.rows.some((r) => r.error || r.checks.some((c) => !c.ok))) process.exitCode = 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
