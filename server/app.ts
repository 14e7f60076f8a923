// buildApiServer: the API server as a Fastify app (no listen here; see serving/listener.ts).
// Order of a request: the front door (serving/front-door.ts: one normalized path, then
// authentication on the matched route, deny by default, browser-write checks) →
// discovery / OpenAPI / resource handlers → Status errors.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import http from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import { StatusError, failureStatus, type Clock } from '../machinery/index.js';
import { PROTOBUF_CONTENT_TYPE } from '../machinery/protobuf/index.js';
import type { GenericRegistry } from './registry/generic-registry.js';
import type { ResourceDefinition } from './registry/resource.js';
import { ResourceCatalog } from './registry/catalog.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, groupsOf, type VersionInfo } from './handlers/discovery.js';
import { notFoundResponse, registerResourceRoutes, sendStatusError } from './handlers/resource-handlers.js';
import type { OpenAPIV2RequestHeaders, OpenAPIV2Service } from './openapi/v2-serving.js';
import type { InProcessTransport } from '../api/in-process.js';
import { inProcessDispatch } from './handlers/in-process.js';
import type { PodLogProvider, PodStreamProvider } from '../api/core-streams.js';
import type { ResourceMetricsProvider } from '../api/metrics.js';
import { type UpgradeListener, upgradeDispatcher } from '../machinery/httpstream/upgrade.js';
import { ADMIN_USER, Authenticator, SESSION_COOKIE, clearSessionCookieHeader, readCookie, sessionCookieHeader, userOfPrincipal } from './serving/auth.js';
import { authorize, forbiddenError } from './serving/authorizer.js';
import { type BearerTokenAuthenticator, frontDoorHook, principalOf, PUBLIC_ROUTE, rewriteRequestUrl } from './serving/front-door.js';
import type { ServiceAccountTokens } from './serviceaccount/tokens.js';
import { CONSOLE_ROUTES } from './serving/console-routes.js';
import { discardRefusedBody } from './serving/refused-body.js';
import { installHealthz, pingCheck, postStartHookCheck, type HealthCheck } from './handlers/healthz.js';
import { recordRequest, registerApiServerMetrics } from './metrics.js';
import { legacyRegistry } from '../machinery/metrics/index.js';

/**
 * Fastify builds its JSON-schema compilers (ajv and fast-json-stringify, about 100 modules) when
 * the app is made, though no route here declares a schema: these build them on first use. Given
 * as factories, Fastify counts them as custom, which changes one thing: a `headers` schema would
 * be compiled as written, so its keys must be lower case.
 */
const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Factory<K extends keyof CompilersFactory> = NonNullable<CompilersFactory[K]>;
let validatorFactory: Factory<'buildValidator'> | undefined;
let serializerFactory: Factory<'buildSerializer'> | undefined;
const lazyCompilersFactory: CompilersFactory = {
  buildValidator: (...args) => (validatorFactory ??= (fastifyRequire('@fastify/ajv-compiler') as () => Factory<'buildValidator'>)())(...args),
  buildSerializer: (...args) => (serializerFactory ??= (fastifyRequire('@fastify/fast-json-stringify-compiler') as () => Factory<'buildSerializer'>)())(...args),
};

/** What the OpenAPI documents look like to the server: built once, served as JSON. */
export interface OpenAPIProvider {
  /** The /openapi/v3 root document. */
  root(): unknown;
  /** The document for "api/v1" or "apis/batch/v1", or undefined. */
  document(path: string): unknown;
  /** The /openapi/v2 document in its served forms. */
  v2?(): OpenAPIV2Service;
}

export interface ApiServerDeps {
  registry: GenericRegistry;
  resources: ResourceDefinition[];
  /** The served resources when they change at run time (CRDs); absent: `resources`, fixed. */
  catalog?: ResourceCatalog;
  clock: Clock;
  authenticator: Authenticator;
  version: VersionInfo;
  openapi?: OpenAPIProvider;
  podLogs?: PodLogProvider;
  podStreams?: PodStreamProvider;
  /** The node's resource usage, for metrics.k8s.io. */
  resourceMetrics?: ResourceMetricsProvider;
  /** The built console (web/dist); the console is not served when absent. */
  consoleDir?: string;
  /** host:port clients use, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
  bookmarkIntervalSeconds?: number;
  logger?: boolean | object;
  /** Extra routes of other parts (clusters, logs), registered after authentication. */
  extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
  /** Service accounts: their tokens' issuer (TokenRequest, the OIDC documents) and authenticator. */
  serviceAccounts?: { tokens: ServiceAccountTokens; authenticate: BearerTokenAuthenticator; jwksUri: () => string };
}

