// A Job read from the server, made fit to create again: clone (the wizard pre-filled) and rerun.
import type { Job } from '../../../../api/batch.js';

/** Labels the API server and Job controller put on a Job and its pods; a copy must not carry them. */
export const GENERATED_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid', 'batch.kubernetes.io/job-name', 'job-name'];
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'batch.kubernetes.io/job-tracking'];

function without(rec: Record<string, string> | undefined, keys: string[]): Record<string, string> | undefined {
  if (!rec) return undefined;
  const out = Object.fromEntries(Object.entries(rec).filter(([k]) => !keys.includes(k)));
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The Job as a new object: server-set metadata (uid, resourceVersion, creationTimestamp, generation,
 * managedFields, ownerReferences, finalizers), status, the generated selector and labels are removed;
 * `suspend` is dropped so the copy runs. Everything the person wrote stays.
 */
export function jobForClone(job: Job, name?: string): Job {
  const j = JSON.parse(JSON.stringify(job)) as Job;
  const m = j.metadata;
  const metadata: Job['metadata'] = { name: name ?? m.name, namespace: m.namespace };
  const labels = without(m.labels, GENERATED_LABELS);
  if (labels) metadata.labels = labels;
  const annotations = without(m.annotations, DROPPED_ANNOTATIONS);
  if (annotations) metadata.annotations = annotations;
  const spec = j.spec;
  if (!spec.manualSelector) {
    delete spec.selector;
    delete spec.manualSelector;
  }
  delete spec.suspend;
  const tm = spec.template.metadata;
  if (tm) {
    const tl = spec.manualSelector ? tm.labels : without(tm.labels, GENERATED_LABELS);
    if (tl) tm.labels = tl;
    else delete tm.labels;
    delete tm.creationTimestamp;
    if (Object.keys(tm).length === 0) delete spec.template.metadata;
  }
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec };
}

/** A name for a copy: "<name>-copy", "<name>-copy-2"..., at most 63 characters (a DNS label, for pod names). */
export function copyName(name: string, taken: ReadonlySet<string> = new Set()): string {
  for (let i = 1; ; i++) {
    const suffix = i === 1 ? '-copy' : `-copy-${i}`;
    const candidate = `${name.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The Job to create for "rerun": the same spec under a generated name `<name>-<random>`. */
export function jobForRerun(job: Job): Job {
  const j = jobForClone(job);
  const base = (job.metadata.name ?? 'job').slice(0, 52).replace(/-+$/, '');
  delete j.metadata.name;
  j.metadata.generateName = `${base}-`;
  j.metadata.annotations = { ...(j.metadata.annotations ?? {}), 'jobyard.io/rerun-of': job.metadata.name ?? '' };
  return j;
}
