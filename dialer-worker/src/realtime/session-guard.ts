import { CmsError, type CmsClient, type SessionUser } from '../cms/cms-client';

export type SessionVerdict = 'valid' | 'expired' | 'refused' | 'unavailable';

export type SessionGuardOptions = {
  /** How long a verdict of cms is trusted before a command asks again. */
  cacheMs: number;
  /** How many sessions are checked with cms at once. */
  concurrency: number;
  now?: () => number;
};

/**
 * When a JWT stops being valid by its own account (`exp`, epoch ms), or null when it does
 * not say. Not a verification: cms verified the token when the socket connected.
 */
export function jwtExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const exp = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

const sameSession = (a: SessionUser, b: SessionUser) => a.id === b.id && a.role === b.role && [...a.clients].sort().join() === [...b.clients].sort().join();

/**
 * Asks cms whether sessions still hold, so a logged-out, blocked or deleted user loses the
 * socket within seconds rather than at the token's expiry. cms is the judge; the guard only
 * remembers its last word for `cacheMs` and never takes an outage for a refusal: when cms
 * does not answer, the verdict is `unavailable` and the caller keeps the session until cms
 * answers or the token expires. A session whose role or clients changed is refused too: what
 * the socket was allowed at connection no longer holds.
 */
export class SessionGuard {
  private readonly verdicts = new Map<string, { at: number; verdict: 'valid' | 'refused' }>();
  private readonly now: () => number;

  constructor(
    private readonly cms: Pick<CmsClient, 'session'>,
    private readonly options: SessionGuardOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Before a command: the cached verdict if fresh, else cms's. */
  async check(token: string, user: SessionUser): Promise<SessionVerdict> {
    const expiry = jwtExpiry(token);
    if (expiry !== null && expiry <= this.now()) return 'expired';
    const cached = this.verdicts.get(token);
    if (cached && this.now() - cached.at < this.options.cacheMs) return cached.verdict;
    return this.ask(token, user);
  }

  /** Asks cms about every session now (deduplicated by token, `concurrency` at a time). */
  async recheck(sessions: Array<{ token: string; user: SessionUser }>): Promise<Map<string, SessionVerdict>> {
    const unique = [...new Map(sessions.map((s) => [s.token, s])).values()];
    const out = new Map<string, SessionVerdict>();
    let next = 0;
    const lane = async () => {
      while (next < unique.length) {
        const s = unique[next++];
        const expiry = jwtExpiry(s.token);
        out.set(s.token, expiry !== null && expiry <= this.now() ? 'expired' : await this.ask(s.token, s.user));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.concurrency, unique.length)) }, lane));
    this.forgetOld();
    return out;
  }

  private async ask(token: string, user: SessionUser): Promise<SessionVerdict> {
    try {
      const now = await this.cms.session(token);
      const verdict = sameSession(now, user) ? 'valid' : 'refused';
      this.verdicts.set(token, { at: this.now(), verdict });
      return verdict;
    } catch (error) {
      if (error instanceof CmsError && error.code === 'UNAUTHORIZED') {
        this.verdicts.set(token, { at: this.now(), verdict: 'refused' });
        return 'refused';
      }
      return 'unavailable';
    }
  }

  private forgetOld(): void {
    const horizon = this.now() - Math.max(this.options.cacheMs, 60_000);
    for (const [token, v] of this.verdicts) if (v.at < horizon) this.verdicts.delete(token);
  }
}
