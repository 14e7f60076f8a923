// The Priority admission plugin through the registry's create and update sequence (real
// GenericRegistry, in-memory SQLite): pods get priority and preemptionPolicy from their class,
// from the global default, or 0; refusals are upstream's 403 messages and store nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../api/index.js';
import { FakeClock, StatusError } from '../../machinery/index.js';
import { SchemaCodec } from '../registry/codec.js';
import { GenericRegistry } from '../registry/generic-registry.js';
import { namespaces, pods, priorityClasses } from '../registry/index.js';
import { SqliteObjectStore } from '../storage/index.js';
import { AdmissionChain } from './types.js';
import { PriorityAdmission } from './priority.js';

let registry: GenericRegistry;
let store: SqliteObjectStore;

beforeEach(() => {
  store = new SqliteObjectStore({ path: ':memory:' });
  const admission = new AdmissionChain([new PriorityAdmission({ listPriorityClasses: () => store.list('scheduling.k8s.io/priorityclasses', {}).items })]);
  registry = new GenericRegistry({ store, clock: new FakeClock(new Date('2026-05-01T12:00:00Z')), codec: new SchemaCodec(), namespaces, admission });
  registry.create(namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
});

const pc = (name: string, value: number, more: Record<string, unknown> = {}) =>
  registry.create(priorityClasses, '', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...more }).object;

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

const createPod = (name: string, spec: Record<string, unknown> = {}) => registry.create(pods, 'default', pod(name, spec)).object as unknown as Pod;

function refusal(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return { code: err.status.code ?? 0, message: err.status.message ?? '' };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('Priority admission: pods', () => {
  it('resolves priorityClassName to priority and preemptionPolicy', () => {
    pc('high', 1000, { preemptionPolicy: 'Never' });
    const p = createPod('p', { priorityClassName: 'high' });
    expect(p.spec).toMatchObject({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
  });

  it('gives 0 and PreemptLowerPriority when no class is named and none is the default; the default class otherwise', () => {
    const a = createPod('a');
    expect(a.spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(a.spec.priorityClassName).toBeUndefined();
    pc('batch-default', 10, { globalDefault: true });
    expect(createPod('b').spec).toMatchObject({ priorityClassName: 'batch-default', priority: 10, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('refuses an unknown class, and a priority or policy the pod set that disagrees, with 403 and nothing stored', () => {
    expect(refusal(() => createPod('x', { priorityClassName: 'nope' }))).toEqual({ code: 403, message: 'pods "x" is forbidden: no PriorityClass with name nope was found' });
    pc('high', 1000);
    expect(refusal(() => createPod('y', { priorityClassName: 'high', priority: 5 }))).toEqual({
      code: 403,
      message: 'pods "y" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    });
    expect(refusal(() => createPod('z', { priorityClassName: 'high', preemptionPolicy: 'Never' }))).toEqual({
      code: 403,
      message:
        'pods "z" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    });
    // A generated name does not exist yet when admission runs: the message names the prefix, as upstream's.
    expect(refusal(() => registry.create(pods, 'default', { ...pod(''), metadata: { generateName: 'job-x-' }, spec: { ...pod('').spec, priorityClassName: 'nope' } }))).toEqual({
      code: 403,
      message: 'pods "job-x-" is forbidden: no PriorityClass with name nope was found',
    });
    expect(store.list('pods', {}).items).toEqual([]);
    // The same value the class gives is accepted.
    expect(createPod('ok', { priorityClassName: 'high', priority: 1000 }).spec.priority).toBe(1000);
  });

  it('keeps the stored priority when an update leaves it out', () => {
    pc('high', 1000);
    const p = createPod('p', { priorityClassName: 'high' });
    const { priority: _p, preemptionPolicy: _pp, ...spec } = p.spec;
    const updated = registry.update(pods, 'default', 'p', { ...p, metadata: { ...p.metadata, labels: { a: 'b' } }, spec }).object as unknown as Pod;
    expect(updated.spec).toMatchObject({ priority: 1000, preemptionPolicy: 'PreemptLowerPriority' });
    expect(updated.metadata.labels).toEqual({ a: 'b' });
  });
});

describe('Priority admission: PriorityClasses', () => {
  it('allows one global default only', () => {
    pc('first', 10, { globalDefault: true });
    expect(refusal(() => pc('second', 20, { globalDefault: true }))).toEqual({
      code: 403,
      message: 'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass first is already marked as default. Only one default can exist',
    });
    const other = pc('other', 30);
    expect(refusal(() => registry.update(priorityClasses, '', 'other', { ...other, globalDefault: true }))).toMatchObject({ code: 403 });
    const first = registry.get(priorityClasses, '', 'first');
    expect(registry.update(priorityClasses, '', 'first', { ...first, description: 'still the default' }).object).toMatchObject({ globalDefault: true });
  });

  it('refuses to delete a built-in class (403), deletes others', () => {
    pc('system-node-critical', 2_000_001_000);
    pc('mine', 1);
    expect(refusal(() => registry.delete(priorityClasses, '', 'system-node-critical'))).toEqual({
      code: 403,
      message: 'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted',
    });
    expect(registry.delete(priorityClasses, '', 'mine').removed).toBe(true);
  });
});
