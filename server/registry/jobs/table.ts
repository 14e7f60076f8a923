// kubectl get jobs: NAME STATUS COMPLETIONS DURATION AGE (+ wide CONTAINERS IMAGES SELECTOR),
// as upstream's printJob.
import type { JobCondition, KubeObject } from '../../../api/index.js';
import type { TableConvertor } from '../resource.js';
import { humanDuration, humanDurationBetween, translateTimestampSince } from '../../../machinery/index.js';
import { AGE_COLUMN, NAME_COLUMN, column, formatLabelSelector, layoutContainerCells } from '../table.js';
import type { JobObject } from './types.js';

/** hasJobCondition: the first condition of that type decides. */
function hasJobCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  const c = (conditions ?? []).find((x) => x.type === type);
  return c?.status === 'True';
}

/** STATUS: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
export function jobStatusCell(job: JobObject): string {
  const conditions = job.status?.conditions;
  if (hasJobCondition(conditions, 'Complete')) return 'Complete';
  if (hasJobCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasJobCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** COMPLETIONS: "2/3"; a work queue (no completions) shows "1/1 of 3" for parallelism 3. */
export function jobCompletionsCell(job: JobObject): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** DURATION: empty before start, running time until completionTime (or `now`). */
export function jobDurationCell(job: JobObject, now: Date): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime;
  if (!end) return humanDuration(now.getTime() - Date.parse(start));
  return humanDurationBetween(start, end);
}

export const jobTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Status', 'Status of the job.'),
    column('Completions', 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
    column('Duration', 'Time required to complete the job.'),
    AGE_COLUMN,
    column('Containers', 'Names of each container in the template.', { priority: 1 }),
    column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
    column('Selector', 'A label query over pods that should match the pod count.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const job = obj as JobObject;
    const { names, images } = layoutContainerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata.name,
      jobStatusCell(job),
      jobCompletionsCell(job),
      jobDurationCell(job, now),
      translateTimestampSince(job.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};
