import { describe, expect, it } from 'vitest';
import { StatusError } from '../status-error.js';
import { applyJsonPatch } from './json-patch.js';

const job = () => ({ metadata: { name: 'pi', labels: { app: 'pi' } }, spec: { parallelism: 1, template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } });

function errorOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('applyJsonPatch', () => {
  it('applies add, replace, remove, copy, move and test in order', () => {
    const original = job();
    const out = applyJsonPatch(original, [
      { op: 'test', path: '/spec/parallelism', value: 1 },
      { op: 'replace', path: '/spec/parallelism', value: 3 },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'b', image: 'y' } },
      { op: 'add', path: '/metadata/labels/tier', value: 'batch' },
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/annotations' },
      { op: 'move', from: '/metadata/annotations', path: '/metadata/generateName' },
    ]) as any;
    expect(out.spec.parallelism).toBe(3);
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['a', 'b']);
    expect(out.metadata).toEqual({ name: 'pi', generateName: 'pi', labels: { tier: 'batch' } });
    expect(original).toEqual(job());
  });

  it('answers 422 with the path when a test op fails, and changes nothing', () => {
    const original = job();
    const err = errorOf(() => applyJsonPatch(original, [{ op: 'replace', path: '/spec/parallelism', value: 5 }, { op: 'test', path: '/metadata/name', value: 'other' }]));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('testing value /metadata/name failed: test failed');
    expect(original).toEqual(job());
  });

  it('answers 422 naming the missing path for remove, replace and add', () => {
    expect(errorOf(() => applyJsonPatch(job(), [{ op: 'remove', path: '/spec/foo' }])).message).toBe('remove operation does not apply: doc is missing path: "/spec/foo": missing value');
    expect(errorOf(() => applyJsonPatch(job(), [{ op: 'replace', path: '/spec/foo', value: 1 }])).message).toBe('replace operation does not apply: doc is missing path: "/spec/foo": missing value');
    const add = errorOf(() => applyJsonPatch(job(), [{ op: 'add', path: '/spec/foo/bar', value: 1 }]));
    expect(add.code).toBe(422);
    expect(add.message).toContain('"/spec/foo/bar"');
  });

  it('answers 400 for a malformed patch document', () => {
    const notArray = errorOf(() => applyJsonPatch(job(), { op: 'add' }));
    expect(notArray.code).toBe(400);
    expect(notArray.reason).toBe('BadRequest');
    expect(errorOf(() => applyJsonPatch(job(), [{ op: 'frobnicate', path: '/a' }])).message).toBe('Unexpected kind: frobnicate');
    expect(errorOf(() => applyJsonPatch(job(), [{ op: 'add', path: '/a' }])).code).toBe(400);
    expect(errorOf(() => applyJsonPatch(job(), [{ op: 'add', path: 'a', value: 1 }])).code).toBe(400);
    expect(errorOf(() => applyJsonPatch(job(), [{ op: 'move', path: '/a' }])).code).toBe(400);
  });

  it('refuses to touch __proto__', () => {
    expect(() => applyJsonPatch(job(), [{ op: 'add', path: '/__proto__/polluted', value: 1 }])).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
