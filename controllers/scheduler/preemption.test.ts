// Victim selection and node choice, ported from upstream's default_preemption_test.go
// (TestDryRunPreemption / TestSelectBestCandidate cases that apply to NodeResourcesFit on a few
// nodes): node capacity 500m cpu and 500 bytes of memory, requests small 100, medium 200,
// large 300, very large 500; priorities low 0, mid 100, high 1000.
import { describe, expect, it } from 'vitest';
import type { Node, Pod, PodDisruptionBudget } from '../../api/index.js';
import {
  NO_VICTIMS_FOUND,
  type Victims,
  filterPodsWithPDBViolation,
  noCandidateMessage,
  pickOneNodeForPreemption,
  podEligibleToPreemptOthers,
  selectVictimsOnNode,
  withPostFilterMessage,
} from './preemption.js';

const low = 0;
const mid = 100;
const high = 1000;
const small = 100;
const medium = 200;
const large = 300;
const veryLarge = 500;
const NOW = Date.parse('2026-05-01T12:00:00Z');
const epoch = (s: number) => new Date(s * 1000).toISOString();

function node(name: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '500m', memory: '500', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
}

function pod(name: string, priority: number, size: number, o: { node?: string; start?: string; labels?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: `${size}m`, memory: `${size}` } } }], priority, ...(o.node ? { nodeName: o.node } : {}) },
    status: { phase: o.node ? 'Running' : 'Pending', ...(o.start ? { startTime: o.start } : {}) },
  };
}

const names = (r: ReturnType<typeof selectVictimsOnNode>) => ('victims' in r ? { victims: r.victims.map((p) => p.metadata.name), numPDBViolations: r.numPDBViolations } : r);
/** Victims of equal importance come in no defined order (upstream sorts with sort.Slice): compare them sorted. */
const sortedNames = (r: ReturnType<typeof selectVictimsOnNode>) => {
  const n = names(r);
  return 'victims' in n ? { ...n, victims: [...n.victims].sort() } : n;
};
const select = (preemptor: Pod, onNode: Pod[], pdbs: PodDisruptionBudget[] = []) => names(selectVictimsOnNode(preemptor, node('node1'), onNode, { requests: [] }, pdbs, NOW));

function pdb(allowed: number, disrupted: string[] = []): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'budget', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'foo' } } },
    status: { disruptionsAllowed: allowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptedPods: Object.fromEntries(disrupted.map((d) => [d, '2026-05-01T11:59:00Z'])) },
  } as PodDisruptionBudget;
}

