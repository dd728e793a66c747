import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { normalizeCallerId } from '../validation/caller-id';
import { accountSummary } from '../dialing/hopper';
import { sharedConfig, type Compliance } from '../shared-config';
import type { InboundLookup } from '../../../protocol/inbound-call';

/** At most this many accounts are listed for one caller: a pop is read by a person. */
export const MAX_MATCHES = 20;

type ClientRow = { id: number; documentId: string; name: string; currency: string | null; defaultCountry: string | null; callerId: string | null; callbackNumber: string | null };
type CampaignRow = { id: number; documentId: string; callerId: string | null; dialMode: string; client: { id: number } | null };

const sameNumber = (raw: string | null | undefined, e164: string, country: string) => {
  if (!raw) return false;
  const n = normalizeCallerId(raw, country);
  return n.kind === 'number' && n.e164 === e164;
};

/**
 * Where a dialed number (DID) routes: a running campaign whose caller id it is (debtors call
 * back the number they saw), else a client whose caller id or callback number it is, to that
 * client's running campaigns. Preview campaigns take no inbound: their agents choose each call.
 */
export async function routeForDid(strapi: Core.Strapi, didRaw: string): Promise<{ client: ClientRow | null; campaignIds: string[]; did: string }> {
  const clients: ClientRow[] = await strapi.db.query('api::client.client').findMany({ select: ['id', 'documentId', 'name', 'currency', 'defaultCountry', 'callerId', 'callbackNumber'] });
  const running: CampaignRow[] = await strapi.db.query('api::campaign.campaign').findMany({
    where: { state: 'running', dialMode: { $ne: 'preview' } },
    select: ['id', 'documentId', 'callerId', 'dialMode'],
    populate: { client: { select: ['id'] } },
  });
  const didIn = (country: string) => {
    const n = normalizeCallerId(didRaw, country);
    return n.kind === 'number' ? n.e164 : null;
  };
  for (const c of running) {
    const client = clients.find((x) => x.id === c.client?.id);
    const did = didIn(client?.defaultCountry ?? 'US');
    if (client && did && sameNumber(c.callerId, did, client.defaultCountry ?? 'US')) {
      const siblings = running.filter((r) => r.client?.id === client.id && sameNumber(r.callerId, did, client.defaultCountry ?? 'US'));
      return { client, campaignIds: siblings.map((r) => r.documentId), did };
    }
  }
  for (const client of clients) {
    const did = didIn(client.defaultCountry ?? 'US');
    if (did && (sameNumber(client.callerId, did, client.defaultCountry ?? 'US') || sameNumber(client.callbackNumber, did, client.defaultCountry ?? 'US'))) {
      return { client, campaignIds: running.filter((r) => r.client?.id === client.id).map((r) => r.documentId), did };
    }
  }
  return { client: null, campaignIds: [], did: didIn('US') ?? String(didRaw).slice(0, 32) };
}

/**
 * Who is calling and who may take the call: the caller id read in the DID's client's country,
 * that client's accounts with the number (never another client's: the agents of this DID work
 * for this client only), and the campaigns whose agents take the call.
 */
export async function inboundLookup(strapi: Core.Strapi, input: { callerId: unknown; did: unknown }): Promise<InboundLookup> {
  if (typeof input.did !== 'string' || !input.did.trim() || input.did.length > 64) {
    throw new errors.ValidationError('did must be the dialed number, a string', { errors: [{ path: ['did'], message: 'did is required', name: 'ValidationError' }] });
  }
  if (input.callerId !== null && input.callerId !== undefined && (typeof input.callerId !== 'string' || input.callerId.length > 128)) {
    throw new errors.ValidationError('callerId must be a string', { errors: [{ path: ['callerId'], message: 'callerId must be a string', name: 'ValidationError' }] });
  }
  const route = await routeForDid(strapi, input.did);
  const caller = normalizeCallerId(input.callerId, route.client?.defaultCountry ?? 'US');
  const base: InboundLookup = {
    callerNumber: caller.kind === 'number' ? caller.e164 : null,
    callerKind: caller.kind,
    did: route.did,
    clientDocumentId: route.client?.documentId ?? null,
    campaignIds: route.campaignIds,
    accounts: [],
    assignedAgentIds: [],
  };
  if (caller.kind !== 'number' || !route.client) return base;
  const rows: any[] = await strapi.db.query('api::account.account').findMany({
    where: { client: { id: route.client.id }, phones: { number: caller.e164 } },
    populate: { phones: true, assignedAgent: { select: ['id'] } },
    orderBy: [{ lastContactAt: 'desc' }, { id: 'asc' }],
    limit: MAX_MATCHES,
  });
  const hours = sharedConfig<Compliance>('compliance').callingHours;
  return {
    ...base,
    accounts: rows.map((a) => accountSummary(a, (a.phones ?? []).find((p: any) => p.number === caller.e164) ?? { number: caller.e164 }, route.client, { start: hours.start, end: hours.end })),
    assignedAgentIds: rows.map((a) => a.assignedAgent?.id ?? null),
  };
}
