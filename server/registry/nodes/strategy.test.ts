import { describe, expect, it } from 'vitest';
import { create, update, updateStatus } from '../testing/strategy-sequence.js';
import { nodes } from './index.js';
import type { NodeObject } from './strategy.js';

const NOW = new Date('2026-01-01T02:00:00Z');
const node = (extra: Partial<NodeObject> = {}): NodeObject =>
  ({
    metadata: { name: 'node-1', creationTimestamp: '2026-01-01T00:00:00Z', labels: {} },
    spec: {},
    status: {
      capacity: { cpu: '2', memory: '24Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'node-1' }],
      nodeInfo: { kubeletVersion: 'v1.34.0-jobyard', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'docker://20.10.24' },
    },
    ...extra,
  }) as NodeObject;

describe('Node', () => {
  it('keeps the status the agent creates it with, allocatable defaulted from capacity', () => {
    const { obj, errors } = create(nodes, node());
    expect(errors).toEqual([]);
    expect(obj.status?.allocatable).toEqual({ cpu: '2', memory: '24Gi', pods: '110' });
    expect(obj.status?.conditions).toHaveLength(1);
  });

  it('validates taints and quantities', () => {
    const bad = node({ spec: { taints: [{ key: 'k', effect: 'Sometimes' }, { key: 'k', effect: '' }] } });
    bad.status!.capacity = { cpu: 'two' };
    expect(create(nodes, bad).messages).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'spec.taints[1].effect: Required value',
      `status.capacity[cpu]: Invalid value: "two": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      `status.allocatable[cpu]: Invalid value: "two": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ]);
  });

  it('keeps the status on a spec update and the spec on a status update', () => {
    const old = create(nodes, node()).obj;
    const cordon = structuredClone(old);
    cordon.spec = { unschedulable: true };
    cordon.status = {};
    const out = update(nodes, cordon, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.status).toEqual(old.status);
    const heartbeat = structuredClone(old);
    heartbeat.spec = { unschedulable: true };
    heartbeat.status = { ...old.status, conditions: [{ type: 'Ready', status: 'False' }] };
    const st = updateStatus(nodes, heartbeat, old);
    expect(st.obj.spec).toEqual({});
    expect(st.obj.status?.conditions).toEqual([{ type: 'Ready', status: 'False' }]);
  });

  it('lets podCIDR be set once', () => {
    const old = create(nodes, node()).obj;
    const set = structuredClone(old);
    set.spec = { podCIDR: '10.244.0.0/24' };
    expect(update(nodes, set, old).errors).toEqual([]);
    const changed = structuredClone(set);
    changed.spec = { podCIDR: '10.244.1.0/24' };
    expect(update(nodes, changed, set).messages).toEqual(['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
  });

  it.each<[string, Partial<NodeObject>, string]>([
    ['Ready', {}, 'Ready'],
    ['NotReady', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'NotReady'],
    ['Unknown', { status: {} }, 'Unknown'],
    ['cordoned', { spec: { unschedulable: true } }, 'Ready,SchedulingDisabled'],
  ])('prints STATUS %s', (_name, extra, status) => {
    expect(nodes.table!.cells(node(extra), NOW)[1]).toBe(status);
  });

  it('prints roles, age, version and the wide cells', () => {
    const n = node();
    n.metadata.labels = { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': 'x' };
    expect(nodes.table!.cells(n, NOW)).toEqual([
      'node-1',
      'Ready',
      'control-plane,worker',
      '120m',
      'v1.34.0-jobyard',
      '10.0.0.5',
      '<none>',
      'Debian GNU/Linux 12',
      '6.1.0',
      'docker://20.10.24',
    ]);
    expect(nodes.table!.cells(node({ metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z' } }), NOW)[2]).toBe('<none>');
  });
});
