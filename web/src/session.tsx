/**
 * Who the portal is talking as: loads `GET /api/auth/me` once, hands the CSRF token to the API client, and notices
 * 401 answers (any API call) so the frame can offer sign-in. docs/auth.md describes the modes.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { setCsrfToken, UNAUTHENTICATED_EVENT } from './api.js';
import { trustApi, type Me } from './api-trust.js';

/** The session as the portal sees it. `me` is undefined while loading or when the server has no auth API. */
export interface Session {
  me: Me | undefined;
  /** True once an API call answered 401 (the session ended or never began) in OIDC mode. */
  needsSignIn: boolean;
  /** True when the principal holds the `admin` role (single-user mode is admin). */
  isAdmin: boolean;
  reload(): void;
}

const SessionContext = createContext<Session>({ me: undefined, needsSignIn: false, isAdmin: false, reload: () => undefined });

/** Provides `useSession()` to the whole portal. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | undefined>();
  const [got401, setGot401] = useState(false);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    trustApi.me(ctrl.signal).then(
      (m) => {
        setCsrfToken(m.csrfToken);
        setMe(m);
        if (m.authenticated) setGot401(false);
      },
      () => undefined, // no auth API (older server) or unreachable: the pages show their own errors
    );
    return () => ctrl.abort();
  }, [tick]);

  useEffect(() => {
    const on401 = () => setGot401(true);
    window.addEventListener(UNAUTHENTICATED_EVENT, on401);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, on401);
  }, []);

  const needsSignIn = me?.mode === 'oidc' && (got401 || !me.authenticated);
  const isAdmin = me?.principal.roles.includes('admin') ?? false;
  return <SessionContext.Provider value={{ me, needsSignIn, isAdmin, reload }}>{children}</SessionContext.Provider>;
}

/** The current session (see `Session`). */
export function useSession(): Session {
  return useContext(SessionContext);
}
