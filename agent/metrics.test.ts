// kubelet_pod_start_duration_seconds: one observation per pod, when its status first says
// Running, and none for a pod the API already says is running (a restarted kubelet's).
import { describe, expect, it } from 'vitest';
import { legacyRegistry } from '../machinery/metrics/index.js';
import { KubeletHarness, newPod } from './testing/harness.js';

async function podStarts(): Promise<number> {
  const got = await legacyRegistry.getSingleMetric('kubelet_pod_start_duration_seconds')!.get();
  return got.values.find((v) => (v as { metricName?: string }).metricName === 'kubelet_pod_start_duration_seconds_count')?.value ?? 0;
}

describe('kubelet_pod_start_duration_seconds', () => {
  it('counts each pod once, when its status first says Running', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    await h.start();
    const before = await podStarts();
    await h.createPod(newPod('a'));
    await h.createPod(newPod('b'));
    expect((await h.pod('a')).status?.phase).toBe('Running');
    expect((await h.pod('b')).status?.phase).toBe('Running');
    await h.advance(30_000, 5_000); // resyncs write nothing new
    expect((await podStarts()) - before).toBe(2);
    await h.stop();
  });

  it('does not count a pod the API already says is Running (a kubelet restarted under it)', async () => {
    const running = newPod('c');
    running.status = { phase: 'Running', startTime: '2026-01-01T00:00:00Z' };
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    const created = await h.client.pods.namespace('default').create(running);
    expect(created.status?.phase).toBe('Running');
    const before = await podStarts();
    await h.start();
    await h.advance(30_000, 5_000);
    expect((await h.pod('c')).status?.phase).toBe('Running');
    expect((await podStarts()) - before).toBe(0);
    await h.stop();
  });
});
