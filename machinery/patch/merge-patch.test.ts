import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './merge-patch.js';

// The examples of RFC 7386 appendix A, plus the shapes kubectl patch --type=merge sends.
const rfcCases: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyMergePatch', () => {
  it.each(rfcCases)('RFC 7386: %j + %j', (original, patch, result) => {
    const before = structuredClone(original);
    expect(applyMergePatch(original, patch)).toEqual(result);
    expect(original).toEqual(before);
  });

  it('replaces lists whole and merges labels of a Job', () => {
    const job = { metadata: { labels: { a: '1', b: '2' } }, spec: { parallelism: 1, template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } } };
    const out = applyMergePatch(job, { metadata: { labels: { b: null, c: '3' } }, spec: { parallelism: 3, template: { spec: { containers: [{ name: 'c' }] } } } });
    expect(out).toEqual({ metadata: { labels: { a: '1', c: '3' } }, spec: { parallelism: 3, template: { spec: { containers: [{ name: 'c' }] } } } });
  });

  it('shares nothing with the original', () => {
    const original = { a: { b: 1 }, untouched: { deep: [1] } };
    const out = applyMergePatch(original, { a: { c: 2 } });
    out.untouched.deep.push(2);
    (out.a as Record<string, number>).b = 9;
    expect(original).toEqual({ a: { b: 1 }, untouched: { deep: [1] } });
  });
});
