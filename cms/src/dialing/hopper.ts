import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { evaluateDial, type DialHistory } from '../compliance/dial-rules';
import { fromMinutes, localClock, toMinutes } from '../compliance/local-time';
import { sharedConfig, type Compliance } from '../shared-config';
import { attemptTime, regulationFHistory } from '../compliance/reg-f-history';
import type { AccountSummary, Hopper, HopperItem } from '../../../protocol/hopper-item';
import { accountZones, candidateIds, countByZone, dialAccounts } from './account-candidates';
import { callHistory } from './call-history';
import { dueCallbacks } from './due-callbacks';
import { whyNothingDials, type BlockedAccount, type NothingToDial } from './nothing-to-dial';
import { HOPPER_MAX } from './hopper-request';

const DAY_MS = 86_400_000;
/** Accounts of open zones checked beyond the first in line when those are all held back. */
const DIAGNOSIS_MAX = 2000;

export type { Hopper, HopperItem };

/** The account as the agent's screen pop first paints it: what the worker carries from here to the pop. */
export function accountSummary(account: any, phone: any, client: any, callingWindow: AccountSummary['callingWindow']): AccountSummary {
  return {
    documentId: account.documentId,
    accountNumber: account.accountNumber,
    debtorName: [account.debtorFirstName, account.debtorLastName].filter(Boolean).join(' '),
    clientName: client.name,
    balance: Number(account.balance),
    currency: account.currency ?? client.currency ?? 'USD',
    daysPastDue: account.daysPastDue ?? null,
    status: account.status,
    timezone: account.timezone,
    callingWindow,
    phone: {
      number: phone.number,
      type: phone.type ?? null,
      autodialConsent: !!phone.autodialConsent,
      consentDate: phone.consentDate ? new Date(phone.consentDate).toISOString() : null,
      consentSource: phone.consentSource ?? null,
    },
  };
}

/**
 * The next phones of a campaign that may be dialed now: callbacks that are
 * due first, then the accounts attempted least recently. Each has passed
 * every rule of the compliance table; the facts checked go back to the dialer
 * as a receipt that the call record keeps.
 */
