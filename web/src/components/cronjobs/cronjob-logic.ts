// What the CronJobs page computes (pure): a CronJob's Jobs, the Job of "Run now" as
// `kubectl create job --from=cronjob/NAME` makes it. The create form's model is lib/job-form's.
import type { CronJob, Job } from '../../../../api/batch.js';
import type { OwnerReference } from '../../../../api/meta.js';
import { timeOf } from '../../lib/k8s/duration.js';

/** The annotation the CronJob controller puts on each Job it creates: the scheduled time (api/batch.ts; web/ imports only types from api/). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** kubectl's annotation on a Job made from a CronJob by hand. */
export const INSTANTIATE_ANNOTATION = 'cronjob.kubernetes.io/instantiate';

/** The controlling owner of an object (at most one has controller: true). */
export function controllerOf(obj: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller === true);
}

/** The Jobs controlled by this CronJob (by the controlling ownerReference's uid), newest first. */
export function jobsOfCronJob(cj: CronJob, jobs: readonly Job[]): Job[] {
  const uid = cj.metadata.uid;
  if (!uid) return [];
  return jobs
    .filter((j) => {
      const c = controllerOf(j);
      return c?.kind === 'CronJob' && c.uid === uid;
    })
    .sort(
      (a, b) =>
        (timeOf(b.metadata.creationTimestamp) ?? 0) - (timeOf(a.metadata.creationTimestamp) ?? 0) ||
        (timeOf(b.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]) ?? 0) - (timeOf(a.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]) ?? 0) ||
        (b.metadata.name ?? '').localeCompare(a.metadata.name ?? ''),
    );
}

/** The CronJob's running Jobs, as its status lists them. */
export function activeCount(cj: CronJob): number {
  return cj.status?.active?.length ?? 0;
}

/** True for a Job made by hand from a CronJob (kubectl create job --from, or Run now). */
export function isManualRun(job: Job): boolean {
  return job.metadata.annotations?.[INSTANTIATE_ANNOTATION] === 'manual';
}

// utilrand.String's alphabet (no vowels, no confusable characters), as upstream's generated names use.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
const MANUAL = '-manual-';
const MAX_NAME = 63;

/** Five characters of upstream's generated-name alphabet. */
export function randomSuffix(random: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length) % ALPHABET.length];
  return s;
}

/**
 * `<cronjob>-manual-<5 random characters>`, at most 63 characters (the Job's name goes into its
 * pods' job-name label, a label value): a long CronJob name is cut, without a trailing '-'.
 */
export function manualJobName(cronJobName: string, suffix: string = randomSuffix()): string {
  const room = MAX_NAME - MANUAL.length - suffix.length;
  const base = cronJobName.slice(0, room).replace(/-+$/, '');
  return `${base}${MANUAL}${suffix}`;
}

/**
 * The Job of "Run now", as `kubectl create job NAME --from=cronjob/CRONJOB` builds it: the
 * template's spec, labels and annotations, the annotation cronjob.kubernetes.io/instantiate=manual,
 * and an ownerReference to the CronJob with controller: true (kubectl leaves blockOwnerDeletion out).
 */
export function jobFromCronJob(cj: CronJob, name: string = manualJobName(cj.metadata.name ?? 'cronjob')): Job {
  const template = JSON.parse(JSON.stringify(cj.spec.jobTemplate ?? {})) as CronJob['spec']['jobTemplate'];
  const metadata: Job['metadata'] = {
    name,
    namespace: cj.metadata.namespace,
    annotations: { ...(template.metadata?.annotations ?? {}), [INSTANTIATE_ANNOTATION]: 'manual' },
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true }],
  };
  if (template.metadata?.labels && Object.keys(template.metadata.labels).length > 0) metadata.labels = { ...template.metadata.labels };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: template.spec ?? { template: { spec: { containers: [] } } } };
}
