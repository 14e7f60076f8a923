import { describe, expect, it } from 'vitest';
import { create, update } from '../testing/strategy-sequence.js';
import { priorityClasses, priorityClassTable } from './index.js';
import type { PriorityClassObject } from './strategy.js';

const pc = (name: string, value: number, more: Partial<PriorityClassObject> = {}): PriorityClassObject =>
  ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...more }) as PriorityClassObject;

const messages = (obj: PriorityClassObject) => create(priorityClasses, obj).messages;

describe('PriorityClass validation (ValidatePriorityClass)', () => {
  it('accepts user classes up to 1000000000 and defaults preemptionPolicy to PreemptLowerPriority', () => {
    const created = create(priorityClasses, pc('high', 1_000_000_000));
    expect(created.errors).toEqual([]);
    expect(created.obj.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(created.obj.metadata.generation).toBe(1);
    expect(messages(pc('low', -5, { preemptionPolicy: 'Never' }))).toEqual([]);
  });

  it('refuses a user value above the limit, reserved names and unknown policies with upstream messages', () => {
    expect(messages(pc('huge', 1_000_000_001))).toEqual(['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    expect(messages(pc('system-mine', 5))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
    expect(messages(pc('system-node-critical', 5))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    ]);
    expect(messages(pc('system-cluster-critical', 2_000_000_000, { globalDefault: true }))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false",
    ]);
    expect(messages(pc('system-cluster-critical', 2_000_000_000))).toEqual([]);
    expect(messages(pc('p', 1, { preemptionPolicy: 'Sometimes' as never }))).toEqual(['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"']);
    expect(messages(pc('Bad_Name', 1))[0]).toMatch(/^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  it('keeps value and preemptionPolicy immutable; description and globalDefault may change', () => {
    const stored = create(priorityClasses, pc('high', 1000)).obj;
    expect(update(priorityClasses, { ...stored, value: 2000 }, stored).messages).toEqual(['value: Forbidden: may not be changed in an update.']);
    expect(update(priorityClasses, { ...stored, preemptionPolicy: 'Never' }, stored).messages).toEqual(['preemptionPolicy: Invalid value: "Never": field is immutable']);
    expect(update(priorityClasses, { ...stored, description: 'x', globalDefault: true }, stored).messages).toEqual([]);
  });

  it("refuses to delete the built-in classes (the storage's Delete), not others", () => {
    expect(priorityClasses.strategy.forbidDeletion?.(pc('system-node-critical', 2_000_001_000))).toBe('this is a system priority class and cannot be deleted');
    expect(priorityClasses.strategy.forbidDeletion?.(pc('high', 1000))).toBeUndefined();
  });

  it('prints kubectl get pc columns: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', () => {
    expect(priorityClassTable.columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Value', 'integer'],
      ['Global-Default', 'boolean'],
      ['Age', 'string'],
      ['PreemptionPolicy', 'string'],
    ]);
    const obj = { ...pc('high', 1000, { preemptionPolicy: 'Never' }), metadata: { name: 'high', creationTimestamp: '2026-05-01T12:00:00Z' } };
    expect(priorityClassTable.cells(obj, new Date('2026-05-01T12:05:00Z'))).toEqual(['high', 1000, false, '5m', 'Never']);
  });
});
