// The log service's endpoints as the console calls them (search, follow, histogram), the
// Logstore resource, and the pure helpers the screens share. Contract: server side in
// logs/http-routes.ts; paths under /apis/logs.jobyard.io/v1/logstores/{name}/.
import type { Job } from '../../../../api/batch.js';
import type { LogHistogram, LogRecord, LogRecordList, Logstore } from '../../../../api/logs.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { readLines } from '../../lib/k8s/line-splitter.js';
import type { ResourceDescriptor } from '../../lib/k8s/resources.js';

export const logstoresResource: ResourceDescriptor<Logstore> = { group: 'logs.jobyard.io', version: 'v1', resource: 'logstores', kind: 'Logstore', namespaced: false };

/** Quick time ranges, as `since` durations; 'all' means no bound. */
export const QUICK_RANGES = ['15m', '1h', '6h', '24h', '7d', 'all'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

export type TimeRange = { kind: 'quick'; range: QuickRange } | { kind: 'custom'; from: string; to: string };

/** What the search form asks for. */
export interface LogFilter {
  text: string;
  namespace: string;
  job: string;
  pod: string;
  container: string;
  /** `key=value` each. */
  tags: string[];
  range: TimeRange;
  order: 'newest' | 'oldest';
}

export function emptyFilter(over: Partial<LogFilter> = {}): LogFilter {
  return { text: '', namespace: '', job: '', pod: '', container: '', tags: [], range: { kind: 'quick', range: '24h' }, order: 'newest', ...over };
}

/** The endpoint's parameters for a filter (no paging). */
export function filterParams(f: LogFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.text.trim()) p.set('q', f.text.trim());
  for (const key of ['namespace', 'job', 'pod', 'container'] as const) if (f[key].trim()) p.set(key, f[key].trim());
  for (const t of f.tags) if (t.includes('=')) p.append('tag', t.trim());
  if (f.range.kind === 'quick' && f.range.range !== 'all') p.set('since', f.range.range);
  if (f.range.kind === 'custom') {
    if (f.range.from) p.set('from', f.range.from);
    if (f.range.to) p.set('to', f.range.to);
  }
  return p;
}

function path(logstore: string, verb: string, params: URLSearchParams): string {
  return `/apis/logs.jobyard.io/v1/logstores/${encodeURIComponent(logstore)}/${verb}?${params.toString()}`;
}

/** One page of lines. */
export function searchLogs(client: KubeClient, logstore: string, f: LogFilter, o: { limit: number; continueToken?: string; signal?: AbortSignal }): Promise<LogRecordList> {
  const p = filterParams(f);
  p.set('order', f.order);
  p.set('limit', String(o.limit));
  if (o.continueToken) p.set('continue', o.continueToken);
  return client.requestJSON<LogRecordList>('GET', path(logstore, 'search', p), { signal: o.signal });
}

/** Line counts per time bucket for the filter's range. */
export function fetchHistogram(client: KubeClient, logstore: string, f: LogFilter, signal?: AbortSignal): Promise<LogHistogram> {
  const p = filterParams(f);
  p.set('buckets', '60');
  return client.requestJSON<LogHistogram>('GET', path(logstore, 'histogram', p), { signal });
}

/** A live tail: the newest `limit` lines, then new ones as they are stored, until `signal` aborts. */
export async function* followLogs(client: KubeClient, logstore: string, f: LogFilter, limit: number, signal: AbortSignal): AsyncGenerator<LogRecord> {
  const p = filterParams(f);
  p.delete('to');
  p.set('follow', 'true');
  p.set('limit', String(limit));
  const res = await client.request('GET', path(logstore, 'search', p), { signal });
  if (!res.body) return;
  for await (const line of readLines(res.body, signal)) {
    if (line.trim()) yield JSON.parse(line) as LogRecord;
  }
}

const LOG_ENV = /^aliyun_logs_(.+)$/;

/** The logstores a Job's pods send lines to (their `aliyun_logs_<logstore>` variables). */
export function logstoresOfJob(job: Job): string[] {
  const spec = job.spec.template.spec;
  const names = new Set<string>();
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const vars = new Set((c.env ?? []).filter((e) => e.valueFrom === undefined).map((e) => e.name));
    for (const v of vars) {
      const m = LOG_ENV.exec(v);
      if (!m) continue;
      // `<name>_tags` is the tags of logstore <name> when that one is configured too.
      if (v.endsWith('_tags') && vars.has(v.slice(0, -'_tags'.length))) continue;
      names.add(m[1]);
    }
  }
  return [...names].sort();
}

/** Where a line came from: stdout, stderr, or the file path. */
export function sourceOf(r: LogRecord): string {
  return r.stream === 'file' ? (r.path ?? 'file') : r.stream;
}

/** Records in display order: follow appends; newest-first lists keep the newest on top. */
export function mergeFollowed(existing: LogRecord[], incoming: LogRecord[], order: 'newest' | 'oldest', max: number): LogRecord[] {
  const seen = new Set(existing.map((r) => r.id));
  const fresh = incoming.filter((r) => !seen.has(r.id));
  const merged = order === 'newest' ? [...fresh.reverse(), ...existing] : [...existing, ...fresh];
  return merged.length > max ? (order === 'newest' ? merged.slice(0, max) : merged.slice(merged.length - max)) : merged;
}
