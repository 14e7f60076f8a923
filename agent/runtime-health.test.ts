import { describe, expect, it } from 'vitest';
import type { Node } from '../api/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../client/testing/index.js';
import { FakeClock } from '../machinery/index.js';
import { NodeStatusManager } from './node-status.js';
import { aggregateMessage, RuntimeHealth } from './runtime-health.js';
import { EngineOperations, PhaseLock, type RuntimeInfo } from './runtime/index.js';
import { FakeRuntime, settle } from './runtime/testing/index.js';
import { KubeletHarness, newPod } from './testing/harness.js';

const DEADLINE = 30_000;

function setup() {
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const scheduler = new FakeScheduler(clock);
  const runtime = new FakeRuntime({ clock, autoAdvance: false });
  runtime.addImage('busybox:1.36');
  const health = new RuntimeHealth({ runtime, scheduler, options: { operationDeadlineMs: DEADLINE, intervalMs: 5_000 } });
  const changes: string[][] = [];
  health.onChange((e) => changes.push(e));
  return { clock, scheduler, runtime, health, changes };
}

/** Moves the fake clock and fires the scheduler's timers, letting promises run between steps. */
async function step(t: { scheduler: FakeScheduler }, ms: number, by = 1_000): Promise<void> {
  for (let done = 0; done < ms; done += by) {
    t.scheduler.step(Math.min(by, ms - done));
    await settle(5);
  }
}

function ready(node: Node): string[] {
  const c = node.status?.conditions?.find((x) => x.type === 'Ready');
  return [c?.status ?? '', c?.reason ?? '', c?.message ?? ''];
}

describe('RuntimeHealth', () => {
  it('stays healthy while the engine answers, however many calls it serves', async () => {
    const t = setup();
    t.health.start();
    await Promise.all([t.runtime.listContainers(), t.runtime.listPodSandboxes(), t.runtime.imageStatus('busybox:1.36')]);
    await step(t, 60_000);
    expect(t.health.errors()).toEqual([]);
    expect(t.changes).toEqual([]);
    t.health.stop();
  });

  it('marks a call stuck past the deadline as PLEG not healthy, and recovers by itself once the engine answers', async () => {
    const t = setup();
    t.health.start();
    // Only the start of containers hangs: the ping still answers.
    const resume = t.runtime.hang(['startContainer']);
    const started = t.runtime.startContainer('c1').catch((err: unknown) => err);
    await step(t, DEADLINE - 5_000);
    expect(t.health.healthy()).toBe(true);
    await step(t, 5_000);
    expect(t.health.errors()).toEqual(['PLEG is not healthy: engine call startContainer has not returned for 30s; threshold is 30s']);
    resume();
    await started;
    await step(t, 5_000);
    expect(t.health.errors()).toEqual([]);
    expect(t.changes.map((c) => c.length)).toEqual([1, 0]);
    t.health.stop();
  });

  it('reports a ping that fails as "container runtime is down" with the error, and one that never answers', async () => {
    const t = setup();
    let fail: Error | undefined = new Error('connect ENOENT /var/run/docker.sock');
    const info = (): Promise<RuntimeInfo> => (fail ? Promise.reject(fail) : t.runtime.info());
    const health = new RuntimeHealth({ runtime: { info }, scheduler: t.scheduler, options: { operationDeadlineMs: DEADLINE, intervalMs: 5_000 } });
    health.start();
    await settle(5);
    expect(health.errors()).toEqual(['container runtime is down: connect ENOENT /var/run/docker.sock']);
    fail = undefined;
    await step(t, 5_000);
    expect(health.errors()).toEqual([]);
    // Now the engine hangs altogether: one ping waits (not one per round), then counts as down.
    const resume = t.runtime.hang();
    await step(t, DEADLINE + 5_000);
    expect(t.runtime.operations().filter((o) => o.name === 'info')).toHaveLength(1);
    expect(health.errors()).toEqual(['container runtime is down: no answer from the engine for 30s']);
    resume();
    await settle(5);
    expect(health.errors()).toEqual([]);
    health.stop();
  });

  it('joins several errors as upstream aggregates them', () => {
    expect(aggregateMessage(['a'])).toBe('a');
    expect(aggregateMessage(['a', 'b'])).toBe('[a, b]');
  });
});

