export type SessionUser = { id: number; documentId: string; username: string; role: string; clients: Array<{ documentId: string; name: string; code: string }> };
export type Session = { jwt: string; refreshToken: string; user: SessionUser };

const KEY = 'collections.session';

/** The access token's expiry (epoch ms) from its payload, or null when it has none. */
export function jwtExpiry(jwt: string): number | null {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in session of this tab. Per tab (sessionStorage), not shared: cms treats two tabs
 * refreshing with the same rotated token as a theft and ends the login.
 */
export class SessionStore {
  private session: Session | null;
  private readonly listeners = new Set<(session: Session | null) => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = typeof sessionStorage === 'undefined' ? null : sessionStorage) {
    const raw = this.storage?.getItem(KEY);
    this.session = raw ? (JSON.parse(raw) as Session) : null;
  }

  get(): Session | null {
    return this.session;
  }

  token(): string | null {
    return this.session?.jwt ?? null;
  }

  set(session: Session | null): void {
    this.session = session;
    if (session) this.storage?.setItem(KEY, JSON.stringify(session));
    else this.storage?.removeItem(KEY);
    for (const listener of this.listeners) listener(session);
  }

  /** Called with the new session at every sign-in, refresh and sign-out. */
  subscribe(listener: (session: Session | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
