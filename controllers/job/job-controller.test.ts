import { describe, expect, it } from 'vitest';
import type { Event, Job, Pod } from '../../api/index.js';
import { DeletedFinalStateUnknown, InformerFactory, Resources, deepClone } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock, rfc3339 } from '../../machinery/index.js';
import { JobController } from './job-controller.js';
import { REFERENCE_TIME, TestController, at, conditionSummary, newJob, newPod } from './testing/builders.js';

const KEY = 'default/foobar';

function queued(t: TestController): { item: string; delayMs: number }[] {
  const now = t.controller.queue.len();
  const items: { item: string; delayMs: number }[] = t.controller.queue.waitingItems();
  return now > 0 ? [...items, ...Array.from({ length: now }, () => ({ item: '<queued>', delayMs: 0 }))] : items;
}

describe('JobController event handlers', () => {
  it('an added pod lowers its Job creation expectations and queues the Job after the 1 s batch period', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    t.controller.expectations.expectCreations(KEY, 1);

    t.controller.addPod(newPod(job));

    expect(t.controller.expectations.satisfiedExpectations(KEY)).toBe(true);
    expect(t.controller.queue.waitingItems()).toEqual([{ item: KEY, delayMs: 1000 }]);
    expect(t.controller.queue.len()).toBe(0);
  });

  it('a configured batch period replaces the 1 s one (0: the Job is queued at once)', () => {
    const t = new TestController({ syncJobBatchPeriodMs: 0 });
    const job = newJob();
    t.addJob(job);
    t.controller.addPod(newPod(job));
    expect(queued(t)).toEqual([{ item: '<queued>', delayMs: 0 }]);
  });

  it('a pod whose controllerRef names a Job with another uid is ignored', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    const pod = newPod(job);
    pod.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'foobar', uid: 'someone-else', controller: true }];

    t.controller.addPod(pod);

    expect(queued(t)).toEqual([]);
  });

  it('a pod first seen with a deletionTimestamp counts as a deletion, not a creation', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    t.controller.expectations.setExpectations(KEY, 1, 1);

    t.controller.addPod(newPod(job, { deleting: true }));

    expect(t.controller.expectations.getExpectations(KEY)).toEqual({ add: 1, del: 0 });
  });

  it('an orphan with the tracking finalizer is cleaned, and matching Jobs are woken to adopt it', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    t.controller.expectations.expectCreations(KEY, 1);

    t.controller.addPod(newPod(job, { name: 'orphan', owned: false }));

    expect(t.controller.orphanQueue.len()).toBe(1);
    expect(t.controller.queue.waitingItems()).toEqual([{ item: KEY, delayMs: 1000 }]);
    expect(t.controller.expectations.getExpectations(KEY)).toEqual({ add: 1, del: 0 }); // no controller waits for an orphan
  });

  it('ignores a resync (same resourceVersion)', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    const pod = newPod(job);
    t.controller.updatePod(pod, deepClone(pod));
    expect(queued(t)).toEqual([]);
  });

  it('treats an update setting the deletionTimestamp as a deletion at once', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    t.controller.expectations.expectDeletions(KEY, 1);
    const pod = newPod(job);
    const cur = { ...deepClone(pod), metadata: { ...pod.metadata, resourceVersion: '2', deletionTimestamp: REFERENCE_TIME } };

    t.controller.updatePod(pod, cur);

    expect(t.controller.expectations.satisfiedExpectations(KEY)).toBe(true);
    expect(t.controller.queue.waitingItems()).toEqual([{ item: KEY, delayMs: 1000 }]);
  });

  it('observes the removal of a tracking finalizer it expected', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    const pod = newPod(job, { uid: 'p1', phase: 'Succeeded' });
    t.controller.finalizerExpectations.expectFinalizersRemoved(KEY, ['p1']);
    const cur = deepClone(pod);
    cur.metadata.resourceVersion = '2';
    cur.metadata.finalizers = [];

    t.controller.updatePod(pod, cur);

    expect([...t.controller.finalizerExpectations.getExpectedUIDs(KEY)]).toEqual([]);
  });

  it('wakes both the old and the new Job when a pod changes controller', () => {
    const t = new TestController();
    const a = newJob({ name: 'a' });
    const b = newJob({ name: 'b' });
    t.addJob(a);
    t.addJob(b);
    const pod = newPod(a, { name: 'p' });
    const cur = deepClone(pod);
    cur.metadata.resourceVersion = '2';
    cur.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'b', uid: 'uid-b', controller: true }];

    t.controller.updatePod(pod, cur);

    expect(t.controller.queue.waitingItems().map((w) => w.item).sort()).toEqual(['default/a', 'default/b']);
  });

  it('handles a delete tombstone: deletion observed and the Job queued', () => {
    const t = new TestController();
    const job = newJob();
    t.addJob(job);
    t.controller.expectations.expectDeletions(KEY, 1);
    const pod = newPod(job, { uid: 'p1' });
    t.controller.finalizerExpectations.expectFinalizersRemoved(KEY, ['p1']);

    t.controller.deletePod(new DeletedFinalStateUnknown('default/p', pod), true);

    expect(t.controller.expectations.satisfiedExpectations(KEY)).toBe(true);
    expect(t.controller.finalizerExpectations.getExpectedUIDs(KEY).size).toBe(0);
    expect(t.controller.queue.waitingItems()).toEqual([{ item: KEY, delayMs: 1000 }]);
  });

  it('sends the deleted pods of a finished Job to the orphan queue', () => {
    const t = new TestController();
    const job = newJob({ status: { conditions: [{ type: 'Complete', status: 'True' }] } });
    t.addJob(job);
    t.controller.deletePod(newPod(job, { deleting: true }), false);
    expect(t.controller.orphanQueue.len()).toBe(1);
    expect(queued(t)).toEqual([]);
  });

  it('syncs a new Job at once; a status-only update batched; a spec change at once', () => {
    const t = new TestController();
    const job = newJob();
    t.controller.addJob(job);
    expect(t.controller.queue.len()).toBe(1);

    const t2 = new TestController();
    const status = { ...job, status: { active: 1 } };
    t2.controller.updateJob(job, status);
    expect(t2.controller.queue.waitingItems()).toEqual([{ item: KEY, delayMs: 1000 }]);

    const t3 = new TestController();
    t3.controller.updateJob(job, { ...job, metadata: { ...job.metadata, generation: 2 }, spec: { ...job.spec, parallelism: 3 } });
    expect(t3.controller.queue.len()).toBe(1);
  });

  it('re-arms the deadline when activeDeadlineSeconds changes on a started Job', () => {
    const t = new TestController();
    const old = newJob({ status: { startTime: at(REFERENCE_TIME, -3_000) } });
    const cur = newJob({ activeDeadlineSeconds: 10, generation: 2, status: { startTime: at(REFERENCE_TIME, -3_000) } });

    t.controller.updateJob(old, cur);

    expect(t.controller.queue.len()).toBe(1); // the spec changed: sync now
    expect(t.controller.queue.waitingItems()).toEqual([{ item: KEY, delayMs: 7_000 }]); // and again at the deadline
  });

  it('does not re-arm an unchanged deadline, nor one of a Job not started', () => {
    const t = new TestController();
    const job = newJob({ activeDeadlineSeconds: 10, status: { startTime: at(REFERENCE_TIME, -3_000) } });
    t.controller.updateJob(job, { ...job, status: { ...job.status, active: 1 } });
    expect(t.controller.queue.waitingItems()).toEqual([{ item: KEY, delayMs: 1000 }]);

    const t2 = new TestController();
    t2.controller.updateJob(newJob(), newJob({ activeDeadlineSeconds: 10, generation: 2 }));
    expect(t2.controller.queue.waitingItems()).toEqual([]);
  });

  it('cleans pod finalizers of a deleted Job through the orphan queue', () => {
    const t = new TestController();
    const job = newJob();
    t.addPods([newPod(job, { name: 'a' }), newPod(job, { name: 'b', finalizer: false }), newPod(job, { name: 'c', phase: 'Succeeded' })]);

    t.controller.deleteJob(new DeletedFinalStateUnknown(KEY, job));

    expect(t.controller.queue.len()).toBe(1);
    expect(t.controller.orphanQueue.len()).toBe(2);
  });
});

