// The report as a terminal table and as the README's Markdown table.
import type { BenchReport } from '../run.js';
import type { Figure } from './row.js';

function num(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '—';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  const s = v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit === '%' ? `${s} %` : `${s} ${unit}`;
}

interface Line {
  row: string;
  figure: string;
  reference: string;
  ratio: string;
  goal: string;
  met: string;
}

function lines(report: BenchReport): Line[] {
  const out: Line[] = [];
  for (const r of report.rows) {
    const bad = r.checks.filter((c) => !c.ok);
    if (r.error || r.figures.length === 0) {
      out.push({ row: r.row, figure: r.error ? `failed: ${r.error.split('\n')[0]}` : 'no figures', reference: '', ratio: '', goal: '', met: '' });
      continue;
    }
    r.figures.forEach((f: Figure) => {
      out.push({
        row: r.row,
        figure: `${f.name}: ${num(f.value, f.unit)}`,
        reference: f.reference ? `${f.reference.label}: ${num(f.reference.value, f.reference.unit)}` : '',
        ratio: f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
        goal: f.goal?.text ?? '',
        met: f.goal ? (f.goal.met ? 'yes' : 'no') : '',
      });
    });
    if (bad.length) out.push({ row: r.row, figure: `CHECK FAILED: ${bad.map((c) => `${c.name}${c.detail ? ` (${c.detail})` : ''}`).join('; ')}`, reference: '', ratio: '', goal: '', met: '' });
  }
  return out;
}

export function formatTable(report: BenchReport): string {
  const head: Line = { row: 'row', figure: 'figure', reference: 'reference (same run unless published)', ratio: 'ratio', goal: 'goal', met: 'met?' };
  const all = [head, ...lines(report)];
  const keys = Object.keys(head) as (keyof Line)[];
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...all.map((l) => l[k].length))])) as Record<keyof Line, number>;
  const fmt = (l: Line) => keys.map((k) => l[k].padEnd(width[k])).join('  ').trimEnd();
  const m = report.machine;
  const notes = report.rows.flatMap((r) => r.notes.map((n) => `  ${r.row}: ${n}`));
  return [
    `jobyard benchmarks, ${report.startedAt}: ${m.cpus} CPUs (${m.model}), Node ${m.node}, load ${m.loadBefore.join(' ')} → ${m.loadAfter.join(' ')}${report.options.smoke ? ', SMOKE sizes' : ''}`,
    fmt(head),
    keys.map((k) => '-'.repeat(width[k])).join('  '),
    ...all.slice(1).map(fmt),
    ...(notes.length ? ['', 'notes:', ...notes] : []),
    '',
  ].join('\n');
}

export function formatMarkdown(report: BenchReport): string {
  const m = report.machine;
  const rows = lines(report).map((l) => `| ${l.row} | ${l.figure} | ${l.reference} | ${l.ratio} | ${l.goal} | ${l.met} |`);
  return [
    `Measured ${report.startedAt.slice(0, 10)} by \`npm run bench\` on ${m.cpus} CPUs (${m.model}), Node ${m.node}; load average ${m.loadBefore.join(' ')} before, ${m.loadAfter.join(' ')} after.`,
    '',
    '| row | jobyard | reference | ratio | goal | met? |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
