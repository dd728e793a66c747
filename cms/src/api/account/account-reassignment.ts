import type { Core } from '@strapi/strapi';
import type { Access } from '../../access/access-context';
import { and, scopeFilter, writeScopeFilter, type Filter } from '../../access/scope-rules';
import type { Actor } from '../../audit/actor';
import type { AuditEvent } from '../audit-log/services/audit-log';
import { throwValidation } from '../../validation/validation-middleware';
import type { ReassignRequest } from './reassign-request';

const ACCOUNT = 'api::account.account';
const USER = 'plugin::users-permissions.user';
/** Accounts written per transaction: each chunk holds the audit chain's lock only briefly. */
export const REASSIGN_CHUNK = 500;

export type ReassignResult = { matched: number; reassigned: number; unchanged: number; agent: { documentId: string; username: string } };
type Agent = { id: number; documentId: string; username: string; clientIds: number[] };
type Current = { id: number; documentId: string; assignedAt: string | null; assignedAgent: { id: number; documentId: string } | null; client: { documentId: string } | null };

const problem = (path: Array<string | number>, message: string) => ({ path, message, name: 'ValidationError' as const });

/**
 * Moves the selected accounts (within the writer's write scope) to one agent
 * of their client, set-based and chunked, with one audit entry per account
 * changed, as the document service's own update would record it (assignedAgent
 * and assignedAt, before and after). Accounts already with that agent are
 * left as they are. Each chunk commits with its audit entries; a failure
 * mid-way leaves earlier chunks done, and asking again finishes the rest.
 */
export async function reassignAccounts(
  strapi: Core.Strapi,
  access: Access,
  request: ReassignRequest,
  audit: { actor: Actor; requestId: string | null },
): Promise<ReassignResult> {
  const accounts = strapi.db.query(ACCOUNT as any);
  const agent = await findAgent(strapi, access, request.agent);
  const scope = await writeScopeFilter(ACCOUNT, access);
  const selection = and('documentIds' in request.selection ? { documentId: { $in: request.selection.documentIds } } : request.selection.filters, scope) as Filter;

  if ('documentIds' in request.selection) {
    const ids = request.selection.documentIds;
    const found = new Set((await accounts.findMany({ where: selection, select: ['documentId'] } as any)).map((r: any) => r.documentId));
    const missing = ids.flatMap((id, i) => (found.has(id) ? [] : [problem(['documentIds', i], `documentIds[${i}] refers to an account that does not exist`)]));
    if (missing.length) throwValidation(missing);
  }
  const matched = await accounts.count({ where: selection } as any);
  const elsewhere = await accounts.count({ where: and(selection, { $not: { client: { id: { $in: agent.clientIds } } } }) } as any);
  if (elsewhere > 0) throwValidation([problem(['agent'], `agent ${agent.username} does not work for the client of ${elsewhere} of the ${matched} selected accounts`)]);

  let reassigned = 0;
  let lastId = 0;
  for (;;) {
    const page = await accounts.findMany({ where: and(selection, { id: { $gt: lastId } }), select: ['id'], orderBy: { id: 'asc' }, limit: REASSIGN_CHUNK } as any);
    if (page.length === 0) break;
    lastId = page[page.length - 1].id;
    reassigned += await reassignChunk(strapi, page.map((r: any) => r.id), agent, audit);
  }
  return { matched, reassigned, unchanged: matched - reassigned, agent: { documentId: agent.documentId, username: agent.username } };
}

export type AssignableAgent = { documentId: string; username: string; clients: string[] };

/**
 * The agents accounts may be given to: active users with the agent role among those the
 * reader may see, each with the clients (of the reader's) they work for, so a form offers
 * an account only the agents of its own client.
 */
export async function assignableAgents(strapi: Core.Strapi, access: Access): Promise<AssignableAgent[]> {
  const clientScope = await scopeFilter('api::client.client', access);
  const users = await strapi.db.query(USER as any).findMany({
    where: and({ role: { type: 'agent' } }, { $or: [{ blocked: false }, { blocked: { $null: true } }] }, await scopeFilter(USER, access)),
    select: ['documentId', 'username'],
    populate: { clients: { select: ['documentId'], ...(clientScope ? { where: clientScope } : {}) } },
    orderBy: { username: 'asc' },
  } as any);
  return users.map((u: any) => ({ documentId: u.documentId, username: u.username, clients: (u.clients ?? []).map((c: any) => c.documentId) }));
}

/** The agent named, if the writer may read that user and the user is an agent; refused on the `agent` field otherwise. */
async function findAgent(strapi: Core.Strapi, access: Access, documentId: string): Promise<Agent> {
  const user = await strapi.db.query(USER as any).findOne({
    where: and({ documentId }, await scopeFilter(USER, access)),
    select: ['id', 'documentId', 'username', 'blocked'],
    populate: { role: { select: ['type'] }, clients: { select: ['id'] } },
  } as any);
  if (!user) throwValidation([problem(['agent'], 'agent refers to a record that does not exist')]);
  if (user.role?.type !== 'agent') throwValidation([problem(['agent'], `agent ${user.username} is not an agent`)]);
  if (user.blocked) throwValidation([problem(['agent'], `agent ${user.username} is blocked`)]);
  return { id: user.id, documentId: user.documentId, username: user.username, clientIds: (user.clients ?? []).map((c: any) => c.id) };
}

async function reassignChunk(strapi: Core.Strapi, ids: number[], agent: Agent, audit: { actor: Actor; requestId: string | null }): Promise<number> {
  const meta = strapi.db.metadata.get(ACCOUNT as any) as any;
  const link = meta.attributes.assignedAgent.joinTable;
  return strapi.db.transaction(async ({ trx }) => {
    // Rows locked before they are read, so the audit's "before" is what this write replaced.
    if (strapi.db.dialect.client === 'postgres') await trx.raw(`SELECT id FROM ?? WHERE id = ANY(?) FOR UPDATE`, [meta.tableName, ids]);
    const current: Current[] = await strapi.db.query(ACCOUNT as any).findMany({
      where: { id: { $in: ids } },
      select: ['id', 'documentId', 'assignedAt'],
      populate: { assignedAgent: { select: ['id', 'documentId'] }, client: { select: ['documentId'] } },
    } as any);
    const changing = current.filter((a) => a.assignedAgent?.id !== agent.id);
    if (changing.length === 0) return 0;
    const changingIds = changing.map((a) => a.id);
    const now = new Date();
    await trx(link.name).whereIn(link.joinColumn.name, changingIds).delete();
    await trx(link.name).insert(changingIds.map((id) => ({ [link.joinColumn.name]: id, [link.inverseJoinColumn.name]: agent.id })));
    await trx(meta.tableName).whereIn('id', changingIds).update({ [meta.attributes.assignedAt.columnName]: now, [meta.attributes.updatedAt.columnName]: now });
    const events: AuditEvent[] = changing.map((a) => ({
      ...audit,
      action: 'update',
      entity: ACCOUNT,
      entityDocumentId: a.documentId,
      clientDocumentId: a.client?.documentId ?? null,
      changes: {
        assignedAgent: { before: a.assignedAgent?.documentId ?? null, after: agent.documentId },
        assignedAt: { before: a.assignedAt ? new Date(a.assignedAt).toISOString() : null, after: now.toISOString() },
      },
    }));
    await (strapi.service('api::audit-log.audit-log') as any).appendMany(events);
    return changing.length;
  });
}
