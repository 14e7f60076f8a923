import { describe, expect, it } from 'vitest';
import { BATCH, CORE, definitions } from '../../api/schema/index.js';
import type { Definitions, Schema } from '../../api/schema/index.js';
import { StatusError } from '../status-error.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

// A test type shaped like upstream's strategicpatch test struct: every kind of patch metadata.
const ITEM = 'test.MergeItem';
const testDefs: Definitions = {
  [ITEM]: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      mergingList: { type: 'array', items: { type: 'ref', ref: ITEM }, mergeKey: 'name', patchStrategy: 'merge' },
      nonMergingList: { type: 'array', items: { type: 'ref', ref: ITEM } },
      mergingIntList: { type: 'array', items: { type: 'integer' }, patchStrategy: 'merge' },
      nonMergingIntList: { type: 'array', items: { type: 'integer' } },
      mergeItemPtr: { type: 'ref', ref: ITEM },
      simpleMap: { type: 'map', values: { type: 'string' } },
      retainKeysMergingList: { type: 'array', items: { type: 'ref', ref: ITEM }, mergeKey: 'name', patchStrategy: 'merge,retainKeys' },
      free: { type: 'any' },
    },
  },
};
const item: Schema = { type: 'ref', ref: ITEM };
const job: Schema = { type: 'ref', ref: BATCH + 'Job' };
const pod: Schema = { type: 'ref', ref: CORE + 'Pod' };

interface Case {
  name: string;
  original: Record<string, unknown>;
  patch: unknown;
  result?: Record<string, unknown>;
  error?: string | RegExp;
}

