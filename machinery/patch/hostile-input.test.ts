// Patches built by an attacker: keys that name the prototype, amplifying copies, huge lists.
import { afterEach, describe, expect, it } from 'vitest';
import { CORE, definitions } from '../../api/schema/index.js';
import { StatusError } from '../status-error.js';
import { MAX_JSON_PATCH_OPERATIONS, applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const configMap = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', finalizers: ['a'] }, data: { a: '1' } });
const CM = { type: 'ref' as const, ref: CORE + 'ConfigMap' };
// JSON.parse makes "__proto__" an own key, as a request body does.
const protoPatch = () => JSON.parse('{"metadata":{"__proto__":{"polluted":"yes"}},"data":{"__proto__":"v","constructor":"c"}}');

function statusOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return { code: err.status.code ?? 0, message: err.status.message ?? "" };
    throw err;
  }
  throw new Error('expected an error');
}

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('"__proto__" keys are data, never the prototype', () => {
  it('merge patch keeps them as own keys and touches no prototype', () => {
    const out = applyMergePatch(configMap(), protoPatch()) as any;
    expect(Object.getPrototypeOf(out.metadata)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(out)).data).toEqual(JSON.parse('{"a":"1","__proto__":"v","constructor":"c"}'));
    expect(Object.hasOwn(out.data, '__proto__')).toBe(true);
    // Deleting such a key works too.
    const removed = applyMergePatch(out, JSON.parse('{"data":{"__proto__":null}}')) as any;
    expect(Object.hasOwn(removed.data, '__proto__')).toBe(false);
  });

  it('strategic merge patch keeps them as own keys and touches no prototype (it once polluted Object.prototype)', () => {
    const out = applyStrategicMergePatch(configMap(), protoPatch(), CM, definitions) as any;
    expect(Object.getPrototypeOf(out.metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(out.data, '__proto__')).toBe(true);
    expect(out.data.constructor).toBe('c');
    const twice = applyStrategicMergePatch(out, JSON.parse('{"data":{"__proto__":"w"}}'), CM, definitions) as any;
    expect(JSON.parse(JSON.stringify(twice)).data).toEqual(JSON.parse('{"a":"1","__proto__":"w","constructor":"c"}'));
  });

  it('JSON patch refuses __proto__/constructor paths with 422', () => {
    for (const path of ['/data/__proto__', '/__proto__/polluted', '/constructor/prototype/polluted']) {
      expect(statusOf(() => applyJsonPatch(configMap(), [{ op: 'add', path, value: 'yes' }])).code).toBe(422);
    }
  });
});

describe('bounded work', () => {
  it('refuses more than 10,000 JSON patch operations with 413, as upstream', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'ConfigMap' }));
    expect(statusOf(() => applyJsonPatch(configMap(), ops))).toEqual({ code: 413, message: 'The allowed maximum operations in a JSON patch is 10000, got 10001' });
  });

  it('refuses copies that would grow the object past 3 MiB (exponential amplification) with 413', () => {
    const ops: unknown[] = [{ op: 'add', path: '/data/b', value: 'x'.repeat(1000) }];
    for (let i = 0; i < 30; i++) ops.push({ op: 'copy', from: '/data', path: `/data/c${i}` });
    const start = performance.now();
    expect(statusOf(() => applyJsonPatch(configMap(), ops)).code).toBe(413);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('merges lists of hundreds of thousands of items in linear time', () => {
    let start = performance.now();
    const finalizers = Array.from({ length: 300_000 }, (_, i) => `f${i}`);
    const out = applyStrategicMergePatch(configMap(), { metadata: { finalizers } }, CM, definitions) as any;
    expect(out.metadata.finalizers).toHaveLength(300_001);
    expect(performance.now() - start).toBeLessThan(3000);

    start = performance.now();
    const n = 30_000;
    const pod = { metadata: { name: 'p' }, spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'x' })) } };
    const patch = { spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${n - 1 - i}`, image: 'y' })) } };
    const merged = applyStrategicMergePatch(pod, patch, { type: 'ref', ref: CORE + 'Pod' }, definitions) as any;
    expect(merged.spec.containers).toHaveLength(n);
    expect(merged.spec.containers[0]).toEqual({ name: `c${n - 1}`, image: 'y' });
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('error messages name keys and directives, never values', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }] } };
    const secret = 'hunter2-secret-value';
    const { message } = statusOf(() =>
      applyStrategicMergePatch(pod, { spec: { containers: [{ image: secret, env: [{ name: 'PASSWORD', value: secret }] }] } }, { type: 'ref', ref: CORE + 'Pod' }, definitions),
    );
    expect(message).toContain('does not contain declared merge key: name');
    expect(message).not.toContain(secret);
  });
});

describe('depth', () => {
  it('every recursion handles bodies at the nesting limit (decode, strict check, all patch types)', async () => {
    const { MAX_NESTING_DEPTH } = await import('../body-scan.js');
    const { checkAgainstSchema, decodeLikeGo } = await import('../schema-check.js');
    // managedFields[].fieldsV1 holds any JSON; the object around it takes 4 levels.
    const d = MAX_NESTING_DEPTH - 4;
    const nest = () => JSON.parse('{"f:a":'.repeat(d) + '{}' + '}'.repeat(d));
    const cm = { ...configMap(), metadata: { name: 'x', managedFields: [{ manager: 'm', fieldsV1: nest() }] } };
    expect(checkAgainstSchema(cm, CM, definitions).typeErrors).toEqual([]);
    expect(JSON.stringify(decodeLikeGo(cm, CM, definitions))).toBe(JSON.stringify(cm));
    const patch = { metadata: { managedFields: [{ manager: 'm', fieldsV1: nest() }] } };
    expect(applyMergePatch(cm, patch)).toBeTruthy();
    expect(applyStrategicMergePatch(cm, patch, CM, definitions)).toBeTruthy();
    expect(applyJsonPatch(cm, [{ op: 'copy', from: '/metadata/managedFields/0', path: '/metadata/managedFields/1' }])).toBeTruthy();
  });
});
