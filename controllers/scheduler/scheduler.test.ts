import { afterEach, describe, expect, it } from 'vitest';
import type { Container, Node, Pod, PodPhase } from '../../api/index.js';
import { type DeepReadonly, InformerFactory, Resources } from '../../client/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock, conflict } from '../../machinery/index.js';
import { PodScheduler } from './scheduler.js';
import { settle } from '../testing/settle.js';

const NOW = '2026-05-01T12:00:00Z';
const NS = 'default';

function newNode(name = 'node-1', cpu = '1', memory = '1Gi', ready = true): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { allocatable: { cpu, memory, pods: '110' }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function newPod(
  name: string,
  o: { cpu?: string; memory?: string; init?: Container[]; nodeName?: string; phase?: PodPhase; created?: string; schedulerName?: string; priority?: number; never?: boolean } = {},
): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, creationTimestamp: o.created ?? NOW },
    spec: {
      containers: [{ name: 'c', image: 'busybox', resources: { requests } }],
      ...(o.init ? { initContainers: o.init } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      schedulerName: o.schedulerName ?? 'default-scheduler',
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.never ? { preemptionPolicy: 'Never' as const } : {}),
    },
    status: { phase: o.phase ?? (o.nodeName ? 'Running' : 'Pending') },
  };
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const ac of aborts.splice(0)) ac.abort();
});

async function setup(nodes: Node[], pods: Pod[], opts: { bindDelaysCache?: boolean } = {}) {
  const clock = new FakeClock(NOW);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  // add() keeps creationTimestamp as given; the tracker fills uid.
  for (const n of nodes) cs.tracker.add(Resources.nodes, n);
  for (const p of pods) cs.tracker.add(Resources.pods, p);
  const informers = new InformerFactory(cs, { scheduler });
  const recorder = new FakeEventRecorder();
  const bound: string[] = [];
  // The binding subresource, played on the fake: nodeName plus PodScheduled=True.
  const bind = async (pod: DeepReadonly<Pod>, nodeName: string) => {
    bound.push(`${pod.metadata.name}->${nodeName}`);
    if (opts.bindDelaysCache) return;
    await cs.pods.namespace(NS).patch(pod.metadata.name ?? '', 'merge', { spec: { nodeName } });
  };
  const sched = new PodScheduler({ clientset: cs, informers, scheduler, recorder, bind });
  const ac = new AbortController();
  aborts.push(ac);
  informers.start(ac.signal);
  await informers.waitForCacheSync(ac.signal);
  await settle();
  const scheduleAll = async () => {
    await settle();
    while (sched.queue.activeCount() > 0) {
      await sched.scheduleOne();
      await settle();
    }
  };
  const podScheduled = async (name: string) => (await cs.pods.namespace(NS).get(name)).status?.conditions?.find((c) => c.type === 'PodScheduled');
  return { cs, sched, scheduler, recorder, bound, scheduleAll, podScheduled };
}

