// The API server's metrics, with upstream's names and labels (apiserver/pkg/endpoints/metrics,
// apiserver/pkg/storage): apiserver_request_total, apiserver_request_duration_seconds and
// apiserver_storage_objects. A request is counted when its answer is finished (a watch when it
// ends), from the RequestInfo the resource handler noted; the health endpoints note their path
// as upstream's InstrumentHandlerFunc does. Other non-resource paths are not counted (upstream
// instruments only these). Per request: one WeakMap read, one Map read, one inc, one observe.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, lazyMetric, registerProcessMetrics } from '../machinery/metrics/index.js';
import type { RequestInfo } from './handlers/request-info.js';
import { type ResourceDefinition, subresourceOf } from './registry/resource.js';

/** Upstream's buckets for apiserver_request_duration_seconds (5 ms to 60 s). */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

const DURATION_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
const APISERVER_COMPONENT = 'apiserver';

const requestCounter = lazyMetric(
  (registry) =>
    new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [...DURATION_LABELS, 'code'],
      registers: [registry],
    }),
);

const requestLatencies = lazyMetric(
  (registry) =>
    new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: [...DURATION_LABELS],
      buckets: REQUEST_DURATION_BUCKETS,
      registers: [registry],
    }),
);

/** What apiserver_storage_objects counts, read from the store when scraped. */
export type ObjectCounts = () => Iterable<[storageResource: string, count: number]>;

/**
 * apiserver_storage_objects{resource="jobs.batch"}: the objects stored per resource, read at
 * scrape time (upstream refreshes it from etcd once a minute; a GROUP BY costs nothing between scrapes).
 */
export function registerStorageObjects(counts: ObjectCounts): void {
  storageObjects().counts = counts;
}

const storageObjects = lazyMetric((registry) => {
  const holder: { counts?: ObjectCounts } = {};
  new Gauge({
    name: 'apiserver_storage_objects',
    help: 'Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.',
    labelNames: ['resource'],
    registers: [registry],
    collect() {
      this.reset();
      if (!holder.counts) return;
      try {
        // Storage keys are "group/resource" ("batch/jobs") or the plural alone; upstream names "jobs.batch".
        for (const [key, n] of holder.counts()) {
          const i = key.indexOf('/');
          this.set({ resource: i < 0 ? key : `${key.slice(i + 1)}.${key.slice(0, i)}` }, n);
        }
      } catch {
        this.set({ resource: '' }, -1);
      }
    },
  });
  return holder;
});

/** The labels of one request, minus the code. */
interface Noted {
  verb: string;
  dryRun: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
}

const noted = new WeakMap<FastifyRequest, Noted>();

/** Subresources upstream serves as connecters: counted as CONNECT. */
const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

/** upstream CleanScope: the object, a namespace, the cluster. */
function cleanScope(info: RequestInfo): string {
  if (info.name || info.verb === 'create') return 'resource';
  if (info.namespace) return 'namespace';
  return 'cluster';
}

/** upstream's reported verb: the HTTP method, GET split into GET/LIST/WATCH, APPLY for apply patches, CONNECT for streams. */
function reportedVerb(request: FastifyRequest, info: RequestInfo): string {
  if (CONNECT_SUBRESOURCES.has(info.subresource)) return 'CONNECT';
  switch (info.verb) {
    case 'watch':
      return 'WATCH';
    case 'list':
      return 'LIST';
    case 'get':
      return 'GET';
    case 'patch':
      return String(request.headers['content-type'] ?? '').startsWith('application/apply-patch') ? 'APPLY' : 'PATCH';
    default:
      return request.method === 'HEAD' ? 'GET' : request.method;
  }
}

/**
 * upstream cleanDryRun: "All" when asked for. Other values are refused with 400 before anything
 * runs; they are not labels, so no caller can grow the metric's label sets.
 */
function dryRunLabel(query: unknown): string {
  const v = (query as Record<string, string | string[] | undefined>).dryRun;
  if (v === undefined) return '';
  return (Array.isArray(v) ? v : [v]).includes('All') ? 'All' : '';
}

/**
 * Called by the resource handler once it knows what a request is, for a served resource and
 * (bounding the labels, as upstream's router does) a subresource the resource declares.
 */
export function noteResourceRequest(request: FastifyRequest, info: RequestInfo, def: ResourceDefinition): void {
  if (info.subresource && !subresourceOf(def, info.subresource)) return;
  noted.set(request, {
    verb: reportedVerb(request, info),
    dryRun: dryRunLabel(request.query),
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource,
    scope: cleanScope(info),
  });
}

/** A non-resource path counted as upstream's InstrumentHandlerFunc does (health endpoints: GET, subresource = path). */
export function noteNonResourceRequest(request: FastifyRequest, path: string): void {
  noted.set(request, { verb: request.method === 'HEAD' ? 'GET' : request.method, dryRun: '', group: '', version: '', resource: '', subresource: path, scope: '' });
}

interface Children {
  count: { inc(): void };
  duration: { observe(v: number): void };
}
const children = new Map<string, Children>();

/** Fastify onResponse hook: counts a noted request with its code and duration. */
export function recordRequest(request: FastifyRequest, reply: FastifyReply): void {
  const n = noted.get(request);
  if (!n) return;
  const code = String(reply.statusCode);
  const key = `${n.verb}\0${n.dryRun}\0${n.group}\0${n.version}\0${n.resource}\0${n.subresource}\0${n.scope}\0${code}`;
  let c = children.get(key);
  if (!c) {
    const labels = [n.verb, n.dryRun, n.group, n.version, n.resource, n.subresource, n.scope, APISERVER_COMPONENT] as const;
    c = { count: requestCounter().labels(...labels, code), duration: requestLatencies().labels(...labels) };
    children.set(key, c);
  }
  c.count.inc();
  c.duration.observe(reply.elapsedTime / 1000);
}

/** Defines the API server's families, so a scrape lists them before their first sample; and the process's. */
export function registerApiServerMetrics(): void {
  registerProcessMetrics();
  requestCounter();
  requestLatencies();
  storageObjects();
}
