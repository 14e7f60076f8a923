import { describe, expect, it } from 'vitest';
import type { CustomResourceDefinition, JSONSchemaProps, KubeObject } from '../../../../api/index.js';
import { FieldPath, fieldErrorString } from '../../../../machinery/index.js';
import { create, update } from '../../testing/strategy-sequence.js';
import { customResourceDefinitionsOf } from '../definition.js';
import { validateOpenAPIV3Schema } from '../../customresourcedefinitions/structural.js';
import { compileSchemaValidations } from './compile.js';
import { validateRules } from './validate.js';

type Rule = NonNullable<JSONSchemaProps['x-kubernetes-validations']>[number];
const root = (spec: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { spec } });

/** Rule failures of `obj` (and `old`) against a root schema, as upstream prints them. */
function check(schema: JSONSchemaProps, obj: unknown, old?: unknown): string[] {
  const { validator, errors } = compileSchemaValidations(schema);
  expect(errors.map(fieldErrorString)).toEqual([]);
  return validateRules(validator, obj, old).map(fieldErrorString);
}

const replicas = (rules: Rule[], extra: Record<string, JSONSchemaProps> = {}): JSONSchemaProps =>
  root({ type: 'object', properties: { replicas: { type: 'integer' }, max: { type: 'integer' }, ...extra }, 'x-kubernetes-validations': rules });

