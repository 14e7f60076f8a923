import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StatusError, isConflict, isInvalid, isNotFound } from '../machinery/index.js';
import { RequestError, RestClient, loadKubeconfig, parseKubeconfig, parseWarningHeaders, statusErrorFromResponse } from './rest-client.js';
import { FakeApiServer, sendJson, statusBody } from './testing/fake-api-server.js';
import { type TestPki, makeTestPki } from './testing/tls.js';

let server: FakeApiServer | undefined;
let client: RestClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
});

describe('RestClient over HTTP', () => {
  it('sends the bearer token and JSON, and parses the JSON answer', async () => {
    server = await FakeApiServer.start();
    server.on('POST', /^\/api\/v1\/namespaces\/default\/configmaps$/, (req, res) => sendJson(res, 201, { ...(req.json as object), created: true }));
    client = new RestClient({ server: server.url, token: 'sekret' });

    const res = await client.request<{ metadata: { name: string }; created: boolean }>({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      query: { fieldManager: 'test', dryRun: undefined },
      body: { metadata: { name: 'a' } },
    });

    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({ metadata: { name: 'a' }, created: true });
    const req = server.requests[0];
    expect(req.headers.authorization).toBe('Bearer sekret');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.accept).toBe('application/json');
    expect(req.query.get('fieldManager')).toBe('test');
    expect(req.query.has('dryRun')).toBe(false);
  });

  it('throws a Status body as a StatusError the guards recognise', async () => {
    server = await FakeApiServer.start();
    server.on('GET', /pods\/missing$/, (_req, res) => sendJson(res, 404, statusBody(404, 'NotFound', 'pods "missing" not found')));
    server.on('PUT', /pods\/stale$/, (_req, res) =>
      sendJson(res, 409, statusBody(409, 'Conflict', 'Operation cannot be fulfilled on pods "stale": the object has been modified')),
    );
    client = new RestClient({ server: server.url });

    const notFound = await client.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/missing' }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(StatusError);
    expect(isNotFound(notFound)).toBe(true);
    expect((notFound as StatusError).message).toBe('pods "missing" not found');
    expect((notFound as StatusError).code).toBe(404);

    const stale = await client.request({ method: 'PUT', path: '/api/v1/namespaces/default/pods/stale', body: {} }).catch((e: unknown) => e);
    expect(isConflict(stale)).toBe(true);
  });

  it('maps a non-Status error body to the reason for its code', async () => {
    server = await FakeApiServer.start();
    server.on('GET', /boom$/, (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('database on fire');
    });
    server.on('GET', /invalid$/, (_req, res) => {
      res.writeHead(422);
      res.end();
    });
    client = new RestClient({ server: server.url });

    const boom = (await client.request({ method: 'GET', path: '/boom' }).catch((e: unknown) => e)) as StatusError;
    expect(boom.reason).toBe('InternalError');
    expect(boom.code).toBe(500);
    expect(boom.message).toBe('an error on the server ("database on fire") has prevented the request from succeeding');

    const inv = await client.request({ method: 'GET', path: '/invalid' }).catch((e: unknown) => e);
    expect(isInvalid(inv)).toBe(true);
    expect(statusErrorFromResponse(404, '').message).toBe('the server could not find the requested resource');
  });

  it('surfaces Warning headers to the handler and in the response', async () => {
    server = await FakeApiServer.start();
    server.on('GET', /warn$/, (_req, res) =>
      sendJson(res, 200, {}, { Warning: '299 - "metadata.name: this is used in Pod names and hostnames", 299 - "second \\"quoted\\""' }),
    );
    const seen: string[] = [];
    client = new RestClient({ server: server.url, onWarning: (w) => seen.push(w) });

    const res = await client.request({ method: 'GET', path: '/warn' });

    expect(res.warnings).toEqual(['metadata.name: this is used in Pod names and hostnames', 'second "quoted"']);
    expect(seen).toEqual(res.warnings);
  });

  it('times out a request the server never answers', async () => {
    server = await FakeApiServer.start();
    server.on('GET', /hang$/, () => {
      // never answers
    });
    client = new RestClient({ server: server.url, timeoutMs: 50 });

    const err = await client.request({ method: 'GET', path: '/hang' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).code).toBe('ETIMEDOUT');
  });

  it('fails with a RequestError when nothing listens', async () => {
    server = await FakeApiServer.start();
    const url = server.url;
    await server.close();
    server = undefined;
    client = new RestClient({ server: url });

    const err = await client.request({ method: 'GET', path: '/api' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).code).toBe('ECONNREFUSED');
  });

  it('rejects an already aborted request without sending it', async () => {
    server = await FakeApiServer.start();
    client = new RestClient({ server: server.url });
    const ac = new AbortController();
    ac.abort();

    const err = await client.request({ method: 'GET', path: '/api', signal: ac.signal }).catch((e: unknown) => e);

    expect((err as RequestError).code).toBe('ABORT_ERR');
    expect(server.requests).toHaveLength(0);
  });
});