describe('JobController.syncOrphanPod', () => {
  async function orphanSync(pod: Pod, jobs: Job[] = []) {
    const t = new TestController();
    for (const j of jobs) t.addJob(j);
    t.addPods([pod]);
    await t.controller.syncOrphanPod(`${pod.metadata.namespace}/${pod.metadata.name}`);
    return t.fakePodControl.patches;
  }

  it('removes the tracking finalizer of a pod no Job controls', async () => {
    const job = newJob();
    expect(await orphanSync(newPod(job, { name: 'o', owned: false }))).toEqual([
      { namespace: 'default', name: 'o', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } } },
    ]);
  });

  it('removes it when the owning Job is finished or gone', async () => {
    const finished = newJob({ status: { conditions: [{ type: 'Failed', status: 'True' }] } });
    expect(await orphanSync(newPod(finished, { name: 'p' }), [finished])).toHaveLength(1);
    expect(await orphanSync(newPod(newJob(), { name: 'p' }), [])).toHaveLength(1);
  });

  it('leaves pods of running Jobs, of other owners, of external controllers, and pods without the finalizer', async () => {
    const job = newJob();
    expect(await orphanSync(newPod(job), [job])).toEqual([]);
    const rsPod = newPod(job);
    rsPod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'r', controller: true }];
    expect(await orphanSync(rsPod)).toEqual([]);
    const external = newJob({ managedBy: 'example.com/other', status: { conditions: [{ type: 'Complete', status: 'True' }] } });
    expect(await orphanSync(newPod(external), [external])).toEqual([]);
    expect(await orphanSync(newPod(job, { owned: false, finalizer: false }))).toEqual([]);
  });
});

