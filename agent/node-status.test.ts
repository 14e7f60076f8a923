import { describe, expect, it } from 'vitest';
import { FakeClientset, FakeScheduler } from '../client/testing/index.js';
import { FakeClock } from '../machinery/index.js';
import { NodeStatusManager, nodeStatusFromRuntime } from './node-status.js';
import { RuntimeError } from './runtime/index.js';
import { FakeRuntime } from './runtime/testing/index.js';

function setup() {
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const scheduler = new FakeScheduler(clock);
  const client = new FakeClientset({ clock });
  const runtime = new FakeRuntime({ clock, autoAdvance: false, cpus: 2, memoryBytes: 25_160_675_328 });
  runtime.addImage('busybox:1.36', { sizeBytes: 2_000_000 });
  runtime.addImage('app:1', { sizeBytes: 9_000_000 });
  const manager = new NodeStatusManager({
    client,
    runtime,
    nodeName: 'node-1',
    nodeIP: '192.0.2.10',
    kubeletVersion: 'v1.32.0-jobyard.0.1.0',
    scheduler,
    options: { updateIntervalMs: 10_000, reportIntervalMs: 60_000 },
  });
  return { clock, scheduler, client, runtime, manager };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('NodeStatusManager', () => {
  it('registers the Node with capacity, allocatable, conditions, addresses, nodeInfo and images', async () => {
    const t = setup();
    await t.manager.start();
    const node = await t.client.nodes.get('node-1');
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
    expect(node.status?.capacity).toEqual({ cpu: '2', memory: '24570972Ki', pods: '110' });
    expect(node.status?.allocatable).toEqual(node.status?.capacity);
    expect(node.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '192.0.2.10' },
      { type: 'Hostname', address: 'node-1' },
    ]);
    expect(node.status?.nodeInfo).toMatchObject({ containerRuntimeVersion: 'fake://0.1.0', kubeletVersion: 'v1.32.0-jobyard.0.1.0', operatingSystem: 'linux', architecture: 'amd64' });
    expect(node.status?.images).toEqual([
      { names: ['app:1'], sizeBytes: 9_000_000 },
      { names: ['busybox:1.36'], sizeBytes: 2_000_000 },
    ]);
  });

  it('writes again only when something changed, or for the heartbeat after a minute', async () => {
    const t = setup();
    await t.manager.start();
    const writes = () => t.client.actionsFor('update', 'nodes', 'status').length + t.client.actionsFor('create', 'nodes').length;
    const first = writes();
    t.scheduler.step(10_000);
    await flush();
    await flush();
    expect(writes()).toBe(first);
    t.runtime.addImage('new:1', { sizeBytes: 1 });
    t.scheduler.step(10_000);
    await flush();
    await flush();
    expect(writes()).toBe(first + 1);
    expect((await t.client.nodes.get('node-1')).status?.images?.map((i) => i.names[0])).toContain('new:1');
    for (let i = 0; i < 6; i++) {
      t.scheduler.step(10_000);
      await flush();
      await flush();
    }
    expect(writes()).toBe(first + 2);
    const ready = (await t.client.nodes.get('node-1')).status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.lastHeartbeatTime).toBe('2026-01-01T00:01:20Z');
    expect(ready?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('turns NotReady when the engine does not answer, and Ready again when it does', async () => {
    const t = setup();
    await t.manager.start();
    const info = t.runtime.info.bind(t.runtime);
    t.runtime.info = () => Promise.reject(new RuntimeError('RuntimeUnavailable', 'connect ENOENT /var/run/docker.sock'));
    await t.manager.sync(false);
    let ready = (await t.client.nodes.get('node-1')).status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down: connect ENOENT /var/run/docker.sock' });
    t.runtime.info = info;
    await t.manager.sync(false);
    ready = (await t.client.nodes.get('node-1')).status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
  });

  it('limits images to 50, largest first, digests before tags, at most 5 names', () => {
    const images = Array.from({ length: 60 }, (_, i) => ({ id: `i${i}`, names: ['a:1', 'b:1', 'c:1', 'd:1', 'e:1', 'f@sha256:1'], sizeBytes: i }));
    const status = nodeStatusFromRuntime(
      { runtimeName: 'docker', runtimeVersion: '20.10.24', apiVersion: '1.41', cpus: 2, memoryBytes: 1000, cgroupVersion: '1', cgroupDriver: '', storageDriver: '', kernelVersion: '', operatingSystem: '', architecture: 'x86_64' },
      images,
      '1.2.3.4',
      'n',
      'v',
    );
    expect(status.images).toHaveLength(50);
    expect(status.images?.[0]).toEqual({ names: ['f@sha256:1', 'a:1', 'b:1', 'c:1', 'd:1'], sizeBytes: 59 });
    expect(status.capacity?.memory).toBe('1000');
    expect(status.nodeInfo?.containerRuntimeVersion).toBe('docker://20.10.24');
  });
});
