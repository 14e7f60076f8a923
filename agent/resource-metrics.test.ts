// The node's CPU rates and windows from cumulative readings: the first ask reads twice a
// window apart, later asks use an earlier reading at least a window old. The runtime here
// only returns readings a test sets; the engine's own figures are read in the e2e test.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/index.js';
import { ResourceMetrics, readProcNode } from './resource-metrics.js';
import { type ContainerRuntime, type ContainerStats, LABEL_CONTAINER_NAME, LABEL_POD_UID } from './runtime/index.js';

function setup() {
  let now = 1_000_000;
  const cpu = new Map<string, number>([
    ['c1', 0],
    ['c2', 0],
  ]);
  const reads: string[] = [];
  const runtime = {
    listContainers: async () => [
      { id: 'c1', labels: { [LABEL_POD_UID]: 'u1', [LABEL_CONTAINER_NAME]: 'main' }, metadata: { name: 'main', attempt: 0 } },
      { id: 'c2', labels: { [LABEL_POD_UID]: 'u2', [LABEL_CONTAINER_NAME]: 'side' }, metadata: { name: 'side', attempt: 0 } },
    ],
    containerStats: async (id: string): Promise<ContainerStats> => {
      reads.push(id);
      return { id, timestamp: new Date(now), usageCoreNanoSeconds: cpu.get(id)!, workingSetBytes: 4096 };
    },
  } as unknown as ContainerRuntime;
  // Sleeping moves the clock on, with the containers busy at 0.5 and 0.25 cores.
  const sleep = async (ms: number) => {
    now += ms;
    cpu.set('c1', cpu.get('c1')! + ms * 500_000);
    cpu.set('c2', cpu.get('c2')! + ms * 250_000);
  };
  const metrics = new ResourceMetrics({ runtime, nodeName: 'n', minWindowMs: 1000, sleep, readNode: async () => ({ at: now, cpuNs: cpu.get('c1')!, workingSetBytes: 1 }) });
  const pod = (uid: string) => ({ metadata: { uid } }) as Pod;
  return { metrics, pod, sleep, reads };
}

describe('ResourceMetrics', () => {
  it('reads twice a window apart on the first ask, and reports the rate over that window', async () => {
    const { metrics, pod, reads } = setup();
    const [u] = await metrics.podUsage([pod('u1')]);
    expect(u).toMatchObject({ uid: 'u1', windowMs: 1000, containers: [{ name: 'main', cpuNanoCores: 500_000_000, memoryWorkingSetBytes: 4096 }] });
    // Only the asked pod's container was read.
    expect(reads).toEqual(['c1', 'c1']);
  });

  it('answers a later ask at once, over the window since an earlier reading', async () => {
    const { metrics, pod, sleep, reads } = setup();
    await metrics.podUsage([pod('u1'), pod('u2')]);
    await sleep(5000);
    const usage = await metrics.podUsage([pod('u1'), pod('u2')]);
    expect(reads.length).toBe(6);
    expect(usage.map((u) => [u.uid, u.windowMs, u.containers[0].cpuNanoCores])).toEqual([
      ['u1', 5000, 500_000_000],
      ['u2', 5000, 250_000_000],
    ]);
    // Asked again at once: the reading before the last one is still a window old.
    const again = await metrics.podUsage([pod('u1')]);
    expect(reads.length).toBe(7);
    expect(again[0].windowMs).toBe(5000);
  });

  it('reports the node it runs only', async () => {
    const { metrics } = setup();
    expect(await metrics.nodeUsage('other')).toBeUndefined();
    expect(await metrics.nodeUsage('n')).toMatchObject({ windowMs: 1000, cpuNanoCores: 500_000_000, memoryWorkingSetBytes: 1 });
  });

  it('reads this machine’s CPU time and memory working set from /proc', async () => {
    const r = await readProcNode();
    expect(r.cpuNs).toBeGreaterThan(0);
    expect(r.workingSetBytes).toBeGreaterThan(0);
  });
});
