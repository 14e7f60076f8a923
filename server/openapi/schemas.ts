// Our schema DSL rendered as OpenAPI schemas, with Kubernetes' x-kubernetes-* extensions:
// components.schemas of OpenAPI 3.0 and definitions of Swagger 2.0.
import { definitions as allDefinitions, type Definitions, type GroupVersionKind, type Schema } from '../../api/schema/index.js';
import type { JsonObject } from './types.js';

export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Where refs point: "#/components/schemas/" (v3) or "#/definitions/" (v2). */
export type RefStyle = 'v3' | 'v2';

const refPrefix = (style: RefStyle) => (style === 'v3' ? '#/components/schemas/' : '#/definitions/');

/** A reference to a definition, with an optional description beside it as upstream writes it. */
function refTo(name: string, style: RefStyle, description?: string): JsonObject {
  const $ref = refPrefix(style) + name;
  if (!description) return { $ref };
  // OpenAPI 3.0 ignores siblings of $ref: upstream wraps the ref in allOf to keep the description.
  return style === 'v3' ? { allOf: [{ $ref }], description } : { $ref, description };
}

function withDescription(out: JsonObject, description?: string): JsonObject {
  if (description) out.description = description;
  return out;
}

/** One schema in OpenAPI form. */
export function toOpenAPISchema(schema: Schema, style: RefStyle): JsonObject {
  const d = schema.description;
  switch (schema.type) {
    case 'ref':
      return refTo(schema.ref, style, d);
    case 'quantity':
      return refTo(QUANTITY, style, d);
    case 'int-or-string':
      return refTo(INT_OR_STRING, style, d);
    case 'any':
      return withDescription({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, d);
    case 'string': {
      const out: JsonObject = { type: 'string' };
      if (schema.format) out.format = schema.format;
      if (schema.enum) out.enum = schema.enum;
      return withDescription(out, d);
    }
    case 'integer':
      return withDescription(schema.format ? { type: 'integer', format: schema.format } : { type: 'integer' }, d);
    case 'number':
      return withDescription({ type: 'number', format: 'double' }, d);
    case 'boolean':
      return withDescription({ type: 'boolean' }, d);
    case 'map':
      return withDescription({ type: 'object', additionalProperties: toOpenAPISchema(schema.values, style) }, d);
    case 'array': {
      const out: JsonObject = { type: 'array', items: toOpenAPISchema(schema.items, style) };
      withDescription(out, d);
      if (schema.listType) out['x-kubernetes-list-type'] = schema.listType;
      if (schema.listMapKeys) out['x-kubernetes-list-map-keys'] = schema.listMapKeys;
      if (schema.mergeKey) out['x-kubernetes-patch-merge-key'] = schema.mergeKey;
      if (schema.patchStrategy) out['x-kubernetes-patch-strategy'] = schema.patchStrategy;
      return out;
    }
    case 'object': {
      const out: JsonObject = { type: 'object' };
      withDescription(out, d);
      const properties: JsonObject = {};
      for (const [name, prop] of Object.entries(schema.properties)) properties[name] = toOpenAPISchema(prop, style);
      out.properties = properties;
      if (schema.required?.length) out.required = schema.required;
      return out;
    }
  }
}

/** The definitions `roots` need, transitively (including Quantity and IntOrString when used). */
export function collectDefinitions(roots: string[], defs: Definitions = allDefinitions): string[] {
  const seen = new Set<string>();
  const visit = (s: Schema): void => {
    switch (s.type) {
      case 'ref':
        visitName(s.ref);
        return;
      case 'quantity':
        seen.add(QUANTITY);
        return;
      case 'int-or-string':
        seen.add(INT_OR_STRING);
        return;
      case 'object':
        Object.values(s.properties).forEach(visit);
        return;
      case 'array':
        visit(s.items);
        return;
      case 'map':
        visit(s.values);
        return;
      default:
        return;
    }
  };
  const visitName = (name: string): void => {
    if (seen.has(name)) return;
    const def = defs[name];
    if (!def) throw new Error(`schema definition ${name} not found`);
    seen.add(name);
    visit(def);
  };
  roots.forEach(visitName);
  return [...seen].sort();
}

/** Named definitions in OpenAPI form, top-level kinds carrying x-kubernetes-group-version-kind. */
export function renderDefinitions(names: string[], gvks: Record<string, GroupVersionKind[]>, style: RefStyle, defs: Definitions = allDefinitions): JsonObject {
  const out: JsonObject = {};
  for (const name of names) {
    let schema: JsonObject;
    if (name === QUANTITY) {
      schema = {
        type: 'string',
        description: 'A fixed-point number with an optional suffix: "500m" (0.5), "64Mi", "1Gi", "2", "1e3". Written as a string; a JSON number is accepted.',
      };
    } else if (name === INT_OR_STRING) {
      schema = { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true, description: 'An integer or a string, e.g. a port number or a port name.' };
    } else {
      schema = toOpenAPISchema(defs[name], style);
    }
    if (gvks[name]?.length) schema['x-kubernetes-group-version-kind'] = gvks[name];
    out[name] = schema;
  }
  return out;
}
