import { describe, expect, it } from 'vitest';
import { fieldErrorString } from '../../../machinery/index.js';
import { create, update } from '../testing/strategy-sequence.js';
import { podDisruptionBudgets } from './index.js';
import type { PodDisruptionBudgetObject } from './types.js';

const pdb = (spec: Record<string, unknown>): PodDisruptionBudgetObject =>
  ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec }) as PodDisruptionBudgetObject;

const messages = (obj: PodDisruptionBudgetObject) => create(podDisruptionBudgets, obj).messages;

describe('PodDisruptionBudget validation', () => {
  it('accepts a count or a percentage, with a selector', () => {
    expect(messages(pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } }))).toEqual([]);
    expect(messages(pdb({ maxUnavailable: '50%', selector: { matchLabels: { app: 'web' } } }))).toEqual([]);
    expect(messages(pdb({ minAvailable: 0, unhealthyPodEvictionPolicy: 'AlwaysAllow' }))).toEqual([]);
  });

  it('refuses both bounds, negative counts, bad percentages and unknown policies with field paths', () => {
    expect(messages(pdb({ minAvailable: 1, maxUnavailable: 1 }))[0]).toMatch(/^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/);
    expect(messages(pdb({ minAvailable: -1 }))).toEqual(['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    expect(messages(pdb({ maxUnavailable: '120%' }))).toEqual(['spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%']);
    expect(messages(pdb({ maxUnavailable: 'half' }))).toEqual([
      `spec.maxUnavailable: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%', regex used for validation is '[0-9]+%')`,
    ]);
    expect(messages(pdb({ unhealthyPodEvictionPolicy: 'Never' }))).toEqual(['spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"']);
    expect(messages(pdb({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }))[0]).toMatch(/^spec\.selector\.matchExpressions\[0\]\.values: Required value/);
  });

  it('clears status on create, sets generation 1, and bumps it on a spec change only', () => {
    const created = create(podDisruptionBudgets, { ...pdb({ minAvailable: 1 }), status: { disruptionsAllowed: 5, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } });
    expect(created.errors).toEqual([]);
    expect(created.obj.status).toBeUndefined();
    expect(created.obj.metadata.generation).toBe(1);
    const stored = { ...created.obj, status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, observedGeneration: 1 } };
    const relabelled = update(podDisruptionBudgets, { ...stored, metadata: { ...stored.metadata, labels: { a: 'b' } } }, stored);
    expect(relabelled.obj.metadata.generation).toBe(1);
    expect(relabelled.obj.status).toEqual(stored.status);
    const changed = update(podDisruptionBudgets, { ...stored, spec: { minAvailable: 2 } }, stored);
    expect(changed.errors).toEqual([]);
    expect(changed.obj.metadata.generation).toBe(2);
  });

  it('checks the status counts and conditions on /status', () => {
    const old = create(podDisruptionBudgets, pdb({ minAvailable: 1 })).obj;
    const bad = {
      ...old,
      status: {
        disruptionsAllowed: -1,
        currentHealthy: 0,
        desiredHealthy: 0,
        expectedPods: 0,
        conditions: [{ type: 'DisruptionAllowed', status: 'Maybe', reason: '', message: '', lastTransitionTime: '' }],
      },
    } as unknown as PodDisruptionBudgetObject;
    const errs = podDisruptionBudgets.status!.validateUpdate(bad, old).map((e) => fieldErrorString(e));
    expect(errs).toEqual([
      'status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0',
      'status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
      'status.conditions[0].lastTransitionTime: Required value: must be set',
      'status.conditions[0].reason: Required value: must be set',
    ]);
  });
});
