// Time, injected: controllers and the agent take a Clock so tests run on a fake one.

export interface Clock {
  now(): Date;
}

export const realClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  private t: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  step(ms: number): void {
    this.t += ms;
  }

  set(time: Date | string): void {
    this.t = new Date(time).getTime();
  }
}

/** RFC 3339 with second precision, as metav1.Time serialises ("2026-01-01T00:00:00Z"). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises. */
export function rfc3339Micro(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}
