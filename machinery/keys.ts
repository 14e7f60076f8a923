// Object keys "namespace/name" (or "name" for cluster-scoped objects), as client-go's cache.MetaNamespaceKeyFunc.
import type { KubeObject, ObjectMeta } from '../api/index.js';

export function keyOf(obj: { metadata?: ObjectMeta } | KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