export async function nextDialable(
  strapi: Core.Strapi,
  campaignDocumentId: string,
  { limit = 20, now = new Date(), excludePhones = [] as string[], excludeAccounts = [] as string[], accountDocumentId = undefined as string | undefined } = {},
): Promise<Hopper> {
  const rules = sharedConfig<Compliance>('compliance');
  const campaign: any = await strapi.db.query('api::campaign.campaign').findOne({ where: { documentId: campaignDocumentId }, populate: { client: true } });
  if (!campaign) throw new errors.NotFoundError('Not Found');
  const summary = { documentId: campaign.documentId, state: campaign.state, dialMode: campaign.dialMode };
  const refusals: Record<string, number> = {};
  if (campaign.state !== 'running' || !campaign.client) return { campaign: summary, items: [], refusals: { campaign_not_running: 1 }, nothingToDial: null };
  const take = Math.max(1, Math.min(HOPPER_MAX, limit));
  const excluded = new Set(excludePhones);
  const excludedAccounts = new Set(excludeAccounts);
  const clientId = campaign.client.id;

  const callbacks = await dueCallbacks(strapi, { clientId, campaignId: campaign.id, now, limit: take * 2, accountDocumentId });

  // Only zones where it is now inside the window can yield a call; asking the
  // database for those alone keeps the candidate query small.
  const zones: string[] = (await accountZones(strapi)).filter(Boolean);
  const start = Math.max(toMinutes(rules.callingHours.start), toMinutes(campaign.callWindowStart ?? rules.callingHours.start));
  const end = Math.min(toMinutes(rules.callingHours.end), toMinutes(campaign.callWindowEnd ?? rules.callingHours.end));
  const callingWindow = { start: fromMinutes(start), end: fromMinutes(end) };
  const openZones = zones.filter((tz) => {
    try {
      const m = localClock(now, tz).minutes;
      return m >= start && m < end;
    } catch {
      return false;
    }
  });

  // One account only (accountDocumentId): a preview that has waited on an agent is checked again just before it is dialed.
  const campaignAccounts = { clientId, holdStatuses: rules.holdStatuses, filter: campaign.accountFilter, accountDocumentId };
  const ids: number[] = [];
  if (openZones.length) {
    // Never-attempted accounts first, largest balance first; then the longest untouched.
    ids.push(...(await candidateIds(strapi, { ...campaignAccounts, zones: openZones, attempted: false, limit: take * 3 })));
    if (ids.length < take * 3) ids.push(...(await candidateIds(strapi, { ...campaignAccounts, zones: openZones, attempted: true, limit: take * 3 - ids.length })));
  }
  // The callbacks' accounts and the candidates in one read.
  const callbackAccountIds = callbacks.flatMap((cb) => (cb.accountId === null ? [] : [cb.accountId]));
  const read = new Map((await dialAccounts(strapi, [...new Set([...callbackAccountIds, ...ids])])).map((a) => [a.id, a]));
  const accounts = ids.map((id) => read.get(id)).filter(Boolean);

  const check = (candidates: Array<{ account: any; callback: any }>) =>
    checkCandidates(strapi, rules, campaign, candidates, { now, take, excludedPhones: excluded, excludedAccounts, refusals, callingWindow });
  const dueWithAccount = callbacks.flatMap((cb) => (cb.accountId !== null && read.has(cb.accountId) ? [{ account: read.get(cb.accountId), callback: cb }] : []));
  const first = await check([...dueWithAccount, ...accounts.map((account) => ({ account, callback: null }))]);
  const items = first.items;
  const blocked = first.blocked;
  let nothingToDial: NothingToDial | null = null;
  if (!items.length && !accountDocumentId) {
    const counts = await countByZone(strapi, campaignAccounts);
    const remainingByZone = zones.map((timeZone) => ({ timeZone, accounts: counts.get(timeZone) ?? 0 }));
    // The first in line were all held back: the rest of the open zones, to be sure (and to say why).
    const open = new Set(openZones);
    const openRemaining = remainingByZone.filter((z) => open.has(z.timeZone)).reduce((sum, z) => sum + z.accounts, 0);
    const seen = [...first.seen];
    if (openRemaining > seen.length) {
      const restIds = await candidateIds(strapi, { ...campaignAccounts, zones: openZones, attempted: null, excludeIds: seen, limit: DIAGNOSIS_MAX });
      const rest: any[] = await dialAccounts(strapi, restIds);
      const more = await check(rest.map((account) => ({ account, callback: null })));
      items.push(...more.items);
      blocked.push(...more.blocked);
    }
    if (!items.length) nothingToDial = whyNothingDials(now, { start, end }, remainingByZone, blocked);
  }
  return { campaign: summary, items, refusals, nothingToDial };
}

/**
 * Runs every rule on each candidate's phones (a callback's own phone only), the primary
 * first, and takes the first phone of an account that passes, up to `take` items.
 */
