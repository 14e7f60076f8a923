import { describe, expect, it } from 'vitest';
import * as upstream from '@kubernetes/client-node';
import { APIEXTENSIONS, AUTHENTICATION, AUTHORIZATION, BATCH, COORDINATION, CORE, META, POLICY, definitions, kindsWithoutList, resolve, topLevelKinds } from './index.js';
import type { ArraySchema, ObjectSchema, Schema } from './types.js';

const objectDef = (name: string): ObjectSchema => {
  const s = resolve({ type: 'ref', ref: name });
  if (s.type !== 'object') throw new Error(`${name} is ${s.type}`);
  return s;
};
const field = (def: string, path: string): Schema => {
  let s: Schema = { type: 'ref', ref: def };
  for (const part of path.split('.')) {
    const r = resolve(s);
    if (r.type === 'array') s = resolve(r.items);
    const o = resolve(r.type === 'array' ? r.items : s);
    if (o.type !== 'object') throw new Error(`${path}: ${part} is under ${o.type}`);
    s = o.properties[part];
    if (!s) throw new Error(`${def}.${path}: no ${part}`);
  }
  return s;
};
const arr = (def: string, path: string): ArraySchema => {
  const s = resolve(field(def, path));
  if (s.type !== 'array') throw new Error(`${path} is ${s.type}`);
  return s;
};

function walk(s: Schema, visit: (s: Schema) => void): void {
  visit(s);
  if (s.type === 'object') Object.values(s.properties).forEach((p) => walk(p, visit));
  if (s.type === 'array') walk(s.items, visit);
  if (s.type === 'map') walk(s.values, visit);
}

