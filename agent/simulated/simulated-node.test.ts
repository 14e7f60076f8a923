import { describe, expect, it } from 'vitest';
import { FakeClientset, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { DEFAULT_SIMULATED_CAPACITY, NodeHeartbeat, registerSimulatedNode, type SimulatedNodeSpec } from './simulated-node.js';

const noLog = { debug() {}, info() {}, warn() {}, error() {} } as never;
const spec: SimulatedNodeSpec = { name: 'sim-node-0', ip: '172.30.0.1', capacity: { ...DEFAULT_SIMULATED_CAPACITY }, kubeletVersion: 'v1.32.0-jobyard.test' };

describe('simulated Node', () => {
  it('registers tainted and labelled, adopting an existing Node (its other taints and labels kept)', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const client = new FakeClientset({ clock });
    await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'sim-node-0', labels: { team: 'a' } }, spec: { taints: [{ key: 'other', effect: 'NoExecute' }] } });
    const node = await registerSimulatedNode(client, spec, clock.now());
    expect(node.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/hostname': 'sim-node-0', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'simulated', 'node.jobyard.io/simulated': 'true' });
    expect(node.spec?.taints).toEqual([{ key: 'other', effect: 'NoExecute' }, { key: 'node.jobyard.io/simulated', value: 'true', effect: 'NoSchedule' }]);
    expect(node.status?.allocatable).toEqual({ cpu: '32', memory: '256Gi', pods: '1000', 'ephemeral-storage': '1Ti' });
    expect(node.status?.nodeInfo).toMatchObject({ osImage: 'simulated (jobyard server --simulated-nodes)', containerRuntimeVersion: 'simulated://0', kubeletVersion: 'v1.32.0-jobyard.test' });
    expect(node.status?.addresses).toEqual([{ type: 'InternalIP', address: '172.30.0.1' }, { type: 'Hostname', address: 'sim-node-0' }]);
  });

  it('keeps Ready fresh: the heartbeat moves lastHeartbeatTime, keeps lastTransitionTime, and registers a deleted Node again', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const scheduler = new FakeScheduler(clock);
    const client = new FakeClientset({ clock });
    await registerSimulatedNode(client, spec, clock.now());
    const hb = new NodeHeartbeat(client, [spec], scheduler, noLog, 60_000);
    hb.start();
    scheduler.step(60_000);
    await new Promise((r) => setTimeout(r, 10));
    const ready = (await client.nodes.get('sim-node-0')).status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', lastHeartbeatTime: '2026-01-01T00:01:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' });
    await client.nodes.delete('sim-node-0');
    scheduler.step(60_000);
    await new Promise((r) => setTimeout(r, 10));
    expect((await client.nodes.get('sim-node-0')).spec?.taints).toHaveLength(1);
    hb.stop();
  });
});
