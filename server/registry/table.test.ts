import { describe, expect, it } from 'vitest';
import { formatLabelSelector, layoutContainerCells } from './table.js';

describe('formatLabelSelector', () => {
  it.each<[Parameters<typeof formatLabelSelector>[0], string]>([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'debug', operator: 'DoesNotExist' }] }, '!debug,env in (dev,prod)'],
    [{ matchLabels: { a: '1' }, matchExpressions: [{ key: 'z', operator: 'Exists' }] }, 'a=1,z'],
  ])('%j → %s', (sel, text) => {
    expect(formatLabelSelector(sel)).toBe(text);
  });
});

describe('layoutContainerCells', () => {
  it('joins names and images with commas', () => {
    expect(layoutContainerCells([{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y' }])).toEqual({ names: 'a,b', images: 'x:1,y' });
    expect(layoutContainerCells(undefined)).toEqual({ names: '', images: '' });
  });
});
