import { describe, expect, it } from 'vitest';
import { fieldErrorString } from '../../../machinery/index.js';
import { type SelfSubjectAccessReviewObject, validateSelfSubjectAccessReview } from './validation.js';

const review = (spec: SelfSubjectAccessReviewObject['spec'], metadata: SelfSubjectAccessReviewObject['metadata'] = {}): SelfSubjectAccessReviewObject => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  metadata,
  spec,
});

const messages = (r: SelfSubjectAccessReviewObject) => validateSelfSubjectAccessReview(r).map(fieldErrorString);

describe('validateSelfSubjectAccessReview', () => {
  it.each([
    ['a resource request', { resourceAttributes: { verb: 'create', group: 'batch', resource: 'jobs', namespace: 'default' } }],
    ['a request on every resource', { resourceAttributes: { verb: '*', group: '*', resource: '*' } }],
    ['a non-resource request', { nonResourceAttributes: { path: '/healthz', verb: 'get' } }],
    ['empty attributes (all fields optional)', { resourceAttributes: {} }],
  ])('accepts %s', (_name, spec) => {
    expect(messages(review(spec))).toEqual([]);
  });

  it('refuses both attributes at spec.nonResourceAttributes, with upstream\'s message', () => {
    expect(messages(review({ resourceAttributes: { verb: 'get', resource: 'pods' }, nonResourceAttributes: { path: '/healthz', verb: 'get' } }))).toEqual([
      'spec.nonResourceAttributes: Invalid value: {"path":"/healthz","verb":"get"}: cannot be specified in combination with resourceAttributes',
    ]);
  });

  it('refuses neither attribute at spec.resourceAttributes, with upstream\'s message', () => {
    expect(messages(review({}))).toEqual([
      'spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    ]);
  });

  it('reads a missing spec as an empty one instead of throwing', () => {
    const r = review({});
    delete (r as Partial<SelfSubjectAccessReviewObject>).spec;
    expect(validateSelfSubjectAccessReview(r).map((e) => e.field)).toEqual(['spec.resourceAttributes']);
  });

  it('requires empty metadata: a review has no name', () => {
    const errs = validateSelfSubjectAccessReview(review({ resourceAttributes: {} }, { name: 'mine' }));
    expect(errs).toEqual([expect.objectContaining({ type: 'FieldValueInvalid', field: 'metadata', detail: 'must be empty' })]);
  });

  it('reads zero values as empty metadata (kubectl\'s protobuf sends creationTimestamp as an empty Time), and ignores managedFields', () => {
    expect(messages(review({ resourceAttributes: {} }, { name: '', creationTimestamp: null as unknown as string, generation: 0, labels: {} }))).toEqual([]);
    expect(messages(review({ resourceAttributes: {} }, { managedFields: [{ manager: 'kubectl', operation: 'Update' }] }))).toEqual([]);
  });

  describe('selector limits', () => {
    const withSelectors = (resourceAttributes: NonNullable<SelfSubjectAccessReviewObject['spec']['resourceAttributes']>) =>
      messages(review({ resourceAttributes: { verb: 'list', resource: 'pods', ...resourceAttributes } }));

    it('accepts a raw selector or requirements, and operators this server does not know', () => {
      expect(withSelectors({ fieldSelector: { rawSelector: 'spec.nodeName=n1' }, labelSelector: { rawSelector: 'app=web' } })).toEqual([]);
      expect(
        withSelectors({
          fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }, { key: 'x', operator: 'SomeFutureOp' }] },
          labelSelector: { requirements: [{ key: 'app', operator: 'Exists' }, { key: 'tier', operator: 'SomeFutureOp' as 'In' }] },
        }),
      ).toEqual([]);
    });

    it('refuses both a raw selector and requirements, and neither', () => {
      expect(withSelectors({ fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b'] }] } })).toEqual([
        'spec.resourceAttributes.fieldSelector.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements',
      ]);
      expect(withSelectors({ labelSelector: {} })).toEqual([
        'spec.resourceAttributes.labelSelector.requirements: Required value: when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required',
      ]);
    });

    it('checks label requirements as metav1 does: values by operator, key and values well-formed', () => {
      expect(
        withSelectors({
          labelSelector: {
            requirements: [
              { key: 'app', operator: 'In' },
              { key: 'app', operator: 'Exists', values: ['web'] },
              { key: 'bad key', operator: 'In', values: ['-bad-'] },
            ],
          },
        }),
      ).toEqual([
        "spec.resourceAttributes.labelSelector.requirements[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.resourceAttributes.labelSelector.requirements[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        expect.stringMatching(/^spec\.resourceAttributes\.labelSelector\.requirements\[2\]\.key: Invalid value: "bad key": name part must consist of/),
        expect.stringMatching(/^spec\.resourceAttributes\.labelSelector\.requirements\[2\]\.values\[0\]: Invalid value: "-bad-": a valid label must be/),
      ]);
    });

    it('checks field requirements: a key, and values by operator', () => {
      expect(
        withSelectors({
          fieldSelector: {
            requirements: [
              { key: '', operator: 'NotIn', values: ['x'] },
              { key: 'spec.nodeName', operator: 'In', values: [] },
              { key: 'spec.nodeName', operator: 'DoesNotExist', values: ['x'] },
            ],
          },
        }),
      ).toEqual([
        'spec.resourceAttributes.fieldSelector.requirements[0].key: Required value: must be specified',
        "spec.resourceAttributes.fieldSelector.requirements[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.resourceAttributes.fieldSelector.requirements[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      ]);
    });

    it('leaves the selectors of a non-resource request alone (there are none)', () => {
      expect(messages(review({ nonResourceAttributes: { path: '/version', verb: 'get' } }))).toEqual([]);
    });
  });
});
