import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, onUnauthorised, setCsrfToken } from '../api/client';
import type { TSession, TUser } from '../api/types';
import { syncServerClock } from '../lib/server-clock';

/**
 * The session: who is logged in, the CSRF token and the server's clock. Re-fetched after
 * login, register and logout (the token changes with the session) and when any request
 * answers 401 (`expired` turns true so screens can keep edits and ask to log in again).
 */
interface SessionState {
  session: TSession | null;
  loading: boolean;
  /** A request answered 401 while we thought we were logged in. */
  expired: boolean;
  error: string | null;
  /** The last logged-in user, kept after expiry so open editors keep their local copies. */
  lastUser: TUser | null;
  refresh: () => Promise<TSession | null>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<TSession | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lastUser, setLastUser] = useState<TUser | null>(null);

  const refresh = useCallback(async () => {
    try {
      const s = await api.session();
      setCsrfToken(s.csrfToken);
      syncServerClock(s.now);
      setSession(s);
      setError(null);
      if (s.user) {
        setExpired(false);
        setLastUser(s.user);
      }
      return s;
    } catch (e) {
      setError(e instanceof Error ? e.message : '无法连接服务器');
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    // Keep the clock offset and the login state fresh on long-open tabs.
    const t = setInterval(() => void refresh(), 5 * 60 * 1000);
    return () => clearInterval(t);
  }, [refresh]);

  useEffect(
    () =>
      onUnauthorised(() => {
        setExpired(true);
        void refresh();
      }),
    [refresh],
  );

  return <SessionContext.Provider value={{ session, loading, expired, error, lastUser, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
