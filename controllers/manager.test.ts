import { describe, expect, it } from 'vitest';
import type { ConfigMap } from '../api/index.js';
import { Resources } from '../client/index.js';
import { FakeClientset } from '../client/testing/index.js';
import { startControllers } from './manager.js';

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startControllers', () => {
  it('runs the enabled controllers on one shared informer factory and stops them cleanly', async () => {
    const cs = new FakeClientset();
    cs.tracker.add(Resources.configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dangling', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'uid-gone' }] },
    } as ConfigMap);
    const cm = startControllers({ clientset: cs, controllers: { scheduler: false, podgc: false } });
    expect(cm.job).toBeDefined();
    expect(cm.garbageCollector).toBeDefined();
    expect(cm.scheduler).toBeUndefined();
    // The Job controller and the GC share one pods informer: one list+watch of pods; the
    // CronJob controller shares the jobs informer.
    expect(cm.informers.forResource(Resources.pods)).toBe(cm.job?.podInformer);
    expect(cm.cronJob?.jobInformer).toBe(cm.job?.jobInformer);
    expect(await cm.waitForCacheSync()).toBe(true);
    await waitFor('the dangling ConfigMap deleted', async () => cs.tracker.list(Resources.configmaps, 'default').length === 0);
    await cm.stop();
    expect(cm.garbageCollector?.attemptToDelete.isShuttingDown()).toBe(true);
    expect(cm.job?.queue.isShuttingDown()).toBe(true);
    expect(cm.cronJob?.queue.isShuttingDown()).toBe(true);
    // Idempotent.
    await cm.stop();
  });

  it('stops when the given signal aborts', async () => {
    const ac = new AbortController();
    const cm = startControllers({ clientset: new FakeClientset(), signal: ac.signal, controllers: { scheduler: false } });
    await cm.waitForCacheSync();
    ac.abort();
    await cm.stop();
    expect(cm.ttlAfterFinished?.queue.isShuttingDown()).toBe(true);
  });

  it('requires a way to reach the API server', () => {
    expect(() => startControllers({})).toThrow(/kubeconfig, clientConfig or clientset/);
  });
});
