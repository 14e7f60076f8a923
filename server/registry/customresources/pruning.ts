// Pruning of unknown fields, as upstream's apiserver/schema/pruning: fields a structural schema
// does not name are dropped, unless x-kubernetes-preserve-unknown-fields keeps them. At the
// root and in x-kubernetes-embedded-resource objects apiVersion, kind and metadata are always
// kept (metadata is ObjectMeta's business). Returns the dropped paths, which strict field
// validation reports as unknown fields.
import type { JSONSchemaProps } from '../../../api/index.js';

const TYPE_META = new Set(['apiVersion', 'kind', 'metadata']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Prunes `obj` (a whole custom resource) in place against its root schema. */
export function prune(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): string[] {
  const pruned: string[] = [];
  pruneObject(obj, schema, '', true, pruned);
  return pruned;
}

function pruneValue(v: unknown, schema: JSONSchemaProps | undefined, path: string, pruned: string[]): void {
  if (Array.isArray(v)) {
    const items = schema?.items;
    const itemSchema = items && !Array.isArray(items) ? items : undefined;
    if (!itemSchema && schema?.['x-kubernetes-preserve-unknown-fields']) return;
    v.forEach((x, i) => pruneValue(x, itemSchema, `${path}[${i}]`, pruned));
    return;
  }
  if (isObject(v)) pruneObject(v, schema, path, !!schema?.['x-kubernetes-embedded-resource'], pruned);
}

function pruneObject(o: Record<string, unknown>, schema: JSONSchemaProps | undefined, path: string, keepTypeMeta: boolean, pruned: string[]): void {
  const props = schema?.properties;
  const additional = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const preserve = !!schema?.['x-kubernetes-preserve-unknown-fields'] || schema?.additionalProperties === true;
  for (const key of Object.keys(o)) {
    const at = path ? `${path}.${key}` : key;
    if (keepTypeMeta && TYPE_META.has(key)) {
      // apiVersion and kind are strings; metadata is coerced as ObjectMeta elsewhere (embedded: left as is).
      continue;
    }
    const s = props && Object.hasOwn(props, key) ? props[key] : additional;
    if (s) {
      pruneValue(o[key], s, at, pruned);
    } else if (!preserve) {
      delete o[key];
      pruned.push(at);
    }
  }
}