describe('NodeStatusManager with the health check', () => {
  it('writes Ready=False KubeletNotReady with the errors and a NodeNotReady event, then Ready=True and NodeReady once the engine answers', async () => {
    const t = setup();
    const client = new FakeClientset({ clock: t.clock });
    const recorder = new FakeEventRecorder();
    const manager = new NodeStatusManager({
      client,
      runtime: t.runtime,
      nodeName: 'node-1',
      nodeIP: '192.0.2.10',
      kubeletVersion: 'v1.32.0-jobyard.0.1.0',
      scheduler: t.scheduler,
      recorder,
      health: t.health,
      options: { updateIntervalMs: 10_000, runtimeTimeoutMs: 5_000 },
    });
    await manager.start();
    t.health.onChange(() => manager.requestSync());
    t.health.start();
    expect(ready(await client.nodes.get('node-1'))).toEqual(['True', 'KubeletReady', 'kubelet is posting ready status']);

    const resume = t.runtime.hang();
    const stuck = t.runtime.runPodSandbox({ metadata: { name: 'p', namespace: 'default', uid: 'u1', attempt: 0 }, hostname: 'p' });
    await step(t, DEADLINE + 5_000);
    const [status, reason, message] = ready(await client.nodes.get('node-1'));
    expect([status, reason]).toEqual(['False', 'KubeletNotReady']);
    expect(message).toMatch(/^\[container runtime is down: no answer from the engine for 3\ds, PLEG is not healthy: engine call runPodSandbox has not returned for 3\ds \(and \d+ more\); threshold is 30s\]$/);
    expect(recorder.events).toContain('Normal NodeNotReady Node node-1 status is now: NodeNotReady');

    resume();
    await stuck;
    await step(t, 1_000);
    expect(ready(await client.nodes.get('node-1'))).toEqual(['True', 'KubeletReady', 'kubelet is posting ready status']);
    expect(recorder.events.filter((e) => /NodeReady|NodeNotReady/.test(e))).toEqual([
      'Normal NodeReady Node node-1 status is now: NodeReady',
      'Normal NodeNotReady Node node-1 status is now: NodeNotReady',
      'Normal NodeReady Node node-1 status is now: NodeReady',
    ]);
    t.health.stop();
    manager.stop();
  });
});

