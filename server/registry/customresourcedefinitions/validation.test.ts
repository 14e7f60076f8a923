import { describe, expect, it } from 'vitest';
import type { CustomResourceDefinition, JSONSchemaProps } from '../../../api/index.js';
import { FieldPath, fieldErrorString } from '../../../machinery/index.js';
import { create, update } from '../testing/strategy-sequence.js';
import { customResourceDefinitions } from './index.js';
import { validateOpenAPIV3Schema } from './structural.js';

const schema: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 1 } } } } };
const crd = (over: Record<string, unknown> = {}): CustomResourceDefinition =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }], ...over },
  }) as CustomResourceDefinition;

const structural = (s: unknown) => validateOpenAPIV3Schema(s as JSONSchemaProps, new FieldPath('spec').child('versions').index(0).child('schema', 'openAPIV3Schema')).map(fieldErrorString);
const P = 'spec.versions[0].schema.openAPIV3Schema';

describe('CustomResourceDefinition strategy', () => {
  it('defaults singular, listKind and conversion, records the storage version and adds the cleanup finalizer', () => {
    const out = create(customResourceDefinitions, crd());
    expect(out.messages).toEqual([]);
    expect(out.obj.spec.names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    expect(out.obj.spec.conversion).toEqual({ strategy: 'None' });
    expect(out.obj.status?.storedVersions).toEqual(['v1']);
    expect(out.obj.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(out.obj.metadata.generation).toBe(1);
  });

  it('names must be <plural>.<group>, group a domain with a dot, scope known, names DNS-1035 labels', () => {
    const out = create(customResourceDefinitions, {
      ...crd({ group: 'example', scope: 'Global', names: { plural: 'Widgets', kind: 'Wid_get', listKind: 'Wid_get', shortNames: ['w-'] } }),
      metadata: { name: 'widgets.example.com' },
    });
    expect(out.messages).toEqual(
      expect.arrayContaining([
        'metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group',
        'spec.group: Invalid value: "example": should be a domain with at least one dot',
        'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
        expect.stringMatching(/^spec\.names\.plural: Invalid value: "Widgets": a DNS-1035 label must consist of lower case alphanumeric characters/),
        expect.stringMatching(/^spec\.names\.kind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: a DNS-1035 label/),
        'spec.names.listKind: Invalid value: "Wid_get": kind and listKind may not be the same',
        expect.stringMatching(/^spec\.names\.shortNames\[0\]: Invalid value: "w-": a DNS-1035 label/),
      ]),
    );
  });

  it('needs exactly one storage version, unique version names and a schema per version', () => {
    const v = { name: 'v1', served: true, storage: true };
    const out = create(customResourceDefinitions, crd({ versions: [v, { ...v }] }));
    expect(out.messages).toEqual(
      expect.arrayContaining([
        'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
        'spec.versions: Invalid value: ["v1","v1"]: must contain unique version names',
        'spec.versions: Invalid value: ["v1","v1"]: must have exactly one version marked as storage version',
      ]),
    );
    expect(create(customResourceDefinitions, crd({ versions: [] })).messages).toContain('spec.versions: Required value');
  });

  it('keeps group, plural and scope; bumps generation on spec changes only; keeps status', () => {
    const old = create(customResourceDefinitions, crd()).obj;
    old.status!.conditions = [{ type: 'Established', status: 'True' }];
    const changed = update(customResourceDefinitions, { ...crd({ scope: 'Cluster' }), status: {} }, old);
    expect(changed.messages).toContain('spec.scope: Invalid value: "Cluster": field is immutable');
    expect(changed.obj.status?.conditions).toEqual([{ type: 'Established', status: 'True' }]);
    expect(changed.obj.metadata.generation).toBe(2);
  });
});

describe('structural schemas (upstream ValidateStructural and the v1 JSONSchemaProps rules)', () => {
  it('accepts a structural schema with int-or-string, preserve-unknown-fields and embedded resources', () => {
    expect(
      structural({
        type: 'object',
        properties: {
          port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          anything: { 'x-kubernetes-preserve-unknown-fields': true },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
          tags: { type: 'array', items: { type: 'string' } },
        },
      }),
    ).toEqual([]);
  });

  it('refuses what is not structural, with upstream field paths', () => {
    expect(structural({ properties: { spec: { type: 'object' } } })).toEqual([`${P}.type: Required value: must not be empty at the root`]);
    expect(structural({ type: 'string' })).toEqual([`${P}.type: Invalid value: "string": must be object at the root`]);
    expect(structural({ type: 'object', properties: { a: { description: 'x' } } })).toEqual([`${P}.properties[a].type: Required value: must not be empty for specified object fields`]);
    expect(structural({ type: 'object', properties: { a: { type: 'array' } } })).toEqual([`${P}.properties[a].items: Required value: must be specified`]);
    expect(structural({ type: 'object', properties: { a: { type: 'array', items: {} } } })).toEqual([`${P}.properties[a].items.type: Required value: must not be empty for specified array items`]);
    expect(structural({ type: 'object', properties: { a: { type: 'string', 'x-kubernetes-int-or-string': true } } })).toEqual([`${P}.properties[a].type: Invalid value: "string": must be empty if x-kubernetes-int-or-string is true`]);
    expect(structural({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false })).toEqual([`${P}.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`]);
    expect(structural({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } })).toEqual([
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
    expect(structural({ type: 'object', properties: { a: { type: 'object', anyOf: [{ type: 'object', properties: { b: { type: 'string' } } }] } } })).toEqual([
      `${P}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`,
    ]);
    expect(structural({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: { type: 'string' } } } })).toEqual([
      `${P}.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]);
    expect(structural({ type: 'object', properties: { a: { $ref: '#/definitions/x' } } })).toContain(`${P}.properties[a].$ref: Forbidden: $ref is not supported`);
  });

  it('checks defaults against their schema and for unknown fields', () => {
    expect(structural({ type: 'object', properties: { n: { type: 'integer', minimum: 1, default: 0 } } })).toEqual([
      `${P}.properties[n].default: Invalid value: 0: default in body should be greater than or equal to 1`.replace('default in body', '. in body'),
    ]);
    expect(structural({ type: 'object', properties: { o: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } } } })).toEqual([
      `${P}.properties[o].default: Invalid value: {"a":"x","b":"y"}: must not have unknown fields, got "b"`,
    ]);
  });
});
