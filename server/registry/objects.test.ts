import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../../api/index.js';
import { sameObject } from './objects.js';

/** The definition sameObject keeps: equal JSON once keys are sorted. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : value,
  );
}

const obj = (o: unknown) => o as KubeObject;

describe('sameObject', () => {
  it('ignores key order and keys whose value is undefined, as JSON does', () => {
    expect(sameObject(obj({ a: 1, b: { c: [1, 2] } }), obj({ b: { c: [1, 2] }, a: 1, d: undefined }))).toBe(true);
    expect(sameObject(obj({ a: [undefined] }), obj({ a: [null] }))).toBe(true);
    expect(sameObject(obj({ a: 1 }), obj({ a: 1, b: null }))).toBe(false);
    expect(sameObject(obj({ a: [1, 2] }), obj({ a: [2, 1] }))).toBe(false);
    expect(sameObject(obj({ a: {} }), obj({ a: [] }))).toBe(false);
    expect(sameObject(obj({ a: '1' }), obj({ a: 1 }))).toBe(false);
  });

  it('agrees with comparing sorted-key JSON on random documents', () => {
    const doc = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, undefined, true, false, 0, 1, 'x', ''),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        const x = { root: a };
        const y = { root: b };
        expect(sameObject(obj(x), obj(y))).toBe(canonicalJson(x) === canonicalJson(y));
        expect(sameObject(obj(x), obj(structuredClone(x)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
