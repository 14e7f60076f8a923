// The console's session with jobyard: sign in with the API token, an HttpOnly cookie the browser
// keeps, a CSRF token for writes, sign out. (Endpoints under /auth, served by `jobyard server`.)
import { apiErrorFrom, type ApiError } from '../k8s/api-error.js';

export interface Session {
  csrfToken: string;
}

type Fetch = typeof fetch;

/** The current session, or undefined when the browser has none (401). */
export async function getSession(f: Fetch = fetch): Promise<Session | undefined> {
  const res = await f('/auth/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.status === 401) return undefined;
  if (!res.ok) throw apiErrorFrom(res.status, await res.text(), res.statusText);
  const body = (await res.json()) as { authenticated?: boolean; csrfToken?: string };
  return body.authenticated && body.csrfToken ? { csrfToken: body.csrfToken } : undefined;
}

/** Exchanges the API token for a session; rejects with ApiError (401 for a wrong token). */
export async function signIn(token: string, f: Fetch = fetch): Promise<Session> {
  const res = await f('/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!res.ok) throw apiErrorFrom(res.status, await res.text(), res.statusText) as ApiError;
  const body = (await res.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw apiErrorFrom(500, '', 'the server sent no CSRF token');
  return { csrfToken: body.csrfToken };
}

export async function signOut(session: Session | undefined, f: Fetch = fetch): Promise<void> {
  await f('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: session ? { 'X-CSRF-Token': session.csrfToken } : {} });
}
