// The session as React state: loading → signed out (login page) → signed in (the console).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { getSession, signIn as apiSignIn, signOut as apiSignOut, type Session } from '../lib/session/auth-api.js';
import { errorMessage } from '../../../machinery/error-message.js';

export type SessionStatus = 'loading' | 'signedOut' | 'signedIn';

export interface SessionContextValue {
  status: SessionStatus;
  /** The CSRF token sent on every write; read through a function so clients always send the current one. */
  csrfToken: () => string | undefined;
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
  /** Called when an API call answers 401: the session ended elsewhere. */
  expired(): void;
  /** Why the last session ended, if it did on its own. */
  expiredNotice: boolean;
  /** When the session check itself failed (server unreachable). */
  error?: string;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: typeof fetch }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [expiredNotice, setExpiredNotice] = useState(false);
  const [error, setError] = useState<string>();
  const session = useRef<Session | undefined>(undefined);
  const f = fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  useEffect(() => {
    let cancelled = false;
    getSession(f)
      .then((s) => {
        if (cancelled) return;
        session.current = s;
        setStatus(s ? 'signedIn' : 'signedOut');
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setError(errorMessage(err));
        setStatus('signedOut');
      });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const signIn = useCallback(
    async (token: string) => {
      session.current = await apiSignIn(token, f);
      setExpiredNotice(false);
      setError(undefined);
      setStatus('signedIn');
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const signOut = useCallback(async () => {
    try {
      await apiSignOut(session.current, f);
    } finally {
      session.current = undefined;
      setStatus('signedOut');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const expired = useCallback(() => {
    if (!session.current) return;
    session.current = undefined;
    setExpiredNotice(true);
    setStatus('signedOut');
  }, []);
  const csrfToken = useCallback(() => session.current?.csrfToken, []);

  const value = useMemo(() => ({ status, csrfToken, signIn, signOut, expired, expiredNotice, error }), [status, csrfToken, signIn, signOut, expired, expiredNotice, error]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
