import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { contactRules, type ContactRules } from '../compliance/contact-rules';
import { sharedConfig, type Compliance } from '../shared-config';

const DAY_MS = 86_400_000;

/** When an attempt counts as made: dialed, else queued, else recorded. */
export const attemptTime = (call: any) => new Date(call.dialedAt ?? call.queuedAt ?? call.createdAt);
/** A conversation about the debt, for Regulation F: connected, unless the agent said it was not the debtor. */
export const isConversation = (call: any) => call.outcome === 'connected' && call.disposition?.rightPartyContact !== false;

/** The Regulation F counters of one account from its recorded calls, counted as the hopper counts them. */
export async function accountContactRules(strapi: Core.Strapi, accountDocumentId: string, now = new Date()): Promise<ContactRules> {
  const rules = sharedConfig<Compliance>('compliance');
  const account: any = await strapi.db.query('api::account.account').findOne({ where: { documentId: accountDocumentId }, select: ['id', 'status', 'timezone'] });
  if (!account) throw new errors.NotFoundError('Not Found');
  const since = new Date(now.getTime() - rules.regulationF.periodDays * DAY_MS);
  const calls: any[] = await strapi.db.query('api::call.call').findMany({
    where: { direction: 'outbound', account: { id: account.id }, createdAt: { $gte: since } },
    select: ['outcome', 'dialedAt', 'queuedAt', 'createdAt'],
    populate: { disposition: { select: ['rightPartyContact'] } },
  });
  const conversations = calls.filter(isConversation).map(attemptTime).sort((a, b) => b.getTime() - a.getTime());
  return contactRules(now, rules, { accountStatus: account.status, timezone: account.timezone, attempts: calls.map(attemptTime), lastConversationAt: conversations[0] ?? null });
}
