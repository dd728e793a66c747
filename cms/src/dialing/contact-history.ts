import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { contactRules, type ContactRules } from '../compliance/contact-rules';
import { regulationFHistory } from '../compliance/reg-f-history';
import { sharedConfig, type Compliance } from '../shared-config';

const DAY_MS = 86_400_000;

export { attemptTime, isConversation } from '../compliance/reg-f-history';

/** The Regulation F counters of one account from its recorded calls, counted as the hopper counts them. */
export async function accountContactRules(strapi: Core.Strapi, accountDocumentId: string, now = new Date()): Promise<ContactRules> {
  const rules = sharedConfig<Compliance>('compliance');
  const account: any = await strapi.db.query('api::account.account').findOne({ where: { documentId: accountDocumentId }, select: ['id', 'status', 'timezone'] });
  if (!account) throw new errors.NotFoundError('Not Found');
  const since = new Date(now.getTime() - rules.regulationF.periodDays * DAY_MS);
  const calls: any[] = await strapi.db.query('api::call.call').findMany({
    // Both directions: an inbound conversation starts the quiet period though it is no attempt.
    where: { account: { id: account.id }, createdAt: { $gte: since } },
    select: ['direction', 'outcome', 'dialedAt', 'queuedAt', 'answeredAt', 'createdAt'],
    populate: { disposition: { select: ['rightPartyContact'] } },
  });
  const history = regulationFHistory(calls);
  return contactRules(now, rules, { accountStatus: account.status, timezone: account.timezone, attempts: history.attemptTimes, lastConversationAt: history.lastConversationAt });
}
