import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../../../machinery/human-readable.js';
import { formatTimestamp } from './duration.js';

describe('humanDuration (upstream duration.HumanDuration)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [-5 * s, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 30 * s, '2m30s'],
    [15 * m, '15m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 20 * m, '3h20m'],
    [10 * h, '10h'],
    [2 * d + 4 * h, '2d4h'],
    [3 * d, '3d'],
    [30 * d, '30d'],
    [3 * 365 * d + 10 * d, '3y10d'],
    [9 * 365 * d, '9y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('formatTimestamp', () => {
  it('formats in the given locale and is empty for no time', () => {
    const ts = '2026-03-04T05:06:07Z';
    expect(formatTimestamp(ts, 'zh-CN')).toMatch(/2026/);
    expect(formatTimestamp(ts, 'zh-CN')).not.toBe(formatTimestamp(ts, 'en-US'));
    expect(formatTimestamp(undefined, 'en-US')).toBe('');
  });
});
