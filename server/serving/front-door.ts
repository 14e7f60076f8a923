// The front door every request and every upgrade goes through, on both sides of the one port:
//
//   1. before routing (Fastify's rewriteUrl): the request target is normalized once
//      (request-target.ts) and req.url rewritten, so the router and the decision below see the
//      very same path; a target that cannot be normalized is marked refused;
//   2. first hook of the matched route (onRequest): who is asking (bearer token, or a console
//      session looked up in the store); a refused target answers 401 to strangers and 400 to
//      callers with credentials; deny by default: only routes registered with
//      `config: { public: true }` answer without credentials;
//   3. browser writes (a session cookie on anything but GET/HEAD/OPTIONS, a cookie-authenticated
//      WebSocket upgrade, and the public /auth writes): Origin and Sec-Fetch-Site must say the
//      console's own origin, the CSRF header must match the session, and the body must be one
//      of the types Kubernetes takes as JSON or YAML (never text/plain, a form or multipart).
import type http from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, failureStatus, forbidden, StatusError, unauthorized } from '../../machinery/index.js';
import type { UserInfo } from '../../api/index.js';
import { Authenticator, CSRF_HEADER, type Principal, readCookie, SESSION_COOKIE } from './auth.js';
import { authorize, forbiddenError } from './authorizer.js';
import { isTokenOnlySocket } from './listener.js';
import { normalizeRequestTarget } from './request-target.js';

/** What a route says about itself in its config: answered without credentials. */
export interface RouteAccess {
  public?: boolean;
}

export const PUBLIC_ROUTE: Readonly<RouteAccess> = Object.freeze({ public: true });

/** Body types a browser write may carry: what the API decodes, none a cross-site form can send. */
export const BROWSER_WRITE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
  'application/yaml',
]);

// A path normalization never produces ("%25" is refused), so no client can ask for it.
const REFUSED_URL = '/%25refused';
const refusals = new WeakMap<http.IncomingMessage, string>();
const principals = new WeakMap<http.IncomingMessage, Principal>();

/** Step 1, Fastify's rewriteUrl: the normalized target, or a marker for the hook to refuse. */
export function rewriteRequestUrl(req: http.IncomingMessage): string {
  const target = normalizeRequestTarget(req.url);
  if (target.ok) return target.url;
  refusals.set(req, target.reason);
  return REFUSED_URL;
}

