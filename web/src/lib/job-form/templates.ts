// The four job shapes (docs/product.md#job-shapes), as templates that fill step 3.
import type { JobForm } from './model.js';

export type JobShape = 'oneShot' | 'fixedCompletions' | 'parallelFixedCompletions' | 'workQueue';

export interface JobTemplate {
  shape: JobShape;
  completions: number | null;
  parallelism: number;
}

/**
 * One-shot (a database migration): 1 pod until it succeeds.
 * Fixed completions: one pod at a time until `completions` succeeded.
 * Fixed completions in parallel: several pods at a time until `completions` succeeded (the busybox example, docs/product.md#busybox-example).
 * Parallel work queue: completions unset; done when all pods ended and at least one succeeded.
 */
export const JOB_TEMPLATES: readonly JobTemplate[] = [
  { shape: 'oneShot', completions: 1, parallelism: 1 },
  { shape: 'fixedCompletions', completions: 3, parallelism: 1 },
  { shape: 'parallelFixedCompletions', completions: 4, parallelism: 2 },
  { shape: 'workQueue', completions: null, parallelism: 2 },
];

export function jobTemplate(shape: JobShape): JobTemplate {
  const t = JOB_TEMPLATES.find((x) => x.shape === shape);
  if (!t) throw new Error(`unknown job shape ${shape}`);
  return t;
}

/** Fills step 3 from a template: completions and parallelism; other settings stay. */
export function applyJobTemplate(form: JobForm, shape: JobShape): JobForm {
  const t = jobTemplate(shape);
  return { ...form, completions: t.completions, parallelism: t.parallelism };
}

/**
 * Which of the four shapes a completions/parallelism pair is, as docs/product.md#job-shapes classifies
 * them; undefined for pairs outside the table (e.g. completions unset with parallelism 1).
 * An unset parallelism means 1 (the API default).
 */
export function jobShapeOf(completions: number | null | undefined, parallelism: number | null | undefined): JobShape | undefined {
  const p = parallelism ?? 1;
  if (completions === null || completions === undefined) {
    // Upstream: both unset default to 1/1 (one-shot); completions unset with parallelism set is a work queue.
    if (parallelism === null || parallelism === undefined) return 'oneShot';
    return p >= 2 ? 'workQueue' : undefined;
  }
  if (completions === 1 && p === 1) return 'oneShot';
  if (completions >= 2 && p === 1) return 'fixedCompletions';
  if (completions >= 2 && p >= 2) return 'parallelFixedCompletions';
  return undefined;
}
