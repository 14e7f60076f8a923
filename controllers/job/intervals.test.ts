import { describe, expect, it } from 'vitest';
import { hasIndex, intervalsToString, mergeIntervals, parseIndexesFromString, totalIndexes, withOrderedIndexes } from './intervals.js';

describe('ordered intervals', () => {
  it('prints two consecutive indexes with a comma and three or more as a range', () => {
    expect(intervalsToString(withOrderedIndexes([], [0, 1]))).toBe('0,1');
    expect(intervalsToString(withOrderedIndexes([], [0, 1, 2]))).toBe('0-2');
    expect(intervalsToString(withOrderedIndexes([], [1, 3, 4, 5, 7, 9, 10]))).toBe('1,3-5,7,9,10');
    expect(intervalsToString([])).toBe('');
  });

  it('merges overlapping and adjacent intervals', () => {
    expect(mergeIntervals([{ first: 0, last: 2 }, { first: 6, last: 6 }], [{ first: 3, last: 4 }, { first: 5, last: 8 }])).toEqual([{ first: 0, last: 8 }]);
    expect(withOrderedIndexes([{ first: 2, last: 4 }], [1, 3, 3, 9])).toEqual([
      { first: 1, last: 4 },
      { first: 9, last: 9 },
    ]);
  });

  it('parses status strings below completions, cutting and skipping like upstream', () => {
    expect(parseIndexesFromString('0-2,4,6,7', 7)).toEqual([
      { first: 0, last: 2 },
      { first: 4, last: 4 },
      { first: 6, last: 6 },
    ]);
    expect(parseIndexesFromString('1,2,3-10', 5)).toEqual([{ first: 1, last: 4 }]);
    expect(parseIndexesFromString('a,3,b-4', 10)).toEqual([{ first: 3, last: 3 }]);
    expect(parseIndexesFromString('', 3)).toEqual([]);
  });

  it('counts and finds indexes', () => {
    const oi = parseIndexesFromString('1,3-5,9', 10);
    expect(totalIndexes(oi)).toBe(5);
    expect([0, 1, 2, 3, 5, 6, 9, 10].map((i) => hasIndex(oi, i))).toEqual([false, true, false, true, true, false, true, false]);
  });
});
