import { describe, expect, it } from 'vitest';
import { create, update, updateStatus } from '../testing/strategy-sequence.js';
import { namespaces } from './index.js';

describe('Namespace', () => {
  it('is cluster-scoped, Active, finalized by "kubernetes" and labelled with its name', () => {
    const { obj, errors } = create(namespaces, { metadata: { name: 'team-a' }, status: { phase: 'Terminating' } });
    expect(errors).toEqual([]);
    expect(obj.metadata.namespace).toBeUndefined();
    expect(obj.status).toEqual({ phase: 'Active' });
    expect(obj.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(obj.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
  });

  it('appends "kubernetes" to the finalizers a client set', () => {
    expect(create(namespaces, { metadata: { name: 'n' }, spec: { finalizers: ['example.com/cleanup'] } }).obj.spec?.finalizers).toEqual([
      'example.com/cleanup',
      'kubernetes',
    ]);
  });

  it('requires a DNS label name', () => {
    expect(create(namespaces, { metadata: { name: 'a.b' } }).messages).toEqual([
      `metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });

  it('rejects unqualified non-standard finalizers', () => {
    expect(create(namespaces, { metadata: { name: 'n' }, spec: { finalizers: ['cleanup'] } }).messages).toEqual([
      'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('keeps spec.finalizers and status on update', () => {
    const old = create(namespaces, { metadata: { name: 'n' } }).obj;
    const next = structuredClone(old);
    next.spec = { finalizers: [] };
    next.status = { phase: 'Terminating' };
    next.metadata.labels = { ...next.metadata.labels, team: 'a' };
    const out = update(namespaces, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(out.obj.status).toEqual({ phase: 'Active' });
    expect(out.obj.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'n', team: 'a' });
  });

  it('allows Terminating only once deletion started', () => {
    const old = create(namespaces, { metadata: { name: 'n' } }).obj;
    const next = structuredClone(old);
    next.status = { phase: 'Terminating' };
    expect(updateStatus(namespaces, next, old).messages).toEqual([`status.Phase: Invalid value: "Terminating": may only be 'Active' if \`deletionTimestamp\` is empty`]);
    old.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    expect(updateStatus(namespaces, next, old).errors).toEqual([]);
  });

  it('prints NAME STATUS AGE and selects on status.phase', () => {
    const ns = create(namespaces, { metadata: { name: 'n' } }).obj;
    expect(namespaces.table!.cells(ns, new Date('2026-01-03T00:00:00Z'))).toEqual(['n', 'Active', '2d']);
    expect(namespaces.selectableFields!(ns)).toEqual({ 'status.phase': 'Active', name: 'n' });
  });
});