const cases: Case[] = [
  { name: 'adds a field', original: { name: 'a' }, patch: { value: 'v' }, result: { name: 'a', value: 'v' } },
  { name: 'replaces a scalar', original: { name: 'a', value: '1' }, patch: { value: '2' }, result: { name: 'a', value: '2' } },
  { name: 'null deletes a field', original: { name: 'a', value: '1' }, patch: { value: null }, result: { name: 'a' } },
  { name: 'null for an absent field changes nothing', original: { name: 'a' }, patch: { value: null }, result: { name: 'a' } },
  {
    name: 'merges nested maps key by key',
    original: { simpleMap: { a: '1', b: '2' }, mergeItemPtr: { name: 'x', value: '1' } },
    patch: { simpleMap: { b: null, c: '3' }, mergeItemPtr: { other: 'o' } },
    result: { simpleMap: { a: '1', c: '3' }, mergeItemPtr: { name: 'x', value: '1', other: 'o' } },
  },
  {
    name: '$patch: replace replaces a map',
    original: { mergeItemPtr: { name: 'x', value: '1' } },
    patch: { mergeItemPtr: { $patch: 'replace', other: 'o' } },
    result: { mergeItemPtr: { other: 'o' } },
  },
  {
    name: '$patch: delete empties a map',
    original: { name: 'a', mergeItemPtr: { name: 'x', value: '1' } },
    patch: { mergeItemPtr: { $patch: 'delete' } },
    result: { name: 'a', mergeItemPtr: {} },
  },
  {
    name: 'merges list elements by merge key and appends new ones',
    original: { mergingList: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] },
    patch: { mergingList: [{ name: 'b', other: 'x' }, { name: 'c', value: '3' }] },
    result: { mergingList: [{ name: 'a', value: '1' }, { name: 'b', value: '2', other: 'x' }, { name: 'c', value: '3' }] },
  },
  {
    name: 'null inside a merged element deletes its field',
    original: { mergingList: [{ name: 'a', value: '1', other: 'o' }] },
    patch: { mergingList: [{ name: 'a', other: null }] },
    result: { mergingList: [{ name: 'a', value: '1' }] },
  },
  {
    name: '$patch: delete removes elements by merge key',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'a', value: 'dup' }] },
    patch: { mergingList: [{ name: 'a', $patch: 'delete' }] },
    result: { mergingList: [{ name: 'b' }] },
  },
  {
    name: '{$patch: replace} replaces a merging list',
    original: { mergingList: [{ name: 'a', value: '1' }, { name: 'b' }] },
    patch: { mergingList: [{ name: 'c' }, { $patch: 'replace' }] },
    result: { mergingList: [{ name: 'c' }] },
  },
  {
    name: 'lists without a merge strategy are replaced',
    original: { nonMergingList: [{ name: 'a' }, { name: 'b' }], nonMergingIntList: [1, 2] },
    patch: { nonMergingList: [{ name: 'b', value: 'x' }], nonMergingIntList: [3] },
    result: { nonMergingList: [{ name: 'b', value: 'x' }], nonMergingIntList: [3] },
  },
  {
    name: 'primitive lists with merge strategy are merged as sets, patch order first',
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 4, 2] },
    result: { mergingIntList: [1, 3, 4, 2] },
  },
  {
    name: '$deleteFromPrimitiveList removes values from a primitive list',
    original: { mergingIntList: [1, 2, 3, 2] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [2, 9] },
    result: { mergingIntList: [1, 3] },
  },
  {
    name: '$deleteFromPrimitiveList of an absent list changes nothing',
    original: { name: 'a' },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [2] },
    result: { name: 'a' },
  },
  {
    name: '$setElementOrder reorders a merging list without changing elements',
    original: { mergingList: [{ name: 'a', value: '1' }, { name: 'b' }, { name: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] },
    result: { mergingList: [{ name: 'c' }, { name: 'a', value: '1' }, { name: 'b' }] },
  },
  {
    name: '$setElementOrder orders new and merged elements, server-only ones keep their live neighbours',
    original: { mergingList: [{ name: 'a' }, { name: 's', value: 'server' }, { name: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'd' }, { name: 'c' }], mergingList: [{ name: 'd', value: 'new' }] },
    result: { mergingList: [{ name: 'a' }, { name: 'd', value: 'new' }, { name: 's', value: 'server' }, { name: 'c' }] },
  },
  {
    name: '$setElementOrder reorders a primitive list',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 1, 4, 2], mergingIntList: [4] },
    result: { mergingIntList: [3, 1, 4, 2] },
  },
  {
    name: '$setElementOrder that contradicts the patch list is refused',
    original: { mergingList: [{ name: 'a' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }], mergingList: [{ name: 'b' }, { name: 'a', value: 'x' }] },
    error: /doesn't match \$setElementOrder\/ list/,
  },
  {
    name: '$retainKeys clears the fields it does not list',
    original: { retainKeysMergingList: [{ name: 'v', value: 'emptyDir', other: 'x' }] },
    patch: { retainKeysMergingList: [{ name: 'v', $retainKeys: ['name', 'other'], other: 'hostPath' }] },
    result: { retainKeysMergingList: [{ name: 'v', other: 'hostPath' }] },
  },
  {
    name: '$retainKeys must list every field the patch sets',
    original: { retainKeysMergingList: [{ name: 'v', value: '1' }] },
    patch: { retainKeysMergingList: [{ name: 'v', $retainKeys: ['name'], other: 'x' }] },
    error: 'invalid patch format of retainKeys',
  },
  {
    name: 'a list element without its merge key is refused',
    original: { mergingList: [{ name: 'a' }] },
    patch: { mergingList: [{ value: 'x' }] },
    error: 'map: map[value:…] does not contain declared merge key: name',
  },
  {
    name: 'an unknown $patch directive is refused',
    original: { mergeItemPtr: { name: 'x' } },
    patch: { mergeItemPtr: { $patch: 'explode' } },
    error: 'unknown patch type: explode in map: map[$patch:explode]',
  },
  {
    name: '$patch: merge in a list is refused as upstream does',
    original: { mergingList: [{ name: 'a' }] },
    patch: { mergingList: [{ $patch: 'merge' }] },
    error: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: 'lists of lists are refused',
    original: { mergingIntList: [[1]] },
    patch: { mergingIntList: [[2]] },
    error: 'lists of lists are not supported',
  },
  {
    name: 'any subtrees merge maps and replace lists (JSON merge semantics)',
    original: { free: { a: { b: 1, c: 2 }, l: [1, 2] } },
    patch: { free: { a: { c: null, d: 3 }, l: [3] } },
    result: { free: { a: { b: 1, d: 3 }, l: [3] } },
  },
  {
    name: 'a value of another type replaces the original',
    original: { mergeItemPtr: { name: 'x' } },
    patch: { mergeItemPtr: 'plain' },
    result: { mergeItemPtr: 'plain' },
  },
  {
    name: 'a new subtree is taken without nulls or directives',
    original: { name: 'a' },
    patch: { mergeItemPtr: { name: 'x', value: null, mergingList: [{ name: 'y' }, { name: 'z', $patch: 'delete' }], '$setElementOrder/mergingList': [{ name: 'y' }] } },
    result: { name: 'a', mergeItemPtr: { name: 'x', mergingList: [{ name: 'y' }] } },
  },
  { name: 'a patch that is not an object is refused', original: { name: 'a' }, patch: [1], error: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
];

