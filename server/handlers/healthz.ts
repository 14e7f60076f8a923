// /livez, /readyz and /healthz as upstream's apiserver answers them (apiserver/pkg/server/healthz):
// "ok" when every check passes; ?verbose lists each check ("[+]ping ok"); a failing check makes
// the answer 500 with "[-]<name> failed: reason withheld" (these paths are public, so the reason
// goes to the log only); ?exclude=<name> skips a check; /<endpoint>/<check> runs one check and
// does say why it failed, for it needs the token (upstream's system:public-info-viewer role
// covers the three root paths only).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage } from '../../machinery/index.js';
import { PUBLIC_ROUTE } from '../serving/front-door.js';
import { noteNonResourceRequest } from '../metrics.js';

/** One named check (upstream healthz.HealthChecker): returns when healthy, throws why not. */
export interface HealthCheck {
  name: string;
  check(): void;
}

export type HealthEndpoint = 'livez' | 'readyz' | 'healthz';

type Query = Record<string, string | string[] | undefined>;

function values(query: Query, name: string): string[] {
  const v = query[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function runCheck(check: HealthCheck): string | undefined {
  try {
    check.check();
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

function plain(reply: FastifyReply, code: number, body: string): FastifyReply {
  return reply.code(code).header('X-Content-Type-Options', 'nosniff').type('text/plain; charset=utf-8').send(body);
}

/** The root endpoint's answer (upstream handleRootHealth), for tests and the route. */
export function rootHealth(name: HealthEndpoint, checks: readonly HealthCheck[], query: Query): { code: number; body: string; failed: string[] } {
  const excluded = new Set(values(query, 'exclude'));
  let out = '';
  const failed: string[] = [];
  for (const check of checks) {
    if (excluded.delete(check.name)) {
      out += `[+]${check.name} excluded: ok\n`;
      continue;
    }
    const reason = runCheck(check);
    if (reason === undefined) out += `[+]${check.name} ok\n`;
    else {
      out += `[-]${check.name} failed: reason withheld\n`;
      failed.push(`${check.name}: ${reason}`);
    }
  }
  if (excluded.size > 0) {
    out += `warn: some health checks cannot be excluded: no matches for ${[...excluded].sort().map((e) => JSON.stringify(e)).join(',')}\n`;
  }
  // Go's http.Error ends the body with a newline.
  if (failed.length > 0) return { code: 500, body: `${out}${name} check failed\n`, failed };
  if (!Object.hasOwn(query, 'verbose')) return { code: 200, body: 'ok', failed };
  return { code: 200, body: `${out}${name} check passed\n`, failed };
}

/** Registers /<name> (public) and /<name>/<check> for each check (token). */
export function installHealthz(app: FastifyInstance, name: HealthEndpoint, checks: readonly HealthCheck[]): void {
  const path = `/${name}`;
  app.get(path, { config: PUBLIC_ROUTE }, async (request: FastifyRequest, reply) => {
    noteNonResourceRequest(request, path);
    const r = rootHealth(name, checks, request.query as Query);
    if (r.failed.length) request.log.warn({ failed: r.failed }, `${name} check failed`);
    return plain(reply, r.code, r.body);
  });
  for (const check of checks) {
    const checkPath = `${path}/${check.name}`;
    app.get(checkPath, async (request: FastifyRequest, reply) => {
      noteNonResourceRequest(request, checkPath);
      const reason = runCheck(check);
      return reason === undefined ? plain(reply, 200, 'ok') : plain(reply, 500, `internal server error: ${reason}\n`);
    });
  }
}

/** Upstream's ping check: the server answers. */
export const pingCheck: HealthCheck = { name: 'ping', check() {} };

/** A check named as upstream's post-start hooks are: passes once the hook has run. */
export function postStartHookCheck(hook: string, done: () => boolean): HealthCheck {
  return {
    name: `poststarthook/${hook}`,
    check() {
      if (!done()) throw new Error('not finished');
    },
  };
}
