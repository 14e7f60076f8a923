// Log lines of many pods in one view: parsed timestamps, a stable merge order, and search.

/** One line of a container's log, as the console shows it. */
export interface LogLine {
  pod: string;
  container: string;
  /** The RFC 3339 timestamp the server prefixed (timestamps=true), '' when absent. */
  timestamp: string;
  /** A sort key: the timestamp with its fraction padded to nanoseconds, so strings compare in time order. */
  sortKey: string;
  text: string;
  /** Arrival order, to keep lines with equal timestamps in the order they came. */
  seq: number;
}

const TS_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) (.*)$/s;

/** Splits the server's "<RFC3339Nano> <text>" line; a line without timestamp keeps its text whole. */
export function parseLogLine(line: string): { timestamp: string; sortKey: string; text: string } {
  const m = TS_RE.exec(line);
  if (!m) return { timestamp: '', sortKey: '', text: line };
  const [, base, frac = '', zone, text] = m;
  const timestamp = `${base}${frac ? `.${frac}` : ''}${zone}`;
  // Lines from the container engine are UTC ("Z"); other zones are normalised through Date.
  let sortBase = base;
  if (zone !== 'Z') {
    const d = new Date(`${base}${zone}`);
    sortBase = Number.isNaN(d.getTime()) ? base : d.toISOString().slice(0, 19);
  }
  return { timestamp, sortKey: `${sortBase}.${frac.padEnd(9, '0')}`, text };
}

/** Compares two lines by time, then by arrival; lines without timestamps keep arrival order. */
export function compareLogLines(a: LogLine, b: LogLine): number {
  if (a.sortKey && b.sortKey && a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  return a.seq - b.seq;
}

/** Inserts new lines into an ordered list (they mostly arrive in order, so this is usually an append). */
export function mergeLogLines(existing: readonly LogLine[], incoming: readonly LogLine[], maxLines = 20_000): LogLine[] {
  const out = existing.slice();
  for (const line of incoming) {
    let i = out.length;
    while (i > 0 && compareLogLines(out[i - 1], line) > 0) i--;
    out.splice(i, 0, line);
  }
  return out.length > maxLines ? out.slice(out.length - maxLines) : out;
}

export interface LogFilter {
  query: string;
  regex?: boolean;
  caseSensitive?: boolean;
  /** Only lines of these pods ('' or empty set = all). */
  pods?: ReadonlySet<string>;
}

/** The search as a RegExp, or an Error for an invalid regular expression. */
export function logMatcher(f: LogFilter): RegExp | Error | undefined {
  if (!f.query) return undefined;
  const flags = f.caseSensitive ? 'g' : 'gi';
  try {
    return new RegExp(f.regex ? f.query : f.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** The lines that match the search and pod filter (all lines when the search is empty or invalid). */
export function filterLogLines(lines: readonly LogLine[], f: LogFilter): LogLine[] {
  const m = logMatcher(f);
  return lines.filter((l) => {
    if (f.pods && f.pods.size > 0 && !f.pods.has(l.pod)) return false;
    if (!(m instanceof RegExp)) return true;
    m.lastIndex = 0;
    return m.test(l.text);
  });
}

/** Splits a line into plain and matching parts, for highlighting. */
export function highlightParts(text: string, m: RegExp | Error | undefined): { text: string; match: boolean }[] {
  if (!(m instanceof RegExp)) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  let last = 0;
  m.lastIndex = 0;
  for (let r = m.exec(text); r; r = m.exec(text)) {
    if (r[0] === '') {
      m.lastIndex++;
      continue;
    }
    if (r.index > last) parts.push({ text: text.slice(last, r.index), match: false });
    parts.push({ text: r[0], match: true });
    last = r.index + r[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts.length > 0 ? parts : [{ text, match: false }];
}
