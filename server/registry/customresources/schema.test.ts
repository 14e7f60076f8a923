// Validation, pruning and defaulting of custom resources against a structural schema, with
// the cases upstream's apiserver/schema tests and kube-openapi's validator exercise.
import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '../../../api/index.js';
import { type FieldError, fieldErrorString } from '../../../machinery/index.js';
import { applyDefaults } from './defaulting.js';
import { evaluateJsonPath } from './jsonpath.js';
import { prune } from './pruning.js';
import { validateValue } from './schema-validation.js';

const validate = (v: unknown, s: JSONSchemaProps): string[] => {
  const errs: FieldError[] = [];
  validateValue(v, s, '', errs);
  return errs.map(fieldErrorString);
};
const spec = (props: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'object', properties: { spec: { type: 'object', properties: props, ...extra } } });

describe('validateValue (kube-openapi messages as apiextensions reports them)', () => {
  it('types, with the JSON type found', () => {
    expect(validate({ spec: { n: 'two' } }, spec({ n: { type: 'integer' } }))).toEqual(['spec.n: Invalid value: "string": spec.n in body must be of type integer: "string"']);
    expect(validate({ spec: { n: 1.5 } }, spec({ n: { type: 'integer' } }))).toEqual(['spec.n: Invalid value: "number": spec.n in body must be of type integer: "number"']);
    expect(validate({ spec: { n: 2 } }, spec({ n: { type: 'number' } }))).toEqual([]);
    expect(validate({ spec: { s: null } }, spec({ s: { type: 'string' } }))).toEqual(['spec.s: Invalid value: "null": spec.s in body must be of type string: "null"']);
    expect(validate({ spec: { s: null } }, spec({ s: { type: 'string', nullable: true } }))).toEqual([]);
    expect(validate({ spec: { p: true } }, spec({ p: { 'x-kubernetes-int-or-string': true } }))).toEqual(['spec.p: Invalid value: "boolean": spec.p in body must be of type integer,string: "boolean"']);
  });

  it('required, enum, numbers, strings, arrays, formats', () => {
    expect(validate({ spec: {} }, spec({ a: { type: 'string' } }, { required: ['a'] }))).toEqual(['spec.a: Required value']);
    expect(validate({ spec: { c: 'pink' } }, spec({ c: { type: 'string', enum: ['red', 'blue'] } }))).toEqual(['spec.c: Unsupported value: "pink": supported values: "red", "blue"']);
    expect(validate({ spec: { n: 0 } }, spec({ n: { type: 'integer', minimum: 1 } }))).toEqual(['spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1']);
    expect(validate({ spec: { n: 1 } }, spec({ n: { type: 'integer', minimum: 1, exclusiveMinimum: true } }))).toEqual(['spec.n: Invalid value: 1: spec.n in body should be greater than 1']);
    expect(validate({ spec: { n: 11 } }, spec({ n: { type: 'integer', maximum: 10 } }))).toEqual(['spec.n: Invalid value: 11: spec.n in body should be less than or equal to 10']);
    expect(validate({ spec: { n: 7 } }, spec({ n: { type: 'integer', multipleOf: 5 } }))).toEqual(['spec.n: Invalid value: 7: spec.n in body should be a multiple of 5']);
    expect(validate({ spec: { s: '' } }, spec({ s: { type: 'string', minLength: 1 } }))).toEqual(['spec.s: Invalid value: "": spec.s in body should be at least 1 chars long']);
    expect(validate({ spec: { s: 'abcdef' } }, spec({ s: { type: 'string', maxLength: 5 } }))).toEqual(['spec.s: Too long: may not be more than 5 bytes']);
    expect(validate({ spec: { s: 'A' } }, spec({ s: { type: 'string', pattern: '^[a-z]+$' } }))).toEqual([`spec.s: Invalid value: "A": spec.s in body should match '^[a-z]+$'`]);
    expect(validate({ spec: { l: [1, 2, 3] } }, spec({ l: { type: 'array', items: { type: 'integer' }, maxItems: 2 } }))).toEqual(['spec.l: Too many: 3: must have at most 2 items']);
    expect(validate({ spec: { l: [] } }, spec({ l: { type: 'array', items: { type: 'integer' }, minItems: 1 } }))).toEqual(['spec.l: Invalid value: []: spec.l in body should have at least 1 items']);
    expect(validate({ spec: { l: [{ n: 'x' }] } }, spec({ l: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } } }))).toEqual([
      'spec.l[0].n: Invalid value: "string": spec.l[0].n in body must be of type integer: "string"',
    ]);
    expect(validate({ spec: { t: 'yesterday' } }, spec({ t: { type: 'string', format: 'date-time' } }))).toEqual(['spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday"']);
    expect(validate({ spec: { t: '2026-01-01T00:00:00Z', m: { a: 'x' } } }, spec({ t: { type: 'string', format: 'date-time' }, m: { type: 'object', additionalProperties: { type: 'string' } } }))).toEqual([]);
  });
});

