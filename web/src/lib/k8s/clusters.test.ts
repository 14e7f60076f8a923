import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom } from './api-error.js';
import { KubeClient } from './client.js';
import { addCluster, clusterBaseUrl, clusterFormErrors, clustersFromList, fetchClusters, LOCAL_CLUSTER, listClusters, removeCluster } from './clusters.js';
import { FakeFetch, jsonResponse, statusResponse } from './fake-fetch.js';

// What GET /clusters answers (clusters/cluster-routes.ts): `local` first, then the added ones, probed.
const clusterList = {
  apiVersion: 'clusters.jobyard.io/v1',
  kind: 'ClusterList',
  metadata: {},
  items: [
    {
      apiVersion: 'clusters.jobyard.io/v1',
      kind: 'Cluster',
      metadata: { name: 'local' },
      spec: { server: 'https://127.0.0.1:6443', local: true },
      status: { reachable: true, version: 'v1.32.0-jobyard', lastProbeTime: '2026-11-02T10:00:00Z' },
    },
    {
      apiVersion: 'clusters.jobyard.io/v1',
      kind: 'Cluster',
      metadata: { name: 'prod', creationTimestamp: '2026-11-01T08:00:00Z' },
      spec: { server: 'https://10.0.0.1:6443', context: 'prod-admin', namespace: 'batch' },
      status: { reachable: true, version: 'v1.31.2', lastProbeTime: '2026-11-02T10:00:00Z' },
    },
    {
      apiVersion: 'clusters.jobyard.io/v1',
      kind: 'Cluster',
      metadata: { name: 'lab', creationTimestamp: '2026-11-01T09:00:00Z' },
      spec: { server: 'https://10.9.9.9:6443', context: 'lab' },
      status: { reachable: false, message: 'cluster "lab" is unreachable: ECONNREFUSED: connect ECONNREFUSED 10.9.9.9:6443', lastProbeTime: '2026-11-02T10:00:00Z' },
    },
  ],
};

describe('clustersFromList', () => {
  it('reads a ClusterList: names from metadata.name, server, context, namespace, version, reachability and why not', () => {
    expect(clustersFromList(clusterList)).toEqual([
      { name: 'local', baseUrl: '', local: true, server: 'https://127.0.0.1:6443', reachable: true, version: 'v1.32.0-jobyard', lastProbeTime: '2026-11-02T10:00:00Z' },
      {
        name: 'prod',
        baseUrl: '/clusters/prod',
        server: 'https://10.0.0.1:6443',
        context: 'prod-admin',
        namespace: 'batch',
        creationTimestamp: '2026-11-01T08:00:00Z',
        reachable: true,
        version: 'v1.31.2',
        lastProbeTime: '2026-11-02T10:00:00Z',
      },
      {
        name: 'lab',
        baseUrl: '/clusters/lab',
        server: 'https://10.9.9.9:6443',
        context: 'lab',
        creationTimestamp: '2026-11-01T09:00:00Z',
        reachable: false,
        message: 'cluster "lab" is unreachable: ECONNREFUSED: connect ECONNREFUSED 10.9.9.9:6443',
        lastProbeTime: '2026-11-02T10:00:00Z',
      },
    ]);
  });

  it('keeps `local` first, adds it when missing, and skips nameless and repeated items', () => {
    const names = clustersFromList({ items: [{ metadata: { name: 'b' }, spec: { server: 'https://b' } }, { metadata: {} }, { metadata: { name: 'local' }, spec: { server: 'x', local: true } }, { metadata: { name: 'b' } }] }).map((c) => c.name);
    expect(names).toEqual(['local', 'b']);
    expect(clustersFromList({ items: [{ metadata: { name: 'b' } }] })[0]).toBe(LOCAL_CLUSTER);
  });

  it('does not take the old shape ({items:[{name}]}) for clusters', () => {
    expect(clustersFromList({ items: [{ name: 'prod' }] })).toEqual([LOCAL_CLUSTER]);
    expect(clustersFromList(undefined)).toEqual([LOCAL_CLUSTER]);
  });

  it('puts a cluster’s requests under /clusters/<name>, local’s at the origin', () => {
    expect(clusterBaseUrl('local')).toBe('');
    expect(clusterBaseUrl('prod')).toBe('/clusters/prod');
  });
});

