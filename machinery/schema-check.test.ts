import { describe, expect, it } from 'vitest';
import { BATCH, CORE, definitions } from '../api/schema/index.js';
import type { Schema } from '../api/schema/index.js';
import {
  base64ErrorOffset,
  cannotBeHandledMessage,
  checkAgainstSchema,
  duplicateFieldWarning,
  findDuplicateFields,
  goTypeName,
  pruneUnknownFields,
  rfc3339Error,
  strictDecodingMessage,
  unknownFieldWarning,
} from './schema-check.js';
import { QUANTITY_FORMAT_ERROR } from './quantity.js';

const job: Schema = { type: 'ref', ref: BATCH + 'Job' };
const pod: Schema = { type: 'ref', ref: CORE + 'Pod' };
const secret: Schema = { type: 'ref', ref: CORE + 'Secret' };

function newJob(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', labels: { app: 'pi' } },
    spec: {
      completions: 2,
      parallelism: 2,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', ...container }] } },
      ...spec,
    },
  };
}

describe('checkAgainstSchema', () => {
  it('accepts a complete valid Job with resources, probes and volumes', () => {
    const obj = newJob(
      { backoffLimit: 6, activeDeadlineSeconds: 600, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [42] } }] } },
      {
        resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: 0.25 } },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X', value: 'y' }] }, initialDelaySeconds: 3 },
        readinessProbe: { tcpSocket: { port: 8080 } },
        env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    );
    (obj.spec as any).template.spec.volumes = [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }, { name: 'h', hostPath: { path: '/tmp', type: 'Directory' } }];
    (obj.spec as any).template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }] } } };
    expect(checkAgainstSchema(obj, job, definitions)).toEqual({ unknownFields: [], typeErrors: [] });
  });

  it('reports unknown fields with the paths upstream prints', () => {
    const obj = newJob({ foo: 1 }, { imagePolicy: 'x' });
    (obj.metadata as any).bar = true;
    (obj as any).extra = {};
    const r = checkAgainstSchema(obj, job, definitions);
    expect(r.unknownFields).toEqual(['metadata.bar', 'spec.template.spec.containers[0].imagePolicy', 'spec.foo', 'extra']);
    expect(r.typeErrors).toEqual([]);
  });

  it('treats field names case-sensitively, as upstream strict decoding does', () => {
    expect(checkAgainstSchema(newJob({ Parallelism: 2 }), job, definitions).unknownFields).toEqual(['spec.Parallelism']);
  });

  it('always knows apiVersion and kind at the root, and never looks inside any subtrees', () => {
    const defs = { X: { type: 'object', properties: { free: { type: 'any' } } } } as const;
    const r = checkAgainstSchema({ apiVersion: 'v1', kind: 'X', free: { whatever: [1, { deep: true }] } }, { type: 'ref', ref: 'X' }, defs as any);
    expect(r).toEqual({ unknownFields: [], typeErrors: [] });
  });

  it('reports a string where an int32 belongs like encoding/json', () => {
    const r = checkAgainstSchema(newJob({ parallelism: 'two' }), job, definitions);
    expect(r.typeErrors).toEqual(['json: cannot unmarshal string into Go struct field JobSpec.spec.parallelism of type int32']);
  });

  it('names the innermost struct and the index-free field path inside lists', () => {
    const r = checkAgainstSchema(newJob({}, { image: 5, stdin: 'yes' }), job, definitions);
    expect(r.typeErrors).toEqual([
      'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
      'json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.stdin of type bool',
    ]);
  });

  it('reports non-integral and out-of-range numbers with their value', () => {
    expect(checkAgainstSchema(newJob({ completions: 1.5 }), job, definitions).typeErrors).toEqual([
      'json: cannot unmarshal number 1.5 into Go struct field JobSpec.spec.completions of type int32',
    ]);
    expect(checkAgainstSchema(newJob({ backoffLimit: 3000000000 }), job, definitions).typeErrors).toEqual([
      'json: cannot unmarshal number 3000000000 into Go struct field JobSpec.spec.backoffLimit of type int32',
    ]);
    expect(checkAgainstSchema(newJob({ activeDeadlineSeconds: 3000000000 }), job, definitions).typeErrors).toEqual([]);
  });

  it('names list, map and struct types as Go prints them', () => {
    const obj = newJob({ template: { spec: { containers: 'c' } }, selector: 'app=pi' });
    (obj.metadata as any).labels = ['a'];
    expect(checkAgainstSchema(obj, job, definitions).typeErrors).toEqual([
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string',
      'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
      'json: cannot unmarshal string into Go struct field JobSpec.spec.selector of type v1.LabelSelector',
    ]);
    expect(checkAgainstSchema(['x'], job, definitions).typeErrors).toEqual(['json: cannot unmarshal array into Go value of type v1.Job']);
    expect(checkAgainstSchema(newJob({}, { env: ['A=1'] }), job, definitions).typeErrors).toEqual([
      'json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.env of type v1.EnvVar',
    ]);
  });

  it('gives the quantity grammar error for a malformed quantity, and accepts bare numbers', () => {
    const bad = checkAgainstSchema(newJob({}, { resources: { limits: { memory: '64 Mi' } } }), job, definitions);
    expect(bad.typeErrors).toEqual([QUANTITY_FORMAT_ERROR]);
    expect(QUANTITY_FORMAT_ERROR).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(checkAgainstSchema(newJob({}, { resources: { limits: { cpu: true } } }), job, definitions).typeErrors).toEqual([QUANTITY_FORMAT_ERROR]);
    expect(checkAgainstSchema(newJob({}, { resources: { limits: { cpu: 2, memory: '1e3' } } }), job, definitions).typeErrors).toEqual([]);
  });

  it('accepts an int or a string as a probe port, and refuses others as intstr does', () => {
    const probe = (port: unknown) => newJob({}, { livenessProbe: { tcpSocket: { port } } });
    expect(checkAgainstSchema(probe(8080), job, definitions).typeErrors).toEqual([]);
    expect(checkAgainstSchema(probe('http'), job, definitions).typeErrors).toEqual([]);
    expect(checkAgainstSchema(probe(true), job, definitions).typeErrors).toEqual(['json: cannot unmarshal bool into Go value of type int32']);
    expect(checkAgainstSchema(probe(80.5), job, definitions).typeErrors).toEqual(['json: cannot unmarshal number 80.5 into Go value of type int32']);
  });

  it('checks timestamps as metav1.Time decodes them', () => {
    const withTime = (t: unknown) => ({ ...newJob(), status: { startTime: t } });
    expect(checkAgainstSchema(withTime('2024-05-01T10:00:00Z'), job, definitions).typeErrors).toEqual([]);
    expect(checkAgainstSchema(withTime('2024-05-01T10:00:00.123+02:00'), job, definitions).typeErrors).toEqual([]);
    expect(checkAgainstSchema(withTime('yesterday'), job, definitions).typeErrors).toEqual([
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ]);
    expect(checkAgainstSchema(withTime(12), job, definitions).typeErrors).toEqual(['json: cannot unmarshal number into Go value of type string']);
  });

  it('checks base64 of binary data as Go does', () => {
    const s = (data: unknown) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect(checkAgainstSchema(s({ a: 'aGVsbG8=' }), secret, definitions).typeErrors).toEqual([]);
    expect(checkAgainstSchema(s({ a: 'hello!' }), secret, definitions).typeErrors).toEqual(['illegal base64 data at input byte 5']);
    expect(checkAgainstSchema(s({ a: 1 }), secret, definitions).typeErrors).toEqual([
      'json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
    ]);
  });

  it('accepts null anywhere, as decoding into Go leaves the zero value', () => {
    expect(checkAgainstSchema(newJob({ parallelism: null, selector: null }, { env: null }), job, definitions)).toEqual({ unknownFields: [], typeErrors: [] });
  });

  it('checks a Pod with status and node-level types', () => {
    const p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'u', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'i' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 'x', image: 'i', imageID: '' }] },
    };
    expect(checkAgainstSchema(p, pod, definitions).typeErrors).toEqual([
      'json: cannot unmarshal string into Go struct field ContainerStatus.status.containerStatuses.restartCount of type int32',
    ]);
  });
});

