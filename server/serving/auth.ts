// Authentication: a bearer token for API clients (kubectl, controllers, the agent), and for
// the console a session cookie derived from the same token, with a CSRF token for writes.
// Sessions are stateless (HMAC-signed), so they survive a restart and die with the token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserInfo } from '../../api/index.js';

export const SESSION_COOKIE = 'jobyard_session';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_TTL_MS = 12 * 3600 * 1000;

/**
 * The one user jobyard knows: whoever holds the server's token, or a console session made
 * from it, is the administrator. Its groups are the ones an upstream cluster gives its admin
 * credentials: system:masters (the group upstream's authorizer allows everything, as in
 * kubeadm's admin.conf) and system:authenticated (added to every authenticated user), so
 * `kubectl auth whoami` and permission-driven UIs read it as they would on a real cluster.
 */
export const ADMIN_USER: Readonly<UserInfo> = Object.freeze({
  username: 'jobyard-admin',
  groups: Object.freeze(['system:masters', 'system:authenticated']) as string[],
});

export type Principal = { kind: 'token' } | { kind: 'session'; csrfToken: string };

export class Authenticator {
  private readonly token: Buffer;
  private readonly key: Buffer;

  constructor(token: string) {
    this.token = Buffer.from(token);
    this.key = createHmac('sha256', 'jobyard-session-key').update(token).digest();
  }

  /** Constant-time check of a presented bearer token. */
  checkToken(presented: string | undefined): boolean {
    if (!presented) return false;
    const b = Buffer.from(presented);
    return b.length === this.token.length && timingSafeEqual(b, this.token);
  }

  /** "Bearer x" → x. */
  static bearer(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    return m ? m[1].trim() : undefined;
  }

  /** A new session cookie value, valid for 12 hours. */
  newSession(now = Date.now()): string {
    const id = randomBytes(16).toString('base64url');
    const expires = String(now + SESSION_TTL_MS);
    const payload = `${id}.${expires}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** The session's CSRF token, or undefined when the cookie is forged or expired. */
  verifySession(cookie: string | undefined, now = Date.now()): string | undefined {
    if (!cookie) return undefined;
    const parts = cookie.split('.');
    if (parts.length !== 3) return undefined;
    const payload = `${parts[0]}.${parts[1]}`;
    const expected = Buffer.from(this.sign(payload));
    const got = Buffer.from(parts[2]);
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) return undefined;
    if (Number(parts[1]) < now) return undefined;
    return this.csrfFor(cookie);
  }

  csrfFor(cookie: string): string {
    return this.sign(`csrf:${cookie}`);
  }

  checkCsrf(cookie: string, presented: string | undefined): boolean {
    if (!presented) return false;
    const a = Buffer.from(this.csrfFor(cookie));
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function sessionCookieHeader(value: string, secure: boolean, maxAgeSeconds = SESSION_TTL_MS / 1000): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearSessionCookieHeader(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
