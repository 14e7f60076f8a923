import { describe, expect, it } from 'vitest';
import { REFUSED, TARGET_CORPUS } from './request-target-corpus.js';
import { normalizeRequestTarget } from './request-target.js';

describe('normalizeRequestTarget', () => {
  it.each(TARGET_CORPUS)('$name: $target → $expect', ({ target, expect: expected }) => {
    const got = normalizeRequestTarget(target);
    if (expected === REFUSED) {
      expect(got.ok, JSON.stringify(got)).toBe(false);
    } else {
      expect(got).toMatchObject({ ok: true, url: expected });
    }
  });

  it('is idempotent: a normalized target normalizes to itself', () => {
    for (const { target, expect: expected } of TARGET_CORPUS) {
      if (expected === REFUSED) continue;
      expect(normalizeRequestTarget(expected), target).toMatchObject({ ok: true, url: expected });
    }
  });

  it('says why it refuses', () => {
    expect(normalizeRequestTarget('/api%2Fv1')).toEqual({ ok: false, reason: 'an encoded "/" (%2F)' });
    expect(normalizeRequestTarget('/a/../b')).toEqual({ ok: false, reason: 'a "." or ".." segment' });
    expect(normalizeRequestTarget('/a%C0%AF')).toEqual({ ok: false, reason: 'invalid or overlong UTF-8' });
    expect(normalizeRequestTarget('http://x/')).toEqual({ ok: false, reason: 'a request target that is not a path (absolute-form or authority-form)' });
  });

  it('keeps the path apart from the query', () => {
    expect(normalizeRequestTarget('/%61pi?a=%61')).toEqual({ ok: true, path: '/api', url: '/api?a=%61' });
  });
});
