import type { ComplianceProfile } from '../../../protocol/compliance-rules';
import { complianceRules, type ComplianceRules } from '../config/compliance-rules';
import type { DialMode } from '../../../protocol/campaign-stats';
import type { AccountSummary, Hopper, HopperItem, HopperRequest, NothingToDial } from '../../../protocol/hopper-item';
import type { AgentInterval } from '../live/agent-interval';
import type { InboundLookup } from '../../../protocol/inbound-call';

export type { HopperItem, NothingToDial };

/** The phones cms cleared for dialing now, and, when there are none, why. */
export type Dialable = { items: HopperItem[]; nothingToDial: NothingToDial | null };

export type CampaignSettings = {
  documentId: string;
  name: string;
  state: 'draft' | 'running' | 'paused' | 'finished';
  dialMode: DialMode;
  abandonTarget: number;
  maxDialRatio: number;
  fixedDialRatio: number;
  ringTimeoutSec: number;
  dropWindowSec: number;
  complianceProfile: ComplianceProfile;
  /** Hours of the abandon-rate window the profile's law sets (30 days US, 24 h UK). */
  abandonWindowHours: number;
  callerId: string | null;
  clientDocumentId: string | null;
  agentIds: number[];
  /** Seconds an agent may spend in wrap-up before the worker applies defaultDispositionId and pauses them; null: no limit. */
  wrapUpLimitSec: number | null;
  defaultDispositionId: string | null;
};

export type SessionUser = { id: number; username: string; role: string; clients: string[] };

export type AttemptRecord = Record<string, unknown> & { outcome: string };

/** A call record cms still holds as `pending` (written when the call reached an agent), with the evidence it carries. */
export type PendingAttempt = { attemptId: string; answeredAt: string | null; amdStatus: string | null };

export class CmsError extends Error {
  constructor(
    readonly code: 'UNREACHABLE' | 'UNAUTHORIZED' | 'NOT_FOUND' | 'REJECTED' | 'THROTTLED' | 'SERVER_ERROR',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CmsError';
  }
  /** Worth retrying: the record will be accepted once cms is back (or no longer busy). */
  get transient(): boolean {
    return this.code === 'UNREACHABLE' || this.code === 'THROTTLED' || this.code === 'SERVER_ERROR';
  }
}

/** What the worker needs from cms, and nothing else. */
export interface CmsClient {
  runningCampaigns(): Promise<CampaignSettings[]>;
  campaign(documentId: string): Promise<CampaignSettings>;
  /** With a user's JWT, the write happens as that user: cms applies their scope. */
  setCampaign(documentId: string, data: Partial<{ state: string; maxDialRatio: number }>, userJwt?: string): Promise<void>;
  /** Reads a campaign as a user would see it; rejects with NOT_FOUND outside their scope. */
  campaignAs(documentId: string, userJwt: string): Promise<CampaignSettings>;
  /** The next dialable phones; with `accountDocumentId`, that account's only (checked again before a preview is dialed). */
  dialable(campaignDocumentId: string, limit: number, excludePhones: string[], accountDocumentId?: string, excludeAccounts?: string[]): Promise<Dialable>;
  recordAttempt(attemptId: string, data: AttemptRecord): Promise<void>;
  /** An inbound caller: their number in E.164, their accounts at the DID's client, the campaigns that take the call. */
  inboundLookup(callerId: string, did: string): Promise<InboundLookup>;
  /** As the agent on the call (their JWT): cms checks the account is of the DID's client and the call still live, links it, audits it. */
  linkInboundAccount?(attemptId: string, accountDocumentId: string, userJwt: string): Promise<AccountSummary>;
  /** Every call record still `pending`. */
  pendingAttempts(): Promise<PendingAttempt[]>;
  /** Who holds this user JWT: cms answers, so blocked users and expired tokens are refused where they are managed. */
  session(userJwt: string): Promise<SessionUser>;
  ping(): Promise<boolean>;
  /** The time an agent spent in one state (utilization and occupancy in cms's KPI report); optional for stand-ins in tests. */
  recordAgentInterval?(interval: AgentInterval): Promise<void>;
}

/**
 * How cms answered, as an error code. 408 (cms gave up waiting for us) and 429 (too many
 * requests) say "not now", not "never": a call record refused with them is sent again.
 */
export function cmsErrorCode(status: number): CmsError['code'] {
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 408 || status === 429) return 'THROTTLED';
  if (status >= 500) return 'SERVER_ERROR';
  return 'REJECTED';
}

/**
 * An id as one path segment: whatever it holds, it cannot add a query, a fragment or a
 * segment. `.` and `..` (even encoded, `%2e`) would still move up the path, so they are refused.
 */
function segment(id: string): string {
  if (id === '.' || id === '..') throw new CmsError('REJECTED', 'an id cannot be a dot segment');
  return encodeURIComponent(id);
}

/**
 * A campaign as the dialer runs it. cms validates the legal bounds on every write; they are
 * applied here again, from the same config/compliance.json, so a record written around cms
 * cannot make the dialer break them.
 */
