import { AsyncLocalStorage } from 'async_hooks';
import type { Core } from '@strapi/strapi';
import { authCacheOf } from './auth-cache';
import { preparedRead } from '../scale/prepared-read';
import { quote as q, SqlSubquery } from './scope-sql';

export const SCOPED_ROLES = ['agent', 'supervisor', 'analyst'] as const;
export type ScopedRole = (typeof SCOPED_ROLES)[number];

/**
 * Who is asking, as far as row-level access is concerned. API tokens (the
 * dialer worker, BI tools) and admin-panel users are not scoped to rows;
 * their reach is set by the token type or the admin's RBAC.
 */
export type Access =
  | { kind: 'unrestricted' }
  | { kind: 'scoped'; role: ScopedRole | 'none'; userId: number; clients: () => Promise<ClientRef[]>; liveAccountIds: () => Promise<number[]> };

export type ClientRef = { id: number; documentId: string };

const STATE_KEY = Symbol.for('collections.access');

/** API tokens authenticate as 'content-api-token' (Strapi 5.2x+) or 'api-token' (earlier 5.x). */
export function isTokenStrategy(name: string | undefined): boolean {
  return name === 'content-api-token' || name === 'api-token';
}

export function roleOf(user: { role?: { type?: string } } | undefined): ScopedRole | 'none' {
  const type = user?.role?.type;
  return (SCOPED_ROLES as readonly string[]).includes(type) ? (type as ScopedRole) : 'none';
}

/** The clients a user belongs to, from the auth cache (dropped on every membership change). */
export function loadClients(strapi: Core.Strapi, userId: number): Promise<ClientRef[]> {
  return authCacheOf(strapi).clients(userId);
}

/**
 * Accounts on an agent's live call: the dialer bridges the longest-waiting
 * agent, not the assigned one, and that agent must see the debtor it is
 * talking to until the call is wrapped up. Only calls the dialer recorded
 * count (an agent cannot open an account by writing a call about it), and the
 * grant ends when the account is reassigned after the call began.
 */
export async function loadLiveAccountIds(strapi: Core.Strapi, userId: number): Promise<number[]> {
  const since = liveSince(Date.now());
  // Every read an agent makes asks this first: on PostgreSQL one statement, not the query engine's three.
  const sql = liveAccountsSql(strapi);
  if (sql) {
    const rows = await preparedRead<{ id: number | string }>(strapi, sql, [userId, since]);
    return rows.map((r) => Number(r.id));
  }
  const calls = await strapi.db.query('api::call.call').findMany({
    where: {
      agent: { id: userId }, recordedBy: 'dialer', createdAt: { $gte: since },
      $or: [{ outcome: 'pending' }, { outcome: 'connected', wrapEndedAt: { $null: true } }],
    },
    select: ['id', 'createdAt'],
    // An inbound caller matched to several debts: the agent sees each of them to pick the one the call is about.
    populate: { account: { select: ['id', 'assignedAt'] }, accounts: { select: ['id', 'assignedAt'] } },
  });
  const opened = (c: any, a: any) => a && (!a.assignedAt || new Date(a.assignedAt) <= new Date(c.createdAt));
  const live = calls.flatMap((c: any) => [c.account, ...(c.accounts ?? [])].filter((a) => opened(c, a)));
  return [...new Set(live.map((a: any) => a.id))] as number[];
}

/** A live call older than this is a record the dialer never closed, not a call in progress. */
const liveSince = (now: number) => new Date(now - 12 * 3600_000);

/**
 * loadLiveAccountIds as a subquery (PostgreSQL only, else null), for a read that folds the
 * live-call check into its own statement: one round trip a read instead of two.
 */
export function liveAccountsSubquery(strapi: Core.Strapi, userId: number, now = Date.now()): SqlSubquery | null {
  const sql = liveAccountsSql(strapi);
  return sql ? new SqlSubquery(sql, [userId, liveSince(now)]) : null;
}

const liveSql = new WeakMap<object, string | null>();

