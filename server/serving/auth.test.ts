import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Authenticator, readCookie, SESSION_TTL_MS } from './auth.js';
import { SessionStore } from './session-store.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'jobyard-sessions-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('console sessions', () => {
  it('are looked up in the store: a session until sign-out, nothing after', () => {
    const auth = new Authenticator('token');
    const { cookie, csrfToken } = auth.newSession();
    expect(auth.session(cookie)).toEqual({ kind: 'session', cookie, csrfToken });
    expect(auth.endSession(cookie)).toBe(true);
    expect(auth.session(cookie)).toBeUndefined();
    expect(auth.verifySession(cookie)).toBeUndefined();
  });

  it('keep a CSRF token each, compared exactly', () => {
    const auth = new Authenticator('token');
    const a = auth.newSession();
    const b = auth.newSession();
    expect(a.csrfToken).not.toBe(b.csrfToken);
    const session = auth.session(a.cookie)!;
    expect(auth.checkCsrf(session, a.csrfToken)).toBe(true);
    expect(auth.checkCsrf(session, b.csrfToken)).toBe(false);
    expect(auth.checkCsrf(session, undefined)).toBe(false);
    expect(auth.checkCsrf({ kind: 'token' }, a.csrfToken)).toBe(false);
  });

  it('end after 12 hours', () => {
    let now = 1_000_000;
    const auth = new Authenticator('token', { now: () => now });
    const { cookie } = auth.newSession();
    now += SESSION_TTL_MS - 1;
    expect(auth.session(cookie)).toBeDefined();
    now += 1;
    expect(auth.session(cookie)).toBeUndefined();
  });

  it('survive a restart, die with a rotated token, and are stored as hashes in an owner-only file', () => {
    const path = join(dataDir(), 'sessions.db');
    const first = new SessionStore({ path });
    const { cookie } = new Authenticator('token-1', { sessions: first }).newSession();
    first.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const again = new SessionStore({ path });
    expect(new Authenticator('token-1', { sessions: again }).session(cookie)).toBeDefined();
    expect(again.get(cookie)).toBeUndefined(); // only the hash is a key
    again.close();

    const rotated = new SessionStore({ path });
    expect(new Authenticator('token-2', { sessions: rotated }).session(cookie)).toBeUndefined();
    expect(rotated.count()).toBe(0); // pruned at start
    rotated.close();
  });

  it('refuse forged and oversized cookies', () => {
    const auth = new Authenticator('token');
    expect(auth.session('forged')).toBeUndefined();
    expect(auth.session('x'.repeat(10_000))).toBeUndefined();
    expect(auth.session(undefined)).toBeUndefined();
  });
});

describe('readCookie', () => {
  it('takes the value as sent, without decoding (a bad escape is no error)', () => {
    expect(readCookie('a=1; jobyard_session=%zz', 'jobyard_session')).toBe('%zz');
    expect(readCookie('jobyard_session=abc', 'jobyard_session')).toBe('abc');
    expect(readCookie(undefined, 'jobyard_session')).toBeUndefined();
  });
});

describe('the session table', () => {
  it('holds live sessions only: each sign-in sweeps the expired ones', () => {
    let now = 0;
    const sessions = new SessionStore();
    const auth = new Authenticator('token', { sessions, now: () => now });
    auth.newSession();
    auth.newSession();
    now += SESSION_TTL_MS;
    auth.newSession();
    expect(sessions.count()).toBe(1);
  });
});
