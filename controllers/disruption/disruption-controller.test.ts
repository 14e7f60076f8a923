import { afterEach, describe, expect, it } from 'vitest';
import type { Pod, PodDisruptionBudget } from '../../api/index.js';
import { InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { settle } from '../testing/settle.js';
import { DELETION_TIMEOUT_MS, DisruptionController, STALE_POD_DISRUPTION_TIMEOUT_MS, expectedPodCount } from './disruption-controller.js';

const NOW = '2026-12-07T05:00:00Z';

function pod(name: string, o: { labels?: Record<string, string>; ready?: boolean; deleting?: boolean; owner?: { apiVersion: string; kind: string } } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: NOW } : {}),
      ...(o.owner ? { ownerReferences: [{ ...o.owner, name: 'owner', uid: 'uid-owner', controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  } as Pod;
}

function budget(spec: PodDisruptionBudget['spec'], status?: PodDisruptionBudget['status'], generation = 1): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default', uid: 'uid-pdb', generation }, spec, ...(status ? { status } : {}) };
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(pods: Pod[], pdb: PodDisruptionBudget) {
  const clock = new FakeClock(NOW);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const p of pods) cs.tracker.add(Resources.pods, p);
  cs.tracker.add(Resources.poddisruptionbudgets, pdb);
  const informers = new InformerFactory(cs, { scheduler });
  const recorder = new FakeEventRecorder();
  const dc = new DisruptionController({ clientset: cs, informers, scheduler, recorder });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const drain = async () => {
    while (dc.queue.len() > 0) await dc.processNextWorkItem();
    await settle();
  };
  const status = () => (cs.tracker.get(Resources.poddisruptionbudgets, 'default', 'web') as PodDisruptionBudget).status;
  return { cs, dc, recorder, scheduler, clock, drain, status };
}

describe('DisruptionController', () => {
  it('counts selected Ready pods against an integer minAvailable and allows the difference', async () => {
    const { drain, status, recorder } = await setup(
      [pod('a'), pod('b'), pod('c', { ready: false }), pod('other', { labels: { app: 'db' } })],
      budget({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }),
    );
    await drain();
    expect(status()).toEqual({
      disruptionsAllowed: 1,
      currentHealthy: 2,
      desiredHealthy: 1,
      expectedPods: 3,
      observedGeneration: 1,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: NOW }],
    });
    expect(recorder.events).toEqual([]);
  });

  it('follows pod changes: a pod that goes unready or is deleted takes the allowance away', async () => {
    const { cs, drain, status } = await setup([pod('a'), pod('b')], budget({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }));
    await drain();
    expect(status()?.disruptionsAllowed).toBe(1);
    await cs.pods.namespace('default').delete('a');
    await settle();
    await drain();
    expect(status()).toMatchObject({ disruptionsAllowed: 0, currentHealthy: 1, expectedPods: 1 });
    expect(status()?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('does not count pods an eviction let go in the last 2 minutes, and forgets them after', async () => {
    const evictedAt = NOW;
    const { drain, status, scheduler, recorder } = await setup(
      [pod('a'), pod('b'), pod('c')],
      budget({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3, observedGeneration: 1, disruptedPods: { a: evictedAt } }),
    );
    await drain();
    expect(status()).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: { a: evictedAt } });
    // Still there after the timeout: counted again, with a NotDeleted event on the pod.
    scheduler.step(DELETION_TIMEOUT_MS + 1);
    await drain();
    expect(status()).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 2 });
    expect(status()?.disruptedPods).toBeUndefined();
    expect(recorder.events).toContain("Warning NotDeleted Pod was expected by PDB default/web to be deleted but it wasn't");
  });

  it('allows nothing while no pod is expected, with a NoPods event', async () => {
    const { drain, status, recorder } = await setup([], budget({ minAvailable: 0, selector: { matchLabels: { app: 'web' } } }));
    await drain();
    expect(status()).toMatchObject({ disruptionsAllowed: 0, expectedPods: 0, currentHealthy: 0 });
    expect(recorder.events).toContain('Normal NoPods No matching pods found');
  });

  it("fails safe for maxUnavailable over a Job's pods: jobs have no scale subresource, as upstream", async () => {
    const { drain, status, recorder } = await setup(
      [pod('a', { owner: { apiVersion: 'batch/v1', kind: 'Job' } })],
      budget({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }),
    );
    await drain();
    expect(status()).toEqual({
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'jobs.batch does not implement the scale subresource', lastTransitionTime: NOW }],
    });
    expect(recorder.events).toContain('Warning CalculateExpectedPodCountFailed Failed to calculate the number of expected pods: jobs.batch does not implement the scale subresource');
  });

  it('expected counts: percentages over unmanaged pods count none; a null selector selects nothing', () => {
    expect(expectedPodCount(budget({ minAvailable: '50%' }), [pod('a')])).toEqual({ expectedCount: 0, desiredHealthy: 0, unmanaged: ['a'] });
    expect(expectedPodCount(budget({ minAvailable: 2 }), [pod('a'), pod('b'), pod('c')])).toEqual({ expectedCount: 3, desiredHealthy: 2, unmanaged: [] });
    expect(() => expectedPodCount(budget({ maxUnavailable: '10%' }), [pod('a', { owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet' } })])).toThrow(
      'no matches for kind "ReplicaSet" in version "apps/v1"',
    );
  });

  it('writes nothing when the status is already right', async () => {
    const { cs, drain } = await setup(
      [pod('a'), pod('b')],
      budget(
        { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
        {
          disruptionsAllowed: 1,
          currentHealthy: 2,
          desiredHealthy: 1,
          expectedPods: 2,
          observedGeneration: 1,
          conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: NOW }],
        },
      ),
    );
    await drain();
    expect(cs.actionsFor('update', 'poddisruptionbudgets')).toEqual([]);
  });

  it('resets a DisruptionTarget nobody acted on to False after 2 minutes, and leaves the kubelet\'s and deleted pods alone', async () => {
    const marked = (name: string, reason: string, extra: Partial<Pod['metadata']> = {}): Pod => {
      const p = pod(name);
      p.metadata = { ...p.metadata, ...extra };
      p.status!.conditions!.push({ type: 'DisruptionTarget', status: 'True', reason, message: 'x', lastTransitionTime: NOW });
      return p;
    };
    const { cs, dc, scheduler } = await setup(
      [marked('stale', 'EvictionByEvictionAPI'), marked('kubelet', 'TerminationByKubelet'), marked('going', 'DeletionByTaintManager', { deletionTimestamp: NOW })],
      budget({ minAvailable: 1, selector: { matchLabels: { app: 'none' } } }),
    );
    const drainStale = async () => {
      while (dc.stalePodDisruptionQueue.len() > 0) await dc.processNextStalePodDisruption();
      await settle();
    };
    expect(dc.stalePodDisruptionQueue.waitingItems()).toEqual([{ item: 'default/stale', delayMs: STALE_POD_DISRUPTION_TIMEOUT_MS }]);
    scheduler.step(STALE_POD_DISRUPTION_TIMEOUT_MS);
    await drainStale();
    const cond = (name: string) => (cs.tracker.get(Resources.pods, 'default', name) as Pod).status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    expect(cond('stale')).toMatchObject({ status: 'False', lastTransitionTime: '2026-12-07T05:02:00Z' });
    expect(cond('kubelet')?.status).toBe('True');
    expect(cond('going')?.status).toBe('True');
  });
});