/** loadLiveAccountIds's query as SQL from Strapi's metadata (the same conditions); null off PostgreSQL. */
function liveAccountsSql(strapi: Core.Strapi): string | null {
  if (liveSql.has(strapi)) return liveSql.get(strapi)!;
  let sql: string | null = null;
  if (strapi.db.dialect.client === 'postgres') {
    const call: any = strapi.db.metadata.get('api::call.call' as any);
    const account: any = strapi.db.metadata.get('api::account.account' as any);
    const col = (meta: any, attribute: string) => q(meta.attributes[attribute].columnName ?? attribute);
    const link = (attribute: string) => call.attributes[attribute].joinTable;
    const agent = link('agent');
    const links = [link('account'), link('accounts')].map(
      (t: any) => `select ${q(t.joinColumn.name)} as call_id, ${q(t.inverseJoinColumn.name)} as account_id from ${q(t.name)}`,
    );
    sql =
      `select distinct a.id from ${q(call.tableName)} c ` +
      `join ${q(agent.name)} ag on ag.${q(agent.joinColumn.name)} = c.id and ag.${q(agent.inverseJoinColumn.name)} = ? ` +
      `join (${links.join(' union all ')}) l on l.call_id = c.id ` +
      `join ${q(account.tableName)} a on a.id = l.account_id ` +
      `where c.${col(call, 'recordedBy')} = 'dialer' and c.${col(call, 'createdAt')} >= ? ` +
      `and (c.${col(call, 'outcome')} = 'pending' or (c.${col(call, 'outcome')} = 'connected' and c.${col(call, 'wrapEndedAt')} is null)) ` +
      `and (a.${col(account, 'assignedAt')} is null or a.${col(account, 'assignedAt')} <= c.${col(call, 'createdAt')})`;
  }
  liveSql.set(strapi, sql);
  return sql;
}

const serverWork = new AsyncLocalStorage<true>();

/**
 * Writes the server makes on its own account inside a user's request (a
 * disposition's effects, an attempt's bookkeeping): checked for shape like any
 * write, but not against the requesting user's scope, which they already passed.
 */
export function asServer<T>(work: () => Promise<T>): Promise<T> {
  return serverWork.run(true, work);
}

const UNRESTRICTED: Access = { kind: 'unrestricted' };

/** Whose rights a document-service write runs with: the request's user, or the server's own outside a request. */
export function writerAccess(strapi: Core.Strapi): { access: Access; origin: WriteOrigin } {
  const ctx = strapi.requestContext.get();
  if (!ctx || serverWork.getStore()) return { access: UNRESTRICTED, origin: 'system' };
  const access = resolveAccess(strapi, ctx);
  const strategy = ctx.state?.auth?.strategy?.name;
  if (isTokenStrategy(strategy)) return { access, origin: 'dialer' };
  if (strategy === 'admin') return { access, origin: 'admin' };
  return { access, origin: access.kind === 'scoped' && access.role !== 'none' ? access.role : 'system' };
}

/** Who wrote a call: only the dialer's calls (API token) open an account to the agent on them. */
export type WriteOrigin = 'dialer' | 'admin' | 'system' | ScopedRole;

export function resolveAccess(strapi: Core.Strapi, ctx: any): Access {
  if (ctx.state[STATE_KEY]) return ctx.state[STATE_KEY];
  const strategy = ctx.state?.auth?.strategy?.name;
  let access: Access;
  if (isTokenStrategy(strategy) || strategy === 'admin') {
    access = { kind: 'unrestricted' };
  } else {
    const user = ctx.state?.user;
    let cached: Promise<ClientRef[]> | undefined;
    let live: Promise<number[]> | undefined;
    access = {
      kind: 'scoped',
      role: roleOf(user),
      userId: user?.id ?? -1,
      clients: () => (cached ??= loadClients(strapi, user?.id ?? -1)),
      liveAccountIds: () => (live ??= loadLiveAccountIds(strapi, user?.id ?? -1)),
    };
  }
  ctx.state[STATE_KEY] = access;
  return access;
}
