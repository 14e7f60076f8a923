import '../../test/setup-dom.js';
import { act, fireEvent, screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../../api/batch.js';
import { KubeClient } from '../../lib/k8s/client.js';
import { FakeFetch, jsonResponse, statusResponse } from '../../lib/k8s/fake-fetch.js';
import { newJob } from '../../lib/k8s/fixtures.js';
import JobDetailPage from '../../pages/JobDetailPage.js';
import { renderConsole, renderWithClusters } from '../../test/render.js';
import LogstoresPage from './LogstoresPage.js';
import { logServiceServed } from './use-log-service.js';

const DISCOVERY = { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'logs.jobyard.io/v1', resources: [{ name: 'logstores', namespaced: false, kind: 'Logstore', verbs: ['get', 'list', 'watch'] }] };
const list = (kind: string, items: unknown[] = []) => jsonResponse({ kind, apiVersion: 'v1', metadata: { resourceVersion: '5' }, items });
const cluster = (name: string, local = false) => ({ apiVersion: 'clusters.jobyard.io/v1', kind: 'Cluster', metadata: { name }, spec: { server: `https://${name}:6443`, ...(local ? { local: true } : {}) }, status: { reachable: true, version: 'v1.31.0', lastProbeTime: '2026-11-02T10:00:00Z' } });

afterEach(() => localStorage.clear());

describe('logServiceServed', () => {
  it('asks the cluster’s discovery once, tells a cluster without logs.jobyard.io apart, and asks again after a failure', async () => {
    let answer: Response = statusResponse(503, 'ServiceUnavailable', 'cluster "prod" is unreachable: ETIMEDOUT');
    const fake = new FakeFetch().on((r) => (r.url.pathname.endsWith('/apis/logs.jobyard.io/v1') ? answer : undefined));
    const client = new KubeClient({ baseUrl: '/clusters/prod', fetch: fake.fetch });
    await expect(logServiceServed(client)).rejects.toMatchObject({ code: 503 });
    answer = statusResponse(404, 'NotFound', 'the server could not find the requested resource');
    expect(await logServiceServed(client)).toBe(false);
    answer = jsonResponse(DISCOVERY);
    expect(await logServiceServed(client)).toBe(false); // kept for this client
    expect(fake.requests.map((r) => r.url.pathname)).toEqual(['/clusters/prod/apis/logs.jobyard.io/v1', '/clusters/prod/apis/logs.jobyard.io/v1']);
    expect(await logServiceServed(new KubeClient({ baseUrl: '', fetch: fake.fetch }))).toBe(true);
  });
});

describe('Logstores page on a cluster without a log service', () => {
  it('says that logstores belong to a jobyard engine, lists nothing there, and switches to local, whose logstores it lists', async () => {
    localStorage.setItem('jobyard.cluster', 'prod');
    const fake = new FakeFetch().on((r) => {
      const p = r.url.pathname;
      if (p === '/clusters') return jsonResponse({ kind: 'ClusterList', items: [cluster('local', true), cluster('prod')] });
      if (p === '/clusters/prod/apis/logs.jobyard.io/v1') return statusResponse(404, 'NotFound', 'the server could not find the requested resource');
      if (p === '/apis/logs.jobyard.io/v1') return jsonResponse(DISCOVERY);
      if (p === '/apis/logs.jobyard.io/v1/logstores' && !r.url.searchParams.get('watch')) return list('LogstoreList', [{ apiVersion: 'logs.jobyard.io/v1', kind: 'Logstore', metadata: { name: 'app-logs' }, spec: { retentionDays: 7, maxSize: '1Gi' }, status: { lines: 12, sizeBytes: 2048 } }]);
      return undefined;
    });
    renderWithClusters(<LogstoresPage />, { fake });
    const note = await screen.findByTestId('no-log-service');
    expect(note.textContent).toContain('Cluster prod has no log service');
    expect(note.textContent).toContain('Logstores (logs.jobyard.io) belong to a jobyard engine, such as “local”');
    expect(fake.requests.some((r) => r.url.pathname.startsWith('/clusters/prod/apis/logs.jobyard.io/v1/'))).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Show local' }));
    expect((await screen.findByRole('link', { name: 'app-logs' })).getAttribute('href')).toBe('/logstores/app-logs');
    expect(screen.queryByTestId('no-log-service')).toBeNull();
  });
});

describe('Job detail: Collected logs follow the cluster’s log service', () => {
  const job: Job = newJob({ name: 'collect' });
  job.spec.template.spec.containers[0].env = [{ name: 'aliyun_logs_app', value: 'stdout' }];

  function detail(discovery: Response) {
    const fake = new FakeFetch().on((r) => {
      const p = r.url.pathname;
      if (r.url.searchParams.get('watch')) return undefined;
      if (p === '/apis/logs.jobyard.io/v1') return discovery;
      if (p === '/apis/batch/v1/namespaces/default/jobs') return list('JobList', [job]);
      if (p === '/api/v1/namespaces/default/pods') return list('PodList');
      if (p === '/api/v1/namespaces/default/events') return list('EventList');
      return undefined;
    });
    const { client } = renderConsole(
      <Routes>
        <Route path="/jobs/:namespace/:name" element={<JobDetailPage />} />
      </Routes>,
      { fake, route: '/jobs/default/collect' },
    );
    return { fake, client };
  }

  it('has the tab on a cluster that serves logs.jobyard.io', async () => {
    detail(jsonResponse(DISCOVERY));
    expect(await screen.findByRole('tab', { name: 'Collected logs' })).toBeTruthy();
  });

  it('has no such tab on a cluster without it (its pods’ own logs stay on the Logs tab)', async () => {
    const { client } = detail(statusResponse(404, 'NotFound'));
    await screen.findByRole('tab', { name: 'Logs' });
    // The page's own (cached) answer, awaited and applied before looking.
    await act(async () => expect(await logServiceServed(client)).toBe(false));
    expect(screen.getByRole('tab', { name: 'Logs' })).toBeTruthy();
    expect(screen.queryByRole('tab', { name: 'Collected logs' })).toBeNull();
  });
});
