import { describe, expect, it } from 'vitest';
import { ApiError, isInvalid, isNotFound } from './api-error.js';
import { KubeClient } from './client.js';
import { FakeFetch, jsonResponse, statusResponse } from './fake-fetch.js';
import { resourcePath, resources } from './resources.js';

describe('resourcePath', () => {
  it('lays out core and group paths as upstream does', () => {
    expect(resourcePath(resources.jobs, { namespace: 'ns' })).toBe('/apis/batch/v1/namespaces/ns/jobs');
    expect(resourcePath(resources.jobs)).toBe('/apis/batch/v1/jobs');
    expect(resourcePath(resources.pods, { namespace: 'ns', name: 'p', subresource: 'log' })).toBe('/api/v1/namespaces/ns/pods/p/log');
    expect(resourcePath(resources.namespaces, { namespace: 'ignored', name: 'dev' })).toBe('/api/v1/namespaces/dev');
  });
});

describe('KubeClient', () => {
  it('prefixes every path with the cluster’s base URL', async () => {
    const fake = new FakeFetch().on(() => jsonResponse({ metadata: {}, items: [] }));
    await new KubeClient({ baseUrl: '/clusters/prod/', fetch: fake.fetch }).list(resources.jobs, { namespace: 'a' });
    expect(fake.requests[0].url.pathname).toBe('/clusters/prod/apis/batch/v1/namespaces/a/jobs');
  });

  it('sends the CSRF token on writes only', async () => {
    const fake = new FakeFetch().on((r) => jsonResponse(r.method === 'GET' ? { metadata: {}, items: [] } : { metadata: { name: 'x' } }));
    const client = new KubeClient({ baseUrl: '', fetch: fake.fetch, csrfToken: () => 'tok' });
    await client.list(resources.jobs);
    await client.patch(resources.jobs, 'ns', 'x', { spec: { suspend: true } });
    await client.delete(resources.jobs, 'ns', 'x', { propagationPolicy: 'Background' });
    expect(fake.requests.map((r) => [r.method, r.headers['X-CSRF-Token']])).toEqual([
      ['GET', undefined],
      ['PATCH', 'tok'],
      ['DELETE', 'tok'],
    ]);
    expect(fake.requests[1].headers['Content-Type']).toBe('application/merge-patch+json');
    expect(fake.requests[2].body).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
  });

  it('creates with a server-side dry run and strict field validation', async () => {
    const fake = new FakeFetch().on((r) => jsonResponse(r.body, 201));
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'a', namespace: 'ns' }, spec: { template: { spec: { containers: [] } } } };
    await new KubeClient({ baseUrl: '', fetch: fake.fetch }).create(resources.jobs, job, { dryRun: true, fieldValidation: 'Strict' });
    expect(fake.requests[0].url.pathname).toBe('/apis/batch/v1/namespaces/ns/jobs');
    expect(fake.requests[0].url.search).toBe('?dryRun=All&fieldValidation=Strict');
  });

  it('throws the server’s Status as ApiError with its causes', async () => {
    const causes = [{ field: 'spec.template.spec.containers[0].image', reason: 'FieldValueRequired', message: 'Required value' }];
    const fake = new FakeFetch().on(() => statusResponse(422, 'Invalid', 'Job.batch "a" is invalid', causes));
    const err = await new KubeClient({ baseUrl: '', fetch: fake.fetch }).get(resources.jobs, 'ns', 'a').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(isInvalid(err)).toBe(true);
    expect(err.code).toBe(422);
    expect(err.causes).toEqual(causes);
    expect(err.message).toBe('Job.batch "a" is invalid');
  });

  it('turns a non-Status error body into an ApiError with the HTTP code', async () => {
    const fake = new FakeFetch().on(() => new Response('404 page not found', { status: 404 }));
    const err = await new KubeClient({ baseUrl: '', fetch: fake.fetch }).get(resources.jobs, 'ns', 'a').catch((e) => e);
    expect(err.code).toBe(404);
    expect(isNotFound(err)).toBe(true);
    expect(err.message).toBe('404 page not found');
  });

  it('calls onUnauthorized on 401', async () => {
    let called = 0;
    const fake = new FakeFetch().on(() => statusResponse(401, 'Unauthorized'));
    await new KubeClient({ baseUrl: '', fetch: fake.fetch, onUnauthorized: () => called++ }).list(resources.pods).catch(() => undefined);
    expect(called).toBe(1);
  });

  it('streams log lines with the query upstream uses', async () => {
    const fake = new FakeFetch().on(() => new Response('2026-01-01T00:00:01.5Z hello\n2026-01-01T00:00:02Z world\n'));
    const lines: string[] = [];
    for await (const l of new KubeClient({ baseUrl: '', fetch: fake.fetch }).logs('ns', 'p', { container: 'c', follow: true, tailLines: 20, timestamps: true })) lines.push(l);
    expect(lines).toEqual(['2026-01-01T00:00:01.5Z hello', '2026-01-01T00:00:02Z world']);
    expect(fake.requests[0].url.pathname).toBe('/api/v1/namespaces/ns/pods/p/log');
    expect(Object.fromEntries(fake.requests[0].url.searchParams)).toEqual({ container: 'c', follow: 'true', tailLines: '20', timestamps: 'true' });
  });
});
