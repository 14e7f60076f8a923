import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUANTITY_REGEXP_TEXT, matchQuantity, parseQuantity } from './quantity.js';

const outcome = (s: string) => {
  try {
    return parseQuantity(s);
  } catch (err) {
    return (err as Error).message;
  }
};

describe('parseQuantity on hostile input', () => {
  it('splits number and suffix as the regular expression does', () => {
    const re = new RegExp(QUANTITY_REGEXP_TEXT);
    const alphabet = fc.constantFrom(...'0123456789.+-eEinumkKMGTPx '.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }).map((a) => a.join('')), (s) => {
        const viaRegex = re.exec(s.trim());
        expect(matchQuantity(s.trim())?.slice(1)).toEqual(viaRegex?.slice(1));
      }),
      { seed: 42, numRuns: 3000 },
    );
    expect(outcome('100m')).toMatchObject({});
    expect(String(outcome('1.5Gi'))).not.toContain('must match');
  });

  it('refuses 2 MB of digits followed by a bad suffix in linear time', () => {
    const start = performance.now();
    expect(String(outcome('1'.repeat(2_000_000) + 'x'))).toContain('must match the regular expression');
    expect(String(outcome('1'.repeat(200_000) + 'e1x'))).toContain('must match the regular expression');
    expect(performance.now() - start).toBeLessThan(200);
  });
});
