// Authentication: a bearer token for API clients (kubectl, controllers, the agent), and for
// the console a session cookie got in exchange for the same token, with a CSRF token for
// writes. Sessions live in a SessionStore (SQLite in the data dir): they survive a restart,
// end at sign-out or after 12 hours, and die with the token they were made from.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserInfo } from '../../api/index.js';
import { SessionStore } from './session-store.js';

export const SESSION_COOKIE = 'jobyard_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 3600 * 1000;

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

/**
 * Who a request is: the token's holder, a console session (with its CSRF token), or a service
 * account that presented a token the server signed (its user, as the token authenticator made it).
 */
export type Principal = { kind: 'token' } | { kind: 'session'; cookie: string; csrfToken: string } | { kind: 'serviceaccount'; user: UserInfo };

/** The user of a principal: the administrator, or the service account. */
export function userOfPrincipal(principal: Principal | undefined): UserInfo | undefined {
  if (!principal) return undefined;
  return principal.kind === 'serviceaccount' ? principal.user : ADMIN_USER;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface AuthenticatorOptions {
  /** Where sessions live; an in-memory store when absent (tests). */
  sessions?: SessionStore;
  now?: () => number;
}

export class Authenticator {
  private readonly token: string;
  private readonly tokenHash: string;
  readonly sessions: SessionStore;
  private readonly now: () => number;

  constructor(token: string, opts: AuthenticatorOptions = {}) {
    this.token = token;
    this.tokenHash = sha256(`jobyard-token:${token}`);
    this.sessions = opts.sessions ?? new SessionStore();
    this.now = opts.now ?? Date.now;
    this.sessions.prune(this.tokenHash, this.now());
  }

  /** Constant-time check of a presented bearer token. */
  checkToken(presented: string | undefined): boolean {
    if (!presented) return false;
    return constantTimeEqual(presented, this.token);
  }

  /** "Bearer x" → x. */
  static bearer(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    return m ? m[1].trim() : undefined;
  }

  /** A new session, stored before its cookie value is returned; valid for 12 hours. */
  newSession(): { cookie: string; csrfToken: string } {
    const cookie = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.now();
    // Every sign-in sweeps the expired sessions, so the table holds live ones only.
    this.sessions.prune(this.tokenHash, now);
    this.sessions.insert({ idHash: sha256(cookie), csrfToken, tokenHash: this.tokenHash, createdAt: now, expiresAt: now + SESSION_TTL_MS });
    return { cookie, csrfToken };
  }

  /** The live session of a cookie (looked up on every request), or undefined. */
  session(cookie: string | undefined): Principal | undefined {
    if (!cookie || cookie.length > 256) return undefined;
    const stored = this.sessions.get(sha256(cookie));
    if (!stored || stored.tokenHash !== this.tokenHash) return undefined;
    if (stored.expiresAt <= this.now()) {
      this.sessions.delete(stored.idHash);
      return undefined;
    }
    return { kind: 'session', cookie, csrfToken: stored.csrfToken };
  }

  /** The session's CSRF token, or undefined when the cookie names no live session. */
  verifySession(cookie: string | undefined): string | undefined {
    const s = this.session(cookie);
    return s?.kind === 'session' ? s.csrfToken : undefined;
  }

  checkCsrf(session: Principal, presented: string | undefined): boolean {
    if (session.kind !== 'session' || !presented) return false;
    return constantTimeEqual(presented, session.csrfToken);
  }

  /** Sign-out: the session is gone from the store, whoever holds a copy of the cookie. */
  endSession(cookie: string | undefined): boolean {
    if (!cookie) return false;
    return this.sessions.delete(sha256(cookie));
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    // Our cookie values are base64url: taken as sent, never decoded (a bad escape is no 500).
    if (part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function sessionCookieHeader(value: string, secure: boolean, maxAgeSeconds = SESSION_TTL_MS / 1000): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearSessionCookieHeader(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
