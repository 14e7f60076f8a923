// What a benchmark row reports: figures side by side with their reference, checks that it ran
// and counted correctly (the CI smoke asserts these, never a time), notes on how it was measured.
import type { ServerBuild } from './server.js';

export interface Reference {
  label: string;
  value: number;
  unit: string;
  /** A published figure (a constant with its source), not measured in this run. */
  published?: boolean;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  reference?: Reference;
  /** value / reference.value, when both are in the same unit. */
  ratio?: number;
  goal?: { text: string; met: boolean };
}

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface RowResult {
  row: string;
  title: string;
  figures: Figure[];
  checks: Check[];
  notes: string[];
  /** Wall time of the row. */
  seconds: number;
  /** Whatever else the row measured (per-run times, stuck pods, ...), kept in the JSON. */
  details?: Record<string, unknown>;
}

export interface RowContext {
  smoke: boolean;
  build: ServerBuild;
  /** --runs: how many times the rows that repeat run (job-200). */
  runs: number;
  /** Size flags (--completions 200 ...), already parsed. */
  size: (name: string, full: number, smoke: number) => number;
  /** Where CPU profiles go when --cpu-prof is given. */
  profileDir?: string;
  /** --server-arg: more flags for the servers of the rows with a Job or pods (job-200, pod-start, control-plane). */
  serverArgs: string[];
  log: (message: string) => void;
}

export interface BenchRow {
  id: string;
  title: string;
  /** Needs the Docker engine. */
  docker: boolean;
  run(ctx: RowContext): Promise<Omit<RowResult, 'row' | 'title' | 'seconds'>>;
}

export function ratioFigure(f: Omit<Figure, 'ratio'>): Figure {
  return f.reference && f.reference.unit === f.unit && f.reference.value > 0 ? { ...f, ratio: f.value / f.reference.value } : f;
}
