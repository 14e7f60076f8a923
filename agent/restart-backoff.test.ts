import { describe, expect, it } from 'vitest';
import { formatDuration, RestartBackoff } from './restart-backoff.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);

describe('RestartBackoff (the kubelet crash-loop back-off)', () => {
  it('lets the first restart through, then waits 10 s, 20 s, 40 s ... capped at 5 minutes after each exit', () => {
    const b = new RestartBackoff();
    const key = 'uid/c';
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const finished = now; // the container exits at once
      let wait = 0;
      while (b.isInBackOffSince(key, at(finished), at(finished + wait))) wait++;
      waits.push(wait);
      b.next(key, at(finished), at(finished + wait));
      now = finished + wait;
    }
    expect(waits).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
  });

  it('starts over after 10 minutes of clean running (twice the cap)', () => {
    const b = new RestartBackoff();
    b.next('k', at(0), at(0));
    b.next('k', at(1), at(11));
    expect(b.get('k')).toBe(20_000);
    // Ran from 11 s to 11 s + 10 min + 1 s, then failed.
    const finished = at(11 + 601);
    expect(b.isInBackOffSince('k', finished, finished)).toBe(false);
    b.next('k', finished, finished);
    expect(b.get('k')).toBe(10_000);
  });

  it('tells when the back-off ends and forgets a pod', () => {
    const b = new RestartBackoff();
    b.next('u1/a', at(0), at(0));
    expect(b.until('u1/a', at(5))).toEqual(at(15));
    b.forgetPrefix('u1/');
    expect(b.until('u1/a', at(5))).toBeUndefined();
  });

  it('formats durations as Go does', () => {
    expect([10_000, 80_000, 300_000, 3_725_000].map(formatDuration)).toEqual(['10s', '1m20s', '5m0s', '1h2m5s']);
  });
});
