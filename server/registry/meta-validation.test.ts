import { describe, expect, it } from 'vitest';
import { fieldErrorString } from '../../machinery/index.js';
import {
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validateAnnotations,
  validateFinalizers,
  validateImmutableField,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validatePathSegmentName,
} from './meta-validation.js';

const strings = (errs: ReturnType<typeof validateLabels>) => errs.map(fieldErrorString);
const subdomain = { namespaced: true, nameFn: nameIsDNSSubdomain };

describe('validateObjectMeta', () => {
  it('accepts a complete, valid metadata', () => {
    expect(
      validateObjectMeta(
        {
          name: 'web.v1',
          namespace: 'default',
          labels: { app: 'web', 'example.com/tier': '' },
          annotations: { 'Example.COM/Note': 'anything at all' },
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u', controller: true }],
          finalizers: ['kubernetes', 'example.com/cleanup'],
        },
        subdomain,
      ),
    ).toEqual([]);
  });

  it('requires name or generateName, and a namespace on namespaced resources', () => {
    expect(strings(validateObjectMeta({}, subdomain))).toEqual(['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value']);
  });

  it('forbids a namespace on cluster-scoped resources', () => {
    expect(strings(validateObjectMeta({ name: 'n', namespace: 'x' }, { namespaced: false, nameFn: nameIsDNSLabel }))).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('lets a generateName prefix end in a dash', () => {
    expect(validateObjectMeta({ name: 'job-abcde', generateName: 'job-', namespace: 'default' }, subdomain)).toEqual([]);
    expect(validateObjectMeta({ name: 'x', generateName: 'Job-', namespace: 'default' }, subdomain).map((e) => e.field)).toEqual(['metadata.generateName']);
  });

  it('checks label keys and values on the labels path', () => {
    expect(strings(validateLabels({ 'a/b/c': 'x', ok: 'a'.repeat(64) }, 'metadata.labels'))).toEqual([
      `metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      `metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
    ]);
  });

  it('limits annotations to 256 KiB in total', () => {
    expect(validateAnnotations({ a: 'x'.repeat(256 * 1024 - 1) }, 'metadata.annotations')).toEqual([]);
    expect(strings(validateAnnotations({ a: 'x'.repeat(256 * 1024) }, 'metadata.annotations'))).toEqual([
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('requires complete owner references and one controller at most', () => {
    expect(
      strings(
        validateObjectMeta(
          {
            name: 'p',
            namespace: 'd',
            ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }],
          },
          subdomain,
        ),
      ),
    ).toEqual(['metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner']);
  });

  it('requires qualified, known or prefixed finalizers, not both orphan and foregroundDeletion', () => {
    expect(strings(validateFinalizers(['orphan', 'foregroundDeletion', 'mine', 'a b'], 'metadata.finalizers'))).toEqual([
      `metadata.finalizers: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion","mine","a b"]: finalizer orphan and foregroundDeletion cannot be both set',
      'metadata.finalizers[2]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
      'metadata.finalizers[3]: Invalid value: "a b": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', generation: 3 };

  it('accepts unchanged system fields and new labels', () => {
    expect(validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old)).toEqual([]);
  });

  it('keeps name, namespace, uid and creationTimestamp immutable', () => {
    expect(strings(validateObjectMetaUpdate({ ...old, name: 'b', namespace: 'e', uid: 'u2', creationTimestamp: '2026-01-02T00:00:00Z' }, old))).toEqual([
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.namespace: Invalid value: "e": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2026-01-02T00:00:00Z": field is immutable',
    ]);
  });

  it('does not let generation go down', () => {
    expect(strings(validateObjectMetaUpdate({ ...old, generation: 2 }, old))).toEqual(['metadata.generation: Invalid value: 2: must not be decremented']);
  });

  it('does not let finalizers be added once deletion started', () => {
    const deleting = { ...old, deletionTimestamp: '2026-01-01T00:00:05Z', finalizers: ['a.io/x'] };
    expect(strings(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
    expect(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting)).toEqual([]);
  });
});

describe('name rules', () => {
  it.each<[string, boolean, string[]]>([
    ['ok', false, []],
    ['.', false, ["may not be '.'"]],
    ['..', false, ["may not be '..'"]],
    ['a/b%c', false, ["may not contain '/'", "may not contain '%'"]],
    ['..', true, []],
  ])('validatePathSegmentName(%j, prefix=%s)', (name, prefix, errs) => {
    expect(validatePathSegmentName(name, prefix)).toEqual(errs);
  });
});

describe('validateImmutableField', () => {
  it('treats absent, null and empty as the same', () => {
    expect(validateImmutableField([], undefined, 'x')).toEqual([]);
    expect(validateImmutableField({ a: [] }, {}, 'x')).toEqual([]);
    expect(validateImmutableField({ a: 1 }, { a: 2 }, 'x')).toHaveLength(1);
  });
});