async function checkCandidates(
  strapi: Core.Strapi,
  rules: Compliance,
  campaign: any,
  candidates: Array<{ account: any; callback: any }>,
  { now, take, excludedPhones, excludedAccounts, refusals, callingWindow }: { now: Date; take: number; excludedPhones: Set<string>; excludedAccounts: Set<string>; refusals: Record<string, number>; callingWindow: AccountSummary['callingWindow'] },
): Promise<{ items: HopperItem[]; blocked: BlockedAccount[]; seen: Set<number> }> {
  const clientId = campaign.client.id;
  const accountIds = [...new Set(candidates.map((c) => c.account.id))];
  const phones = [...new Set(candidates.flatMap((c) => (c.account.phones ?? []).map((p: any) => p.number)))];

  const since = new Date(now.getTime() - rules.regulationF.periodDays * DAY_MS);
  // Side by side: the history (grouped by account: the loop below looks each one up, up to 600 a second per campaign) and the DNC list.
  const [recorded, dncPhones] = await Promise.all([
    callHistory(strapi, { accountIds, since, campaignId: campaign.id }),
    phones.length
      ? strapi.db.query('api::dnc-entry.dnc-entry').findMany({
          where: { phone: { $in: phones }, $and: [{ $or: [{ scope: 'global' }, { client: { id: clientId } }] }, { $or: [{ expiresAt: { $null: true } }, { expiresAt: { $gt: now } }] }] },
          select: ['phone'],
        })
      : Promise.resolve([]),
  ]);
  const dnc = new Set<string>(dncPhones.map((d: any) => d.phone));
  const recentByAccount = recorded.recent;

  const items: HopperItem[] = [];
  const blocked: BlockedAccount[] = [];
  const seenAccounts = new Set<number>();
  for (const { account, callback } of candidates) {
    if (items.length >= take) break;
    if (seenAccounts.has(account.id)) continue;
    seenAccounts.add(account.id);
    if (excludedAccounts.has(account.documentId)) {
      refusals.in_flight = (refusals.in_flight ?? 0) + 1;
      if (!callback) blocked.push('in_flight');
      continue;
    }
    const { attempts: calls, lastConversationAt } = regulationFHistory(recentByAccount.get(account.id) ?? []);
    const today = localClock(now, account.timezone).date;
    const ordered = [...(account.phones ?? [])].sort((a: any, b: any) => Number(!!b.isPrimary) - Number(!!a.isPrimary));
    const wanted = callback?.phone ? ordered.filter((p: any) => p.number === callback.phone) : ordered;
    const phoneRefusals: string[][] = [];
    let taken = false;
    for (const phone of wanted) {
      if (excludedPhones.has(phone.number)) {
        refusals.in_flight = (refusals.in_flight ?? 0) + 1;
        phoneRefusals.push(['in_flight']);
        continue;
      }
      const onPhone = calls.filter((c) => c.phone === phone.number);
      const history: DialHistory = {
        accountAttemptsLast7Days: calls.length,
        lastConversationAt,
        campaignAttempts: recorded.campaignAttempts.get(account.id) ?? 0,
        phoneAttemptsToday: onPhone.filter((c) => localClock(attemptTime(c), account.timezone).date === today).length,
        lastAttemptOnPhoneAt: onPhone.map(attemptTime).sort((a, b) => b.getTime() - a.getTime())[0] ?? null,
        lastAbandonOnPhoneAt: onPhone.filter((c) => c.outcome === 'abandoned').map(attemptTime).sort((a, b) => b.getTime() - a.getTime())[0] ?? null,
      };
      const decision = evaluateDial(now, rules, campaign, {
        accountStatus: account.status,
        timezone: account.timezone,
        phone: { number: phone.number, status: phone.status, autodialConsent: !!phone.autodialConsent },
        onDnc: dnc.has(phone.number),
        history,
        isCallback: !!callback,
      });
      if (!decision.dialable) {
        for (const r of decision.refusals) refusals[r] = (refusals[r] ?? 0) + 1;
        phoneRefusals.push(decision.refusals);
        continue;
      }
      items.push({
        kind: callback ? 'callback' : 'account',
        callbackDocumentId: callback?.documentId ?? null,
        accountDocumentId: account.documentId,
        accountNumber: account.accountNumber,
        phone: phone.number,
        phoneType: phone.type,
        reservedAgentRequired: decision.reservedAgentRequired,
        preferredAgentId: callback?.owner?.id ?? account.assignedAgent?.id ?? null,
        receipt: { ...decision.receipt, campaign: campaign.documentId, ...(callback ? { callback: callback.documentId } : {}) },
        account: accountSummary(account, phone, campaign.client, callingWindow),
      });
      taken = true;
      break;
    }
    // Why an account of the campaign waits (a callback is one extra contact, not the campaign's book).
    if (!taken && !callback) blocked.push({ phones: phoneRefusals });
  }
  return { items, blocked, seen: seenAccounts };
}