describe('JobController workers', () => {
  it('retries a failing sync with the 1 s → 60 s backoff, and forgets it after a success', async () => {
    const t = new TestController();
    let fail = 3;
    t.controller.syncHandler = async () => {
      if (fail-- > 0) throw new Error('conflict');
    };
    t.controller.queue.add(KEY);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await t.controller.processNextWorkItem();
      delays.push(t.controller.queue.waitingItems()[0].delayMs);
      t.scheduler.step(delays[i]);
    }
    await t.controller.processNextWorkItem();

    expect(delays).toEqual([1000, 2000, 4000]);
    expect(t.controller.queue.numRequeues(KEY)).toBe(0);
  });

  it('never runs two syncs of one Job at once', async () => {
    const t = new TestController();
    let running = 0;
    let maxRunning = 0;
    const releases: (() => void)[] = [];
    t.controller.syncHandler = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => releases.push(r));
      running--;
    };
    t.controller.queue.add(KEY);
    const w1 = t.controller.processNextWorkItem();
    const w2 = t.controller.processNextWorkItem();
    await new Promise((r) => setImmediate(r));
    t.controller.queue.add(KEY); // an event while the first sync runs
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(1);
    releases[0]();
    await w1;
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(2); // the second worker got the key only after done()
    releases[1]();
    await w2;

    expect(maxRunning).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// The whole controller on running informers over the fake API; the test plays the node.

async function settle(scheduler: FakeScheduler, cond: () => boolean, what: string, stepMs = 1000): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Let informers and workers run, then move fake time to the next batch.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 1));
    if (!cond()) scheduler.step(stepMs);
  }
}

function finishPod(cs: FakeClientset, pod: Pod, phase: 'Succeeded' | 'Failed', at: Date): Promise<Pod> {
  return cs.pods.namespace(pod.metadata.namespace ?? '').patch(
    pod.metadata.name ?? '',
    'merge',
    {
      status: {
        phase,
        containerStatuses: [{ name: 'main-container', ready: false, restartCount: 0, image: 'foo/bar', imageID: '', state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: rfc3339(at) } } }],
      },
    },
    { subresource: 'status' },
  );
}

function startController(o: { backoff?: { baseMs?: number; capMs?: number } } = {}) {
  const clock = new FakeClock(REFERENCE_TIME);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  const informers = new InformerFactory(cs, { scheduler });
  // Real recorder and pod control: the defaults, over the clientset.
  const controller = new JobController({ clientset: cs, informers, scheduler, backoff: o.backoff });
  const ac = new AbortController();
  informers.start(ac.signal);
  const running = controller.run(ac.signal, 2);
  return { clock, scheduler, cs, controller, ac, running };
}

async function jobOf(cs: FakeClientset): Promise<Job> {
  return cs.jobs.namespace('default').get('foobar');
}
async function podsOf(cs: FakeClientset): Promise<Pod[]> {
  return (await cs.pods.namespace('default').list()).items;
}

