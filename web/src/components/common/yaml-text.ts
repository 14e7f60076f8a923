// YAML text of an object, loaded on demand (the yaml package stays out of the main bundle).
import type { K8sObject } from '../../lib/k8s/resources.js';

/** The object without server bookkeeping people do not want to read (managedFields). */
export function forDisplay(obj: K8sObject): K8sObject {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export async function toYaml(value: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(value, { lineWidth: 0 });
}

/** Parses YAML (or JSON) into a value; rejects with the parser's message and line. */
export async function fromYaml(text: string): Promise<unknown> {
  const { parse } = await import('yaml');
  return parse(text);
}
