// Numbers as people read them in tables: duration.HumanDuration and the printers'
// translateTimestampSince for the AGE / DURATION cells of kubectl get ("5s", "2m30s", "3h",
// "2d"), and byte counts ("1.5Ki"). `now` is passed in so tests are exact.

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for a missing time, else the human age at `now`. */
export function translateTimestampSince(timestamp: string | null | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** The time between two timestamps (Job DURATION: completionTime - startTime). */
export function humanDurationBetween(from: string, to: string): string {
  return humanDuration(Date.parse(to) - Date.parse(from));
}

/** A byte count as people read it: 0, 512, 1.5Ki, 12.3Mi, 2Gi. */
export function humanBytes(bytes: number): string {
  const units = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  if (bytes < 1024) return String(bytes);
  let v = bytes;
  let unit = '';
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  const text = v >= 100 ? Math.round(v).toString() : (Math.round(v * 10) / 10).toString();
  return `${text}${unit}`;
}