describe('Kubelet with the health check', () => {
  it('tells a pod waiting on a stuck engine why (FailedSync), skips syncs meanwhile, and runs it once the engine answers', async () => {
    const h = new KubeletHarness({ health: { operationDeadlineMs: DEADLINE, intervalMs: 5_000 } });
    await h.start();
    const resume = h.runtime.hang(['runPodSandbox']);
    await h.createPod(newPod('p', { restartPolicy: 'Never' }));
    expect((await h.pod('p')).status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    await h.advance(DEADLINE + 5_000, 1_000);
    const failed = h.events.filter((e) => e.includes('FailedSync'));
    expect(failed).toEqual(['Warning FailedSync skipping pod synchronization - PLEG is not healthy: engine call runPodSandbox has not returned for 30s; threshold is 30s']);
    // A second pod created meanwhile waits too, and says so once, without calling the engine.
    const sandboxesAsked = h.runtime.calls.filter((c) => c.op === 'runPodSandbox').length;
    await h.createPod(newPod('q', { restartPolicy: 'Never' }));
    await h.advance(20_000, 1_000);
    expect(h.events.filter((e) => e.includes('FailedSync'))).toHaveLength(2);
    expect(h.runtime.calls.filter((c) => c.op === 'runPodSandbox')).toHaveLength(sandboxesAsked);

    resume();
    await h.advance(5_000, 1_000);
    expect(h.health?.healthy()).toBe(true);
    await h.advanceUntil(async () => (await h.pod('p')).status?.phase === 'Succeeded' && (await h.pod('q')).status?.phase === 'Succeeded', 30_000, 1_000);
    await h.stop();
  });
});

describe('EngineOperations and PhaseLock', () => {
  it('runs at most maxConcurrent calls at once, the rest in order, and lists every call in flight from when it was asked', async () => {
    const ops = new EngineOperations({ maxConcurrent: 2, historySize: 10 });
    const gates: (() => void)[] = [];
    const order: string[] = [];
    const call = (name: string) =>
      ops.run(name, async () => {
        order.push(name);
        await new Promise<void>((r) => gates.push(r));
      });
    const all = ['a', 'b', 'c', 'd'].map(call);
    await settle(2);
    expect(order).toEqual(['a', 'b']);
    expect(ops.active).toBe(2);
    expect(ops.inFlight().map((o) => o.name)).toEqual(['a', 'b', 'c', 'd']);
    gates.shift()!();
    await settle(2);
    expect(order).toEqual(['a', 'b', 'c']);
    while (gates.length) {
      gates.shift()!();
      await settle(2);
    }
    await Promise.all(all);
    expect(ops.inFlight()).toEqual([]);
    expect(ops.history.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    // Unlimited calls (waits, stops) never take a slot.
    await ops.run('wait', () => Promise.resolve(), { limited: false });
    expect(ops.active).toBe(0);
  });

  it('lets one phase run together and never two phases at once; a waiting phase is not overtaken', async () => {
    const lock = new PhaseLock();
    const gates = new Map<string, () => void>();
    const running = new Set<string>();
    const seen: string[] = [];
    const hold = (phase: string, name: string) =>
      lock.run(phase, name, async () => {
        running.add(`${phase}:${name}`);
        seen.push([...running].sort().join(','));
        await new Promise<void>((r) => gates.set(name, r));
        running.delete(`${phase}:${name}`);
      });
    const all = [hold('create', 'c1'), hold('create', 'c2'), hold('destroy', 'd1'), hold('create', 'c3')];
    await settle(2);
    expect([...running].sort()).toEqual(['create:c1', 'create:c2']);
    gates.get('c1')!();
    gates.get('c2')!();
    await settle(2);
    // c3 came after d1 asked: it waits for d1.
    expect([...running]).toEqual(['destroy:d1']);
    gates.get('d1')!();
    await settle(2);
    expect([...running]).toEqual(['create:c3']);
    gates.get('c3')!();
    await Promise.all(all);
    expect(seen.every((s) => !(s.includes('create') && s.includes('destroy')))).toBe(true);
  });

  it('with a preferred phase, lets it go first and join a running turn, until the other has waited maxDeferMs', async () => {
    let now = 0;
    const lock = new PhaseLock({ preferred: 'create', maxDeferMs: 5_000, now: () => now });
    const gates = new Map<string, () => void>();
    const running = new Set<string>();
    const hold = (phase: string, name: string) =>
      lock.run(phase, name, async () => {
        running.add(name);
        await new Promise<void>((r) => gates.set(name, r));
        running.delete(name);
      });
    const all = [hold('create', 'c1'), hold('destroy', 'd1'), hold('create', 'c2')];
    await settle(2);
    // d1 waits; c2 joins the running creates although it asked after d1.
    expect([...running].sort()).toEqual(['c1', 'c2']);
    gates.get('c1')!();
    await settle(2);
    now = 5_000;
    // d1 has waited 5 s: a new create no longer joins.
    all.push(hold('create', 'c3'));
    await settle(2);
    expect([...running]).toEqual(['c2']);
    gates.get('c2')!();
    await settle(2);
    expect([...running]).toEqual(['d1']);
    // A create waiting while destroys run goes before a destroy that asks now.
    all.push(hold('destroy', 'd2'));
    await settle(2);
    expect([...running]).toEqual(['d1']);
    gates.get('d1')!();
    await settle(2);
    expect([...running]).toEqual(['c3']);
    gates.get('c3')!();
    await settle(2);
    expect([...running]).toEqual(['d2']);
    gates.get('d2')!();
    await Promise.all(all);
  });
});
