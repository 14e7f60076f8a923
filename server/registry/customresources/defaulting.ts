// Defaulting from a structural schema, as upstream's apiserver/schema/defaulting: a property
// that is absent gets a copy of its `default`; a null where the schema is not nullable is
// dropped, or replaced by the default if there is one. Applied after pruning, depth first.
import type { JSONSchemaProps } from '../../../api/index.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function applyDefaults(v: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (Array.isArray(v)) {
    const items = schema.items;
    if (items && !Array.isArray(items)) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] === null && !items.nullable && items.default !== undefined) v[i] = structuredClone(items.default);
        applyDefaults(v[i], items);
      }
    }
    return;
  }
  if (!isObject(v)) return;
  const props = schema.properties ?? {};
  for (const [key, s] of Object.entries(props)) {
    if (v[key] === null && !s.nullable) {
      if (s.default !== undefined) v[key] = structuredClone(s.default);
      else delete v[key];
    } else if (!Object.hasOwn(v, key) && s.default !== undefined) {
      v[key] = structuredClone(s.default);
    }
    if (Object.hasOwn(v, key)) applyDefaults(v[key], s);
  }
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  if (additional) {
    for (const key of Object.keys(v)) {
      if (Object.hasOwn(props, key)) continue;
      if (v[key] === null && !additional.nullable && additional.default !== undefined) v[key] = structuredClone(additional.default);
      applyDefaults(v[key], additional);
    }
  }
}