export function toCampaign(raw: any, rules: ComplianceRules = complianceRules()): CampaignSettings {
  const profile: ComplianceProfile = raw.complianceProfile === 'uk' ? 'uk' : 'us';
  return {
    documentId: raw.documentId,
    name: raw.name,
    state: raw.state,
    dialMode: raw.dialMode,
    abandonTarget: Math.min(Number(raw.abandonTarget ?? rules.abandon.maxRate), rules.abandon.maxRate),
    maxDialRatio: Number(raw.maxDialRatio ?? 3),
    fixedDialRatio: Number(raw.fixedDialRatio ?? 2),
    ringTimeoutSec: Math.max(Number(raw.ringTimeoutSec ?? 25), rules.ringTimeoutSecMin),
    dropWindowSec: Math.min(Number(raw.dropWindowSec ?? rules.abandon.dropWindowSecMax), rules.abandon.dropWindowSecMax),
    complianceProfile: profile,
    abandonWindowHours: profile === 'uk' ? rules.abandon.windowHours.uk : rules.abandon.windowDays.us * 24,
    callerId: raw.callerId ?? null,
    clientDocumentId: raw.client?.documentId ?? null,
    agentIds: (raw.agents ?? []).map((a: any) => a.id),
    wrapUpLimitSec: raw.wrapUpLimitSec ? Number(raw.wrapUpLimitSec) : null,
    defaultDispositionId: raw.defaultDisposition?.documentId ?? null,
  };
}

export class HttpCmsClient implements CmsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiToken: string,
    private readonly timeoutMs = 5000,
  ) {}

  private async request(method: string, path: string, body?: unknown, token = this.apiToken): Promise<any> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new CmsError('UNREACHABLE', `cms ${method} ${path}: ${(error as Error).message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      throw new CmsError('UNREACHABLE', `cms ${method} ${path}: ${(error as Error).message}`);
    }
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page, or a body cut short: the status still says what happened.
      if (res.ok) throw new CmsError('SERVER_ERROR', `cms ${method} ${path}: ${res.status} with a body that is not JSON`, res.status);
    }
    if (res.ok) return json;
    const message = `cms ${method} ${path}: ${res.status} ${json?.error?.message ?? text.slice(0, 200)}`;
    throw new CmsError(cmsErrorCode(res.status), message, res.status);
  }

  async runningCampaigns(): Promise<CampaignSettings[]> {
    const json = await this.request('GET', '/api/campaigns?filters[state][$eq]=running&populate[client][fields][0]=documentId&populate[agents][fields][0]=id&populate[defaultDisposition][fields][0]=documentId&pagination[pageSize]=100');
    // Not `map(toCampaign)`: map's index would arrive as the compliance rules.
    return json.data.map((raw: any) => toCampaign(raw));
  }

  async campaign(documentId: string): Promise<CampaignSettings> {
    const json = await this.request('GET', `/api/campaigns/${segment(documentId)}?populate[client][fields][0]=documentId&populate[agents][fields][0]=id&populate[defaultDisposition][fields][0]=documentId`);
    return toCampaign(json.data);
  }

  async setCampaign(documentId: string, data: Partial<{ state: string; maxDialRatio: number }>, userJwt?: string): Promise<void> {
    await this.request('PUT', `/api/campaigns/${segment(documentId)}`, { data }, userJwt ?? this.apiToken);
  }

  async campaignAs(documentId: string, userJwt: string): Promise<CampaignSettings> {
    const json = await this.request('GET', `/api/campaigns/${segment(documentId)}`, undefined, userJwt);
    return toCampaign(json.data);
  }

  async dialable(campaignDocumentId: string, limit: number, excludePhones: string[], accountDocumentId?: string, excludeAccounts: string[] = []): Promise<Dialable> {
    // A body, not a query string: a worker holding a few hundred attempts wrote a URL past the server's limit (431) and stopped dialing.
    const request: HopperRequest = { limit: Math.min(200, Math.max(1, Math.floor(limit))), exclude: excludePhones, excludeAccounts, ...(accountDocumentId ? { account: accountDocumentId } : {}) };
    const json: { data: Hopper } = await this.request('POST', `/api/campaigns/${segment(campaignDocumentId)}/dialable`, request);
    return { items: json.data.items, nothingToDial: json.data.nothingToDial ?? null };
  }

  async recordAttempt(attemptId: string, data: AttemptRecord): Promise<void> {
    await this.request('PUT', `/api/calls/attempts/${segment(attemptId)}`, { data });
  }

  async recordAgentInterval({ intervalId, ...data }: AgentInterval): Promise<void> {
    await this.request('PUT', `/api/agent-intervals/${segment(intervalId)}`, { data });
  }

  async inboundLookup(callerId: string, did: string): Promise<InboundLookup> {
    return (await this.request('POST', '/api/calls/inbound-lookup', { data: { callerId, did } })).data;
  }

  async linkInboundAccount(attemptId: string, accountDocumentId: string, userJwt: string): Promise<AccountSummary> {
    return (await this.request('POST', `/api/calls/attempts/${segment(attemptId)}/linked-account`, { data: { accountDocumentId } }, userJwt)).data;
  }

  async pendingAttempts(): Promise<PendingAttempt[]> {
    const out: PendingAttempt[] = [];
    for (let page = 1; ; page++) {
      const json = await this.request('GET', `/api/calls?filters[outcome][$eq]=pending&filters[attemptId][$notNull]=true&fields[0]=attemptId&fields[1]=answeredAt&fields[2]=amdStatus&pagination[pageSize]=100&pagination[page]=${page}`);
      for (const c of json.data) out.push({ attemptId: c.attemptId, answeredAt: c.answeredAt ?? null, amdStatus: c.amdStatus ?? null });
      if (page >= (json.meta?.pagination?.pageCount ?? 1)) return out;
    }
  }

  async session(userJwt: string): Promise<SessionUser> {
    const json = await this.request('GET', '/api/session', undefined, userJwt);
    const d = json.data;
    return { id: d.id, username: d.username, role: d.role?.type ?? 'none', clients: (d.clients ?? []).map((c: any) => c.documentId) };
  }

  async ping(): Promise<boolean> {
    try {
      const res = await fetch(`${this.baseUrl}/_health`, { signal: AbortSignal.timeout(2000) });
      return res.status < 500;
    } catch {
      return false;
    }
  }
}
