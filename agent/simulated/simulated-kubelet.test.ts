// The simulated kubelet against the fake clientset: its informer, its timers on a fake clock,
// and the writes it makes (one status patch per step, the final delete with grace 0).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock, fieldErrors, invalid } from '../../machinery/index.js';
import { SimulatedKubelet } from './simulated-kubelet.js';

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

function pod(name: string, o: { node?: string; duration?: string; exitCode?: string; restartPolicy?: string } = {}): Pod {
  const annotations: Record<string, string> = {};
  if (o.duration) annotations['simulated.jobyard.io/duration'] = o.duration;
  if (o.exitCode) annotations['simulated.jobyard.io/exit-code'] = o.exitCode;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', annotations },
    spec: { nodeName: o.node ?? 'sim-node-0', restartPolicy: o.restartPolicy ?? 'Never', containers: [{ name: 'main', image: 'busybox' }] },
    status: { phase: 'Pending' },
  } as Pod;
}

async function setup(pods: Pod[], opts: { graceful?: boolean } = {}) {
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const scheduler = new FakeScheduler(clock);
  const client = new FakeClientset({ clock, gracefulPodDeletion: opts.graceful });
  for (const p of pods) await client.pods.namespace('ns').create(p);
  const recorder = new FakeEventRecorder();
  const kubelet = new SimulatedKubelet({ client, nodes: new Map([['sim-node-0', '172.30.0.1']]), scheduler, recorder, logger: { debug() {}, info() {}, warn() {}, error() {} } as never });
  await kubelet.start();
  await flush();
  const get = (name: string) => client.pods.namespace('ns').get(name);
  const statusPatches = () => client.actions.filter((a) => a.verb === 'patch' && a.resource === 'pods' && a.subresource === 'status');
  return { clock, scheduler, client, recorder, kubelet, get, statusPatches };
}

describe('SimulatedKubelet', () => {
  it('plays a pod Pending → Running → Succeeded after its duration, one status patch per step', async () => {
    const t = await setup([pod('a', { duration: '2s' }), pod('other', { node: 'real-node', duration: '2s' })]);
    const running = await t.get('a');
    expect(running.status?.phase).toBe('Running');
    expect(running.status?.hostIP).toBe('172.30.0.1');
    expect(t.statusPatches()).toHaveLength(1);
    t.scheduler.step(1999);
    await flush();
    expect((await t.get('a')).status?.phase).toBe('Running');
    t.scheduler.step(1);
    await flush();
    const done = await t.get('a');
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:02Z' });
    expect(t.statusPatches().map((a) => a.name)).toEqual(['a', 'a']);
    // A pod of another node is left alone.
    expect((await t.get('other')).status?.phase).toBe('Pending');
    await t.kubelet.stop();
  });

  it('fails a restartPolicy Never pod with its exit code; restarts an OnFailure one after the back-off', async () => {
    const t = await setup([pod('never', { duration: '1s', exitCode: '3' }), pod('onfail', { duration: '1s', exitCode: '1', restartPolicy: 'OnFailure' })]);
    t.scheduler.step(1000);
    await flush();
    expect((await t.get('never')).status).toMatchObject({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3, reason: 'Error' } } }] });
    expect((await t.get('onfail')).status?.phase).toBe('Running');
    // The kubelet's back-off: 10 s before the first restart.
    t.scheduler.step(9999);
    await flush();
    expect((await t.get('onfail')).status?.containerStatuses?.[0]?.restartCount).toBe(0);
    t.scheduler.step(1);
    await flush();
    const restarted = await t.get('onfail');
    expect(restarted.status?.containerStatuses?.[0]).toMatchObject({
      restartCount: 1,
      state: { running: { startedAt: '2026-01-01T00:00:11Z' } },
      lastState: { terminated: { exitCode: 1, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z' } },
    });
    await t.kubelet.stop();
  });

  it('runs a pod without a duration until it is deleted; then a terminal status and a delete with grace 0', async () => {
    // A finalizer keeps the fake's pod through the status patch (the fake removes a pod with a deletionTimestamp on any write).
    const p = pod('forever');
    p.metadata.finalizers = ['test.jobyard.io/keep'];
    const t = await setup([p], { graceful: true });
    t.scheduler.step(3_600_000);
    await flush();
    expect((await t.get('forever')).status?.phase).toBe('Running');
    await t.client.pods.namespace('ns').delete('forever', { gracePeriodSeconds: 30 });
    await flush();
    const deletes = t.client.actions.filter((a) => a.verb === 'delete');
    expect(deletes.map((a) => a.deleteOptions)).toEqual([{ gracePeriodSeconds: 30 }, { gracePeriodSeconds: 0, preconditions: { uid: expect.any(String) } }]);
    const lastStatus = t.statusPatches().at(-1)?.patch as { status: Pod['status'] };
    expect(lastStatus.status).toMatchObject({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137 } } }] });
    await t.kubelet.stop();
  });

  it('does not retry a write the server refuses as Invalid (a 422 is final)', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const scheduler = new FakeScheduler(clock);
    const client = new FakeClientset({ clock });
    await client.pods.namespace('ns').create(pod('refused', { duration: '1s' }));
    client.prependReactor('patch', 'pods', () => ({ error: invalid('Pod', '', 'refused', [fieldErrors.invalid('metadata.uid', 'x', 'field is immutable')]) }));
    const kubelet = new SimulatedKubelet({ client, nodes: new Map([['sim-node-0', '172.30.0.1']]), scheduler, recorder: new FakeEventRecorder(), logger: { debug() {}, info() {}, warn() {}, error() {} } as never });
    await kubelet.start();
    await flush();
    expect(client.actions.filter((a) => a.verb === 'patch')).toHaveLength(1);
    expect(kubelet.failedWrites).toBe(1);
    await kubelet.stop();
  });

  it('reports an unusable annotation as CreateContainerConfigError with a Warning event', async () => {
    const t = await setup([pod('bad', { duration: 'later' })]);
    const p = await t.get('bad');
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CreateContainerConfigError');
    expect(t.recorder.events).toEqual(['Warning Failed Error: annotation simulated.jobyard.io/duration: invalid duration "later" (a Go duration such as "2s" or "1m30s")']);
    await t.kubelet.stop();
  });

  it('picks up a pod Running before it started: it ends at its start time + duration, with no new Running write', async () => {
    const clock = new FakeClock('2026-01-01T00:00:10Z');
    const p = pod('resumed', { duration: '15s' });
    p.status = { phase: 'Running', startTime: '2026-01-01T00:00:00Z', containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] };
    const scheduler = new FakeScheduler(clock);
    const client = new FakeClientset({ clock });
    await client.pods.namespace('ns').create(p);
    const kubelet = new SimulatedKubelet({ client, nodes: new Map([['sim-node-0', '172.30.0.1']]), scheduler, recorder: new FakeEventRecorder(), logger: { debug() {}, info() {}, warn() {}, error() {} } as never });
    await kubelet.start();
    await flush();
    expect(client.actions.filter((a) => a.verb === 'patch')).toHaveLength(0);
    scheduler.step(5000);
    await flush();
    const done = await client.pods.namespace('ns').get('resumed');
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt).toBe('2026-01-01T00:00:15Z');
    await kubelet.stop();
  });
});
