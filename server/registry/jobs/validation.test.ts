import { describe, expect, it } from 'vitest';
import { create, TEST_UID } from '../testing/strategy-sequence.js';
import { jobs } from './index.js';
import { validateIndexesFormat } from './validation-spec.js';

function newJob(name = 'v', spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}, template: Record<string, unknown> = {}) {
  return {
    metadata: { name },
    spec: {
      template: {
        ...template,
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'c', image: 'busybox:1.36' }],
          ...podSpec,
        },
      },
      ...spec,
    },
  };
}

const messages = (input: unknown) => create(jobs, input).messages;

describe('Job validation: restartPolicy', () => {
  const required = 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"';

  it('requires OnFailure or Never when restartPolicy is unset (defaulted to Always)', () => {
    expect(messages(newJob('v', {}, { restartPolicy: undefined }))).toEqual([required]);
  });

  it('gives the same message for Always', () => {
    expect(messages(newJob('v', {}, { restartPolicy: 'Always' }))).toEqual([required]);
  });

  it('reports another value as unsupported (the pod rule and the Job rule)', () => {
    expect(messages(newJob('v', {}, { restartPolicy: 'Sometimes' }))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
    ]);
  });

  it.each(['Never', 'OnFailure'])('accepts %s', (rp) => {
    expect(messages(newJob('v', {}, { restartPolicy: rp }))).toEqual([]);
  });
});

