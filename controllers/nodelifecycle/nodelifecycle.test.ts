import { afterEach, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/index.js';
import { InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { settle } from '../testing/settle.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';
import { matchingTolerations, minTolerationTimeMs, noScheduleTaints, toleratesTaint } from './taints.js';

const NOW = '2026-12-07T05:00:00Z';

function node(o: { unschedulable?: boolean; ready?: 'True' | 'False' | 'Unknown'; taints?: { key: string; value?: string; effect: string }[] } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', uid: 'uid-n1' },
    spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
    status: { conditions: [{ type: 'Ready', status: o.ready ?? 'True' }, { type: 'MemoryPressure', status: 'False' }] },
  } as Node;
}

function pod(name: string, tolerations: Pod['spec']['tolerations'] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName: 'n1', tolerations, containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Running' },
  } as Pod;
}

describe('taints and tolerations', () => {
  it('ToleratesTaint and GetMatchingTolerations as upstream', () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'cpu' }, taint)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, taint)).toBe(false);
    expect(matchingTolerations([taint, { key: 'b', effect: 'NoExecute' }], [{ key: 'dedicated', operator: 'Exists' }])).toEqual({ allTolerated: false, used: [] });
    expect(minTolerationTimeMs([{ operator: 'Exists', tolerationSeconds: 30 }, { operator: 'Exists', tolerationSeconds: 5 }])).toBe(5000);
    expect(minTolerationTimeMs([{ operator: 'Exists' }])).toBe(-1);
    expect(minTolerationTimeMs([{ operator: 'Exists', tolerationSeconds: 0 }])).toBe(0);
  });

  it('the NoSchedule tainting pass adds and removes only the taints it owns', () => {
    expect(noScheduleTaints(node())).toBeUndefined();
    expect(noScheduleTaints(node({ unschedulable: true, taints: [{ key: 'mine', effect: 'NoSchedule' }] }))).toEqual([
      { key: 'mine', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ]);
    expect(noScheduleTaints(node({ ready: 'False' }))).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(noScheduleTaints(node({ taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'mine', effect: 'NoExecute' }] }))).toEqual([
      { key: 'mine', effect: 'NoExecute' },
    ]);
  });
});

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(n: Node, pods: Pod[] = []) {
  const clock = new FakeClock(NOW);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  cs.tracker.add(Resources.nodes, n);
  for (const p of pods) cs.tracker.add(Resources.pods, p);
  const informers = new InformerFactory(cs, { scheduler });
  const recorder = new FakeEventRecorder();
  const lifecycle = new NodeLifecycleController({ clientset: cs, informers, scheduler });
  const eviction = new TaintEvictionController({ clientset: cs, informers, scheduler, recorder });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  void eviction.run(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const drain = async () => {
    while (lifecycle.queue.len() > 0) await lifecycle.processNextWorkItem();
    await settle();
  };
  const getNode = () => cs.tracker.get(Resources.nodes, undefined, 'n1') as Node;
  const podNames = () => (cs.tracker.list(Resources.pods, 'default') as Pod[]).map((p) => p.metadata.name).sort();
  return { cs, scheduler, recorder, drain, getNode, podNames, eviction };
}

describe('NodeLifecycleController', () => {
  it('taints a cordoned node node.kubernetes.io/unschedulable:NoSchedule and untaints it on uncordon', async () => {
    const { cs, drain, getNode } = await setup(node());
    await cs.nodes.patch('n1', 'merge', { spec: { unschedulable: true } });
    await settle();
    await drain();
    expect(getNode().spec?.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    await cs.nodes.patch('n1', 'merge', { spec: { unschedulable: null } });
    await settle();
    await drain();
    expect(getNode().spec?.taints).toEqual([]);
  });
});

describe('TaintEvictionController', () => {
  it('deletes pods that do not tolerate a NoExecute taint at once, marked DisruptionTarget/DeletionByTaintManager', async () => {
    const { cs, podNames, recorder, scheduler } = await setup(node(), [pod('plain'), pod('forever', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }])]);
    await cs.nodes.patch('n1', 'merge', { spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }] } });
    await settle();
    scheduler.step(0);
    await settle();
    expect(podNames()).toEqual(['forever']);
    const patches = cs.actionsFor('patch', 'pods', 'status');
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({
      name: 'plain',
      patch: { status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }] } },
    });
    expect(cs.actionsFor('delete', 'pods')[0]).toMatchObject({ name: 'plain', deleteOptions: { preconditions: { uid: 'uid-plain' } } });
    expect(recorder.events).toEqual(['Normal TaintManagerEviction Marking for deletion Pod default/plain']);
  });

  it('waits tolerationSeconds, and cancels when the taint goes first', async () => {
    const tolerate = (s: number) => [{ key: 'dedicated', operator: 'Exists' as const, effect: 'NoExecute', tolerationSeconds: s }];
    const { cs, podNames, scheduler, recorder } = await setup(node(), [pod('short', tolerate(5)), pod('long', tolerate(60))]);
    await cs.nodes.patch('n1', 'merge', { spec: { taints: [{ key: 'dedicated', effect: 'NoExecute' }] } });
    await settle();
    scheduler.step(4_999);
    await settle();
    expect(podNames()).toEqual(['long', 'short']);
    scheduler.step(1);
    await settle();
    expect(podNames()).toEqual(['long']);
    await cs.nodes.patch('n1', 'merge', { spec: { taints: [] } });
    await settle();
    scheduler.step(120_000);
    await settle();
    expect(podNames()).toEqual(['long']);
    expect(recorder.events).toContain('Normal TaintManagerEviction Cancelling deletion of Pod default/long');
  });
});