describe('listClusters', () => {
  it('reads GET /clusters', async () => {
    const fake = new FakeFetch().on((r) => (r.url.pathname === '/clusters' ? jsonResponse(clusterList) : undefined));
    expect((await listClusters(fake.fetch)).map((c) => [c.name, c.reachable])).toEqual([
      ['local', true],
      ['prod', true],
      ['lab', false],
    ]);
  });

  it('falls back to local when the server has no deploy targets or cannot answer', async () => {
    const html = new FakeFetch().on(() => new Response('<!doctype html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    expect(await listClusters(html.fetch)).toEqual([LOCAL_CLUSTER]);
    const down = new FakeFetch().on(() => statusResponse(503, 'ServiceUnavailable'));
    expect(await listClusters(down.fetch)).toEqual([LOCAL_CLUSTER]);
    expect(await listClusters(() => Promise.reject(new TypeError('Failed to fetch')))).toEqual([LOCAL_CLUSTER]);
  });
});

describe('fetchClusters, addCluster, removeCluster', () => {
  it('lists through the local client and throws its failures', async () => {
    const fake = new FakeFetch().on((r) => (r.url.pathname === '/clusters' ? jsonResponse(clusterList) : undefined));
    const local = new KubeClient({ baseUrl: '', fetch: fake.fetch, csrfToken: () => 'tok' });
    expect((await fetchClusters(local)).map((c) => c.name)).toEqual(['local', 'prod', 'lab']);
    const failing = new KubeClient({ baseUrl: '', fetch: new FakeFetch().on(() => statusResponse(500, 'InternalError', 'boom')).fetch });
    await expect(fetchClusters(failing)).rejects.toMatchObject({ code: 500, message: 'boom' });
  });

  it('adds with POST /clusters {name, kubeconfig, context} and the CSRF token, and removes with DELETE', async () => {
    const fake = new FakeFetch().on((r) => {
      if (r.method === 'POST' && r.url.pathname === '/clusters') {
        const b = r.body as { name: string };
        return jsonResponse({ apiVersion: 'clusters.jobyard.io/v1', kind: 'Cluster', metadata: { name: b.name, creationTimestamp: '2026-11-02T10:00:00Z' }, spec: { server: 'https://10.0.0.2:6443', context: 'ci' }, status: { reachable: true, version: 'v1.30.1', lastProbeTime: '2026-11-02T10:00:00Z' } }, 201);
      }
      if (r.method === 'DELETE') return jsonResponse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
      return undefined;
    });
    const local = new KubeClient({ baseUrl: '', fetch: fake.fetch, csrfToken: () => 'tok' });
    const added = await addCluster(local, { name: 'ci', kubeconfig: 'apiVersion: v1\nkind: Config\n', context: 'ci' });
    expect(added).toMatchObject({ name: 'ci', baseUrl: '/clusters/ci', server: 'https://10.0.0.2:6443', reachable: true, version: 'v1.30.1' });
    await addCluster(local, { name: 'ci2', kubeconfig: 'x', context: '' });
    await removeCluster(local, 'ci');
    expect(fake.requests.map((r) => [r.method, r.url.pathname, r.headers['X-CSRF-Token'], r.body])).toEqual([
      ['POST', '/clusters', 'tok', { name: 'ci', kubeconfig: 'apiVersion: v1\nkind: Config\n', context: 'ci' }],
      // An empty context is left out: the server then uses the kubeconfig's current-context.
      ['POST', '/clusters', 'tok', { name: 'ci2', kubeconfig: 'x' }],
      ['DELETE', '/clusters/ci', 'tok', undefined],
    ]);
  });
});

describe('clusterFormErrors', () => {
  const invalid = (causes: { field: string; reason: string; message: string }[]) =>
    apiErrorFrom(422, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 422, reason: 'Invalid', message: 'Cluster.clusters.jobyard.io "x" is invalid', details: { causes } }));

  it('puts the server’s causes at the name, kubeconfig and context fields, naming a path inside the kubeconfig', () => {
    const err = invalid([
      { field: 'name', reason: 'FieldValueInvalid', message: 'Invalid value: "local": is the name of this server’s own engine' },
      { field: 'kubeconfig.users[me].user.client-key', reason: 'FieldValueForbidden', message: 'Forbidden: a file the server cannot read; embed it as client-key-data (jobyard clusters add does)' },
      { field: 'kubeconfig', reason: 'FieldValueRequired', message: 'Required value' },
      { field: 'context', reason: 'FieldValueNotFound', message: 'Not found: "staging"' },
    ]);
    expect(clusterFormErrors(err)).toEqual({
      fields: {
        name: ['Invalid value: "local": is the name of this server’s own engine'],
        kubeconfig: ['users[me].user.client-key: Forbidden: a file the server cannot read; embed it as client-key-data (jobyard clusters add does)', 'Required value'],
        context: ['Not found: "staging"'],
      },
      general: [],
    });
  });

  it('shows a taken name at the name field, and anything else apart', () => {
    const exists = apiErrorFrom(409, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 409, reason: 'AlreadyExists', message: 'clusters.clusters.jobyard.io "prod" already exists' }));
    expect(clusterFormErrors(exists)).toEqual({ fields: { name: ['clusters.clusters.jobyard.io "prod" already exists'] }, general: [] });
    expect(clusterFormErrors(new ApiError(400, 'the request body is empty'))).toEqual({ fields: {}, general: ['the request body is empty'] });
    expect(clusterFormErrors(invalid([{ field: 'spec', reason: 'FieldValueInvalid', message: 'Invalid value' }])).general).toEqual(['spec: Invalid value']);
    expect(clusterFormErrors(new TypeError('Failed to fetch')).general).toEqual(['Failed to fetch']);
  });
});
