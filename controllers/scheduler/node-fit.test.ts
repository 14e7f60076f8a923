import { describe, expect, it } from 'vitest';
import type { Container, Node, Pod } from '../../api/index.js';
import { filterNode, fitErrorMessage, podRequests } from './node-fit.js';

function c(name: string, requests: Record<string, string> = {}, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', resources: { requests }, ...extra };
}

function pod(containers: Container[], initContainers: Container[] = [], spec: Partial<Pod['spec']> = {}): Pod {
  return { metadata: { name: 'p', namespace: 'default' }, spec: { containers, initContainers, ...spec } };
}

function node(o: { cpu?: string; memory?: string; pods?: string; ready?: 'True' | 'False' | 'Unknown'; unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] } = {}): Node {
  return {
    metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
    spec: { unschedulable: o.unschedulable, taints: o.taints },
    status: {
      allocatable: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: o.pods ?? '110' },
      conditions: [{ type: 'Ready', status: o.ready ?? 'True' }],
    },
  };
}

const none = new Map<string, bigint>();

describe('podRequests (PodRequests)', () => {
  it('sums the app containers, cpu in millicores and memory in bytes', () => {
    const r = podRequests(pod([c('a', { cpu: '250m', memory: '64Mi' }), c('b', { cpu: '1', memory: '1Gi' })]));
    expect(r.get('cpu')).toBe(1250n);
    expect(r.get('memory')).toBe(64n * 1024n ** 2n + 1024n ** 3n);
  });

  it('takes the largest init container when it asks more than the app containers together', () => {
    const r = podRequests(pod([c('a', { cpu: '200m', memory: '1Gi' })], [c('i1', { cpu: '2' }), c('i2', { cpu: '500m', memory: '10Mi' })]));
    expect(r.get('cpu')).toBe(2000n);
    expect(r.get('memory')).toBe(1024n ** 3n);
  });

  it('adds restartable init containers (sidecars) to the app containers and to later init containers', () => {
    const r = podRequests(
      pod([c('app', { cpu: '100m' })], [c('sidecar', { cpu: '200m' }, { restartPolicy: 'Always' }), c('init', { cpu: '500m' })]),
    );
    // app 100 + sidecar 200 = 300; init runs beside the sidecar: 500 + 200 = 700.
    expect(r.get('cpu')).toBe(700n);
  });
});

describe('filterNode and the FitError message', () => {
  it('fits when the requests fit in allocatable minus what is used', () => {
    const p = pod([c('a', { cpu: '1', memory: '1Gi' })]);
    expect(filterNode(p, podRequests(p), node(), new Map([['cpu', 1000n]]), 1)).toEqual([]);
  });

  it('reports every insufficient resource of the node', () => {
    const p = pod([c('a', { cpu: '3', memory: '5Gi' })]);
    const reasons = filterNode(p, podRequests(p), node(), none, 0);
    expect(reasons).toEqual(['Insufficient cpu', 'Insufficient memory']);
    expect(fitErrorMessage(1, [reasons])).toBe('0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
  });

  it('counts pods against allocatable pods', () => {
    const p = pod([c('a')]);
    expect(filterNode(p, podRequests(p), node({ pods: '1' }), none, 1)).toEqual(['Too many pods']);
  });

  it('refuses a node that is not Ready, as the not-ready taint does, unless tolerated', () => {
    const p = pod([c('a')]);
    expect(filterNode(p, podRequests(p), node({ ready: 'False' }), none, 0)).toEqual(['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
    const tolerant = pod([c('a')], [], { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
    expect(filterNode(tolerant, podRequests(tolerant), node({ ready: 'False' }), none, 0)).toEqual([]);
  });

  it('refuses an unschedulable (cordoned) node and a node whose taint is not tolerated', () => {
    const p = pod([c('a')]);
    expect(fitErrorMessage(1, [filterNode(p, podRequests(p), node({ unschedulable: true }), none, 0)])).toBe(
      '0/1 nodes are available: 1 node(s) were unschedulable.',
    );
    expect(filterNode(p, podRequests(p), node({ taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }), none, 0)).toEqual([
      'node(s) had untolerated taint {gpu: yes}',
    ]);
  });

  it("refuses a node whose labels do not match the pod's nodeSelector", () => {
    const p = pod([c('a')], [], { nodeSelector: { disk: 'ssd' } });
    expect(filterNode(p, podRequests(p), node(), none, 0)).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
  });
});