describe('PodScheduler', () => {
  it('binds a pending pod whose requests fit the node', async () => {
    const { sched, bound, recorder, scheduleAll } = await setup([newNode()], [newPod('p1', { cpu: '500m', memory: '256Mi' })]);
    await scheduleAll();
    expect(bound).toEqual(['p1->node-1']);
    expect(recorder.events).toEqual(['Normal Scheduled Successfully assigned default/p1 to node-1']);
    expect(sched.queue.has('default/p1')).toBe(false);
  });

  it('leaves a pod that does not fit Pending with PodScheduled=False/Unschedulable and a FailedScheduling event', async () => {
    const { sched, bound, recorder, scheduleAll, podScheduled } = await setup(
      [newNode()],
      [newPod('running', { cpu: '800m', nodeName: 'node-1' }), newPod('p1', { cpu: '500m' })],
    );
    await scheduleAll();
    expect(bound).toEqual([]);
    // As upstream's default-scheduler words it, DefaultPreemption's PostFilter message included.
    const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..';
    expect(await podScheduled('p1')).toMatchObject({ status: 'False', reason: 'Unschedulable', message, lastTransitionTime: NOW });
    expect(recorder.events).toEqual([`Warning FailedScheduling ${message}`]);
    expect(sched.queue.placeOf('default/p1')).toBe('unschedulable');
  });

  it('schedules the waiting pod once another pod on the node ends (after its backoff)', async () => {
    const { cs, sched, scheduler, bound, scheduleAll } = await setup(
      [newNode()],
      [newPod('running', { cpu: '800m', nodeName: 'node-1' }), newPod('p1', { cpu: '500m' })],
    );
    await scheduleAll();
    expect(bound).toEqual([]);
    const running = await cs.pods.namespace(NS).get('running');
    running.status = { ...running.status, phase: 'Succeeded' };
    await cs.pods.namespace(NS).updateStatus(running);
    await settle();
    // One failed attempt: 1 s of backoff before it is tried again.
    expect(sched.queue.placeOf('default/p1')).toBe('backoff');
    scheduler.step(1000);
    await scheduleAll();
    expect(bound).toEqual(['p1->node-1']);
  });

  it('tries again when a node is added', async () => {
    const { cs, scheduler, bound, scheduleAll, podScheduled } = await setup([], [newPod('p1', { cpu: '100m' })]);
    await scheduleAll();
    expect((await podScheduled('p1'))?.message).toBe('no nodes available to schedule pods');
    await cs.nodes.create(newNode());
    await settle();
    scheduler.step(1000);
    await scheduleAll();
    expect(bound).toEqual(['p1->node-1']);
  });

  it('counts init container requests: max(sum of app containers, largest init container)', async () => {
    const { bound, scheduleAll, podScheduled } = await setup(
      [newNode('node-1', '1', '1Gi')],
      [
        newPod('big-init', { cpu: '100m', init: [{ name: 'i', image: 'busybox', resources: { requests: { cpu: '1500m' } } }] }),
        newPod('small-init', { cpu: '600m', init: [{ name: 'i', image: 'busybox', resources: { requests: { cpu: '900m' } } }], created: '2026-05-01T12:00:01Z' }),
      ],
    );
    await scheduleAll();
    expect(bound).toEqual(['small-init->node-1']);
    expect((await podScheduled('big-init'))?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    );
  });

  it('takes pods in creation order (FIFO): the older of two that cannot both fit wins', async () => {
    const { bound, scheduleAll } = await setup(
      [newNode()],
      [newPod('younger', { cpu: '600m', created: '2026-05-01T12:00:05Z' }), newPod('older', { cpu: '600m', created: '2026-05-01T11:00:00Z' })],
    );
    await scheduleAll();
    expect(bound).toEqual(['older->node-1']);
  });

  it('counts pods it bound before the cache shows them (assumed pods)', async () => {
    const { bound, scheduleAll } = await setup(
      [newNode()],
      [newPod('a', { cpu: '600m', created: '2026-05-01T11:00:00Z' }), newPod('b', { cpu: '600m' })],
      { bindDelaysCache: true },
    );
    await scheduleAll();
    expect(bound).toEqual(['a->node-1']);
  });

  it('refuses a node that is not Ready', async () => {
    const { bound, scheduleAll, podScheduled } = await setup([newNode('node-1', '1', '1Gi', false)], [newPod('p1')]);
    await scheduleAll();
    expect(bound).toEqual([]);
    expect((await podScheduled('p1'))?.message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
  });

  it('ignores pods of another scheduler, bound pods and pods being deleted', async () => {
    const { sched, bound, scheduleAll } = await setup([newNode()], [newPod('other', { schedulerName: 'my-scheduler' }), newPod('bound', { nodeName: 'node-1' })]);
    await scheduleAll();
    expect(bound).toEqual([]);
    expect(sched.queue.has('default/other')).toBe(false);
  });

  it('drops a pod whose binding conflicts (bound elsewhere meanwhile)', async () => {
    const clock = new FakeClock(NOW);
    const scheduler = new FakeScheduler(clock);
    const cs = new FakeClientset({ clock });
    cs.tracker.add(Resources.nodes, newNode());
    cs.tracker.add(Resources.pods, newPod('p1'));
    const informers = new InformerFactory(cs, { scheduler });
    const sched = new PodScheduler({
      clientset: cs,
      informers,
      scheduler,
      recorder: new FakeEventRecorder(),
      bind: async () => {
        throw conflict('pods', '', 'p1', 'pod p1 is already assigned to node "node-2"');
      },
    });
    const ac = new AbortController();
    aborts.push(ac);
    informers.start(ac.signal);
    await informers.waitForCacheSync(ac.signal);
    await settle();
    await sched.scheduleOne();
    expect(sched.queue.has('default/p1')).toBe(false);
    expect(sched.usage('node-1').count).toBe(0);
  });
  it('binds in the background: the next pods are scheduled while a binding is under way, counting the assumed pod', async () => {
    const clock = new FakeClock(NOW);
    const scheduler = new FakeScheduler(clock);
    const cs = new FakeClientset({ clock });
    cs.tracker.add(Resources.nodes, newNode('node-1', '1'));
    cs.tracker.add(Resources.pods, newPod('p1', { cpu: '600m', created: '2026-05-01T11:00:01Z' }));
    cs.tracker.add(Resources.pods, newPod('p2', { cpu: '600m', created: '2026-05-01T11:00:02Z' }));
    cs.tracker.add(Resources.pods, newPod('p3', { cpu: '100m', created: '2026-05-01T11:00:03Z' }));
    const informers = new InformerFactory(cs, { scheduler });
    const recorder = new FakeEventRecorder();
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const bind = async (pod: DeepReadonly<Pod>, nodeName: string) => {
      started.push(`${pod.metadata.name}->${nodeName}`);
      await gate;
      await cs.pods.namespace(NS).patch(pod.metadata.name ?? '', 'merge', { spec: { nodeName } });
    };
    const sched = new PodScheduler({ clientset: cs, informers, scheduler, recorder, bind });
    const ac = new AbortController();
    aborts.push(ac);
    informers.start(ac.signal);
    const running = sched.run(ac.signal);
    for (let i = 0; i < 50 && started.length < 2; i++) await settle();
    // p1's binding waits at the gate; p2 does not fit beside the assumed p1, p3 does and is bound too.
    expect(started).toEqual(['p1->node-1', 'p3->node-1']);
    expect(recorder.events.filter((e) => e.includes('FailedScheduling'))).toHaveLength(1);
    expect(recorder.events.some((e) => e.startsWith('Normal Scheduled'))).toBe(false);
    release();
    for (let i = 0; i < 50 && recorder.events.filter((e) => e.startsWith('Normal Scheduled')).length < 2; i++) await settle();
    expect((await cs.pods.namespace(NS).get('p1')).spec.nodeName).toBe('node-1');
    expect((await cs.pods.namespace(NS).get('p3')).spec.nodeName).toBe('node-1');
    expect((await cs.pods.namespace(NS).get('p2')).spec.nodeName).toBeUndefined();
    ac.abort();
    await running;
  });

  describe('preemption (DefaultPreemption PostFilter)', () => {
    it('marks the lower-priority victim DisruptionTarget/PreemptionByScheduler, deletes it, nominates the node, then binds when it is gone', async () => {
      const { cs, sched, scheduler, recorder, bound, scheduleAll, podScheduled } = await setup(
        [newNode('node-1', '2')],
        [newPod('low', { cpu: '1500m', nodeName: 'node-1', priority: 0 }), newPod('keep', { cpu: '200m', nodeName: 'node-1', priority: 2000 }), newPod('high', { cpu: '1500m', priority: 1000 })],
      );
      const victimUid = (await cs.pods.namespace(NS).get('low')).metadata.uid;
      await scheduleAll();
      expect(bound).toEqual([]);
      // The victim was patched, then deleted: the fake deletes at once.
      await expect(cs.pods.namespace(NS).get('low')).rejects.toMatchObject({ status: { reason: 'NotFound' } });
      const highUid = (await cs.pods.namespace(NS).get('high')).metadata.uid;
      expect(recorder.records.find((r) => r.reason === 'Preempted')).toMatchObject({
        object: { metadata: { name: 'low', uid: victimUid } },
        type: 'Normal',
        message: `Preempted by pod ${highUid} on node node-1`,
      });
      const high = await cs.pods.namespace(NS).get('high');
      expect(high.status?.nominatedNodeName).toBe('node-1');
      expect(await podScheduled('high')).toMatchObject({ status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' });
      expect((await cs.pods.namespace(NS).get('keep')).metadata.name).toBe('keep');
      // The victim's freed room goes to the preemptor after its backoff.
      await settle();
      scheduler.step(1000);
      await scheduleAll();
      expect(bound).toEqual(['high->node-1']);
      expect(sched.queue.has('default/high')).toBe(false);
    });

    it('sets DisruptionTarget before the delete, with the message of the preemptor\'s scheduler', async () => {
      const { cs, scheduleAll } = await setup([newNode('node-1', '2')], [newPod('low', { cpu: '1500m', nodeName: 'node-1' }), newPod('high', { cpu: '1500m', priority: 1000 })]);
      const patches: unknown[] = [];
      const pods = cs.pods.namespace(NS);
      const patch = pods.patch.bind(pods);
      const del = pods.delete.bind(pods);
      const order: string[] = [];
      cs.pods.namespace = () =>
        Object.assign(Object.create(pods), {
          patch: (name: string, type: never, body: unknown, opts: never) => (order.push(`patch ${name}`), patches.push(body), patch(name, type, body, opts)),
          delete: (name: string, opts: never) => (order.push(`delete ${name}`), del(name, opts)),
        });
      await scheduleAll();
      expect(order.slice(0, 2)).toEqual(['patch low', 'delete low']);
      expect(patches[0]).toMatchObject({
        status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }] },
      });
    });

    it('preempts nothing for a pod with preemptionPolicy Never, or of no higher priority, and says why', async () => {
      const { cs, bound, recorder, scheduleAll, podScheduled } = await setup(
        [newNode('node-1', '2')],
        [newPod('low', { cpu: '1500m', nodeName: 'node-1' }), newPod('never', { cpu: '1500m', priority: 1000, never: true }), newPod('same', { cpu: '1500m', priority: 0, created: '2026-05-01T12:00:01Z' })],
      );
      await scheduleAll();
      expect(bound).toEqual([]);
      expect((await cs.pods.namespace(NS).get('low')).metadata.deletionTimestamp).toBeUndefined();
      expect(recorder.records.some((r) => r.reason === 'Preempted')).toBe(false);
      expect((await podScheduled('never'))?.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
      expect((await podScheduled('same'))?.message).toBe(
        '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
      );
    });

    it('keeps the nominated room from a pod of lower priority that arrives while the preemptor waits in backoff', async () => {
      const { cs, sched, scheduler, bound, scheduleAll, podScheduled } = await setup(
        [newNode('node-1', '2')],
        [newPod('big', { cpu: '1500m', nodeName: 'node-1', priority: 2000 }), newPod('high', { cpu: '1500m', priority: 1000 })],
      );
      await scheduleAll();
      expect(sched.queue.placeOf('default/high')).toBe('unschedulable');
      // As after a preemption whose victim is still terminating: high is nominated to node-1.
      await cs.pods.namespace(NS).patch('high', 'merge', { status: { nominatedNodeName: 'node-1' } }, { subresource: 'status' });
      await cs.pods.namespace(NS).delete('big');
      await settle();
      expect(sched.queue.placeOf('default/high')).toBe('backoff');
      await cs.pods.namespace(NS).create(newPod('later', { cpu: '1500m', priority: 0, created: '2026-05-01T12:00:05Z' }));
      await scheduleAll();
      // later was tried while high waited: the room nominated to high was not its to take.
      expect(bound).toEqual([]);
      expect((await podScheduled('later'))?.message).toBe(
        '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
      );
      scheduler.step(1000);
      await scheduleAll();
      expect(bound).toEqual(['high->node-1']);
    });
  });
});
