// Sets of completion indexes as ordered intervals, and their string form "1,3-5,7"
// (upstream orderedIntervals). Two consecutive indexes print as "0,1"; three or more as "0-2".

export interface Interval {
  first: number;
  last: number;
}

/** Sorted, non-overlapping, non-adjacent intervals. */
export type OrderedIntervals = Interval[];

/** Merges two ordered lists into one (adjacent and overlapping intervals join). */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): OrderedIntervals {
  const result: OrderedIntervals = [];
  const append = (iv: Interval) => {
    const last = result[result.length - 1];
    if (!last || iv.first > last.last + 1) result.push({ first: iv.first, last: iv.last });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i].first < b[j].first) append(a[i++]);
    else append(b[j++]);
  }
  while (i < a.length) append(a[i++]);
  while (j < b.length) append(b[j++]);
  return result;
}

/** The intervals plus the given indexes (in increasing order). */
export function withOrderedIndexes(oi: OrderedIntervals, newIndexes: readonly number[]): OrderedIntervals {
  return mergeIntervals(
    oi,
    newIndexes.map((i) => ({ first: i, last: i })),
  );
}

/** How many indexes the intervals hold. */
export function totalIndexes(oi: OrderedIntervals | undefined): number {
  let n = 0;
  for (const iv of oi ?? []) n += iv.last - iv.first + 1;
  return n;
}

export function hasIndex(oi: OrderedIntervals | undefined, ix: number): boolean {
  if (!oi) return false;
  let lo = 0;
  let hi = oi.length;
  while (hi > lo) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (oi[mid].last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < oi.length && oi[hi].first <= ix;
}

export function intervalsToString(oi: OrderedIntervals | undefined): string {
  const parts: string[] = [];
  for (const v of oi ?? []) {
    if (v.last === v.first) parts.push(String(v.first));
    else if (v.last === v.first + 1) parts.push(`${v.first},${v.last}`);
    else parts.push(`${v.first}-${v.last}`);
  }
  return parts.join(',');
}

/**
 * Parses "1,3-5" keeping indexes below `completions` (an interval reaching past it is cut; one
 * starting at or past it ends the parse); corrupt parts are skipped, as upstream.
 */
export function parseIndexesFromString(s: string | undefined, completions: number): OrderedIntervals {
  if (!s) return [];
  const result: OrderedIntervals = [];
  for (const part of s.split(',')) {
    const limits = part.split('-');
    if (!/^\s*[+-]?\d+\s*$/.test(limits[0])) continue;
    const first = Number(limits[0]);
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      if (!/^\s*[+-]?\d+\s*$/.test(limits[1])) continue;
      last = Math.min(Number(limits[1]), completions - 1);
    }
    const prev = result[result.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else result.push({ first, last });
  }
  return result;
}