describe('x-kubernetes-validations: failures as upstream reports them (1.32)', () => {
  it('a failed rule is Invalid at its node with the schema type as the value, the message or "failed rule: <rule>"', () => {
    expect(check(replicas([{ rule: 'self.replicas <= self.max', message: 'replicas must be at most max' }]), { spec: { replicas: 5, max: 3 } })).toEqual([
      'spec: Invalid value: "object": replicas must be at most max',
    ]);
    expect(check(replicas([{ rule: 'self.replicas <= self.max' }]), { spec: { replicas: 5, max: 3 } })).toEqual(['spec: Invalid value: "object": failed rule: self.replicas <= self.max']);
    expect(check(replicas([{ rule: 'self.replicas <= self.max' }]), { spec: { replicas: 2, max: 3 } })).toEqual([]);
  });

  it('a rule on a scalar shows its type; the root of the resource is upstream\'s nil path', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: "self.metadata.name.startsWith('w-')", message: 'name must start with w-' }],
      properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self % 2 == 0', message: 'must be even' }] } } } },
    };
    expect(check(schema, { metadata: { name: 'x' }, spec: { replicas: 3 } })).toEqual([
      '<nil>: Invalid value: "object": name must start with w-',
      'spec.replicas: Invalid value: "integer": must be even',
    ]);
  });

  it('fieldPath moves the error; reason picks Forbidden, Required, Duplicate', () => {
    const rules: Rule[] = [
      { rule: 'self.replicas <= self.max', message: 'too many', fieldPath: '.replicas', reason: 'FieldValueForbidden' },
      { rule: 'has(self.max)', message: 'max is required', fieldPath: '.max', reason: 'FieldValueRequired' },
      { rule: 'self.tags.all(t, self.tags.exists_one(u, u == t))', fieldPath: ".labels['team']", reason: 'FieldValueDuplicate' },
    ];
    const schema = replicas(rules, { tags: { type: 'array', items: { type: 'string' } }, labels: { type: 'object', additionalProperties: { type: 'string' } } });
    expect(check(schema, { spec: { replicas: 5, tags: ['a', 'a'] } })).toEqual([
      'spec: Invalid value: "object": no such key: max evaluating rule: too many',
      'spec.max: Required value: max is required',
      'spec.labels[team]: Duplicate value: "object"',
    ]);
    expect(check(schema, { spec: { replicas: 5, max: 3, tags: ['a', 'a'] } })).toEqual(['spec.replicas: Forbidden: too many', 'spec.labels[team]: Duplicate value: "object"']);
  });

  it('messageExpression is the message; when it fails, the message is', () => {
    const schema = replicas([
      { rule: 'self.replicas <= self.max', messageExpression: "'replicas ' + string(self.replicas) + ' is over ' + string(self.max)" },
      { rule: 'self.replicas > 0', message: 'must be positive', messageExpression: 'string(1/0)' },
    ]);
    expect(check(schema, { spec: { replicas: 0, max: -1 } })).toEqual(['spec: Invalid value: "object": replicas 0 is over -1', 'spec: Invalid value: "object": must be positive']);
  });

  it('runtime errors: "<error> evaluating rule: <rule or message>"', () => {
    expect(check(replicas([{ rule: 'self.replicas <= self.max' }]), { spec: { replicas: 1 } })).toEqual([
      'spec: Invalid value: "object": no such key: max evaluating rule: self.replicas <= self.max',
    ]);
    expect(check(replicas([{ rule: 'self.replicas / self.max > 0', message: 'ratio' }]), { spec: { replicas: 1, max: 0 } })).toEqual([
      'spec: Invalid value: "object": division by zero evaluating rule: ratio',
    ]);
  });

  it('transition rules run only on update, with oldSelf the stored value', () => {
    const schema = root({ type: 'object', properties: { mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }] } } });
    expect(check(schema, { spec: { mode: 'a' } })).toEqual([]);
    expect(check(schema, { spec: { mode: 'b' } }, { spec: { mode: 'a' } })).toEqual(['spec.mode: Invalid value: "string": Value is immutable']);
    expect(check(schema, { spec: { mode: 'a' } }, { spec: { mode: 'a' } })).toEqual([]);
    // The old value did not exist: nothing to compare.
    expect(check(schema, { spec: { mode: 'b' } }, { spec: {} })).toEqual([]);
    const whole = root({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'integer' } } } }, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec is immutable' }] });
    expect(check(whole, { spec: { a: { b: 1 } } }, { spec: { a: { b: 1 } } })).toEqual([]);
    expect(check(whole, { spec: { a: { b: 2 } } }, { spec: { a: { b: 1 } } })).toEqual(['spec: Invalid value: "object": spec is immutable']);
  });

  it('optionalOldSelf: the rule runs on create too, oldSelf an optional (none without an old value)', () => {
    const rule = { rule: 'oldSelf.hasValue() ? self >= oldSelf.value() : self <= 10', message: 'starts at most 10 and never shrinks', optionalOldSelf: true };
    const schema = root({ type: 'object', properties: { size: { type: 'integer', 'x-kubernetes-validations': [rule] } } });
    expect(check(schema, { spec: { size: 11 } })).toEqual(['spec.size: Invalid value: "integer": starts at most 10 and never shrinks']);
    expect(check(schema, { spec: { size: 5 } })).toEqual([]);
    expect(check(schema, { spec: { size: 20 } }, { spec: { size: 5 } })).toEqual([]);
    expect(check(schema, { spec: { size: 4 } }, { spec: { size: 5 } })).toEqual(['spec.size: Invalid value: "integer": starts at most 10 and never shrinks']);
  });

  it('list items correlate with their old selves only in listType=map lists, by key', () => {
    const item: JSONSchemaProps = { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.size >= oldSelf.size', message: 'cannot shrink' }] };
    const mapList = root({ type: 'object', properties: { disks: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: item } } });
    const old = { spec: { disks: [{ name: 'a', size: 5 }, { name: 'b', size: 5 }] } };
    expect(check(mapList, { spec: { disks: [{ name: 'b', size: 4 }, { name: 'a', size: 6 }] } }, old)).toEqual(['spec.disks[0]: Invalid value: "object": cannot shrink']);
    const atomic = root({ type: 'object', properties: { disks: { type: 'array', items: item } } });
    expect(check(atomic, { spec: { disks: [{ name: 'b', size: 4 }] } }, old)).toEqual([]);
  });

  it('the Kubernetes libraries: lists, regex, url, quantity, format, sets, optionals', () => {
    const s = root({
      type: 'object',
      properties: { xs: { type: 'array', items: { type: 'integer' } }, s: { type: 'string' }, q: { type: 'string' }, opt: { type: 'object', properties: { v: { type: 'integer' } } } },
    });
    const rules: [string, boolean][] = [
      ['self.xs.isSorted() && self.xs.sum() == 6 && self.xs.min() == 1 && self.xs.max() == 3', true],
      ['self.xs.indexOf(2) == 1 && self.xs.lastIndexOf(9) == -1', true],
      ["self.s.find('[0-9]+') == '42' && self.s.findAll('[a-z]') == ['a', 'b']", true],
      ["url('https://example.com:8443/p?x=1').getHost() == 'example.com:8443' && isURL('/abs') && !isURL('::')", true],
      ["quantity(self.q).isGreaterThan(quantity('1Gi')) && quantity('1500m').asApproximateFloat() == 1.5 && isQuantity('2Ki')", true],
      ["'%s has %d items'.format([self.s, size(self.xs)]) == 'a42b has 3 items'", true],
      ['sets.contains([1, 2, 3], [2]) && sets.intersects(self.xs, [3, 4]) && !sets.equivalent([1], [2])', true],
      ['self.opt.?v.orValue(7) == 7 && !has(self.opt.v)', true],
      ['self.xs.exists_one(x, x == 2) && self.xs.map(x, x * 2).filter(x, x > 2) == [4, 6]', true],
      ['self.xs.all(x, x > 1)', false],
    ];
    for (const [rule, ok] of rules) {
      const schema = { ...s, properties: { spec: { ...s.properties!.spec!, 'x-kubernetes-validations': [{ rule }] } } };
      expect(check(schema, { spec: { xs: [1, 2, 3], s: 'a42b', q: '2Gi', opt: {} } }), rule).toEqual(ok ? [] : [`spec: Invalid value: "object": failed rule: ${rule}`]);
    }
  });

  it('a call too costly to run is refused before it runs, and stops further rules', () => {
    const schema = root({
      type: 'object',
      properties: { xs: { type: 'array', items: { type: 'integer' } } },
      'x-kubernetes-validations': [{ rule: 'self.xs.all(a, self.xs.all(b, a != b || a == b))' }, { rule: 'false' }],
    });
    const xs = Array.from({ length: 2000 }, (_, i) => i);
    expect(check(schema, { spec: { xs } })).toEqual([
      "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.xs.all(a, self.xs.all(b, a != b || a == b))",
    ]);
    expect(check(schema, { spec: { xs: [1, 2] } })).toEqual(['spec: Invalid value: "object": failed rule: false']);
  });
});

