import { afterEach, describe, expect, it } from 'vitest';
import type { CronJob, Job } from '../../api/index.js';
import { InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { parseCronSchedule } from '../../machinery/cron-schedule.js';
import { CronJobController, jobNameFor, mostRecentScheduleTime } from './cronjob-controller.js';
import { settle } from '../testing/settle.js';

const CREATED = '2026-05-01T11:58:30Z';

function cronJob(spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default', uid: 'cj-uid', creationTimestamp: CREATED, resourceVersion: '1' },
    spec: {
      schedule: '* * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { team: 'data' }, annotations: { note: 'from template' } },
        spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
      ...spec,
    },
    status,
  };
}

function ownedJob(name: string, o: { finished?: 'Complete' | 'Failed'; startTime?: string; completionTime?: string; scheduled?: string } = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(o.scheduled ? { annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': o.scheduled } } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    status: {
      ...(o.startTime ? { startTime: o.startTime } : {}),
      ...(o.completionTime ? { completionTime: o.completionTime } : {}),
      ...(o.finished ? { conditions: [{ type: o.finished, status: 'True' as const, lastProbeTime: o.completionTime, lastTransitionTime: o.completionTime }] } : {}),
    },
  } as Job;
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(now: string, cj: CronJob, jobs: Job[] = []) {
  const clock = new FakeClock(now);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  cs.tracker.add(Resources.cronjobs, cj);
  for (const j of jobs) cs.tracker.add(Resources.jobs, j);
  const informers = new InformerFactory(cs, { scheduler });
  const recorder = new FakeEventRecorder();
  const controller = new CronJobController({ clientset: cs, informers, recorder, scheduler });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const drain = async () => {
    for (let i = 0; i < 20 && controller.queue.len() > 0; i++) {
      await controller.processNextWorkItem();
      await settle();
    }
  };
  const cronJobNow = () => cs.cronjobs.namespace('default').get('nightly');
  const jobNames = async () => (await cs.jobs.namespace('default').list()).items.map((j) => j.metadata.name).sort();
  return { cs, controller, scheduler, recorder, drain, cronJobNow, jobNames, clock };
}

describe('CronJobController', () => {
  it('creates the Job of the scheduled time, owned and annotated, and records it in status', async () => {
    const t = await setup('2026-05-01T12:00:10Z', cronJob());
    await t.drain();
    const name = jobNameFor('nightly', new Date('2026-05-01T12:00:00Z'));
    expect(name).toBe(`nightly-${Date.parse('2026-05-01T12:00:00Z') / 60_000}`);
    // 11:59 was also due since creation at 11:58:30, but only the most recent time runs.
    expect(await t.jobNames()).toEqual([name]);
    const job = await t.cs.jobs.namespace('default').get(name);
    expect(job.metadata.labels).toEqual({ team: 'data' });
    expect(job.metadata.annotations).toEqual({ note: 'from template', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-05-01T12:00:00Z' });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
    expect(job.spec.backoffLimit).toBe(2);
    const cj = await t.cronJobNow();
    expect(cj.status?.lastScheduleTime).toBe('2026-05-01T12:00:00Z');
    expect(cj.status?.active?.map((a) => [a.kind, a.name, a.uid])).toEqual([['Job', name, job.metadata.uid]]);
    expect(t.recorder.events).toEqual([`Normal SuccessfulCreate Created job ${name}`]);
    // Next look: just after 12:01.
    expect(t.controller.queue.waitingItems()).toEqual([{ item: 'default/nightly', delayMs: 50_100 }]);
  });

  it('runs again at the next scheduled time, and not twice for one time', async () => {
    const t = await setup('2026-05-01T12:00:10Z', cronJob());
    await t.drain();
    await t.drain();
    expect(await t.jobNames()).toHaveLength(1);
    t.scheduler.step(50_100);
    await t.drain();
    expect(await t.jobNames()).toEqual([jobNameFor('nightly', new Date('2026-05-01T12:00:00Z')), jobNameFor('nightly', new Date('2026-05-01T12:01:00Z'))]);
    expect((await t.cronJobNow()).status?.lastScheduleTime).toBe('2026-05-01T12:01:00Z');
  });

  it('after a crash between creating the Job and writing status, finds the Job instead of creating another', async () => {
    const name = jobNameFor('nightly', new Date('2026-05-01T12:00:00Z'));
    const t = await setup('2026-05-01T12:00:20Z', cronJob(), [ownedJob(name, { scheduled: '2026-05-01T12:00:00Z' })]);
    await t.drain();
    expect(await t.jobNames()).toEqual([name]);
    expect(t.cs.actionsFor('create', 'jobs')).toHaveLength(0);
    const cj = await t.cronJobNow();
    expect(cj.status?.active?.map((a) => a.name)).toEqual([name]);
    expect(cj.status?.lastScheduleTime).toBe('2026-05-01T12:00:00Z');
  });

  it('takes a Job of its name that it controls as created when the create answers AlreadyExists', async () => {
    const name = jobNameFor('nightly', new Date('2026-05-01T12:00:00Z'));
    // The Job exists but the informer has not seen it yet: the create collides.
    const t = await setup('2026-05-01T12:00:20Z', cronJob());
    t.cs.prependReactor('create', 'jobs', () => ({ error: Object.assign(new Error('exists'), { status: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'exists' } }) }));
    t.cs.tracker.add(Resources.jobs, ownedJob(name, { finished: 'Complete', completionTime: '2026-05-01T12:00:15Z' }));
    await t.controller.sync('default/nightly');
    const cj = await t.cronJobNow();
    expect(cj.status?.lastScheduleTime).toBe('2026-05-01T12:00:00Z');
    expect(cj.status?.active).toBeUndefined();
  });

  it('moves finished Jobs out of active, keeps lastSuccessfulTime, and deletes beyond the history limits', async () => {
    const jobs = [
      ownedJob('a', { finished: 'Complete', startTime: '2026-05-01T11:00:00Z', completionTime: '2026-05-01T11:00:30Z' }),
      ownedJob('b', { finished: 'Complete', startTime: '2026-05-01T11:10:00Z', completionTime: '2026-05-01T11:10:30Z' }),
      ownedJob('c', { finished: 'Complete', startTime: '2026-05-01T11:20:00Z', completionTime: '2026-05-01T11:20:30Z' }),
      ownedJob('d', { finished: 'Complete', startTime: '2026-05-01T11:30:00Z', completionTime: '2026-05-01T11:30:30Z' }),
      ownedJob('f1', { finished: 'Failed', startTime: '2026-05-01T11:05:00Z', completionTime: '2026-05-01T11:05:30Z' }),
      ownedJob('f2', { finished: 'Failed', startTime: '2026-05-01T11:15:00Z', completionTime: '2026-05-01T11:15:30Z' }),
    ];
    const active = [{ kind: 'Job', namespace: 'default', name: 'd', uid: 'uid-d', apiVersion: 'batch/v1' }];
    const t = await setup('2026-05-01T11:30:40Z', cronJob({ schedule: '0 0 1 1 *' }, { active, lastScheduleTime: '2026-05-01T11:30:00Z' }), jobs);
    await t.drain();
    const cj = await t.cronJobNow();
    expect(cj.status?.active).toBeUndefined();
    expect(cj.status?.lastSuccessfulTime).toBe('2026-05-01T11:30:30Z');
    expect(t.recorder.events).toContain('Normal SawCompletedJob Saw completed job: d, condition: Complete');
    // 3 successful and 1 failed are kept: the oldest by start time go.
    expect(await t.jobNames()).toEqual(['b', 'c', 'd', 'f2']);
    expect(t.cs.actionsFor('delete', 'jobs').map((a) => [a.name, a.deleteOptions?.propagationPolicy])).toEqual([
      ['a', 'Background'],
      ['f1', 'Background'],
    ]);
  });

  it('Forbid skips a run while one is active; Replace deletes the active Job and starts the new one', async () => {
    const running = ownedJob('nightly-old', { startTime: '2026-05-01T11:59:00Z' });
    const active = [{ kind: 'Job', namespace: 'default', name: 'nightly-old', uid: 'uid-nightly-old', apiVersion: 'batch/v1' }];
    const forbid = await setup('2026-05-01T12:00:10Z', cronJob({ concurrencyPolicy: 'Forbid' }, { active, lastScheduleTime: '2026-05-01T11:59:00Z' }), [running]);
    await forbid.drain();
    expect(await forbid.jobNames()).toEqual(['nightly-old']);
    expect(forbid.recorder.events).toEqual(['Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid']);

    const replace = await setup('2026-05-01T12:00:10Z', cronJob({ concurrencyPolicy: 'Replace' }, { active, lastScheduleTime: '2026-05-01T11:59:00Z' }), [running]);
    await replace.drain();
    const name = jobNameFor('nightly', new Date('2026-05-01T12:00:00Z'));
    expect(await replace.jobNames()).toEqual([name]);
    expect(replace.recorder.events).toEqual(['Normal SuccessfulDelete Deleted job nightly-old', `Normal SuccessfulCreate Created job ${name}`]);
    expect((await replace.cronJobNow()).status?.active?.map((a) => a.name)).toEqual([name]);
  });

  it('skips a time missed by more than startingDeadlineSeconds', async () => {
    const t = await setup('2026-05-01T12:00:40Z', cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 30 }, { lastScheduleTime: '2026-05-01T11:00:00Z' }));
    // The deadline bounds the search: 12:00 is 40 s ago, beyond 30 s, so it is not even found.
    await t.drain();
    expect(await t.jobNames()).toEqual([]);
    const late = await setup('2026-05-01T12:00:40Z', cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 60 }, { lastScheduleTime: '2026-05-01T11:00:00Z' }));
    await late.drain();
    expect(await late.jobNames()).toEqual([jobNameFor('nightly', new Date('2026-05-01T12:00:00Z'))]);
  });

  it('creates nothing while suspended, and runs the most recent missed time once unsuspended', async () => {
    const t = await setup('2026-05-01T12:00:10Z', cronJob({ suspend: true }));
    await t.drain();
    expect(await t.jobNames()).toEqual([]);
    expect(t.controller.queue.waitingItems()).toEqual([]);
    const cj = await t.cronJobNow();
    await t.cs.cronjobs.namespace('default').update({ ...cj, spec: { ...cj.spec, suspend: false } });
    await settle();
    await t.drain();
    expect(await t.jobNames()).toEqual([jobNameFor('nightly', new Date('2026-05-01T12:00:00Z'))]);
  });

  it('creates nothing and sets no timer for a schedule that never fires (31 February)', async () => {
    const t = await setup('2026-05-01T12:00:10Z', cronJob({ schedule: '0 0 31 2 *' }));
    await t.drain();
    expect(await t.jobNames()).toEqual([]);
    expect(t.controller.queue.waitingItems()).toEqual([]);
  });

  it('runs @every from the CronJob’s creation, then from its last run', async () => {
    const t = await setup('2026-05-01T12:00:10Z', cronJob({ schedule: '@every 1m' }));
    await t.drain();
    expect(await t.jobNames()).toEqual([jobNameFor('nightly', new Date('2026-05-01T11:59:30Z'))]);
    expect((await t.cronJobNow()).status?.lastScheduleTime).toBe('2026-05-01T11:59:30Z');
  });

  it('reads the schedule in its time zone', async () => {
    // 09:00 in Shanghai is 01:00 UTC.
    const t = await setup('2026-05-02T01:00:05Z', cronJob({ schedule: '0 9 * * *', timeZone: 'Asia/Shanghai' }));
    await t.drain();
    expect(await t.jobNames()).toEqual([jobNameFor('nightly', new Date('2026-05-02T01:00:00Z'))]);
  });

  it('forgets an active Job that was deleted, with MissingJob', async () => {
    const active = [{ kind: 'Job', namespace: 'default', name: 'gone', uid: 'uid-gone', apiVersion: 'batch/v1' }];
    const t = await setup('2026-05-01T11:59:10Z', cronJob({ schedule: '0 0 1 1 *' }, { active, lastScheduleTime: '2026-05-01T11:59:00Z' }));
    await t.drain();
    expect((await t.cronJobNow()).status?.active).toBeUndefined();
    expect(t.recorder.events).toEqual(['Normal MissingJob Active job went missing: gone']);
  });
});

describe('mostRecentScheduleTime', () => {
  it('finds the latest unmet time and counts the missed ones, also past a hundred', () => {
    const schedule = parseCronSchedule('* * * * *');
    const cj = cronJob({}, { lastScheduleTime: '2026-05-01T10:00:00Z' });
    expect(mostRecentScheduleTime(cj, new Date('2026-05-01T10:03:30Z'), schedule)).toEqual({ mostRecent: new Date('2026-05-01T10:03:00Z'), missed: 3 });
    expect(mostRecentScheduleTime(cj, new Date('2026-05-01T10:00:30Z'), schedule)).toEqual({ missed: 0 });
    const far = mostRecentScheduleTime(cj, new Date('2026-05-02T10:00:30Z'), schedule);
    expect(far.mostRecent).toEqual(new Date('2026-05-02T10:00:00Z'));
    expect(far.missed).toBeGreaterThan(100);
  });
});