describe('Job validation: non-negative fields', () => {
  it.each(['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'])('rejects %s -1', (field) => {
    expect(messages(newJob('v', { [field]: -1 }))).toEqual([`spec.${field}: Invalid value: -1: must be greater than or equal to 0`]);
  });

  it('rejects backoffLimitPerIndex and maxFailedIndexes -1 on an Indexed Job', () => {
    expect(messages(newJob('v', { completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: -1, maxFailedIndexes: -1 }))).toEqual([
      'spec.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0',
      'spec.maxFailedIndexes: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it.each(['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'])('accepts %s 0', (field) => {
    expect(messages(newJob('v', { [field]: 0 }))).toEqual([]);
  });
});

describe('Job validation: selector', () => {
  it('rejects a manual selector that does not match the template labels', () => {
    const out = create(jobs, newJob('v', { manualSelector: true, selector: { matchLabels: { a: 'b' } } }, {}, { metadata: { labels: { a: 'c' } } }));
    expect(out.errors.map((e) => [e.field, e.type, e.value, e.detail])).toEqual([
      ['spec.template.metadata.labels', 'FieldValueInvalid', { a: 'c' }, '`selector` does not match template `labels`'],
    ]);
  });

  it('requires a selector with manualSelector', () => {
    expect(messages(newJob('v', { manualSelector: true }, {}, { metadata: { labels: { a: 'c' } } }))).toEqual(['spec.selector: Required value']);
  });

  it('accepts a matching manual selector and generates nothing', () => {
    const out = create(jobs, newJob('v', { manualSelector: true, selector: { matchLabels: { a: 'b' } } }, {}, { metadata: { labels: { a: 'b' } } }));
    expect(out.errors).toEqual([]);
    expect(out.obj.spec.selector).toEqual({ matchLabels: { a: 'b' } });
    expect(out.obj.spec.template.metadata?.labels).toEqual({ a: 'b' });
  });

  it('rejects a user selector without manualSelector: not auto-generated', () => {
    const out = create(jobs, newJob('v', { selector: { matchLabels: { a: 'b' } } }));
    expect(out.errors.map((e) => [e.field, e.detail])).toEqual([
      ['spec.selector', '`selector` not auto-generated'],
      ['spec.template.metadata.labels', '`selector` does not match template `labels`'],
    ]);
  });

  it('rejects a wrong value for a generated label key', () => {
    const out = create(jobs, newJob('v', {}, {}, { metadata: { labels: { 'job-name': 'other' } } }));
    expect(out.errors.map((e) => [e.field, e.detail])).toEqual([['spec.template.metadata.labels[job-name]', "must be 'v'"]]);
  });

  it('validates the selector expressions', () => {
    const out = create(
      jobs,
      newJob('v', { manualSelector: true, selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }, {}, { metadata: { labels: { a: 'b' } } }),
    );
    expect(out.messages).toContain("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  });
});

describe('Job validation: Indexed', () => {
  it('requires completions in Indexed mode', () => {
    expect(messages(newJob('v', { completionMode: 'Indexed', parallelism: 2 }))).toEqual([
      'spec.completions: Required value: when completion mode is Indexed',
    ]);
  });

  it('rejects a name whose largest pod hostname is not a DNS label', () => {
    const name = 'a'.repeat(60);
    expect(messages(newJob(name, { completionMode: 'Indexed', completions: 1000 }))).toEqual([
      `metadata.name: Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-999`,
    ]);
  });

  it('accepts that name with few enough completions', () => {
    expect(messages(newJob('a'.repeat(60), { completionMode: 'Indexed', completions: 10 }))).toEqual([]);
  });

  it('rejects an unknown completion mode', () => {
    expect(messages(newJob('v', { completionMode: 'Sorted' }))).toEqual([
      'spec.completionMode: Unsupported value: "Sorted": supported values: "NonIndexed", "Indexed"',
    ]);
  });

  it('rejects per-index fields on a NonIndexed Job', () => {
    expect(messages(newJob('v', { backoffLimitPerIndex: 1, maxFailedIndexes: 1 }))).toEqual([
      'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
      'spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode',
    ]);
  });

  it('requires backoffLimitPerIndex with maxFailedIndexes, and maxFailedIndexes <= completions', () => {
    expect(messages(newJob('v', { completionMode: 'Indexed', completions: 2, maxFailedIndexes: 3 }))).toEqual([
      'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
      'spec.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions',
    ]);
  });

  it('caps Indexed parallelism at 100000', () => {
    expect(messages(newJob('v', { completionMode: 'Indexed', completions: 5, parallelism: 100001 }))).toEqual([
      'spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed',
    ]);
  });
});

describe('Job validation: podFailurePolicy', () => {
  const rule = (r: Record<string, unknown>) => ({ podFailurePolicy: { rules: [r] } });

  it('allows only Never with a podFailurePolicy', () => {
    expect(messages(newJob('v', rule({ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }), { restartPolicy: 'OnFailure' }))).toEqual([
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    ]);
  });

  it('rejects exit code 0 with In', () => {
    expect(messages(newJob('v', rule({ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } })))).toEqual([
      'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
    ]);
  });

  it('requires ordered values', () => {
    expect(messages(newJob('v', rule({ action: 'FailJob', onExitCodes: { operator: 'In', values: [2, 1] } })))).toEqual([
      'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [2,1]: must be ordered',
    ]);
  });

  it('requires backoffLimitPerIndex for FailIndex', () => {
    expect(messages(newJob('v', rule({ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } })))).toEqual([
      'spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
    ]);
  });

  it('requires exactly one of onExitCodes and onPodConditions', () => {
    expect(messages(newJob('v', rule({ action: 'Ignore' })))).toEqual([
      'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
    ]);
    expect(
      messages(newJob('v', rule({ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget' }] }))),
    ).toEqual(['spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported']);
  });

  it('checks action, operator, duplicates and container names', () => {
    expect(
      messages(newJob('v', rule({ action: 'Retry', onExitCodes: { operator: 'Is', containerName: 'nope', values: [3, 3] } }))),
    ).toEqual([
      'spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
      'spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: "Is": supported values: "In", "NotIn"',
      'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Duplicate value: 3',
    ]);
  });

  it('requires an action', () => {
    expect(messages(newJob('v', rule({ onExitCodes: { operator: 'In', values: [1] } })))).toEqual([
      'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
    ]);
  });

  it('allows only Failed as podReplacementPolicy with a podFailurePolicy', () => {
    expect(
      messages(newJob('v', { ...rule({ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0] } }), podReplacementPolicy: 'TerminatingOrFailed' })),
    ).toEqual(['spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"']);
  });

  it('rejects an unknown podReplacementPolicy', () => {
    expect(messages(newJob('v', { podReplacementPolicy: 'Never' }))).toEqual([
      'spec.podReplacementPolicy: Unsupported value: "Never": supported values: "Failed", "TerminatingOrFailed"',
    ]);
  });
});

describe('Job validation: successPolicy and managedBy', () => {
  it('requires Indexed mode for a successPolicy', () => {
    const out = create(jobs, newJob('v', { successPolicy: { rules: [{ succeededCount: 1 }] } }));
    expect(out.errors.map((e) => [e.field, e.detail])).toEqual([['spec.successPolicy', 'requires indexed completion mode']]);
  });

  it('checks rules against completions and the listed indexes', () => {
    expect(
      messages(
        newJob('v', {
          completionMode: 'Indexed',
          completions: 3,
          successPolicy: { rules: [{}, { succeededIndexes: '0-1', succeededCount: 4 }, { succeededIndexes: '2,1' }] },
        }),
      ),
    ).toEqual([
      'spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified',
      'spec.successPolicy.rules[1].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)',
      'spec.successPolicy.rules[1].succeededCount: Invalid value: 4: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)',
      'spec.successPolicy.rules[2].succeededIndexes: Invalid value: "2,1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1',
    ]);
  });

  it('requires at least one rule', () => {
    expect(messages(newJob('v', { completionMode: 'Indexed', completions: 3, successPolicy: { rules: [] } }))).toEqual([
      'spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified',
    ]);
  });

  it('requires managedBy to be a domain-prefixed path', () => {
    expect(messages(newJob('v', { managedBy: 'custom' }))).toEqual([
      'spec.managedBy: Invalid value: "custom": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
    expect(messages(newJob('v', { managedBy: 'example.com/custom-job-controller' }))).toEqual([]);
  });
});

describe('Job validation: metadata and template', () => {
  it('requires a DNS subdomain name', () => {
    expect(create(jobs, newJob('Bad_Name')).errors.map((e) => e.field)).toEqual(['metadata.name']);
  });

  it('rejects names over 63 characters through the job-name label', () => {
    const name = 'a'.repeat(64);
    expect(messages(newJob(name))).toEqual([
      `spec.template.labels: Invalid value: "${name}": must be no more than 63 characters`,
      `spec.template.labels: Invalid value: "${name}": must be no more than 63 characters`,
    ]);
  });

  it('validates the pod template like a pod spec', () => {
    expect(messages(newJob('v', {}, { containers: [{ name: 'c' }] }))).toEqual(['spec.template.spec.containers[0].image: Required value']);
  });

  it('puts the uid into the generated labels', () => {
    expect(create(jobs, newJob('v')).obj.spec.template.metadata?.labels?.['controller-uid']).toBe(TEST_UID);
  });
});

describe('validateIndexesFormat', () => {
  it.each<[string, number, number | string]>([
    ['', 3, 0],
    ['0', 3, 1],
    ['0,1', 3, 2],
    ['0-2', 3, 3],
    ['0,2-4', 5, 4],
    ['3', 3, 'too large index: "3"'],
    ['a', 3, 'cannot convert string to integer for index: "a"'],
    ['1-1', 3, 'non-increasing order, previous: 1, current: 1'],
    ['0-1-2', 3, `the fragment "0-1-2" violates the requirement that an index interval can have at most two parts separated by '-'`],
  ])('%s with completions %d', (indexes, completions, expected) => {
    if (typeof expected === 'number') expect(validateIndexesFormat(indexes, completions)).toBe(expected);
    else expect(() => validateIndexesFormat(indexes, completions)).toThrow(expected);
  });
});
