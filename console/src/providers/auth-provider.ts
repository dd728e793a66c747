import type { AuthProvider } from '@refinedev/core';
import { homeRouteOf } from './access-control-provider';
import { jwtExpiry, type Session, type SessionStore, type SessionUser } from './session-store';

/** Refresh this long before the access token expires, so a request never carries an expired one. */
const REFRESH_AHEAD_MS = 60_000;

export type CmsAuthOptions = {
  cmsUrl: string;
  store: SessionStore;
  idleLogoutMinutes: number;
  /** After an idle logout; the browser goes to the sign-in page and says why. */
  onIdleLogout?: () => void;
};

class AuthError extends Error {
  constructor(
    readonly code: 'INVALID_CREDENTIALS' | 'REFRESH_REFUSED' | 'CMS_UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * Sign-in against cms's users-permissions with rotating refresh tokens. One refresh at a time:
 * presenting a rotated refresh token twice makes cms revoke the whole login as stolen.
 */
export function cmsAuthProvider({ cmsUrl, store, idleLogoutMinutes, onIdleLogout = () => window.location.assign('/login?reason=idle') }: CmsAuthOptions): AuthProvider & { dispose: () => void } {
  const api = `${cmsUrl.replace(/\/$/, '')}/api`;
  let refreshing: Promise<Session | null> | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let lastActivity = Date.now();

  async function post(path: string, body: unknown, jwt?: string): Promise<Response> {
    try {
      return await fetch(`${api}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(jwt ? { Authorization: `Bearer ${jwt}` } : {}) }, body: JSON.stringify(body) });
    } catch {
      throw new AuthError('CMS_UNAVAILABLE', 'cms is not reachable; try again shortly');
    }
  }

  async function sessionUser(jwt: string): Promise<SessionUser> {
    const res = await fetch(`${api}/session`, { headers: { Authorization: `Bearer ${jwt}` } });
    if (!res.ok) throw new AuthError('REFRESH_REFUSED', 'cms did not accept the session');
    const { data } = await res.json();
    return { id: data.id, documentId: data.documentId, username: data.username, role: data.role?.type ?? 'none', clients: data.clients ?? [] };
  }

  function schedule(session: Session | null): void {
    clearTimeout(refreshTimer);
    if (!session) return;
    const exp = jwtExpiry(session.jwt);
    if (exp === null) return;
    refreshTimer = setTimeout(() => void refresh(), Math.max(5_000, exp - Date.now() - REFRESH_AHEAD_MS));
  }

  function refresh(): Promise<Session | null> {
    refreshing ??= (async () => {
      const current = store.get();
      if (!current) return null;
      const res = await post('/auth/refresh', { refreshToken: current.refreshToken });
      if (!res.ok) {
        store.set(null);
        return null;
      }
      const body = await res.json();
      const next = { ...current, jwt: body.jwt, refreshToken: body.refreshToken ?? current.refreshToken };
      store.set(next);
      return next;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  const unsubscribe = store.subscribe(schedule);
  schedule(store.get());

  const touch = () => (lastActivity = Date.now());
  const idleMs = idleLogoutMinutes * 60_000;
  const idleTimer = setInterval(() => {
    if (!store.get() || Date.now() - lastActivity < idleMs) return;
    void logout().then(onIdleLogout);
  }, Math.min(15_000, Math.max(250, idleMs / 4)));
  if (typeof window !== 'undefined') for (const e of ['pointerdown', 'keydown']) window.addEventListener(e, touch, { passive: true });

  async function logout(): Promise<void> {
    const current = store.get();
    store.set(null);
    if (current) await post('/auth/logout', { refreshToken: current.refreshToken }, current.jwt).catch(() => undefined);
  }

  return {
    async login({ username, password }) {
      try {
        const res = await post('/auth/local', { identifier: username, password });
        if (!res.ok) {
          const body = await res.json().catch(() => null);
          const message = res.status === 429 ? 'Too many attempts; wait a minute' : body?.error?.message === 'Invalid identifier or password' ? 'Wrong username or password' : (body?.error?.message ?? 'Sign-in failed');
          return { success: false, error: { name: 'Sign-in failed', message } };
        }
        const { jwt, refreshToken } = await res.json();
        const user = await sessionUser(jwt);
        store.set({ jwt, refreshToken, user });
        touch();
        return { success: true, redirectTo: homeRouteOf(user.role) };
      } catch (error) {
        return { success: false, error: { name: 'Sign-in failed', message: (error as Error).message } };
      }
    },

    async logout() {
      await logout();
      return { success: true, redirectTo: '/login' };
    },

    async check() {
      const current = store.get();
      if (!current) return { authenticated: false, redirectTo: '/login' };
      const exp = jwtExpiry(current.jwt);
      if (exp !== null && exp <= Date.now() + 5_000 && !(await refresh())) return { authenticated: false, redirectTo: '/login', logout: true };
      return { authenticated: true };
    },

    async onError(error) {
      if (error?.statusCode !== 401) return {};
      return (await refresh()) ? {} : { logout: true, redirectTo: '/login' };
    },

    async getIdentity() {
      const user = store.get()?.user;
      return user ? { id: user.id, name: user.username, role: user.role } : null;
    },

    async getPermissions() {
      return store.get()?.user.role ?? null;
    },

    dispose() {
      unsubscribe();
      clearTimeout(refreshTimer);
      clearInterval(idleTimer);
      if (typeof window !== 'undefined') for (const e of ['pointerdown', 'keydown']) window.removeEventListener(e, touch);
    },
  };
}
