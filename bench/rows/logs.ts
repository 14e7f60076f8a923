// Log ingest (bench/log-ingest.ts, also `npm run bench:logs`): live and backlog lines/s, each
// run checking every line stored exactly once and found by a full-text search.
import { DockerRuntime } from '../../agent/runtime/docker/index.js';
import { backlog, live } from '../log-ingest.js';
import type { BenchRow, Check, Figure } from '../lib/row.js';

const GOAL_LINES_PER_S = 100_000;

export const logs: BenchRow = {
  id: 'logs',
  title: 'log ingest, live and backlog',
  docker: true,
  async run(ctx) {
    const liveLines = ctx.size('log-lines', 240_000, 2_000);
    const backlogLines = ctx.size('log-backlog', 300_000, 2_000);
    const runtime = new DockerRuntime();
    const figures: Figure[] = [];
    const checks: Check[] = [];
    for (const [kind, n, fn] of [['live', liveLines, live], ['backlog', backlogLines, backlog]] as const) {
      if (n === 0) continue;
      ctx.log(`logs: ${kind} ${n} lines`);
      try {
        const r = await fn(runtime, n);
        figures.push({ name: `${kind}: ${n.toLocaleString('en-US')} lines`, value: r.rate, unit: 'lines/s', goal: { text: `≥ ${GOAL_LINES_PER_S.toLocaleString('en-US')} lines/s`, met: r.rate >= GOAL_LINES_PER_S } });
        checks.push({ name: `${kind}: every line stored exactly once and searchable`, ok: true });
      } catch (err) {
        checks.push({ name: `${kind}: every line stored exactly once and searchable`, ok: false, detail: err instanceof Error ? err.message : String(err) });
      }
    }
    return { figures, checks, notes: ['bench/log-ingest.ts: container start → all lines stored (live); a finished container\'s json-file log → stored (backlog); no reference row'] };
  },
};
