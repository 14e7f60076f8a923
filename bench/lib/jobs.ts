// Jobs and pods for the rows: create, wait for a condition by watch (no polling load on the
// server), count what ended how.
import type { Job, Pod } from '../../api/index.js';
import type { RestClientset } from '../../client/index.js';

export const SIMULATED_TOLERATION = { key: 'node.jobyard.io/simulated', operator: 'Exists', effect: 'NoSchedule' };

export function jobManifest(name: string, o: { completions: number; parallelism: number; image?: string; simulated?: { duration: string }; backoffLimit?: number }): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      completions: o.completions,
      parallelism: o.parallelism,
      backoffLimit: o.backoffLimit ?? 6,
      template: {
        metadata: o.simulated ? { annotations: { 'simulated.jobyard.io/duration': o.simulated.duration } } : {},
        spec: {
          restartPolicy: 'Never',
          ...(o.simulated ? { tolerations: [SIMULATED_TOLERATION] } : {}),
          containers: [{ name: 'main', image: o.image ?? 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['true'] }],
        },
      },
    },
  } as Job;
}

export function finishedCondition(j: Job): 'Complete' | 'Failed' | undefined {
  const c = j.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/**
 * Creates the Job and resolves when a watch sees it Complete or Failed: the seconds from the
 * POST, and the Job as last seen. Rejects after `timeoutMs` with the Job as it stands.
 */
export async function runJob(cs: RestClientset, ns: string, job: Job, timeoutMs: number): Promise<{ seconds: number; job: Job; timedOut: boolean }> {
  const jobs = cs.jobs.namespace(ns);
  const ac = new AbortController();
  const t0 = performance.now();
  const created = await jobs.create(job);
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  let last = created;
  try {
    if (finishedCondition(created)) return { seconds: (performance.now() - t0) / 1000, job: created, timedOut: false };
    let rv = created.metadata.resourceVersion ?? '';
    for (;;) {
      try {
        for await (const ev of jobs.watch({ fieldSelector: `metadata.name=${job.metadata.name}`, resourceVersion: rv, signal: ac.signal, allowWatchBookmarks: true })) {
          if (ev.type === 'BOOKMARK') {
            rv = ev.object.metadata.resourceVersion ?? rv;
            continue;
          }
          last = ev.object;
          rv = last.metadata.resourceVersion ?? rv;
          if (finishedCondition(last)) return { seconds: (performance.now() - t0) / 1000, job: last, timedOut: false };
        }
      } catch (err) {
        if (ac.signal.aborted) break;
        throw err;
      }
      if (ac.signal.aborted) break;
    }
    return { seconds: (performance.now() - t0) / 1000, job: await jobs.get(job.metadata.name!), timedOut: true };
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

/** The Job's pods by phase, and those not finished with what holds them (a stuck pod is named, never hidden). */
export async function podSummary(cs: RestClientset, ns: string, jobName: string): Promise<{ byPhase: Record<string, number>; stuck: string[] }> {
  const pods = (await cs.pods.namespace(ns).list({ labelSelector: `batch.kubernetes.io/job-name=${jobName}` })).items as Pod[];
  const byPhase: Record<string, number> = {};
  const stuck: string[] = [];
  for (const p of pods) {
    const phase = p.status?.phase ?? 'Unknown';
    byPhase[phase] = (byPhase[phase] ?? 0) + 1;
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      const waiting = p.status?.containerStatuses?.map((c) => c.state?.waiting?.reason).filter(Boolean).join(',');
      stuck.push(`${p.metadata.name} ${phase}${waiting ? ` (${waiting})` : ''} on ${p.spec.nodeName ?? 'no node'}`);
    }
  }
  return { byPhase, stuck };
}
