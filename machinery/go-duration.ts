// Go durations: time.ParseDuration ("90s", "1h30m", "1.5h", "300ms") in milliseconds, for the
// places Kubernetes takes them (CronJob's `@every`; the log service's retention, which adds
// days), and time.Duration's String at millisecond precision for the messages that print them.
const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseGoDurationMs(text: string, options: { days?: boolean } = {}): number | undefined {
  const units: Record<string, number> = options.days ? { ...GO_UNITS, d: 86_400_000 } : GO_UNITS;
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;
  let total = 0;
  let at = 0;
  while (at < rest.length) {
    re.lastIndex = at;
    const m = re.exec(rest);
    if (!m || units[m[2]!] === undefined) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    at = re.lastIndex;
  }
  return at === 0 ? undefined : sign * total;
}

/** time.Duration's String at millisecond precision: "999ms", "1.234s", "1m0.5s", "1h0m0s". */
export function formatGoDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1000) return `${whole}ms`;
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor((whole % 3_600_000) / 60_000);
  const s = ((whole % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}