describe('selectVictimsOnNode (upstream TestDryRunPreemption, NodeResourcesFit)', () => {
  it('a pod that would fit, but the pods running have higher or equal priority: no victims', () => {
    expect(select(pod('p', low, large), [pod('p1', mid, large, { node: 'node1' })])).toEqual({ reasons: [NO_VICTIMS_FOUND] });
    expect(select(pod('p', mid, large), [pod('p1', mid, large, { node: 'node1' })])).toEqual({ reasons: [NO_VICTIMS_FOUND] });
  });

  it('a pod that does not fit even with every lower-priority pod gone: the filter reasons', () => {
    expect(select(pod('p', high, large), [pod('p1', mid, small, { node: 'node1' }), pod('p2', high, large, { node: 'node1' })])).toEqual({
      reasons: ['Insufficient cpu', 'Insufficient memory'],
    });
  });

  it('medium priority pod is preempted, but lower priority one stays as it is small', () => {
    expect(select(pod('p', high, large), [pod('p1.1', low, small, { node: 'node1' }), pod('p1.2', mid, large, { node: 'node1' })])).toEqual({ victims: ['p1.2'], numPDBViolations: 0 });
  });

  it('mixed priority pods are preempted (most important victim first)', () => {
    const onNode = [
      pod('p1.1', mid, small, { node: 'node1' }),
      pod('p1.2', low, small, { node: 'node1' }),
      pod('p1.3', mid, medium, { node: 'node1' }),
      pod('p1.4', high, small, { node: 'node1' }),
    ];
    expect(select(pod('p', high, large), onNode)).toEqual({ victims: ['p1.3', 'p1.2'], numPDBViolations: 0 });
  });

  it('mixed priority pods are preempted, pick later StartTime one when priorities are equal', () => {
    const onNode = [
      pod('p1.1', low, small, { node: 'node1', start: epoch(5) }),
      pod('p1.2', low, small, { node: 'node1', start: epoch(4) }),
      pod('p1.3', mid, medium, { node: 'node1', start: epoch(3) }),
      pod('p1.4', high, small, { node: 'node1', start: epoch(2) }),
    ];
    expect(select(pod('p', high, large), onNode)).toEqual({ victims: ['p1.3', 'p1.1'], numPDBViolations: 0 });
  });

  const foo = { app: 'foo' };
  it('preemption with violation of same pdb', () => {
    const onNode = [pod('p1.1', mid, medium, { node: 'node1', labels: foo }), pod('p1.2', mid, medium, { node: 'node1', labels: foo })];
    expect(sortedNames(selectVictimsOnNode(pod('p', high, veryLarge), node('node1'), onNode, { requests: [] }, [pdb(1)], NOW))).toEqual({ victims: ['p1.1', 'p1.2'], numPDBViolations: 1 });
  });

  it("the pdb's disruptedPods: another pod there changes nothing, the victim there is no violation", () => {
    const onNode = [pod('p1.1', mid, medium, { node: 'node1', labels: foo }), pod('p1.2', mid, medium, { node: 'node1', labels: foo })];
    const sel = (b: PodDisruptionBudget) => sortedNames(selectVictimsOnNode(pod('p', high, veryLarge), node('node1'), onNode, { requests: [] }, [b], NOW));
    expect(sel(pdb(1, ['p2']))).toEqual({ victims: ['p1.1', 'p1.2'], numPDBViolations: 1 });
    expect(sel(pdb(1, ['p1.2']))).toEqual({ victims: ['p1.1', 'p1.2'], numPDBViolations: 0 });
  });

  it("the victim in disruptedPods is treated as 'nonViolating'", () => {
    const onNode = ['p1.1', 'p1.2', 'p1.3'].map((n) => pod(n, mid, medium, { node: 'node1', labels: foo }));
    const r = select(pod('p', high, veryLarge), onNode, [pdb(1, ['p1.3'])]);
    expect(r).toMatchObject({ numPDBViolations: 1 });
    expect('victims' in r && [...r.victims].sort()).toEqual(['p1.1', 'p1.2', 'p1.3']);
  });

  it('reprieves budget-violating pods before the others when room allows', () => {
    // p1.1 is covered by an exhausted budget, p1.2 is not: the preemptor needs one of them gone.
    const onNode = [pod('p1.1', mid, medium, { node: 'node1', labels: foo }), pod('p1.2', mid, medium, { node: 'node1' })];
    expect(select(pod('p', high, large), onNode, [pdb(0)])).toEqual({ victims: ['p1.2'], numPDBViolations: 0 });
  });

  it('counts pods nominated to the node ahead of the preemptor', () => {
    const onNode = [pod('p1', low, medium, { node: 'node1' })];
    const r = selectVictimsOnNode(pod('p', mid, large), node('node1'), onNode, { requests: [new Map([['cpu', 300n], ['memory', 300n]])] }, [], NOW);
    expect(names(r)).toEqual({ reasons: ['Insufficient cpu', 'Insufficient memory'] });
  });
});

describe('filterPodsWithPDBViolation', () => {
  it('keeps order; other namespaces, unlabelled pods and empty selectors never violate', () => {
    const budget = pdb(0);
    const other = { ...pdb(0), metadata: { name: 'b', namespace: 'other' } } as PodDisruptionBudget;
    const empty = { ...pdb(0), spec: { selector: {} } } as PodDisruptionBudget;
    const pods = [pod('a', low, small, { labels: { app: 'foo' } }), pod('b', low, small), pod('c', low, small, { labels: { app: 'bar' } })];
    const r = filterPodsWithPDBViolation(pods, [budget, other, empty]);
    expect(r.violating.map((p) => p.metadata.name)).toEqual(['a']);
    expect(r.nonViolating.map((p) => p.metadata.name)).toEqual(['b', 'c']);
  });
});

