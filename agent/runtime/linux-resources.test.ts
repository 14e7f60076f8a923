import { describe, expect, it } from 'vitest';
import { linuxResources, milliCPUToQuota, milliCPUToShares } from './linux-resources.js';

describe('milliCPUToShares', () => {
  it.each([
    [0, 2],
    [1, 2],
    [100, 102],
    [250, 256],
    [1000, 1024],
    [1500, 1536],
    [1_000_000, 262_144],
  ])('%i millicores → %i shares', (m, s) => expect(milliCPUToShares(m)).toBe(s));
});

describe('milliCPUToQuota', () => {
  it.each([
    [0, 0],
    [1, 1000],
    [10, 1000],
    [250, 25_000],
    [500, 50_000],
    [2000, 200_000],
  ])('%i millicores → %i µs per 100 ms', (m, q) => expect(milliCPUToQuota(m)).toBe(q));
});

describe('linuxResources', () => {
  it('gives BestEffort containers 2 shares and no limits', () => {
    expect(linuxResources(undefined)).toEqual({ cpuShares: 2 });
  });

  it('enforces limits and reserves requests', () => {
    expect(linuxResources({ limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } })).toEqual({
      cpuShares: 256,
      cpuQuota: 50_000,
      cpuPeriod: 100_000,
      memoryLimitBytes: 64 * 1024 * 1024,
    });
  });

  it('takes shares from the limit when there is no CPU request', () => {
    expect(linuxResources({ limits: { cpu: '2' } })).toEqual({ cpuShares: 2048, cpuQuota: 200_000, cpuPeriod: 100_000 });
  });

  it('reads decimal and binary memory units', () => {
    expect(linuxResources({ limits: { memory: '1G' } }).memoryLimitBytes).toBe(1e9);
    expect(linuxResources({ limits: { memory: '512Ki' } }).memoryLimitBytes).toBe(512 * 1024);
  });
});