describe('applyStrategicMergePatch (table)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const original = structuredClone(c.original);
      const patch = structuredClone(c.patch);
      if (c.error) {
        let thrown: unknown;
        try {
          applyStrategicMergePatch(original, patch, item, testDefs);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(StatusError);
        expect((thrown as StatusError).code).toBe(400);
        expect((thrown as StatusError).reason).toBe('BadRequest');
        if (typeof c.error === 'string') expect((thrown as StatusError).message).toBe(c.error);
        else expect((thrown as StatusError).message).toMatch(c.error);
        return;
      }
      expect(applyStrategicMergePatch(original, patch, item, testDefs)).toEqual(c.result);
      // Neither input is modified.
      expect(original).toEqual(c.original);
      expect(patch).toEqual(c.patch);
    });
  }
});

function liveJob(): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'pi',
      namespace: 'default',
      uid: 'u1',
      resourceVersion: '12',
      labels: { app: 'pi', tier: 'batch' },
      finalizers: ['a.example.com/x'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'o1' }],
    },
    spec: {
      parallelism: 2,
      completions: 2,
      backoffLimit: 6,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
      template: {
        metadata: { labels: { app: 'pi', 'batch.kubernetes.io/controller-uid': 'u1' } },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 30,
          tolerations: [{ key: 'a', operator: 'Exists' }],
          containers: [
            {
              name: 'main',
              image: 'busybox:1.36',
              env: [
                { name: 'MODE', value: 'fast' },
                { name: 'LEVEL', value: '1' },
              ],
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
    status: { conditions: [{ type: 'Complete', status: 'False' }, { type: 'Failed', status: 'False' }], active: 2 },
  };
}

describe('applyStrategicMergePatch on a Job (what kubectl sends)', () => {
  it('applies a kubectl apply patch: changed env var, added container, reordered with $setElementOrder', () => {
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{...}' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'main' }],
            containers: [
              { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', '5'] },
              { name: 'main', '$setElementOrder/env': [{ name: 'MODE' }, { name: 'LEVEL' }], env: [{ name: 'MODE', value: 'slow' }] },
            ],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(liveJob(), patch, job, definitions) as any;
    expect(out.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{...}' });
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', '5'] },
      {
        name: 'main',
        image: 'busybox:1.36',
        env: [
          { name: 'MODE', value: 'slow' },
          { name: 'LEVEL', value: '1' },
        ],
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
      },
    ]);
    // Everything the patch does not mention stays, server-set fields included.
    expect(out.spec.selector).toEqual(liveJob().spec && (liveJob().spec as any).selector);
    expect(out.status).toEqual(liveJob().status);
  });

  it('removes a container and an env var the way kubectl apply does', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'main' }],
            containers: [{ name: 'main', '$setElementOrder/env': [{ name: 'LEVEL' }], env: [{ name: 'MODE', $patch: 'delete' }] }],
          },
        },
      },
    };
    const live = liveJob() as any;
    live.spec.template.spec.containers.push({ name: 'old', image: 'x' });
    const patch2 = structuredClone(patch) as any;
    patch2.spec.template.spec.containers.push({ name: 'old', $patch: 'delete' });
    const out = applyStrategicMergePatch(live, patch2, job, definitions) as any;
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main']);
    expect(out.spec.template.spec.containers[0].env).toEqual([{ name: 'LEVEL', value: '1' }]);
  });

  it('applies kubectl label and annotate patches (null removes a label)', () => {
    const out = applyStrategicMergePatch(liveJob(), { metadata: { labels: { tier: null, team: 'x' }, annotations: { note: 'hi' } } }, job, definitions) as any;
    expect(out.metadata.labels).toEqual({ app: 'pi', team: 'x' });
    expect(out.metadata.annotations).toEqual({ note: 'hi' });
  });

  it('merges finalizers as a set and owner references by uid', () => {
    const out = applyStrategicMergePatch(
      liveJob(),
      {
        metadata: {
          finalizers: ['b.example.com/y', 'a.example.com/x'],
          ownerReferences: [{ uid: 'o1', controller: true }, { apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'o2' }],
        },
      },
      job,
      definitions,
    ) as any;
    expect(out.metadata.finalizers).toEqual(['b.example.com/y', 'a.example.com/x']);
    expect(out.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'o1', controller: true },
      { apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'o2' },
    ]);
    const removed = applyStrategicMergePatch(liveJob(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example.com/x'] } }, job, definitions) as any;
    expect(removed.metadata.finalizers).toEqual([]);
  });

  it('switches a volume source with $retainKeys (volumes are merge,retainKeys)', () => {
    const patch = {
      spec: { template: { spec: { '$setElementOrder/volumes': [{ name: 'data' }], volumes: [{ $retainKeys: ['hostPath', 'name'], hostPath: { path: '/srv' }, name: 'data' }] } } },
    };
    const out = applyStrategicMergePatch(liveJob(), patch, job, definitions) as any;
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/srv' } }]);
  });

  it('replaces atomic lists such as tolerations', () => {
    const out = applyStrategicMergePatch(liveJob(), { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } }, job, definitions) as any;
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('merges status conditions by type (a /status patch)', () => {
    const out = applyStrategicMergePatch(
      liveJob(),
      { status: { conditions: [{ type: 'Complete', status: 'True', reason: 'Done' }], active: 0, succeeded: 2 } },
      job,
      definitions,
    ) as any;
    expect(out.status).toEqual({
      conditions: [{ type: 'Complete', status: 'True', reason: 'Done' }, { type: 'Failed', status: 'False' }],
      active: 0,
      succeeded: 2,
    });
  });

  it('keeps affinity as a merged map and container ports by containerPort', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81 }] }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } },
      },
    };
    const out = applyStrategicMergePatch(
      live,
      { spec: { containers: [{ name: 'c', ports: [{ containerPort: 81, protocol: 'TCP' }] }], affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] } } } },
      pod,
      definitions,
    ) as any;
    expect(out.spec.containers[0].ports).toEqual([{ containerPort: 80, name: 'http' }, { containerPort: 81, protocol: 'TCP' }]);
    expect(Object.keys(out.spec.affinity)).toEqual(['nodeAffinity', 'podAffinity']);
  });
});

describe('applyStrategicMergePatch with a patch captured from kubectl 1.32', () => {
  // `kubectl apply` of a changed manifest (sidecar added first, MODE changed) against a server
  // serving our OpenAPI v3: kubectl computed this patch from the served patch metadata.
  const captured = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'main' }],
          containers: [
            { command: ['sleep', '5'], image: 'busybox:1.36', name: 'sidecar' },
            { '$setElementOrder/env': [{ name: 'MODE' }, { name: 'LEVEL' }], env: [{ name: 'MODE', value: 'slow' }], name: 'main' },
          ],
        },
      },
    },
  };

  it('gives the applied manifest, with server-set fields kept', () => {
    const out = applyStrategicMergePatch(liveJob(), captured, job, definitions) as any;
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['sidecar', 'main']);
    expect(out.spec.template.spec.containers[1].env).toEqual([
      { name: 'MODE', value: 'slow' },
      { name: 'LEVEL', value: '1' },
    ]);
    expect(out.spec.template.spec.containers[1].terminationMessagePath).toBe('/dev/termination-log');
    expect(JSON.stringify(out)).not.toContain('$setElementOrder');
  });
});
