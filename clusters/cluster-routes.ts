// The deploy targets over HTTP, registered on the API server (through buildApiServer's
// `extraRoutes`, so its authentication applies first):
//
//   GET    /clusters                  ClusterList: `local` first, then the added ones, probed
//   POST   /clusters                  add one from a kubeconfig (ClusterCreateRequest)
//   GET    /clusters/{name}           one Cluster, probed
//   DELETE /clusters/{name}           remove an added cluster
//   *      /clusters/{name}/{path}    proxied to that cluster's API server as {server}/{path},
//                                     with the kubeconfig's credentials (streams: watch, logs)
//
// The proxy is how the console, and any client of this server, deploys to a real cluster
// unchanged: the same Kubernetes requests, another API root. The caller's own credentials
// (token, session cookie, CSRF header) are never passed on; the cluster's are added.
import http from 'node:http';
import https from 'node:https';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KubeConfig } from '@kubernetes/client-node';
import { CLUSTERS_API_VERSION, CLUSTERS_PATH, type Cluster, type ClusterList, type ClusterStatus, LOCAL_CLUSTER_NAME, type Status } from '../api/index.js';
import { badRequest, type Clock, failureStatus, notFound, realClock, StatusError } from '../machinery/index.js';
import { type Upgrade, upgradeOf } from '../machinery/httpstream/upgrade.js';
import type { ClusterStore, StoredCluster } from './cluster-store.js';

export interface ClusterRoutesDeps {
  store: ClusterStore;
  /** This server's API URL and version, for `local`. */
  local: () => { server: string; version: string };
  clock?: Clock;
  /** How long a probe (GET /version) may take. @defaultValue 3 s */
  probeTimeoutMs?: number;
  /** How long the proxy waits for a cluster to answer a request (not a stream). @defaultValue 30 s */
  requestTimeoutMs?: number;
}

/** Request headers not passed on: hop-by-hop, and the caller's credentials for this server. */
const DROPPED_REQUEST_HEADERS = new Set([
  'authorization',
  'cookie',
  'x-csrf-token',
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'set-cookie', 'proxy-authenticate']);

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The request options for `path` on the cluster, with its credentials and TLS settings. */
async function clusterRequestOptions(kc: KubeConfig, method: string, path: string, headers: http.OutgoingHttpHeaders): Promise<{ url: URL; options: https.RequestOptions }> {
  const base = new URL(kc.getCurrentCluster()?.server ?? '');
  // The server URL may carry a path (a proxy in front of the cluster); keep it.
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${path}`, base);
  const options: https.RequestOptions = { method, headers: { ...headers } };
  await kc.applyToHTTPSOptions(options);
  return { url, options };
}

function transport(url: URL): typeof https | typeof http {
  return url.protocol === 'http:' ? http : https;
}

/** Why a cluster did not answer, in words that hold no credentials. */
function unreachableMessage(name: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const message = e.message || String(err);
  const why = e.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
  return `cluster "${name}" is unreachable: ${why.split('\n')[0]}`;
}

export class ClusterProber {
  private readonly deps: ClusterRoutesDeps;

  constructor(deps: ClusterRoutesDeps) {
    this.deps = deps;
  }

  /** GET /version on the cluster. */
  async probe(name: string, kc: KubeConfig): Promise<ClusterStatus> {
    const now = rfc3339((this.deps.clock ?? realClock).now());
    try {
      const { url, options } = await clusterRequestOptions(kc, 'GET', '/version', { accept: 'application/json' });
      const body = await new Promise<{ code: number; text: string }>((resolve, reject) => {
        const req = transport(url).request(url, { ...options, timeout: this.deps.probeTimeoutMs ?? 3000 }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (text.length < 65536) text += c;
          });
          res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${(this.deps.probeTimeoutMs ?? 3000) / 1000} s`), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end();
      });
      if (body.code === 401 || body.code === 403) return { reachable: false, message: `cluster "${name}" refused the kubeconfig's credentials (HTTP ${body.code})`, lastProbeTime: now };
      if (body.code !== 200) return { reachable: false, message: `cluster "${name}" answered GET /version with HTTP ${body.code}`, lastProbeTime: now };
      let version: string | undefined;
      try {
        version = (JSON.parse(body.text) as { gitVersion?: string }).gitVersion;
      } catch {
        // not JSON: reachable, version unknown
      }
      return { reachable: true, ...(version ? { version } : {}), lastProbeTime: now };
    } catch (err) {
      return { reachable: false, message: unreachableMessage(name, err), lastProbeTime: now };
    }
  }
}