describe('definitions', () => {
  it('every ref names a definition', () => {
    const missing: string[] = [];
    for (const def of Object.values(definitions)) {
      walk(def, (s) => {
        if (s.type === 'ref' && !definitions[s.ref]) missing.push(s.ref);
      });
    }
    expect(missing).toEqual([]);
  });

  it('has every top-level kind and its list', () => {
    for (const name of Object.keys(topLevelKinds)) {
      expect(objectDef(name).properties.metadata).toEqual(expect.objectContaining({ type: 'ref', ref: META + 'ObjectMeta' }));
      if (kindsWithoutList.has(name)) continue;
      expect(objectDef(`${name}List`).properties.items).toEqual(expect.objectContaining({ type: 'array' }));
    }
  });

  it('has no list for the create-only reviews, as upstream', () => {
    expect([...kindsWithoutList].sort()).toEqual([
      AUTHENTICATION + 'SelfSubjectReview',
      AUTHORIZATION + 'SelfSubjectAccessReview',
      AUTHORIZATION + 'SelfSubjectRulesReview',
    ]);
    for (const name of kindsWithoutList) {
      expect(topLevelKinds[name]).toBeDefined();
      expect(definitions[`${name}List`]).toBeUndefined();
    }
  });

  // The upstream client's generated models carry upstream's field lists (Kubernetes 1.34):
  // every field they know must be known here, so valid upstream manifests are never refused.
  it('knows every field upstream knows, with the same JSON types', () => {
    const classes: Record<string, string> = {};
    const problems: string[] = [];
    const seen = new Set<string>();
    const models = upstream as unknown as Record<string, { attributeTypeMap?: { baseName: string; type: string; format: string }[] }>;
    const visit = (cls: string, def: string): void => {
      if (seen.has(cls)) return;
      seen.add(cls);
      classes[cls] = def;
      const attrs = models[cls]?.attributeTypeMap;
      if (!attrs) return;
      const ours = objectDef(def);
      for (const a of attrs) {
        const mine = ours.properties[a.baseName];
        if (!mine) {
          problems.push(`${def}.${a.baseName} missing`);
          continue;
        }
        const r = resolve(mine);
        const m = /^Array<(\w+)>$/.exec(a.type);
        const expected =
          m ? 'array' : a.type.startsWith('{') ? 'map' : a.type === 'number' ? 'integer|number' : a.type === 'boolean' ? 'boolean' : a.type === 'string' ? 'string|quantity' : a.type === 'Date' || a.type === 'V1MicroTime' ? 'string' : a.type === 'IntOrString' ? 'int-or-string' : a.type === 'any' ? 'any' : 'object';
        if (!expected.split('|').includes(r.type)) problems.push(`${def}.${a.baseName}: ${r.type}, upstream ${a.type}`);
        if ((a.type === 'Date' || a.type === 'V1MicroTime') && (r.type !== 'string' || r.format !== 'date-time')) problems.push(`${def}.${a.baseName} not date-time`);
        if (a.format === 'int32' || a.format === 'int64') {
          const item = r.type === 'array' ? resolve(r.items) : r;
          if (item.type !== 'integer' || item.format !== a.format) problems.push(`${def}.${a.baseName}: not ${a.format}`);
        }
        const inner = m ? m[1] : /^V1|^CoreV1/.test(a.type) ? a.type : undefined;
        if (inner && models[inner]?.attributeTypeMap) {
          const s = r.type === 'array' ? r.items : mine;
          if (s.type === 'ref') visit(inner, s.ref);
          else problems.push(`${def}.${a.baseName}: not a ref`);
        }
      }
    };
    visit('V1Pod', CORE + 'Pod');
    visit('V1Job', BATCH + 'Job');
    visit('V1CronJob', BATCH + 'CronJob');
    visit('V1Node', CORE + 'Node');
    visit('V1Namespace', CORE + 'Namespace');
    visit('V1ConfigMap', CORE + 'ConfigMap');
    visit('V1Secret', CORE + 'Secret');
    visit('CoreV1Event', CORE + 'Event');
    visit('V1PersistentVolumeClaim', CORE + 'PersistentVolumeClaim');
    visit('V1SelfSubjectAccessReview', AUTHORIZATION + 'SelfSubjectAccessReview');
    visit('V1SelfSubjectRulesReview', AUTHORIZATION + 'SelfSubjectRulesReview');
    visit('V1SelfSubjectReview', AUTHENTICATION + 'SelfSubjectReview');
    visit('V1Status', META + 'Status');
    visit('V1DeleteOptions', META + 'DeleteOptions');
    visit('V1PodDisruptionBudget', POLICY + 'PodDisruptionBudget');
    visit('V1Eviction', POLICY + 'Eviction');
    visit('V1Lease', COORDINATION + 'Lease');
    visit('V1CustomResourceDefinition', APIEXTENSIONS + 'CustomResourceDefinition');
    expect(problems).toEqual([]);
    expect(Object.keys(classes).length).toBeGreaterThan(150);
  });

  it('carries upstream strategic-merge metadata on the lists kubectl patches', () => {
    const meta = (def: string, path: string) => {
      const { mergeKey, patchStrategy, listType } = arr(def, path);
      return { mergeKey, patchStrategy, listType };
    };
    expect(meta(CORE + 'PodSpec', 'containers')).toEqual({ mergeKey: 'name', patchStrategy: 'merge', listType: 'map' });
    expect(meta(CORE + 'PodSpec', 'initContainers')).toEqual({ mergeKey: 'name', patchStrategy: 'merge', listType: 'map' });
    expect(meta(CORE + 'PodSpec', 'volumes')).toEqual({ mergeKey: 'name', patchStrategy: 'merge,retainKeys', listType: 'map' });
    expect(meta(CORE + 'PodSpec', 'imagePullSecrets')).toEqual({ mergeKey: 'name', patchStrategy: 'merge', listType: 'map' });
    expect(meta(CORE + 'PodSpec', 'tolerations')).toEqual({ mergeKey: undefined, patchStrategy: undefined, listType: 'atomic' });
    expect(meta(CORE + 'Container', 'env')).toEqual({ mergeKey: 'name', patchStrategy: 'merge', listType: 'map' });
    expect(meta(CORE + 'Container', 'ports')).toEqual({ mergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map' });
    expect(arr(CORE + 'Container', 'ports').listMapKeys).toEqual(['containerPort', 'protocol']);
    expect(meta(CORE + 'Container', 'volumeMounts')).toEqual({ mergeKey: 'mountPath', patchStrategy: 'merge', listType: 'map' });
    expect(meta(CORE + 'Container', 'command')).toEqual({ mergeKey: undefined, patchStrategy: undefined, listType: 'atomic' });
    expect(meta(CORE + 'PodStatus', 'conditions')).toEqual({ mergeKey: 'type', patchStrategy: 'merge', listType: 'map' });
    expect(meta(BATCH + 'JobStatus', 'conditions')).toEqual({ mergeKey: 'type', patchStrategy: 'merge', listType: 'atomic' });
    expect(meta(BATCH + 'CronJobStatus', 'active')).toEqual({ mergeKey: undefined, patchStrategy: undefined, listType: 'atomic' });
    expect(meta(META + 'ObjectMeta', 'ownerReferences')).toEqual({ mergeKey: 'uid', patchStrategy: 'merge', listType: 'map' });
    expect(meta(META + 'ObjectMeta', 'finalizers')).toEqual({ mergeKey: undefined, patchStrategy: 'merge', listType: 'set' });
  });

  it('types quantities, probe ports, timestamps and binary data as upstream does', () => {
    expect(resolve(field(CORE + 'ResourceRequirements', 'limits'))).toEqual(expect.objectContaining({ type: 'map', values: { type: 'quantity' } }));
    expect(field(CORE + 'EmptyDirVolumeSource', 'sizeLimit').type).toBe('quantity');
    expect(field(CORE + 'HTTPGetAction', 'port').type).toBe('int-or-string');
    expect(field(CORE + 'TCPSocketAction', 'port').type).toBe('int-or-string');
    expect(field(CORE + 'GRPCAction', 'port')).toEqual({ type: 'integer', format: 'int32' });
    expect(field(BATCH + 'JobStatus', 'completionTime')).toEqual(expect.objectContaining({ type: 'string', format: 'date-time' }));
    expect(resolve(field(CORE + 'Secret', 'data'))).toEqual(expect.objectContaining({ type: 'map', values: { type: 'string', format: 'byte' } }));
    expect(field(BATCH + 'JobSpec', 'template.spec.containers.livenessProbe.httpGet.port').type).toBe('int-or-string');
  });

  it('resolve follows refs and refuses unknown ones', () => {
    expect(resolve({ type: 'ref', ref: BATCH + 'JobSpec' }).type).toBe('object');
    expect(() => resolve({ type: 'ref', ref: 'io.k8s.api.nope.v1.Nope' })).toThrow(/not found/);
    expect(resolve({ type: 'string' })).toEqual({ type: 'string' });
  });
});
