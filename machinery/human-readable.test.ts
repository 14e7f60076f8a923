import { describe, expect, it } from 'vitest';
import { humanDuration, translateTimestampSince } from './human-readable.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (duration.HumanDuration)', () => {
  it.each<[number, string]>([
    [-3 * s, '<invalid>'],
    [-1 * s, '0s'],
    [-999, '0s'],
    [0, '0s'],
    [5 * s, '5s'],
    [5 * s + 900, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 30 * s, '2m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 5 * h, '2d5h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [2 * 365 * d, '2y'],
    [3 * 365 * d + 10 * d, '3y10d'],
    [9 * 365 * d, '9y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('translateTimestampSince', () => {
  const now = new Date('2026-01-01T00:10:00Z');
  it('formats the age at now', () => {
    expect(translateTimestampSince('2026-01-01T00:07:30Z', now)).toBe('2m30s');
  });
  it('is <unknown> without a timestamp', () => {
    expect(translateTimestampSince(undefined, now)).toBe('<unknown>');
    expect(translateTimestampSince('', now)).toBe('<unknown>');
  });
});