describe('pruneUnknownFields', () => {
  it('drops unknown fields everywhere, keeps known ones, apiVersion/kind and any subtrees, and does not mutate', () => {
    const obj = newJob({ foo: 1 }, { bar: 2 });
    (obj.metadata as any).managedFields = [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:x': {} } }, nope: 1 }];
    const before = structuredClone(obj);
    const pruned = pruneUnknownFields(obj, job, definitions) as any;
    expect(obj).toEqual(before);
    expect(pruned.spec.foo).toBeUndefined();
    expect(pruned.spec.template.spec.containers[0]).toEqual({ name: 'c', image: 'busybox:1.36' });
    expect(pruned.metadata.managedFields).toEqual([{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:x': {} } } }]);
    expect(pruned.apiVersion).toBe('batch/v1');
    expect(pruned.kind).toBe('Job');
    expect(pruned.metadata.labels).toEqual({ app: 'pi' });
    expect(checkAgainstSchema(pruned, job, definitions).unknownFields).toEqual([]);
  });
});

describe('helpers', () => {
  it('goTypeName names Go types', () => {
    expect(goTypeName({ type: 'ref', ref: CORE + 'ResourceRequirements' }, definitions)).toBe('v1.ResourceRequirements');
    expect(goTypeName({ type: 'map', values: { type: 'quantity' } }, definitions)).toBe('v1.ResourceList');
    expect(goTypeName({ type: 'array', items: { type: 'integer', format: 'int64' } }, definitions)).toBe('[]int64');
  });

  it('base64ErrorOffset follows Go StdEncoding', () => {
    expect(base64ErrorOffset('')).toBeUndefined();
    expect(base64ErrorOffset('YWJj')).toBeUndefined();
    expect(base64ErrorOffset('YQ==')).toBeUndefined();
    expect(base64ErrorOffset('YWI=')).toBeUndefined();
    expect(base64ErrorOffset('YWJ')).toBe(0);
    expect(base64ErrorOffset('YWJjZ')).toBe(4);
    expect(base64ErrorOffset('Y===')).toBe(1);
    expect(base64ErrorOffset('YQ==YQ==')).toBe(4);
    expect(base64ErrorOffset('YW\nJj')).toBeUndefined();
  });

  it('rfc3339Error reads like time.Parse', () => {
    expect(rfc3339Error('2024-01-02T03:04:05Z')).toBeUndefined();
    expect(rfc3339Error('2024-13-02T03:04:05Z')).toBe('parsing time "2024-13-02T03:04:05Z": month out of range');
    expect(rfc3339Error('2024-01-02 03:04:05Z')).toBe('parsing time "2024-01-02 03:04:05Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 03:04:05Z" as "T"');
    expect(rfc3339Error('2024-01-02T03:04:05')).toBe('parsing time "2024-01-02T03:04:05" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"');
    expect(rfc3339Error('2024-01-02T03:04:05Zx')).toBe('parsing time "2024-01-02T03:04:05Zx": extra text: "x"');
  });
});

describe('messages', () => {
  it('words strict decoding failures as upstream does', () => {
    const r = checkAgainstSchema(newJob({ bogus: 1, other: 2 }), job, definitions);
    expect(cannotBeHandledMessage('Job', 'v1', strictDecodingMessage(r.unknownFields))).toBe(
      'Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.bogus", unknown field "spec.other"',
    );
    expect(unknownFieldWarning('spec.template.spec.containers[0].foo')).toBe('unknown field "spec.template.spec.containers[0].foo"');
  });
});

describe('findDuplicateFields', () => {
  it('finds keys repeated in one object, with their JSON paths', () => {
    const text = '{"apiVersion":"batch/v1","spec":{"parallelism":1,"template":{"spec":{"containers":[{"name":"a","name":"b"}]}},"parallelism":2},"kind":"Job"}';
    expect(findDuplicateFields(text)).toEqual(['spec.template.spec.containers[0].name', 'spec.parallelism']);
    expect(duplicateFieldWarning('spec.parallelism')).toBe('duplicate field "spec.parallelism"');
  });

  it('finds nothing in documents without duplicates, with escapes, or in invalid JSON', () => {
    expect(findDuplicateFields('{"a":{"b":1},"b":{"a":[1,2,{"a":"x\\"y","b":null}]},"c":-1.5e3,"d":true}')).toEqual([]);
    expect(findDuplicateFields('{"a\\u0062":1,"ab":2}')).toEqual(['ab']);
    expect(findDuplicateFields('{"a":1,"a":')).toEqual([]);
  });
});
