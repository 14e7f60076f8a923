// `npm run bench -- --smoke` as CI runs it: every row of the benchmark suite runs at small
// sizes against a real server and the real engine, and counts correctly (the Job's completions
// are its Succeeded pods, every watch saw every event in order, every log line stored exactly
// once). No time is asserted: timing goals live in the benchmark's own table.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROWS, runBench } from '../../bench/run.js';

const out = mkdtempSync(join(tmpdir(), 'jobyard-bench-smoke-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench -- --smoke', () => {
  it('runs every row, each counting correctly, and writes the JSON report', async () => {
    const report = await runBench({ smoke: true, outDir: out, log: () => {} });
    expect(report.rows.map((r) => r.row)).toEqual(ROWS.map((r) => r.id));
    for (const r of report.rows) {
      expect(r.error, r.row).toBeUndefined();
      expect(r.figures.length, r.row).toBeGreaterThan(0);
      for (const f of r.figures) expect(Number.isFinite(f.value), `${r.row}: ${f.name}`).toBe(true);
      expect(r.checks.filter((c) => !c.ok), r.row).toEqual([]);
    }
    const names = (row: string) => report.rows.find((r) => r.row === row)!.checks.map((c) => c.name);
    expect(names('job-200')).toEqual(expect.arrayContaining(['run 1: succeeded == completions', 'run 2: succeeded == completions', 'run without batching: Complete, succeeded == completions']));
    expect(names('configmap-watch')).toContain('every watch saw all 20 events, in order');
    expect(names('logs')).toEqual(['live: every line stored exactly once and searchable', 'backlog: every line stored exactly once and searchable']);
    expect(names('control-plane')).toContain('Succeeded pods == completions');
    const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { rows: unknown[] };
    expect(latest.rows).toHaveLength(ROWS.length);
    expect(readFileSync(report.file!, 'utf8')).toBe(readFileSync(join(out, 'latest.json'), 'utf8'));
  });
});
