import { afterEach, describe, expect, it } from 'vitest';
import type { Node, Pod, PodPhase } from '../../api/index.js';
import { InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { PodGCController } from './podgc-controller.js';
import { settle } from '../testing/settle.js';

const NOW = '2026-05-01T12:00:00Z';

function newPod(name: string, phase: PodPhase, created: string, nodeName = 'node-1'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: created },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase },
  };
}

const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } };

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(pods: Pod[], nodes: Node[], threshold?: number, nodesInCache = true) {
  const clock = new FakeClock(NOW);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const n of nodes) cs.tracker.add(Resources.nodes, n);
  for (const p of pods) cs.tracker.add(Resources.pods, p);
  const informers = new InformerFactory(cs, { scheduler });
  const gc = new PodGCController({ clientset: cs, informers, scheduler, terminatedPodThreshold: threshold });
  if (!nodesInCache) cs.prependReactor('list', 'nodes', () => ({ object: { apiVersion: 'v1', kind: 'NodeList', metadata: { resourceVersion: '1' }, items: [] } }));
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  return { cs, gc, clock };
}

describe('PodGCController', () => {
  it('deletes the oldest terminated pods beyond the threshold (gcTerminated)', async () => {
    const { cs, gc } = await setup(
      [
        newPod('old', 'Succeeded', '2026-05-01T10:00:00Z'),
        newPod('mid', 'Failed', '2026-05-01T11:00:00Z'),
        newPod('new', 'Succeeded', '2026-05-01T11:30:00Z'),
        newPod('running', 'Running', '2026-05-01T09:00:00Z'),
      ],
      [node],
      2,
    );
    await gc.gc();
    const deletes = cs.actionsFor('delete', 'pods');
    expect(deletes.map((d) => d.name)).toEqual(['old']);
    expect(deletes[0].deleteOptions?.gracePeriodSeconds).toBe(0);
  });

  it('fails and force-deletes pods bound to a node that is gone, after the quarantine (gcOrphaned)', async () => {
    const { cs, gc, clock } = await setup([newPod('orphan', 'Running', NOW, 'gone-node'), newPod('ok', 'Running', NOW)], [node]);
    await gc.gc();
    expect(cs.actionsFor('delete')).toHaveLength(0);
    clock.step(40_000);
    await gc.gc();
    const patch = cs.actionsFor('patch', 'pods', 'status');
    expect(patch).toHaveLength(1);
    expect(patch[0].patch).toMatchObject({
      status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' }] },
    });
    expect(cs.actionsFor('delete', 'pods').map((d) => d.name)).toEqual(['orphan']);
  });

  it('keeps pods of a node the cache misses but the API still has', async () => {
    const { cs, gc, clock } = await setup([newPod('p', 'Running', NOW)], [node], undefined, false);
    await gc.gc();
    clock.step(40_000);
    await gc.gc();
    expect(cs.actionsFor('get', 'nodes').map((a) => a.name)).toEqual(['node-1']);
    expect(cs.actionsFor('delete')).toHaveLength(0);
  });
});