describe('pickOneNodeForPreemption (upstream TestSelectBestCandidate)', () => {
  const pick = (m: Record<string, [Pod[], number?]>) =>
    pickOneNodeForPreemption(new Map(Object.entries(m).map(([n, [pods, v]]): [string, Victims] => [n, { pods, numPDBViolations: v ?? 0 }])), NOW);
  const t0 = epoch(0);

  it('node with min highest priority pod is picked', () => {
    expect(
      pick({
        node1: [[pod('p1.1', mid, medium, { start: t0 }), pod('p1.2', mid, large, { start: t0 })]],
        node2: [[pod('p2.1', mid, medium, { start: t0 }), pod('p2.2', low, medium, { start: t0 })]],
        node3: [[pod('p3.1', low, medium, { start: t0 }), pod('p3.2', low, medium, { start: t0 })]],
      }),
    ).toBe('node3');
  });

  it('fewest budget violations come first', () => {
    expect(pick({ node1: [[pod('a', low, small)], 1], node2: [[pod('b', mid, small)], 0] })).toBe('node2');
  });

  it('when highest priorities are the same, minimum sum of lower priority pods is used', () => {
    expect(
      pick({
        node1: [[pod('p1.1', mid, medium, { start: t0 }), pod('p1.2', mid, large, { start: t0 })]],
        node2: [[pod('p2.1', mid, medium, { start: t0 }), pod('p2.2', low, medium, { start: t0 })]],
      }),
    ).toBe('node2');
  });

  it('when highest priority and sum are the same, minimum number of pods is used', () => {
    expect(
      pick({
        node1: [[pod('a', mid, small, { start: t0 }), pod('b', -100, small, { start: t0 }), pod('c', -100, small, { start: t0 })]],
        node2: [[pod('d', mid, small, { start: t0 }), pod('e', -100, small, { start: t0 })]],
      }),
    ).toBe('node2');
  });

  it('sum of adjusted priorities is considered: three victims, two of negative priority, sum more than two of positive', () => {
    expect(
      pick({
        node1: [[pod('a', mid, small, { start: t0 }), pod('b', -100, small, { start: t0 }), pod('c', -100, small, { start: t0 })]],
        node2: [[pod('d', mid, small, { start: t0 }), pod('e', mid, small, { start: t0 })]],
      }),
    ).toBe('node2');
  });

  it('same priority, same number of victims: the node whose highest-priority victims started latest', () => {
    expect(
      pick({
        node1: [[pod('a', mid, small, { start: epoch(2) }), pod('b', low, small, { start: epoch(1) })]],
        node2: [[pod('c', mid, small, { start: epoch(3) }), pod('d', low, small, { start: epoch(0) })]],
      }),
    ).toBe('node2');
  });

  it('no candidates: none', () => {
    expect(pick({})).toBeUndefined();
  });
});

describe('eligibility and messages', () => {
  it('preemptionPolicy Never and a victim still terminating on the nominated node make a pod ineligible', () => {
    const never = { ...pod('p', high, small), spec: { ...pod('p', high, small).spec, preemptionPolicy: 'Never' as const } };
    expect(podEligibleToPreemptOthers(never, [])).toBe('not eligible due to preemptionPolicy=Never.');
    const nominated = { ...pod('p', high, small), status: { phase: 'Pending' as const, nominatedNodeName: 'node1' } };
    const victim = pod('v', low, small, { node: 'node1' });
    victim.metadata.deletionTimestamp = '2026-05-01T12:00:00Z';
    victim.status!.conditions = [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }];
    expect(podEligibleToPreemptOthers(nominated, [victim])).toBe('not eligible due to a terminating pod on the nominated node.');
    expect(podEligibleToPreemptOthers(nominated, [pod('v', low, small, { node: 'node1' })])).toBeUndefined();
  });

  it("words FitError with the PostFilter's message as upstream (two periods at the end)", () => {
    expect(withPostFilterMessage('0/2 nodes are available: 2 Insufficient cpu.', noCandidateMessage(2, [[NO_VICTIMS_FOUND]]))).toBe(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..',
    );
    expect(withPostFilterMessage('0/1 nodes are available: 1 Insufficient cpu.', undefined)).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });
});