describe('RestClient over HTTPS', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });

  it('trusts the server through the configured CA bundle', async () => {
    server = await FakeApiServer.start({ tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
    server.on('GET', /^\/version$/, (_req, res) => sendJson(res, 200, { gitVersion: 'v1.32.0' }));
    client = new RestClient({ server: server.url, caData: pki.caPem, token: 't' });

    const res = await client.request<{ gitVersion: string }>({ method: 'GET', path: '/version' });

    expect(res.body.gitVersion).toBe('v1.32.0');
    expect(server.requests[0].headers.authorization).toBe('Bearer t');
  });

  it('refuses a server whose certificate no configured CA signed', async () => {
    server = await FakeApiServer.start({ tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
    server.on('GET', /^\/version$/, (_req, res) => sendJson(res, 200, {}));
    client = new RestClient({ server: server.url });

    const err = await client.request({ method: 'GET', path: '/version' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RequestError);
    expect(server.requests).toHaveLength(0);
  });

  it('connects without verification only when insecureSkipTLSVerify is set', async () => {
    server = await FakeApiServer.start({ tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
    server.on('GET', /^\/version$/, (_req, res) => sendJson(res, 200, { ok: true }));
    client = new RestClient({ server: server.url, insecureSkipTLSVerify: true });

    expect((await client.request({ method: 'GET', path: '/version' })).body).toEqual({ ok: true });
  });
});

describe('parseWarningHeaders', () => {
  it('reads several warn-values, with and without dates, and plain text', () => {
    expect(parseWarningHeaders('299 - "a", 299 host "b" "Mon, 02 Jan 2006 15:04:05 GMT"')).toEqual(['a', 'b']);
    expect(parseWarningHeaders(['299 - "x"', 'not a warn value'])).toEqual(['x', 'not a warn value']);
    expect(parseWarningHeaders(undefined)).toEqual([]);
  });
});

describe('loadKubeconfig', () => {
  const kubeconfig = (ca: string) => `apiVersion: v1
kind: Config
current-context: jobyard
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${Buffer.from(ca).toString('base64')}
- name: other
  cluster:
    server: https://other:6443
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: abc123
- name: file-user
  user:
    tokenFile: token.txt
contexts:
- name: jobyard
  context: {cluster: local, user: admin, namespace: team-a}
- name: other
  context: {cluster: other, user: file-user}
`;

  it('takes the current context: server, decoded CA, token and namespace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-'));
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, kubeconfig('-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n'));

    const cfg = loadKubeconfig(path);

    expect(cfg).toEqual({
      server: 'https://127.0.0.1:6443',
      caData: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n',
      token: 'abc123',
      namespace: 'team-a',
      context: 'jobyard',
    });
  });

  it('resolves a named context, a token file next to the kubeconfig and insecure clusters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-'));
    writeFileSync(join(dir, 'token.txt'), 'from-file\n');
    writeFileSync(join(dir, 'config'), kubeconfig('ca'));

    const cfg = loadKubeconfig(join(dir, 'config'), { context: 'other' });

    expect(cfg.server).toBe('https://other:6443');
    expect(cfg.token).toBe('from-file');
    expect(cfg.insecureSkipTLSVerify).toBe(true);
    expect(cfg.namespace).toBe('default');
  });

  it('explains a missing context', () => {
    expect(() => parseKubeconfig(kubeconfig('ca'), { context: 'nope' })).toThrow('kubeconfig: context "nope" not found');
  });
});
