import { describe, expect, it } from 'vitest';
import { getIn, isUnder, setIn } from './paths.js';

describe('getIn / setIn', () => {
  const form = { name: 'a', containers: [{ image: 'x', env: [] as string[] }, { image: 'y', env: [] }] };

  it('reads nested values and undefined for missing ones', () => {
    expect(getIn(form, ['containers', 1, 'image'])).toBe('y');
    expect(getIn(form, ['containers', 5, 'image'])).toBeUndefined();
  });

  it('copies only the objects along the path', () => {
    const next = setIn(form, ['containers', 0, 'image'], 'z');
    expect(next.containers[0].image).toBe('z');
    expect(form.containers[0].image).toBe('x');
    expect(next.containers[1]).toBe(form.containers[1]);
    expect(Array.isArray(next.containers)).toBe(true);
    expect(next.containers[0].env).toBe(form.containers[0].env);
  });

  it('creates missing objects on the way', () => {
    expect(setIn({}, ['a', 'b'], 1)).toEqual({ a: { b: 1 } });
  });

  it('tells whether a path lies under another', () => {
    expect(isUnder(['containers', 0, 'image'], ['containers', 0])).toBe(true);
    expect(isUnder(['containers', 1], ['containers', 0])).toBe(false);
    expect(isUnder(['name'], [])).toBe(true);
  });
});
