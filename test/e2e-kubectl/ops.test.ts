// The operations endpoints of a real `jobyard server` (simulated node, controllers in process)
// with the installed kubectl and plain HTTPS: /livez, /readyz and /healthz as kube-apiserver
// answers them (public roots, ?verbose, single checks behind the token), and /metrics scraped
// with the token and read by a Prometheus text parser: upstream's families are there and
// apiserver_request_total counts kubectl's requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import YAML from 'yaml';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent', '--simulated-nodes', '1'] });
});

afterAll(async () => {
  await server?.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A GET over HTTPS with the server's CA, with or without the token. */
function get(path: string, token?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${server.url}${path}`,
      { ca: server.caPem, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      },
    );
    req.on('error', reject);
  });
}

interface Family {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; count?: string; buckets?: Record<string, string> }[];
}

async function scrape(): Promise<Map<string, Family>> {
  const r = await get('/metrics', server.token);
  expect(r.status).toBe(200);
  expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  return new Map((parsePrometheusTextFormat(r.body) as Family[]).map((f) => [f.name, f]));
}

function sampleValue(f: Family | undefined, labels: Record<string, string>): number {
  const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return Number(m?.value ?? 0);
}

describe('health endpoints', () => {
  it('kubectl get --raw /readyz?verbose lists each check and says it passed', async () => {
    expect(await ok(['get', '--raw', '/readyz?verbose'])).toBe(
      '[+]ping ok\n[+]etcd ok\n[+]poststarthook/bootstrap-controller ok\n[+]shutdown ok\nreadyz check passed\n',
    );
    expect(await ok(['get', '--raw', '/livez?verbose&exclude=etcd'])).toBe('[+]ping ok\n[+]etcd excluded: ok\n[+]poststarthook/bootstrap-controller ok\nlivez check passed\n');
    expect(await ok(['get', '--raw', '/healthz'])).toBe('ok');
    expect(await ok(['get', '--raw', '/livez/ping'])).toBe('ok');
    expect(await ok(['get', '--raw', '/readyz/etcd'])).toBe('ok');
  });

  it('the roots answer anyone; a single check and /metrics need the token', async () => {
    for (const path of ['/livez', '/readyz', '/healthz']) expect(await get(path)).toMatchObject({ status: 200, body: 'ok', type: 'text/plain; charset=utf-8' });
    expect((await get('/livez/etcd')).status).toBe(401);
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(401);
    expect(JSON.parse(metrics.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
  });
});

describe('/metrics', () => {
  it('has upstream\'s families after a Job ran, and apiserver_request_total counts kubectl get', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'ops' },
      spec: {
        completions: 3,
        parallelism: 3,
        template: {
          metadata: { annotations: { 'simulated.jobyard.io/duration': '0s' } },
          spec: {
            restartPolicy: 'Never',
            tolerations: [{ key: 'node.jobyard.io/simulated', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [{ name: 'main', image: 'busybox:1.36', command: ['true'] }],
          },
        },
      },
    };
    await ok(['create', '-f', '-'], YAML.stringify(job));
    await ok(['wait', '--for=condition=complete', 'job/ops', '--timeout=60s']);

    const first = await scrape();
    const families: [string, string][] = [
      ['apiserver_request_total', 'COUNTER'],
      ['apiserver_request_duration_seconds', 'HISTOGRAM'],
      ['apiserver_storage_objects', 'GAUGE'],
      ['workqueue_depth', 'GAUGE'],
      ['workqueue_adds_total', 'COUNTER'],
      ['workqueue_queue_duration_seconds', 'HISTOGRAM'],
      ['workqueue_work_duration_seconds', 'HISTOGRAM'],
      ['job_controller_job_sync_duration_seconds', 'HISTOGRAM'],
      ['job_controller_job_syncs_total', 'COUNTER'],
      ['job_controller_jobs_finished_total', 'COUNTER'],
      ['job_controller_job_pods_finished_total', 'COUNTER'],
    ];
    for (const [name, type] of families) expect(first.get(name)?.type, name).toBe(type);

    expect(sampleValue(first.get('apiserver_storage_objects'), { resource: 'jobs.batch' })).toBe(1);
    expect(sampleValue(first.get('apiserver_storage_objects'), { resource: 'pods' })).toBe(3);
    expect(sampleValue(first.get('job_controller_jobs_finished_total'), { completion_mode: 'NonIndexed', result: 'succeeded', reason: 'CompletionsReached' })).toBe(1);
    expect(sampleValue(first.get('job_controller_job_pods_finished_total'), { completion_mode: 'NonIndexed', result: 'succeeded' })).toBe(3);
    expect(sampleValue(first.get('workqueue_adds_total'), { name: 'job' })).toBeGreaterThan(0);
    const syncs = first.get('job_controller_job_syncs_total')!.metrics.reduce((n, m) => n + Number(m.value), 0);
    expect(syncs).toBeGreaterThan(0);
    // The Job's create, as kubectl sent it: POST batch/v1 jobs, scope resource, 201.
    const jobCreate = { verb: 'POST', group: 'batch', version: 'v1', resource: 'jobs', subresource: '', scope: 'resource', component: 'apiserver', code: '201', dry_run: '' };
    expect(sampleValue(first.get('apiserver_request_total'), jobCreate)).toBe(1);

    const listConfigMaps = { verb: 'LIST', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'namespace', component: 'apiserver', code: '200', dry_run: '' };
    const before = sampleValue(first.get('apiserver_request_total'), listConfigMaps);
    for (let i = 0; i < 3; i++) await ok(['get', 'configmaps']);
    const second = await scrape();
    expect(sampleValue(second.get('apiserver_request_total'), listConfigMaps) - before).toBe(3);
    // The parser folds a histogram's label sets into one (parse-prometheus-text-format 1.1.1): its
    // per-label counts are checked in server/metrics.test.ts; here, that the buckets are upstream's.
    const duration = second.get('apiserver_request_duration_seconds')!.metrics[0];
    // Upstream's buckets, 5 ms to 60 s (and +Inf).
    const les = Object.keys(duration?.buckets ?? {});
    expect(les).toContain('+Inf');
    expect(les.filter((le) => le !== '+Inf').map(Number).sort((a, b) => a - b)).toEqual([0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60]);
  });
});

describe('/metrics of the process', () => {
  it('has process_* and nodejs_* (upstream: process_* and go_*), with nothing secret in them', async () => {
    const families = await scrape();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'process_open_fds', 'process_max_fds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_version_info']) {
      expect(families.has(name), name).toBe(true);
    }
    expect(sampleValue(families.get('process_resident_memory_bytes'), {})).toBeGreaterThan(10 * 1024 * 1024);
    expect(sampleValue(families.get('process_open_fds'), {})).toBeGreaterThan(0);
    const started = sampleValue(families.get('process_start_time_seconds'), {});
    expect(started).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(started).toBeLessThanOrEqual(Date.now() / 1000);
    expect(families.get('nodejs_version_info')?.metrics[0]?.labels?.version).toMatch(/^v\d+\.\d+\.\d+$/);
    // Their labels name resource types, heap spaces, GC kinds and the Node version only.
    const labelNames = new Set<string>();
    for (const [name, f] of families) if (/^(process|nodejs)_/.test(name)) for (const m of f.metrics) for (const k of Object.keys(m.labels ?? {})) labelNames.add(k);
    expect([...labelNames].every((k) => ['type', 'space', 'kind', 'version', 'major', 'minor', 'patch'].includes(k)), [...labelNames].join(',')).toBe(true);
    const body = (await get('/metrics', server.token)).body;
    expect(body).not.toContain(server.token);
    expect(body).not.toContain(server.dataDir);
  });
});

describe('events.k8s.io/v1 beside core/v1 events', () => {
  it('kubectl creates an events.k8s.io Event, reads it under both APIs, and kubectl events lists it', async () => {
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'ops-scaled', namespace: 'default' },
      eventTime: '2026-03-01T10:00:00.000000Z',
      reportingController: 'example.com/ops-test',
      reportingInstance: 'ops-test-0',
      action: 'Scale',
      reason: 'Scaled',
      regarding: { apiVersion: 'batch/v1', kind: 'Job', namespace: 'default', name: 'ops' },
      note: 'scaled by the ops test',
      type: 'Normal',
    };
    await ok(['create', '-f', '-'], YAML.stringify(event));
    const asEvents = JSON.parse(await ok(['get', 'events.v1.events.k8s.io', 'ops-scaled', '-o', 'json']));
    expect(asEvents).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'scaled by the ops test', regarding: { kind: 'Job', name: 'ops' }, reportingController: 'example.com/ops-test' });
    const asCore = JSON.parse(await ok(['get', 'events', 'ops-scaled', '-o', 'json']));
    expect(asCore).toMatchObject({ apiVersion: 'v1', message: 'scaled by the ops test', involvedObject: { kind: 'Job', name: 'ops' }, reportingComponent: 'example.com/ops-test' });
    // The Job controller's core events read through the events API too.
    const listed = JSON.parse(await ok(['get', 'events.v1.events.k8s.io', '--field-selector', 'regarding.name=ops', '-o', 'json']));
    expect(listed.items.map((e: { reason?: string }) => e.reason)).toEqual(expect.arrayContaining(['SuccessfulCreate', 'Completed', 'Scaled']));
    expect(await ok(['get', 'events.v1.events.k8s.io'])).toMatch(/Normal\s+Scaled\s+job\/ops\s+scaled by the ops test/);
    expect(await ok(['events', '--for', 'job/ops'])).toMatch(/Normal\s+Scaled\s+Job\/ops\s+scaled by the ops test/);
    expect(await ok(['api-resources', '--api-group', 'events.k8s.io', '--no-headers'])).toMatch(/^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event$/m);
  });
});
