import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { normalizeCallerId } from '../validation/caller-id';
import { accountSummary } from '../dialing/hopper';
import { sharedConfig, type Compliance } from '../shared-config';
import type { InboundLookup } from '../../../protocol/inbound-call';
import { routesCacheOf } from './inbound-routes-cache';
import { preparedRows } from '../scale/prepared-read';

/** At most this many accounts are listed for one caller: a pop is read by a person. */
export const MAX_MATCHES = 20;

type ClientRow = { id: number; documentId: string; name: string; currency: string | null; defaultCountry: string | null; callerId: string | null; callbackNumber: string | null };
type CampaignRow = { id: number; documentId: string; callerId: string | null; dialMode: string; client: { id: number } | null };

const sameNumber = (raw: string | null | undefined, e164: string, country: string) => {
  if (!raw) return false;
  const n = normalizeCallerId(raw, country);
  return n.kind === 'number' && n.e164 === e164;
};

/** A table's column for an attribute, and a relation's link table, as Strapi named them. */
function schema(strapi: Core.Strapi, uid: string) {
  const meta: any = strapi.db.metadata.get(uid as any);
  return {
    table: meta.tableName as string,
    col: (attribute: string) => `${meta.tableName}.${meta.attributes[attribute]?.columnName ?? attribute.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
    link: (attribute: string) => meta.attributes[attribute].joinTable as { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } },
    components: (attribute: string) => meta.attributes[attribute].joinTable as { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string }; on?: Record<string, string> },
  };
}

// The caller's lookup is on the path from a caller on hold to the agent's screen: plain SQL, one
// statement per table, no query-engine populate chain (which issued one query per relation and
// per component and cost most of the lookup's CPU).

async function allClients(strapi: Core.Strapi): Promise<ClientRow[]> {
  const c = schema(strapi, 'api::client.client');
  return strapi.db.connection(c.table).select({ id: c.col('id'), documentId: c.col('documentId'), name: c.col('name'), currency: c.col('currency'), defaultCountry: c.col('defaultCountry'), callerId: c.col('callerId'), callbackNumber: c.col('callbackNumber') });
}

async function runningCampaigns(strapi: Core.Strapi): Promise<CampaignRow[]> {
  const c = schema(strapi, 'api::campaign.campaign');
  const l = c.link('client');
  const rows: any[] = await strapi.db
    .connection(c.table)
    .leftJoin(l.name, `${l.name}.${l.joinColumn.name}`, c.col('id'))
    .where(c.col('state'), 'running')
    .whereNot(c.col('dialMode'), 'preview')
    .orderBy(c.col('id'))
    .select({ id: c.col('id'), documentId: c.col('documentId'), callerId: c.col('callerId'), dialMode: c.col('dialMode'), clientId: `${l.name}.${l.inverseJoinColumn.name}` });
  return rows.map((r) => ({ id: r.id, documentId: r.documentId, callerId: r.callerId, dialMode: r.dialMode, client: r.clientId === null ? null : { id: r.clientId } }));
}

/**
 * The client's accounts with this number on them, most recently worked first: one statement
 * from the phone index (ix_phones_number) through the component and client links.
 */
async function accountsWithPhone(strapi: Core.Strapi, clientId: number, e164: string): Promise<any[]> {
  const a = schema(strapi, 'api::account.account');
  const p = schema(strapi, 'contact.phone');
  const cmps = a.components('phones');
  const cl = a.link('client');
  const ag = a.link('assignedAgent');
  const knex = strapi.db.connection;
  const rows: any[] = await preparedRows(strapi, knex(p.table)
    .join(cmps.name, function joinPhones() {
      this.on(`${cmps.name}.${cmps.inverseJoinColumn.name}`, '=', p.col('id'));
      // The link table holds every component field of accounts: this one's rows only (field = 'phones').
      for (const [column, value] of Object.entries(cmps.on ?? { field: 'phones' })) this.andOn(`${cmps.name}.${column}`, '=', knex.raw('?', [value]));
    })
    .join(a.table, a.col('id'), `${cmps.name}.${cmps.joinColumn.name}`)
    .join(cl.name, `${cl.name}.${cl.joinColumn.name}`, a.col('id'))
    .leftJoin(ag.name, `${ag.name}.${ag.joinColumn.name}`, a.col('id'))
    .where(p.col('number'), e164)
    .where(`${cl.name}.${cl.inverseJoinColumn.name}`, clientId)
    .orderByRaw(`?? desc nulls last, ?? asc`, [a.col('lastContactAt'), a.col('id')])
    .limit(MAX_MATCHES)
    .select({
      id: a.col('id'), documentId: a.col('documentId'), accountNumber: a.col('accountNumber'), debtorFirstName: a.col('debtorFirstName'), debtorLastName: a.col('debtorLastName'),
      balance: a.col('balance'), currency: a.col('currency'), daysPastDue: a.col('daysPastDue'), status: a.col('status'), timezone: a.col('timezone'),
      number: p.col('number'), type: p.col('type'), autodialConsent: p.col('autodialConsent'), consentDate: p.col('consentDate'), consentSource: p.col('consentSource'),
      assignedAgentId: `${ag.name}.${ag.inverseJoinColumn.name}`,
    }));
  // One row per account even if the number is on it twice (two phone entries).
  const seen = new Set<number>();
  return rows
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({ ...r, phone: { number: r.number, type: r.type, autodialConsent: r.autodialConsent, consentDate: r.consentDate, consentSource: r.consentSource }, assignedAgentId: r.assignedAgentId ?? null }));
}

/**
 * Where a dialed number (DID) routes: a running campaign whose caller id it is (debtors call
 * back the number they saw), else a client whose caller id or callback number it is, to that
 * client's running campaigns. Preview campaigns take no inbound: their agents choose each call.
 */
export async function routeForDid(strapi: Core.Strapi, didRaw: string): Promise<{ client: ClientRow | null; campaignIds: string[]; did: string }> {
  const { clients, running } = await routesCacheOf<{ clients: ClientRow[]; running: CampaignRow[] }>(strapi).get(async () => {
    const [clients, running] = await Promise.all([allClients(strapi), runningCampaigns(strapi)]);
    return { clients, running };
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
  const rows = await accountsWithPhone(strapi, route.client.id, caller.e164);
  const hours = sharedConfig<Compliance>('compliance').callingHours;
  return {
    ...base,
    accounts: rows.map((a) => accountSummary(a, a.phone, route.client, { start: hours.start, end: hours.end })),
    assignedAgentIds: rows.map((a) => a.assignedAgentId),
  };
}
