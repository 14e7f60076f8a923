// Times in the log service: stored as Unix microseconds (exact in a JS number until the year
// 2255), shown as RFC 3339 with six fractional digits (metav1.MicroTime's form).
import { parseGoDurationMs } from '../machinery/go-duration.js';

/** Unix microseconds of a Date. */
export function dateToMicros(d: Date): number {
  return d.getTime() * 1000;
}

/** "2026-01-01T00:00:00.123456Z" for Unix microseconds. */
export function microsToRfc3339(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.123Z
  return `${iso.slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Unix microseconds of an RFC 3339 time (fractions beyond microseconds dropped); undefined if malformed. */
export function rfc3339ToMicros(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + Number(frac);
}

/**
 * A Go-style duration ("90s", "10m", "1h30m", "2d") in milliseconds; `d` (days) is accepted
 * besides Go's units since log retention is counted in days. Undefined when malformed or
 * negative.
 */
export function parseDurationMs(text: string): number | undefined {
  const ms = parseGoDurationMs(text, { days: true });
  return ms !== undefined && ms >= 0 ? ms : undefined;
}