/** The resource routes: their handler authorizes each request by group, resource and namespace. */
const RESOURCE_ROUTES: ReadonlySet<string> = new Set(['/api/v1/*', '/apis/:group/:version/*']);

export interface BuiltApiServer {
  app: FastifyInstance;
  /** The request handler the listeners share (HTTP and HTTPS on one port). */
  handler: http.RequestListener;
  /** Their 'upgrade' listener: upgrades go through the same routes and hooks. */
  upgrade: UpgradeListener;
  /** The same routes and hooks for clients in this process, without a socket (handlers/in-process.ts). */
  inProcess: InProcessTransport;
  /** From now on /readyz fails its shutdown check (load balancers stop sending), as upstream's during shutdown. */
  startShutdown(): void;
}

const API_PREFIXES = ['/api', '/apis', '/openapi', '/version', '/clusters', '/logs', '/jobyard', '/livez', '/readyz', '/healthz', '/metrics'];

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

function isEncrypted(request: FastifyRequest): boolean {
  return Boolean((request.raw.socket as { encrypted?: boolean }).encrypted);
}

/**
 * 413 for a body over the route's limit, with upstream's message. The client may still be
 * sending: the rest is read (bounded) first, so it reads the answer rather than a reset.
 */
async function refuseTooLargeBody(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  // Read to its end, the connection is as good as any: it need not be closed.
  if (await discardRefusedBody(request.raw)) reply.removeHeader('connection');
  return sendStatusError(reply, new StatusError(failureStatus(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${request.routeOptions.bodyLimit}`)));
}

export async function buildApiServer(deps: ApiServerDeps): Promise<BuiltApiServer> {
  let captured: http.RequestListener | undefined;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 3 * 1024 * 1024,
    schemaController: { compilersFactory: lazyCompilersFactory },
    // Kubernetes names may hold dots and colons; keep paths as sent.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    // The front door's first step, before routing: the router sees the normalized path.
    rewriteUrl: (req) => rewriteRequestUrl(req),
    serverFactory: (handler) => {
      captured = handler as http.RequestListener;
      return http.createServer(handler);
    },
  });

  // Bodies are parsed by the handlers, which know the content types Kubernetes uses.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // Kubernetes protobuf (kubectl's typed clients send it): bytes, decoded with the resource's schema.
  app.addContentTypeParser(PROTOBUF_CONTENT_TYPE, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // What is served right now: the built-in resources and those CRDs add (read on every request).
  const catalog = deps.catalog ?? new ResourceCatalog(deps.resources);
  const resolve = (group: string, version: string, resource: string) => catalog.resolve(group, version, resource);

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof StatusError) return sendStatusError(reply, err);
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refuseTooLargeBody(request, reply);
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      const reason = e.statusCode === 413 ? 'RequestEntityTooLarge' : e.statusCode === 415 ? 'UnsupportedMediaType' : 'BadRequest';
      return sendStatusError(reply, new StatusError(failureStatus(e.statusCode, reason, e.message ?? 'bad request')));
    }
    request.log.error({ err }, 'internal error');
    return sendStatusError(reply, new StatusError(failureStatus(500, 'InternalError', 'Internal error occurred: an unexpected error; see the server log')));
  });

  // ---- authentication (deny by default: only routes with PUBLIC_ROUTE config answer strangers) ----
  app.addHook('onRequest', frontDoorHook(deps.authenticator, { serviceAccountTokens: deps.serviceAccounts?.authenticate, resourceRoutes: RESOURCE_ROUTES }));

  // ---- durability before the answer ------------------------------------------------------
  // With group commit a write returns before its COMMIT: no answer (a write's, or a read's
  // that may have seen it) leaves before the writes so far are on disk; if their group failed,
  // the answer becomes a 500 (nothing of it is stored).
  const store = deps.registry.store;
  app.addHook('onSend', (_request, reply, payload, done) => {
    store.committed().then(
      () => done(null, payload),
      (err: unknown) => {
        reply.log.error({ err }, 'commit failed');
        reply.code(500).type('application/json');
        done(null, JSON.stringify(failureStatus(500, 'InternalError', 'Internal error occurred: the write could not be stored')));
      },
    );
  });

  // ---- health and metrics ----------------------------------------------------------------
  // The roots are public, as upstream serves them to anyone (system:public-info-viewer), and
  // withhold why a check failed; /<endpoint>/<check> and /metrics need the token.
  // "etcd" is upstream's name for the storage check: here a read of the SQLite store (state.db).
  let shuttingDown = false;
  const storageCheck: HealthCheck = { name: 'etcd', check: () => store.healthCheck?.() };
  // The default namespaces are made before the app is built (createApiServer's bootstrap), as
  // upstream's bootstrap-controller hook makes them before the server is ready.
  const bootstrapped = postStartHookCheck('bootstrap-controller', () => true);
  const shutdownCheck: HealthCheck = {
    name: 'shutdown',
    check() {
      if (shuttingDown) throw new Error('process is shutting down');
    },
  };
  installHealthz(app, 'livez', [pingCheck, storageCheck, bootstrapped]);
  installHealthz(app, 'readyz', [pingCheck, storageCheck, bootstrapped, shutdownCheck]);
  installHealthz(app, 'healthz', [pingCheck, storageCheck, bootstrapped]);
  registerApiServerMetrics();
  app.get('/metrics', async (_req, reply) => reply.type(legacyRegistry.contentType).send(await legacyRegistry.metrics()));
  // Counts the requests the resource handler (or a health endpoint) noted, once answered.
  app.addHook('onResponse', (request, reply, done) => {
    recordRequest(request, reply);
    done();
  });

  // ---- console sessions ------------------------------------------------------------------
  const startSession = (request: FastifyRequest, reply: FastifyReply): string => {
    const { cookie, csrfToken } = deps.authenticator.newSession();
    reply.header('Set-Cookie', sessionCookieHeader(cookie, isEncrypted(request)));
    reply.header('Cache-Control', 'no-store');
    return csrfToken;
  };
  app.get('/auth/login', { config: PUBLIC_ROUTE }, async (request, reply) => {
    // Opened from the console URL (a terminal, Sec-Fetch-Site: none), never from another site.
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      throw new StatusError(failureStatus(403, 'Forbidden', `sign-in from another site (Sec-Fetch-Site: ${site}) is refused: open the console URL directly`));
    }
    const token = (request.query as Record<string, string | undefined>).token;
    if (!deps.authenticator.checkToken(token)) return unauthorized(reply);
    startSession(request, reply);
    // Drop the token from the address bar and history.
    return reply.header('Referrer-Policy', 'no-referrer').redirect('/', 303);
  });
  app.post('/auth/login', { config: PUBLIC_ROUTE }, async (request, reply) => {
    // The front door checked Origin; the body is JSON and nothing else (never text/plain).
    const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new StatusError(failureStatus(415, 'UnsupportedMediaType', `sign-in takes application/json ({"token": "..."}); got ${JSON.stringify(request.headers['content-type'] ?? '')}`));
    }
    let token: string | undefined;
    try {
      token = (JSON.parse(String(request.body ?? '{}')) as { token?: string } | null)?.token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !deps.authenticator.checkToken(token)) return unauthorized(reply);
    const csrfToken = startSession(request, reply);
    return reply.type('application/json').send(JSON.stringify({ csrfToken }));
  });
  app.get('/auth/session', { config: PUBLIC_ROUTE }, async (request, reply) => {
    const principal = principalOf(request.raw);
    if (principal?.kind !== 'session') return unauthorized(reply);
    reply.header('Cache-Control', 'no-store');
    return reply.type('application/json').send(JSON.stringify({ authenticated: true, csrfToken: principal.csrfToken }));
  });
  app.post('/auth/logout', { config: PUBLIC_ROUTE }, async (request, reply) => {
    // Revoked in the store: a copy of the cookie is worth nothing from now on.
    deps.authenticator.endSession(readCookie(request.headers.cookie, SESSION_COOKIE));
    reply.header('Set-Cookie', clearSessionCookieHeader(isEncrypted(request)));
    return reply.code(204).send();
  });

  // ---- discovery -------------------------------------------------------------------------
  app.get('/version', async (_req, reply) => reply.type('application/json').send(JSON.stringify(deps.version)));
  app.get('/api', async (_req, reply) => reply.type('application/json').send(JSON.stringify(apiVersions(deps.serverAddress))));
  app.get('/api/v1', async (_req, reply) =>
    reply.type('application/json').send(JSON.stringify(apiResourceList('v1', catalog.all().filter((d) => !d.names.group)))),
  );
  app.get('/apis', async (_req, reply) => reply.type('application/json').send(JSON.stringify(apiGroupList(catalog.all()))));
  app.get('/apis/:group', async (request, reply) => {
    const { group } = request.params as { group: string };
    const versions = groupsOf(catalog.all()).get(group);
    if (!versions) return notFoundResponse(reply);
    return reply.type('application/json').send(JSON.stringify(apiGroup(group, versions)));
  });
  app.get('/apis/:group/:version', async (request, reply) => {
    const { group, version } = request.params as { group: string; version: string };
    const defs = catalog.all().filter((d) => d.names.group === group && d.names.version === version);
    if (!defs.length) return notFoundResponse(reply);
    return reply.type('application/json').send(JSON.stringify(apiResourceList(`${group}/${version}`, defs)));
  });

  // ---- OpenAPI ---------------------------------------------------------------------------
  if (deps.openapi) {
    const openapi = deps.openapi;
    app.get('/openapi/v3', async (_req, reply) => reply.type('application/json').send(JSON.stringify(openapi.root())));
    app.get('/openapi/v3/*', async (request, reply) => {
      const path = (request.params as Record<string, string>)['*'];
      const doc = openapi.document(path);
      if (!doc) return notFoundResponse(reply);
      reply.header('Cache-Control', 'public, immutable');
      return reply.type('application/json').send(JSON.stringify(doc));
    });
    app.get('/openapi/v2', async (request, reply) => {
      // JSON or gnostic protobuf (what client-go's discovery asks for), as kube-openapi's handler.
      const v2 = openapi.v2?.();
      if (!v2) return notFoundResponse(reply);
      const answer = v2.serve(request.headers as OpenAPIV2RequestHeaders);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
  }

  // ---- service account issuer discovery (upstream's /.well-known/openid-configuration) ------
  if (deps.serviceAccounts) {
    const tokens = deps.serviceAccounts.tokens;
    app.get('/.well-known/openid-configuration', async (_req, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=3600')
        .type('application/json')
        .send(JSON.stringify(tokens.openidConfiguration(deps.serviceAccounts!.jwksUri()))),
    );
    app.get('/openid/v1/jwks', async (_req, reply) =>
      reply.header('Cache-Control', 'public, max-age=3600').type('application/jwk-set+json').send(JSON.stringify(await tokens.jwks())),
    );
  }

  // ---- resources -------------------------------------------------------------------------
  registerResourceRoutes(app, {
    registry: deps.registry,
    clock: deps.clock,
    resolve,
    node: { logs: deps.podLogs, streams: deps.podStreams, metrics: deps.resourceMetrics },
    // Every request that reaches the resource routes passed the authentication hook above: the
    // administrator (the token, or a session made from it), or a service account.
    userOf: (request) => userOfPrincipal(principalOf(request.raw)) ?? ADMIN_USER,
    authorize: (request, attributes) => {
      const user = userOfPrincipal(principalOf(request.raw)) ?? ADMIN_USER;
      if (!authorize(user, attributes).allowed) throw forbiddenError(user, attributes);
    },
    serviceAccountTokens: deps.serviceAccounts?.tokens,
    onServedChange: (listener) => catalog.onChange(listener),
    bookmarkIntervalSeconds: deps.bookmarkIntervalSeconds ?? 30,
    log: app.log,
  });

  if (deps.extraRoutes) await deps.extraRoutes(app);

  // ---- console ---------------------------------------------------------------------------
  if (deps.consoleDir && existsSync(deps.consoleDir)) {
    const consoleDir = deps.consoleDir;
    // The built files (/, /index.html, /assets/...) are public: the sign-in page and its code.
    // (@fastify/static names its root in each route's config; wildcard: false makes one route a file.)
    app.addHook('onRoute', (route) => {
      const config = route.config as { rootPath?: string } | undefined;
      if (config?.rootPath !== undefined && resolvePath(config.rootPath) === resolvePath(consoleDir)) route.config = { ...config, ...PUBLIC_ROUTE };
    });
    await app.register(fastifyStatic, { root: consoleDir, prefix: '/', wildcard: false, index: ['index.html'] });
    const shell = async (_request: FastifyRequest, reply: FastifyReply) => {
      reply.header('Cache-Control', 'no-cache');
      return reply.sendFile('index.html');
    };
    // Client-side routes load the app shell, signed in or not (it shows the sign-in page).
    for (const route of CONSOLE_ROUTES) app.get(route, { config: PUBLIC_ROUTE }, shell);
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0];
      if (request.method === 'GET' && !isApiPath(path) && !path.startsWith('/assets/')) {
        // Any other page of a signed-in console (its own "not found" page) loads the app shell too.
        return shell(request, reply);
      }
      return notFoundResponse(reply);
    });
  } else {
    app.setNotFoundHandler((_request, reply) => notFoundResponse(reply));
  }

  await app.ready();
  if (!captured) throw new Error('fastify did not hand over its request handler');
  const handler = captured;
  return {
    app,
    handler,
    upgrade: upgradeDispatcher(handler),
    inProcess: inProcessDispatch(app),
    startShutdown: () => {
      shuttingDown = true;
    },
  };
}

function unauthorized(reply: FastifyReply): FastifyReply {
  return sendStatusError(reply, new StatusError(failureStatus(401, 'Unauthorized', 'Unauthorized')));
}