function localCluster(deps: ClusterRoutesDeps): Cluster {
  const local = deps.local();
  const now = rfc3339((deps.clock ?? realClock).now());
  return {
    apiVersion: CLUSTERS_API_VERSION,
    kind: 'Cluster',
    metadata: { name: LOCAL_CLUSTER_NAME },
    spec: { server: local.server, local: true },
    status: { reachable: true, version: local.version, lastProbeTime: now },
  };
}

function sendJson(reply: FastifyReply, code: number, body: unknown): FastifyReply {
  return reply.code(code).type('application/json').send(JSON.stringify(body));
}

/** The cluster a /clusters/{name}... path names, or a 404 Status. */
function storedOrNotFound(store: ClusterStore, name: string): StoredCluster {
  const c = store.get(name);
  if (!c) throw notFound('clusters', 'clusters.jobyard.io', name);
  return c;
}

function readJsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body;
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (!text.trim()) throw badRequest('the request body is empty; send a ClusterCreateRequest: {"name": ..., "kubeconfig": ..., "context": ...}');
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw badRequest('the request body is not a JSON object (a ClusterCreateRequest)');
  }
}

/** Passes one request to the cluster and its answer back, streaming both ways. */
async function proxy(name: string, kc: KubeConfig, path: string, request: FastifyRequest, reply: FastifyReply, timeoutMs: number): Promise<void> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(request.headers)) {
    if (v === undefined || DROPPED_REQUEST_HEADERS.has(k) || k.startsWith('impersonate-')) continue;
    headers[k] = v;
  }
  let target: { url: URL; options: https.RequestOptions };
  try {
    target = await clusterRequestOptions(kc, request.method, path, headers);
  } catch (err) {
    throw new StatusError(failureStatus(503, 'ServiceUnavailable', unreachableMessage(name, err)));
  }
  const { url, options } = target;
  const upgrade = upgradeOf(request.raw);
  if (upgrade && request.headers.upgrade) return proxyUpgrade(name, url, options, String(request.headers.upgrade), upgrade, reply);
  const streaming = /[?&](watch=(true|1)|follow=(true|1))(&|$)/.test(path);
  reply.hijack();
  const res = reply.raw;
  const upstream = transport(url).request(url, options, (answer) => {
    const out: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !DROPPED_RESPONSE_HEADERS.has(k)) out[k] = v;
    res.writeHead(answer.statusCode ?? 502, out);
    if (streaming) res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  if (!streaming) upstream.setTimeout(timeoutMs, () => upstream.destroy(Object.assign(new Error(`no answer in ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
  upstream.on('error', (err) => {
    if (res.headersSent) return void res.destroy();
    const status: Status = failureStatus(503, 'ServiceUnavailable', unreachableMessage(name, err));
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status));
  });
  // The caller went away (a closed watch): so does the request to the cluster.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  request.raw.pipe(upstream);
}

/**
 * An upgrade (`kubectl exec`, the console's terminal) passed on: the cluster's 101 goes back
 * as it came (without cookies), then bytes flow both ways until either side closes; any other
 * answer (401, 400 Status) is passed back as an ordinary response.
 */
function proxyUpgrade(name: string, url: URL, options: https.RequestOptions, protocol: string, upgrade: Upgrade, reply: FastifyReply): void {
  reply.hijack();
  const res = reply.raw;
  const client = upgrade.socket;
  const upstream = transport(url).request(url, { ...options, headers: { ...options.headers, connection: 'Upgrade', upgrade: protocol } });
  upstream.on('upgrade', (answer, remote, remoteHead) => {
    const head = ['HTTP/1.1 101 Switching Protocols'];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      if (answer.rawHeaders[i]!.toLowerCase() !== 'set-cookie') head.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    }
    client.write(`${head.join('\r\n')}\r\n\r\n`);
    if (remoteHead.length) client.write(remoteHead);
    if (upgrade.head.length) remote.write(upgrade.head);
    remote.pipe(client).on('error', () => remote.destroy());
    client.pipe(remote).on('error', () => client.destroy());
    remote.on('close', () => client.destroy());
    client.on('close', () => remote.destroy());
    remote.on('error', () => client.destroy());
  });
  upstream.on('response', (answer) => {
    const out: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !DROPPED_RESPONSE_HEADERS.has(k)) out[k] = v;
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on('error', (err) => {
    if (res.headersSent || !client.writable) return void client.destroy();
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(failureStatus(503, 'ServiceUnavailable', unreachableMessage(name, err))));
  });
  upstream.end();
}

export function registerClusterRoutes(app: FastifyInstance, deps: ClusterRoutesDeps): void {
  const prober = new ClusterProber(deps);
  const { store } = deps;

  app.get(CLUSTERS_PATH, async (_request, reply) => {
    const { items } = store.list();
    const probed = await Promise.all(items.map(async (c) => ({ ...c.cluster, status: await prober.probe(c.cluster.metadata.name ?? '', c.kubeConfig) })));
    const list: ClusterList = { apiVersion: CLUSTERS_API_VERSION, kind: 'ClusterList', metadata: {}, items: [localCluster(deps), ...probed] };
    return sendJson(reply, 200, list);
  });

  app.post(CLUSTERS_PATH, async (request, reply) => {
    const body = readJsonBody(request);
    const stored = store.add(body);
    return sendJson(reply, 201, { ...stored.cluster, status: await prober.probe(stored.cluster.metadata.name ?? '', stored.kubeConfig) });
  });

  app.get(`${CLUSTERS_PATH}/:name`, async (request, reply) => {
    const { name } = request.params as { name: string };
    if (name === LOCAL_CLUSTER_NAME) return sendJson(reply, 200, localCluster(deps));
    const c = storedOrNotFound(store, name);
    return sendJson(reply, 200, { ...c.cluster, status: await prober.probe(name, c.kubeConfig) });
  });

  app.delete(`${CLUSTERS_PATH}/:name`, async (request, reply) => {
    const { name } = request.params as { name: string };
    if (name === LOCAL_CLUSTER_NAME) throw new StatusError(failureStatus(422, 'Invalid', `cluster "${LOCAL_CLUSTER_NAME}" is this server's own engine and cannot be removed`));
    store.remove(name);
    return sendJson(reply, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: 'clusters.jobyard.io', kind: 'clusters' } });
  });

  // The proxy, with bodies passed on as they come (any content type, any size: the cluster decides).
  void app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    child.all(`${CLUSTERS_PATH}/:name/*`, async (request, reply) => {
      const { name } = request.params as { name: string };
      if (name === LOCAL_CLUSTER_NAME) throw badRequest(`cluster "${LOCAL_CLUSTER_NAME}" is this server: send the request to ${request.url.slice(`${CLUSTERS_PATH}/${LOCAL_CLUSTER_NAME}`.length) || '/'} directly`);
      const c = storedOrNotFound(store, name);
      // The raw path after /clusters/{name}, query included, exactly as sent.
      const prefix = `${CLUSTERS_PATH}/${encodeURIComponent(name)}`;
      const raw = request.url.startsWith(prefix) ? request.url.slice(prefix.length) : request.url.slice(request.url.indexOf('/', CLUSTERS_PATH.length + 1));
      // "/.." would climb out of a server URL's own path (a proxy's prefix) once resolved.
      const pathOnly = raw.split('?')[0];
      let decoded = pathOnly;
      try {
        decoded = decodeURIComponent(pathOnly);
      } catch {
        throw badRequest('the path is not valid percent-encoding');
      }
      if (decoded.split('/').some((seg) => seg === '..' || seg === '.')) throw badRequest('the path may not contain "." or ".." segments');
      await proxy(name, c.kubeConfig, raw.startsWith('/') ? raw : `/${raw}`, request, reply, deps.requestTimeoutMs ?? 30_000);
    });
  });
}
