import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobCondition } from '../../api/index.js';
import { InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { TTLAfterFinishedController, timeLeftMs } from './ttl-after-finished-controller.js';
import { settle } from '../testing/settle.js';

const NOW = '2026-05-01T12:00:00Z';

function finishedJob(o: { name?: string; ttl?: number; type?: 'Complete' | 'Failed'; finishedAt?: string; unfinished?: boolean }): Job {
  const conditions: JobCondition[] = o.unfinished
    ? []
    : [{ type: o.type ?? 'Complete', status: 'True', lastProbeTime: o.finishedAt ?? NOW, lastTransitionTime: o.finishedAt ?? NOW, reason: 'CompletionsReached' }];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name ?? 'j', namespace: 'default', uid: `uid-${o.name ?? 'j'}` },
    spec: {
      ...(o.ttl !== undefined ? { ttlSecondsAfterFinished: o.ttl } : {}),
      template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } },
    },
    status: { conditions },
  } as Job;
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(jobs: Job[]) {
  const clock = new FakeClock(NOW);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const j of jobs) cs.tracker.add(Resources.jobs, j);
  const informers = new InformerFactory(cs, { scheduler });
  const tc = new TTLAfterFinishedController({ clientset: cs, informers, scheduler });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const drain = async () => {
    while (tc.queue.len() > 0) await tc.processNextWorkItem();
  };
  return { cs, tc, scheduler, drain };
}

describe('TTLAfterFinishedController', () => {
  it('deletes a finished Job at finishTime + ttl with Foreground propagation and a uid precondition', async () => {
    const { cs, tc, scheduler, drain } = await setup([finishedJob({ ttl: 100, finishedAt: '2026-05-01T11:59:50Z' })]);
    await drain();
    expect(cs.actionsFor('delete')).toHaveLength(0);
    expect(tc.queue.waitingItems()).toEqual([{ item: 'default/j', delayMs: 90_000 }]);
    scheduler.step(89_999);
    expect(tc.queue.len()).toBe(0);
    scheduler.step(1);
    await drain();
    const deletes = cs.actionsFor('delete', 'jobs');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].deleteOptions).toEqual({ propagationPolicy: 'Foreground', preconditions: { uid: 'uid-j' } });
  });

  it('deletes at once with ttl 0, and counts a Failed Job as finished', async () => {
    const { cs, drain } = await setup([finishedJob({ ttl: 0, type: 'Failed' })]);
    await drain();
    expect(cs.actionsFor('delete', 'jobs').map((a) => a.name)).toEqual(['j']);
  });

  it('ignores Jobs without a TTL and Jobs not finished', async () => {
    const { cs, tc, drain } = await setup([finishedJob({ name: 'no-ttl' }), finishedJob({ name: 'running', ttl: 0, unfinished: true })]);
    await drain();
    expect(cs.actionsFor('delete')).toHaveLength(0);
    expect(tc.queue.waitingItems()).toEqual([]);
  });

  it('queues a Job when it finishes later', async () => {
    const { cs, drain } = await setup([finishedJob({ ttl: 0, unfinished: true })]);
    await drain();
    const job = await cs.jobs.namespace('default').get('j');
    job.status = finishedJob({ ttl: 0 }).status;
    await cs.jobs.namespace('default').updateStatus(job);
    await settle();
    await drain();
    expect(cs.actionsFor('delete', 'jobs')).toHaveLength(1);
  });

  it('re-checks the TTL on a fresh GET: a TTL raised meanwhile defers the deletion', async () => {
    const { cs, tc, drain } = await setup([finishedJob({ ttl: 0 })]);
    // The cache still says ttl 0; the API already has 600.
    cs.prependReactor('get', 'jobs', () => ({ object: finishedJob({ ttl: 600 }) }));
    await drain();
    expect(cs.actionsFor('delete')).toHaveLength(0);
    expect(tc.queue.waitingItems()).toEqual([{ item: 'default/j', delayMs: 600_000 }]);
  });

  it('defers a Job that finished in the future (clock skew) until finishTime + ttl', () => {
    const job = finishedJob({ ttl: 10, finishedAt: '2026-05-01T12:01:00Z' });
    expect(timeLeftMs(job, new Date(NOW))).toBe(70_000);
  });
});
