// Times as people read them. Durations ("45s", "2m30s", "3h20m", "2d4h") are machinery's
// humanDuration, the same function kubectl's tables use on the server.

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined. */
export function timeOf(ts: string | null | undefined): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** A timestamp in the user's locale (date and time, seconds shown). */
export function formatTimestamp(ts: string | undefined, locale: string): string {
  const t = timeOf(ts);
  if (t === undefined) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(t));
}
