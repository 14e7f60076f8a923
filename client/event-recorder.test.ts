import { describe, expect, it } from 'vitest';
import type { Event, Job } from '../api/index.js';
import { FakeClock, notFound } from '../machinery/index.js';
import { ClientEventRecorder } from './event-recorder.js';
import { FakeClientset, FakeEventRecorder } from './testing/index.js';
import type { Logger } from './logger.js';

const job: Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', uid: 'job-uid', resourceVersion: '7' },
  spec: { template: { spec: { containers: [] } } },
};

function setup(window?: number) {
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  const cs = new FakeClientset({ clock });
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const recorder = new ClientEventRecorder({ events: cs.events, component: 'job-controller', clock, logger, aggregationWindowMs: window });
  return { clock, cs, recorder, warnings };
}

async function events(cs: FakeClientset): Promise<Event[]> {
  return (await cs.events.list()).items;
}

describe('ClientEventRecorder', () => {
  it('writes a core/v1 Event about the object', async () => {
    const { cs, recorder } = setup();

    recorder.event(job, 'Normal', 'SuccessfulCreate', 'Created pod: pi-abcde');
    await recorder.flush();

    const [ev] = await events(cs);
    expect(ev).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'default' },
      involvedObject: { kind: 'Job', apiVersion: 'batch/v1', namespace: 'default', name: 'pi', uid: 'job-uid', resourceVersion: '7' },
      reason: 'SuccessfulCreate',
      message: 'Created pod: pi-abcde',
      type: 'Normal',
      source: { component: 'job-controller' },
      reportingComponent: 'job-controller',
      firstTimestamp: '2026-03-01T10:00:00Z',
      lastTimestamp: '2026-03-01T10:00:00Z',
      count: 1,
    });
    expect(ev.metadata.name).toMatch(/^pi\.[0-9a-f]+$/);
  });

  it('aggregates a repeat within the window by patching count and lastTimestamp', async () => {
    const { cs, recorder, clock } = setup();

    recorder.event(job, 'Warning', 'FailedCreate', 'Error creating: quota');
    clock.step(30_000);
    recorder.event(job, 'Warning', 'FailedCreate', 'Error creating: quota');
    clock.step(30_000);
    recorder.event(job, 'Warning', 'FailedCreate', 'Error creating: quota');
    await recorder.flush();

    const all = await events(cs);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ count: 3, firstTimestamp: '2026-03-01T10:00:00Z', lastTimestamp: '2026-03-01T10:01:00Z' });
    expect(cs.actionsFor('patch', 'events').map((a) => [a.patchType, a.patch])).toEqual([
      ['merge', { count: 2, lastTimestamp: '2026-03-01T10:00:30Z', message: 'Error creating: quota' }],
      ['merge', { count: 3, lastTimestamp: '2026-03-01T10:01:00Z', message: 'Error creating: quota' }],
    ]);
  });

  it('starts a new Event for a different message, another object, or after the window', async () => {
    const { cs, recorder, clock } = setup(60_000);

    recorder.event(job, 'Normal', 'SuccessfulDelete', 'Deleted pod: a');
    recorder.event(job, 'Normal', 'SuccessfulDelete', 'Deleted pod: b');
    recorder.event({ ...job, metadata: { ...job.metadata, name: 'other', uid: 'u2' } }, 'Normal', 'SuccessfulDelete', 'Deleted pod: a');
    clock.step(61_000);
    recorder.event(job, 'Normal', 'SuccessfulDelete', 'Deleted pod: a');
    await recorder.flush();

    expect((await events(cs)).map((e) => [e.involvedObject.name, e.message, e.count])).toEqual(
      expect.arrayContaining([
        ['pi', 'Deleted pod: a', 1],
        ['pi', 'Deleted pod: b', 1],
        ['other', 'Deleted pod: a', 1],
        ['pi', 'Deleted pod: a', 1],
      ]),
    );
    expect(await events(cs)).toHaveLength(4);
  });

  it('creates the Event again, keeping the count, when the aggregated one was deleted', async () => {
    const { cs, recorder } = setup();
    recorder.event(job, 'Normal', 'Completed', 'Job completed');
    await recorder.flush();
    const [first] = await events(cs);
    await cs.events.namespace('default').delete(first.metadata.name as string);

    recorder.event(job, 'Normal', 'Completed', 'Job completed');
    await recorder.flush();

    const all = await events(cs);
    expect(all).toHaveLength(1);
    expect(all[0].count).toBe(2);
    expect(all[0].metadata.name).toBe(first.metadata.name);
  });

  it('never throws into the caller, and logs failed writes', async () => {
    const { cs, recorder, warnings } = setup();
    cs.prependReactor('create', 'events', () => ({ error: notFound('namespaces', '', 'default') }));

    expect(() => recorder.event(job, 'Normal', 'Completed', 'Job completed')).not.toThrow();
    expect(() => recorder.event({ metadata: {} }, 'Normal', 'X', 'no name')).not.toThrow();
    await recorder.flush();

    expect(warnings).toEqual(['event about an object without name dropped', 'writing event failed']);
  });

  it('fills kind and apiVersion from defaultKind for objects without them, and puts cluster-scoped objects in default', async () => {
    const clock = new FakeClock();
    const cs = new FakeClientset({ clock });
    const recorder = new ClientEventRecorder({ events: cs.events, component: 'kubelet', host: 'node-1', clock, defaultKind: { kind: 'Node', apiVersion: 'v1' } });

    recorder.event({ metadata: { name: 'node-1', uid: 'n' } }, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady');
    await recorder.flush();

    const [ev] = await events(cs);
    expect(ev.metadata.namespace).toBe('default');
    expect(ev.involvedObject).toEqual({ kind: 'Node', apiVersion: 'v1', name: 'node-1', uid: 'n' });
    expect(ev.source).toEqual({ component: 'kubelet', host: 'node-1' });
    expect(ev.reportingInstance).toBe('node-1');
  });
});

describe('FakeEventRecorder', () => {
  it('keeps "Type Reason message" strings as client-go FakeRecorder does', () => {
    const r = new FakeEventRecorder();
    r.event(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    expect(r.events).toEqual(['Warning BackoffLimitExceeded Job has reached the specified backoff limit']);
    expect(r.records[0].object).toBe(job);
  });
});