describe('prune (upstream structural pruning)', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          known: { type: 'string' },
          list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
          map: { type: 'object', additionalProperties: { type: 'object', properties: { x: { type: 'integer' } } } },
          open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { y: { type: 'string' } } } } },
          embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
        },
      },
    },
  };

  it('drops unknown fields everywhere and reports their paths; keeps apiVersion, kind and metadata', () => {
    const obj = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      top: 1,
      spec: {
        known: 'k',
        unknown: 1,
        list: [{ a: 'x', b: 'y' }],
        map: { one: { x: 1, z: 2 } },
        open: { anything: { deep: true }, typed: { y: 'ok', z: 'gone' } },
        embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {}, extra: true },
      },
    };
    expect(prune(obj, schema).sort()).toEqual(['spec.embedded.extra', 'spec.list[0].b', 'spec.map.one.z', 'spec.open.typed.z', 'spec.unknown', 'top']);
    expect(obj).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      spec: { known: 'k', list: [{ a: 'x' }], map: { one: { x: 1 } }, open: { anything: { deep: true }, typed: { y: 'ok' } }, embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } },
    });
  });

  it('keeps everything under preserve-unknown-fields without properties', () => {
    const obj = { spec: { a: { b: [1, { c: 2 }] } } };
    expect(prune(obj, { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } })).toEqual([]);
    expect(obj).toEqual({ spec: { a: { b: [1, { c: 2 }] } } });
  });
});

describe('applyDefaults (upstream structural defaulting)', () => {
  it('fills absent properties, recursing into what it filled, lists and maps', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: {
            replicas: { type: 'integer', default: 1 },
            nested: { type: 'object', default: {}, properties: { mode: { type: 'string', default: 'fast' } } },
            ports: { type: 'array', items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } } },
            env: { type: 'object', additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } } },
          },
        },
      },
    };
    const obj: Record<string, unknown> = {};
    applyDefaults(obj, schema);
    expect(obj).toEqual({ spec: { replicas: 1, nested: { mode: 'fast' } } });
    const given = { spec: { replicas: 3, ports: [{}, { protocol: 'UDP' }], env: { a: {} } } };
    applyDefaults(given, schema);
    expect(given).toEqual({ spec: { replicas: 3, nested: { mode: 'fast' }, ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }], env: { a: { on: true } } } });
  });

  it('a null where the schema is not nullable: the default, or nothing', () => {
    const schema = spec({ a: { type: 'string', default: 'x' }, b: { type: 'string' }, c: { type: 'string', nullable: true, default: 'y' } });
    const obj = { spec: { a: null, b: null, c: null } };
    applyDefaults(obj, schema);
    expect(obj).toEqual({ spec: { a: 'x', c: null } });
  });
});

describe('printer column JSON paths', () => {
  const obj = { spec: { replicas: 2, tags: ['a', 'b'] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] } };
  it('reads fields, indexes, wildcards and the filter CRDs use for conditions', () => {
    expect(evaluateJsonPath(obj, '.spec.replicas')).toEqual([2]);
    expect(evaluateJsonPath(obj, '.spec.tags[1]')).toEqual(['b']);
    expect(evaluateJsonPath(obj, '.spec.tags[*]')).toEqual(['a', 'b']);
    expect(evaluateJsonPath(obj, '.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(evaluateJsonPath(obj, `.status.conditions[?(@.type=='Synced')].status`)).toEqual(['False']);
    expect(evaluateJsonPath(obj, '.status.missing')).toEqual([]);
    expect(evaluateJsonPath(obj, 'not a path')).toEqual([]);
  });
});