describe('x-kubernetes-validations: compiled when the CRD is written', () => {
  const P = 'spec.versions[0].schema.openAPIV3Schema';
  const errorsOf = (rules: Rule[], props: Record<string, JSONSchemaProps> = { replicas: { type: 'integer' } }) =>
    validateOpenAPIV3Schema(root({ type: 'object', properties: props, 'x-kubernetes-validations': rules }), new FieldPath('spec').child('versions').index(0).child('schema', 'openAPIV3Schema')).map(fieldErrorString);

  it('a syntax error, an unknown field, a non-bool: Invalid at the rule with the ValidationRule and cel-go\'s issue', () => {
    expect(errorsOf([{ rule: 'self.replicas <' }])).toEqual([
      `${P}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.replicas <", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:16: Syntax error: Unexpected token: EOF\n | self.replicas <\n | ...............^`,
    ]);
    expect(errorsOf([{ rule: 'self.replicaz > 1', message: 'm' }])[0]).toMatch(/x-kubernetes-validations\[0\]\.rule: Invalid value: apiextensions\.ValidationRule\{Rule:"self\.replicaz > 1", Message:"m",.*compilation failed: ERROR: <input>:1:\d+: .*replicaz/);
    expect(errorsOf([{ rule: 'self.replicas + 1' }])).toEqual([expect.stringMatching(/rule: Invalid value: .*: cel expression must evaluate to a bool$/)]);
  });

  it('empty rules, messages with line breaks, unknown reasons, bad field paths, messageExpressions', () => {
    const v = `${P}.properties[spec].x-kubernetes-validations`;
    expect(errorsOf([{ rule: '' }, { rule: 'true', message: 'a\nb' }, { rule: 'true', reason: 'FieldValueBad' }, { rule: 'true', fieldPath: '.nope' }, { rule: 'true', messageExpression: '1' }])).toEqual([
      `${v}[0].rule: Required value: rule is not specified`,
      `${v}[1].message: Invalid value: "a\\nb": message must not contain line breaks`,
      `${v}[2].reason: Unsupported value: "FieldValueBad": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
      `${v}[3].fieldPath: Invalid value: ".nope": fieldPath must be a valid path: does not refer to a valid field`,
      expect.stringMatching(new RegExp(`^${v.replace(/[[\].]/g, '\\$&')}\\[4\\]\\.messageExpression: Invalid value: apiextensions\\.ValidationRule\\{.*\\}: must evaluate to a string$`)),
    ]);
  });
});

describe('x-kubernetes-validations through the custom resource strategy', () => {
  const schema = replicas([{ rule: 'self.replicas <= self.max', message: 'replicas must be at most max' }, { rule: 'self.max == oldSelf.max', message: 'max is immutable' }]);
  const crd = {
    metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
  } as unknown as CustomResourceDefinition;
  const def = customResourceDefinitionsOf(crd)[0]!;
  const widget = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec });

  it('refuses a bad create and a transition on update; the stored object is the old self', () => {
    expect(create(def, widget({ replicas: 5, max: 3 })).messages).toEqual(['spec: Invalid value: "object": replicas must be at most max']);
    const stored = { ...create(def, widget({ replicas: 1, max: 3 })).obj, metadata: { name: 'w', namespace: 'default', resourceVersion: '1', uid: 'u', creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 } } as KubeObject;
    expect(update(def, { ...widget({ replicas: 1, max: 4 }), metadata: stored.metadata }, stored).messages).toEqual(['spec: Invalid value: "object": max is immutable']);
    expect(update(def, { ...widget({ replicas: 2, max: 3 }), metadata: stored.metadata }, stored).messages).toEqual([]);
  });
});
