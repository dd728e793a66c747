import jwt from 'jsonwebtoken';
import type { Core } from '@strapi/strapi';
import { AUDIT_LOG_UID } from '../audit/audited-types';

/**
 * A login is a family of rows in Strapi's session table (`strapi_sessions`):
 * the login's row and one row per refresh-token rotation, each `rotated` row
 * pointing to its child. Strapi signs an access token with the id of the row
 * that minted it and never looks at the table again while the token lives, so
 * a logout (which deletes one row) leaves the family's access tokens valid for
 * their whole lifespan. Here the family is the unit: every row of a login
 * carries one device id (given to the login when the client sent none), an
 * access token is honoured only while its row still exists, and ending a
 * session deletes every row of its family.
 */
export const SESSION_ORIGIN = 'users-permissions';
const SESSION_UID = 'admin::session';
const USER_UID = 'plugin::users-permissions.user';
const LIVE_STATUSES = new Set(['active', 'rotated']);

/**
 * Per process: a token's row is re-read at most every LIVE_CACHE_MS, so a
 * logout seen by another cms process takes effect there within that time
 * (in this process at once: revoking drops the entries). A cache shared
 * between processes would cost a Redis round trip, as much as the indexed
 * lookup it saves. Measured on PostgreSQL: the lookup (index scan on
 * ix_sessions_session_id) takes about 1 ms, a cached answer 5 µs, against
 * about 25 ms for a whole GET /api/session.
 */
const LIVE_CACHE_MS = 2000;
const LIVE_CACHE_MAX = 10_000;

type SessionRow = { sessionId: string; userId: string; deviceId: string | null; origin: string; status: string | null; absoluteExpiresAt: string | Date | null };

export function createSessionFamilies(strapi: Core.Strapi) {
  const liveUntil = new Map<string, number>();
  const rows = () => strapi.db.query(SESSION_UID as any);

  const findRow = (sessionId: string): Promise<SessionRow | null> =>
    rows().findOne({ where: { sessionId }, select: ['sessionId', 'userId', 'deviceId', 'origin', 'status', 'absoluteExpiresAt'] });

  const isRowLive = (row: SessionRow | null) =>
    !!row && row.origin === SESSION_ORIGIN && LIVE_STATUSES.has(row.status ?? 'active') && (!row.absoluteExpiresAt || new Date(row.absoluteExpiresAt).getTime() > Date.now());

  /** Whether the login an access token belongs to has not been ended. */
  async function isLive(sessionId: string | undefined): Promise<boolean> {
    if (!sessionId) return false;
    const now = Date.now();
    if ((liveUntil.get(sessionId) ?? 0) > now) return true;
    const live = isRowLive(await findRow(sessionId));
    if (live) {
      if (liveUntil.size >= LIVE_CACHE_MAX) liveUntil.clear();
      liveUntil.set(sessionId, now + LIVE_CACHE_MS);
    } else liveUntil.delete(sessionId);
    return live;
  }

  /** Deletes every row of the login the row belongs to; a row without a device id (an older login) ends all of the user's logins. */
  async function revokeFamily(row: Pick<SessionRow, 'userId' | 'deviceId'> & { sessionId?: string }): Promise<number> {
    const where = { userId: row.userId, origin: SESSION_ORIGIN, ...(row.deviceId ? { deviceId: row.deviceId } : {}) };
    const family: SessionRow[] = await rows().findMany({ where, select: ['sessionId'] });
    // The row itself may already be gone (Strapi's logout deletes it first) while this process still holds it as live.
    if (row.sessionId) liveUntil.delete(row.sessionId);
    for (const r of family) liveUntil.delete(r.sessionId);
    await rows().deleteMany({ where });
    return family.length;
  }

  async function revokeBySessionId(sessionId: string): Promise<number> {
    const row = await findRow(sessionId);
    return row ? revokeFamily(row) : 0;
  }

  async function revokeUser(userId: string | number): Promise<void> {
    await revokeFamily({ userId: String(userId), deviceId: null });
  }

  /** The session row a refresh token names, when its signature is ours; null for anything else. */
  async function rowOfRefreshToken(token: string): Promise<SessionRow | null> {
    const config = strapi.config.get('plugin::users-permissions') as any;
    try {
      const payload = jwt.verify(token, config.jwtSecret, { algorithms: [config.jwt?.algorithm || 'HS256'] }) as any;
      if (payload?.type !== 'refresh' || typeof payload.sessionId !== 'string') return null;
      const row = await findRow(payload.sessionId);
      return row && row.origin === SESSION_ORIGIN && row.userId === String(payload.userId) ? row : null;
    } catch {
      return null;
    }
  }

  /** The theft signal: a refresh token used after it was rotated means two parties hold the login; neither keeps it. */
  async function revokeForReplay(row: SessionRow, requestId: string | null): Promise<void> {
    const user = await strapi.db.query(USER_UID).findOne({ where: { id: Number(row.userId) }, select: ['id', 'documentId', 'username'] });
    const revoked = await revokeFamily(row);
    strapi.log.warn(`session: a rotated refresh token of user ${row.userId} was replayed; ${revoked} session row(s) revoked request_id=${requestId ?? '-'}`);
    await (strapi.service(AUDIT_LOG_UID) as any).append({
      actor: { type: 'user', id: row.userId, name: user?.username ?? null },
      action: 'delete',
      entity: SESSION_UID,
      entityDocumentId: user?.documentId ?? null,
      clientDocumentId: null,
      changes: { session: { before: 'active', after: 'revoked' }, reason: { before: null, after: 'refresh-token-replay' } },
      requestId,
    });
  }

  return { rowOf: findRow, isLive, revokeFamily, revokeBySessionId, revokeUser, rowOfRefreshToken, revokeForReplay };
}

export type SessionFamilies = ReturnType<typeof createSessionFamilies>;