/** The identity the front door gave a request (undefined: an anonymous public request). */
export function principalOf(req: http.IncomingMessage): Principal | undefined {
  return principals.get(req);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** upstream's RequestInfo verb of a non-resource request: the method in lower case, HEAD as get. */
function nonResourceVerb(method: string): string {
  return method === 'HEAD' ? 'get' : method.toLowerCase();
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isEncrypted(req: http.IncomingMessage): boolean {
  return Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

/** scheme://host[:port] the browser used to reach us: the listener's scheme and the Host header. */
export function ownOrigin(req: http.IncomingMessage): string | undefined {
  const host = header(req, 'host');
  if (!host) return undefined;
  try {
    return new URL(`${isEncrypted(req) ? 'https' : 'http'}://${host}`).origin;
  } catch {
    return undefined;
  }
}

function originOf(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Origin and Sec-Fetch-Site of a browser write or upgrade: the console's own origin only. */
function checkSameOrigin(req: http.IncomingMessage, what: string): void {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') {
    throw forbidden(`${what} from another site (Sec-Fetch-Site: ${site}): the console may send it only from its own origin`);
  }
  const origin = header(req, 'origin');
  if (origin === undefined) {
    if (site === 'same-origin') return;
    throw forbidden(`${what} without an Origin header: the console's browser always sends one`);
  }
  const own = ownOrigin(req);
  if (!own || originOf(origin) !== own) {
    throw forbidden(`${what} from ${JSON.stringify(origin)}: the console may send it only from its own origin${own ? ` (${own})` : ''}`);
  }
}

function checkBrowserBody(req: http.IncomingMessage): void {
  const contentType = header(req, 'content-type');
  const length = header(req, 'content-length');
  const hasBody = header(req, 'transfer-encoding') !== undefined || (length !== undefined && length !== '0');
  if (contentType === undefined && !hasBody) return;
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!BROWSER_WRITE_CONTENT_TYPES.has(media)) {
    throw new StatusError(
      failureStatus(
        415,
        'UnsupportedMediaType',
        `a console write must carry one of ${[...BROWSER_WRITE_CONTENT_TYPES].join(', ')}; got ${JSON.stringify(contentType ?? '')}`,
      ),
    );
  }
}

/** Service-account tokens (server/serviceaccount): the user a token authenticates, or undefined. */
export type BearerTokenAuthenticator = (token: string) => Promise<UserInfo | undefined>;

export interface FrontDoorOptions {
  /** Tokens other than the administrator's: service-account JWTs. */
  serviceAccountTokens?: BearerTokenAuthenticator;
  /** Route URLs whose handlers authorize each request by its resource (the resource routes). */
  resourceRoutes?: ReadonlySet<string>;
}

/** Who is asking: the token's holder, a service account, a live console session, or nobody. A wrong token is 401 everywhere. */
async function authenticate(auth: Authenticator, req: http.IncomingMessage, opts: FrontDoorOptions): Promise<Principal | undefined> {
  const bearer = Authenticator.bearer(header(req, 'authorization'));
  if (bearer !== undefined) {
    if (auth.checkToken(bearer)) return { kind: 'token' };
    const user = opts.serviceAccountTokens ? await opts.serviceAccountTokens(bearer) : undefined;
    if (user) return { kind: 'serviceaccount', user };
    throw unauthorized();
  }
  // The address pods reach takes bearer tokens only: a console cookie means nothing there.
  if (isTokenOnlySocket(req.socket)) return undefined;
  return auth.session(readCookie(header(req, 'cookie'), SESSION_COOKIE));
}

/** Steps 2 and 3: the onRequest hook, first of every route (and of the not-found handler). */
export function frontDoorHook(auth: Authenticator, opts: FrontDoorOptions = {}) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const req = request.raw;
    const principal = await authenticate(auth, req, opts);
    const refused = refusals.get(req);
    if (refused !== undefined) {
      if (!principal) throw unauthorized();
      throw badRequest(`the request target ${JSON.stringify(request.originalUrl)} is refused (${refused})`);
    }
    const isPublic = (request.routeOptions.config as RouteAccess | undefined)?.public === true;
    if (!principal && !isPublic) throw unauthorized();
    if (principal) principals.set(req, principal);
    // A service account is authorized here for paths outside the resource API (the resource
    // handlers decide the others by group, resource and namespace): discovery, health, OpenAPI,
    // the issuer's keys, and nothing else (no /metrics, logs service or clusters).
    if (principal?.kind === 'serviceaccount' && !isPublic && !opts.resourceRoutes?.has(request.routeOptions.url ?? '')) {
      const attributes = { path: request.url.split('?')[0]!, verb: nonResourceVerb(request.method) };
      if (!authorize(principal.user, attributes).allowed) throw forbiddenError(principal.user, attributes);
    }

    const write = !SAFE_METHODS.has(request.method);
    const upgrade = header(req, 'upgrade') !== undefined;
    if (isPublic && write) {
      // Sign-in and sign-out: a page elsewhere may neither sign the browser in nor out.
      checkSameOrigin(req, `${request.method} ${request.routeOptions.url ?? ''}`);
      checkBrowserBody(req);
    } else if (principal?.kind === 'session' && (write || upgrade)) {
      checkSameOrigin(req, upgrade ? 'a console session upgrade' : 'a console session write');
      // Browsers cannot add headers to a WebSocket handshake; Origin is its guard.
      if (write) {
        if (!auth.checkCsrf(principal, header(req, CSRF_HEADER))) {
          throw forbidden('missing or invalid CSRF token (send the X-CSRF-Token header the session gave)');
        }
        checkBrowserBody(req);
      }
    }
  };
}