describe('JobController end to end on the fake API', () => {
  it('runs a Job with completions 2, parallelism 2 to Complete, with events', async () => {
    const { scheduler, cs, clock, ac, running } = startController();
    const created = await cs.jobs.create(newJob({ parallelism: 2, completions: 2 }));

    let pods: Pod[] = [];
    await settle(scheduler, () => cs.tracker.list(Resources.pods, 'default').length === 2, 'two pods');
    pods = await podsOf(cs);
    expect(pods.map((p) => p.metadata.generateName)).toEqual(['foobar-', 'foobar-']);
    expect(pods[0].metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'foobar', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(pods[0].metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);

    for (const p of pods) await finishPod(cs, p, 'Succeeded', clock.now());
    await settle(scheduler, () => (cs.tracker.get(Resources.jobs, 'default', 'foobar') as Job).status?.conditions?.some((c) => c.type === 'Complete') ?? false, 'Complete');

    const job = await jobOf(cs);
    expect(conditionSummary(job.status?.conditions)).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    expect(job.status).toMatchObject({ succeeded: 2, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(job.status?.active).toBeUndefined();
    expect(Date.parse(job.status?.completionTime ?? '')).toBeGreaterThanOrEqual(Date.parse(job.status?.startTime ?? ''));
    expect((await podsOf(cs)).map((p) => p.metadata.finalizers ?? [])).toEqual([[], []]);

    await settle(scheduler, () => cs.tracker.list(Resources.events, 'default').length >= 3, 'events');
    const events = (await cs.events.list()).items as Event[];
    expect(events.map((e) => `${e.type} ${e.reason}`).sort()).toEqual(['Normal Completed', 'Normal SuccessfulCreate', 'Normal SuccessfulCreate']);
    expect(events.every((e) => e.source?.component === 'job-controller' && e.involvedObject.kind === 'Job' && e.involvedObject.uid === created.metadata.uid)).toBe(true);

    ac.abort();
    await running;
  });

  it('backoffLimit 1 with a failing command: exactly 2 pods, the second 10 s after the first failed, then Failed', async () => {
    const { scheduler, cs, clock, ac, running } = startController();
    await cs.jobs.create(newJob({ parallelism: 1, completions: 1, backoffLimit: 1 }));

    await settle(scheduler, () => cs.tracker.list(Resources.pods, 'default').length === 1, 'first pod');
    const [first] = await podsOf(cs);
    const failedAt = clock.now();
    await finishPod(cs, first, 'Failed', failedAt);
    await settle(scheduler, () => cs.tracker.list(Resources.pods, 'default').length === 2, 'second pod');
    const second = (await podsOf(cs)).find((p) => p.metadata.name !== first.metadata.name) as Pod;
    const gapMs = Date.parse(second.metadata.creationTimestamp ?? '') - failedAt.getTime();
    expect(gapMs).toBeGreaterThanOrEqual(10_000);
    expect(gapMs).toBeLessThan(12_000);

    await finishPod(cs, second, 'Failed', clock.now());
    await settle(scheduler, () => (cs.tracker.get(Resources.jobs, 'default', 'foobar') as Job).status?.conditions?.some((c) => c.type === 'Failed') ?? false, 'Failed');
    const job = await jobOf(cs);
    expect(conditionSummary(job.status?.conditions)).toEqual([
      ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect(job.status).toMatchObject({ failed: 2 });
    expect(job.status?.completionTime).toBeUndefined();
    expect(await podsOf(cs)).toHaveLength(2);

    ac.abort();
    await running;
  });

  it('suspending a running Job deletes its pods uncounted; resuming creates new ones', async () => {
    const { scheduler, cs, ac, running } = startController();
    await cs.jobs.create(newJob({ parallelism: 2, completions: 4 }));
    await settle(scheduler, () => cs.tracker.list(Resources.pods, 'default').length === 2, 'two pods');

    const job = await jobOf(cs);
    await cs.jobs.update({ ...job, spec: { ...job.spec, suspend: true } });
    await settle(scheduler, () => cs.tracker.list(Resources.pods, 'default').length === 0, 'pods deleted');
    await settle(scheduler, () => (cs.tracker.get(Resources.jobs, 'default', 'foobar') as Job).status?.conditions?.some((c) => c.type === 'Suspended') ?? false, 'Suspended');
    const suspended = await jobOf(cs);
    expect(suspended.status).toMatchObject({ ready: 0 });
    expect(suspended.status?.failed).toBeUndefined();
    expect(conditionSummary(suspended.status?.conditions)).toEqual([['Suspended', 'True', 'JobSuspended', 'Job suspended']]);

    await cs.jobs.update({ ...suspended, spec: { ...suspended.spec, suspend: false } });
    await settle(scheduler, () => cs.tracker.list(Resources.pods, 'default').length === 2, 'pods again');
    await settle(scheduler, () => (cs.tracker.get(Resources.jobs, 'default', 'foobar') as Job).status?.conditions?.[0]?.status === 'False', 'Resumed');
    expect(conditionSummary((await jobOf(cs)).status?.conditions)).toEqual([['Suspended', 'False', 'JobResumed', 'Job resumed']]);

    ac.abort();
    await running;
  });
});
