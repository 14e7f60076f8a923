import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDurationMs } from './go-duration.js';

describe('parseGoDurationMs', () => {
  it('reads Go durations', () => {
    expect(parseGoDurationMs('90s')).toBe(90_000);
    expect(parseGoDurationMs('1h30m')).toBe(5_400_000);
    expect(parseGoDurationMs('1.5h')).toBe(5_400_000);
    expect(parseGoDurationMs('300ms')).toBe(300);
    expect(parseGoDurationMs('-2m')).toBe(-120_000);
    expect(parseGoDurationMs('0')).toBe(0);
  });

  it('takes days only when asked, and refuses what Go refuses', () => {
    expect(parseGoDurationMs('2d')).toBeUndefined();
    expect(parseGoDurationMs('2d', { days: true })).toBe(172_800_000);
    for (const bad of ['', '5', 'h', '1x', '1h ', ' 1h', '1h-5m']) expect(parseGoDurationMs(bad)).toBeUndefined();
  });
});

describe('formatGoDuration', () => {
  it('prints durations as Go does (image pulls, metrics windows)', () => {
    expect([0, 523, 1_234, 61_500].map(formatGoDuration)).toEqual(['0ms', '523ms', '1.234s', '1m1.5s']);
    expect([15_021, 1000, 61_500, 3_600_000, 999].map(formatGoDuration)).toEqual(['15.021s', '1s', '1m1.5s', '1h0m0s', '999ms']);
  });
});
