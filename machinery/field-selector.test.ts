import { describe, expect, it } from 'vitest';
import { FieldSelectorParseError, parseFieldSelector } from './field-selector.js';

describe('parseFieldSelector', () => {
  it('splits at the first operator', () => {
    expect(parseFieldSelector('metadata.name=x,status.phase!=Running, spec.nodeName == n1 ')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'x' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
    ]);
    expect(parseFieldSelector('a=b=c')).toEqual([{ field: 'a', operator: '=', value: 'b=c' }]);
    expect(parseFieldSelector('a=x\\,y')).toEqual([{ field: 'a', operator: '=', value: 'x,y' }]);
    expect(parseFieldSelector('a=')).toEqual([{ field: 'a', operator: '=', value: '' }]);
  });

  it('refuses parts without a field or operator', () => {
    for (const bad of ['=x', 'abc', '!=x', 'a!b=c', 'a,b=c']) expect(() => parseFieldSelector(bad), bad).toThrow(FieldSelectorParseError);
  });

  it('parses 16 KiB of hostile input in linear time', () => {
    const start = performance.now();
    for (const s of ['a' + ' '.repeat(16_000) + 'x', 'x,'.repeat(8000), '='.repeat(16_000), 'a' + '!'.repeat(16_000)]) {
      try {
        parseFieldSelector(s);
      } catch {
        // refused is fine; slow is not
      }
    }
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('matchesFields', () => {
  it('reads own fields only', async () => {
    const { matchesFields } = await import('./field-selector.js');
    expect(matchesFields([{ field: 'constructor', operator: '=', value: '' }], { 'status.phase': 'Running' })).toBe(true);
    expect(matchesFields([{ field: 'constructor', operator: '!=', value: '' }], {})).toBe(false);
  });
});
