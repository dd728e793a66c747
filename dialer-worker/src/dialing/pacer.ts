import crypto from 'crypto';
import type Redis from 'ioredis';
import { PacingEngine, type AgentSnapshot, type PacingSettings } from '../pacing';
import { agentsForInbound, INBOUND_HORIZON_SEC } from '../inbound/inbound-reservation';
import type { CampaignSettings, CmsClient, HopperItem, NothingToDial } from '../cms/cms-client';
import type { LiveAgent } from '../live/agent-state';
import { newLiveCall, type LiveCall } from '../live/call-state';
import type { DayTally } from '../live/day-tally';
import type { LiveStore } from '../live/live-store';
import type { CampaignStats, RealtimeEvents } from '../realtime/realtime-events';
import type { CampaignStatsBook } from './campaign-stats-book';

const SETTINGS_TTL_MS = 5000;

// Deletes the pacing lock only while it is still this worker's: a lease that ran out and went to another worker stays theirs.
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

// Takes the pacing lock, or extends it while it is this worker's, in one step.
const HOLD_LOCK = `
local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`;
/** A hopper item is dialed within this long of cms checking it, or fetched again: the receipt must be true when the phone rings. */
const HOPPER_FRESH_MS = 20_000;
/** cms is asked for more phones at most this often per campaign. */
const HOPPER_REFILL_MS = 1000;
/** A phone an agent skipped in preview is not offered to that agent again for this long. */
const PREVIEW_SKIP_MS = 10 * 60_000;
/** An agent is told again why nothing dials this often, even unchanged: a console that reloaded has not heard it. */
const RETELL_MS = 15_000;

export type PacerDeps = {
  workerId: string;
  redis: Redis;
  live: LiveStore;
  cms: CmsClient;
  stats: CampaignStatsBook;
  /** Today's figures for the wallboard (absent in tests that do not read them). */
  today?: Pick<DayTally, 'agentTime' | 'campaign'>;
  realtime: RealtimeEvents;
  /** Hands a queued attempt to the dial queue. */
  enqueueDial: (call: LiveCall) => Promise<void>;
  now: () => number;
  simSpeed: number;
  intervalMs: number;
  lockPrefix: string;
  log: (message: string, extra?: Record<string, unknown>) => void;
  /** Whether the campaign is still marked running in Redis (absent: the loop's own start and stop decide). */
  stillRunning?: (campaignId: string) => Promise<boolean>;
  /** False while Redis is down: a tick then does nothing rather than wait on ioredis and fail. */
  storeReady?: () => boolean;
  /** Inbound callers per (simulated) second routed to the campaign, as measured: blended agents are left for them. */
  inboundArrivalsPerSec?: (campaignId: string, now: number) => number;
};

const ENGINE_STATE: Record<string, AgentSnapshot['state'] | null> = {
  ready: 'ready',
  reserved: 'ready',
  on_call: 'talking',
  wrap_up: 'wrap',
  paused: 'paused',
  logged_out: null,
};

export function engineSettings(c: CampaignSettings): PacingSettings {
  return {
    mode: c.dialMode,
    abandonTarget: c.abandonTarget,
    maxLinesPerAgent: c.maxDialRatio,
    dropWindowSec: c.dropWindowSec,
    ratio: c.fixedDialRatio,
    abandonWindowHours: c.abandonWindowHours,
  };
}

/**
 * The pacing loop of each running campaign: one leader at a time across
 * workers (a Redis lock), a decision of the engine every interval, and one
 * dial job per attempt it asks for. A loop, not a repeatable Bull job,
 * because the cadence is sub-second under SIM_SPEED.
 */
export class Pacer {
  private readonly loops = new Map<string, NodeJS.Timeout>();
  private readonly engines = new Map<string, PacingEngine>();
  private readonly settings = new Map<string, { value: CampaignSettings; at: number }>();
  private readonly busy = new Set<string>();
  private readonly hoppers = new Map<string, { items: HopperItem[]; at: number }>();
  private readonly skipped = new Map<number, Map<string, number>>();
  readonly lastReasons = new Map<string, CampaignStats>();
  /** cms's word on each campaign's last hopper refill: why nothing dials, or null. */
  private readonly nothingToDial = new Map<string, NothingToDial | null>();
  private readonly told = new Map<number, { key: string; at: number }>();
  private readonly lastTickAt = new Map<string, number>();
  /** The campaigns whose pacing lock this worker held at its last tick of each (to log each time it becomes the leader). */
  private readonly led = new Set<string>();

  constructor(private readonly d: PacerDeps) {}

  running(): string[] {
    return [...this.loops.keys()];
  }

  start(campaignId: string): void {
    if (this.loops.has(campaignId)) return;
    const timer = setInterval(() => void this.tick(campaignId), this.d.intervalMs);
    this.loops.set(campaignId, timer);
    void this.tick(campaignId);
  }

  async stop(campaignId: string): Promise<void> {
    const timer = this.loops.get(campaignId);
    if (timer) clearInterval(timer);
    this.loops.delete(campaignId);
    this.led.delete(campaignId);
    await this.d.redis.eval(RELEASE_LOCK, 1, this.lockKey(campaignId), this.d.workerId);
  }

  /**
   * Every worker runs a loop for every campaign marked running in Redis, whichever worker a
   * supervisor started it on; the lock makes one of them the leader, and when the leader dies
   * its lease runs out and the next tick elsewhere takes over. Loops of campaigns no longer
   * running (paused on another worker) stop here.
   */
  async follow(running: readonly string[]): Promise<void> {
    const wanted = new Set(running);
    for (const id of wanted) this.start(id);
    for (const id of this.running()) if (!wanted.has(id)) await this.stop(id);
  }

  /** The campaigns this worker paces now: its loops whose lock it holds (Redis's word, not the last tick's). */
  async leading(): Promise<string[]> {
    const ids = this.running();
    const holders = ids.length ? await this.d.redis.mget(ids.map((id) => this.lockKey(id))) : [];
    return ids.filter((_, i) => holders[i] === this.d.workerId);
  }

  private lockKey(campaignId: string): string {
    return `${this.d.lockPrefix}:pacing-lock:${campaignId}`;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running().map((id) => this.stop(id)));
  }

  invalidate(campaignId: string): void {
    this.settings.delete(campaignId);
  }

  private async leader(campaignId: string): Promise<boolean> {
    const leads = await this.holdLock(campaignId);
    if (leads && !this.led.has(campaignId)) this.d.log('pacing leader', { campaignId });
    if (leads) this.led.add(campaignId);
    else this.led.delete(campaignId);
    return leads;
  }

  /**
   * The lease lasts three ticks, and at least 3 s: a leader that stops ticking loses it that fast,
   * and one whose event loop stalls for a moment (GC, a busy host) does not hand over on every stall.
   */
  private async holdLock(campaignId: string): Promise<boolean> {
    const ttl = Math.max(3000, this.d.intervalMs * 3);
    return (await this.d.redis.eval(HOLD_LOCK, 1, this.lockKey(campaignId), this.d.workerId, String(ttl))) === 1;
  }

  private async campaign(campaignId: string): Promise<CampaignSettings> {
    const cached = this.settings.get(campaignId);
    if (cached && this.d.now() - cached.at < SETTINGS_TTL_MS) return cached.value;
    const value = await this.d.cms.campaign(campaignId);
    this.settings.set(campaignId, { value, at: this.d.now() });
    return value;
  }

  async tick(campaignId: string): Promise<void> {
    if (this.d.storeReady?.() === false) return;
    if (this.busy.has(campaignId)) {
      // The last tick still waits (on cms, say): the leader keeps its lease meanwhile; only one that stops ticking loses it.
      if (this.led.has(campaignId)) await this.holdLock(campaignId).catch(() => undefined);
      return;
    }
    this.busy.add(campaignId);
    try {
      // Paused through another worker: this loop stops at the next follow(), and neither leads nor dials meanwhile.
      if (this.d.stillRunning && !(await this.d.stillRunning(campaignId))) return;
      if (!(await this.leader(campaignId))) return;
      const campaign = await this.campaign(campaignId);
      if (campaign.state !== 'running') return;
      const settings = engineSettings(campaign);
      const stats = await this.d.stats.load(campaignId, { abandonTarget: campaign.abandonTarget, windowHours: settings.abandonWindowHours });
      const now = this.d.now();
      const sec = (from: number | null) => (from === null ? 0 : ((now - from) / 1000) * this.d.simSpeed);
      const agents = (await this.d.live.agents()).filter((a) => a.campaignId === campaignId && a.status !== 'logged_out');
      const known = await this.d.live.calls();
      const calls = known.filter((c) => c.campaignId === campaignId && c.phase !== 'ended');
      // Every attempt Redis still holds, ended or not: it leaves Redis only once cms has its final
      // record. Until then cms's retry delay and counts do not know it (a cms outage, a restart,
      // a record waiting in the retry queue), so neither its phone nor its account is offered.
      const onLine = [...new Set(known.map((c) => c.phone))];
      const pendingAccounts = [...new Set(known.map((c) => c.accountDocumentId))];
      // Blended: the ready agents inbound callers are expected to take before a call dialed now is answered are not
      // offered to the engine (callers already on hold are among waitingCalls, which the engine gives agents to first).
      const takesCalls = (a: LiveAgent) => a.status === 'ready' && !a.legDown;
      let leftForInbound = this.d.inboundArrivalsPerSec ? agentsForInbound(agents.filter(takesCalls).length, this.d.inboundArrivalsPerSec(campaignId, now), INBOUND_HORIZON_SEC, 0) : 0;
      const offered = agents.filter((a) => !(takesCalls(a) && leftForInbound > 0 && leftForInbound-- > 0));
      const snapshot = {
        nowMs: now,
        agents: offered.map((a: LiveAgent) => ({
          id: String(a.id),
          // A ready agent whose conference leg is not up takes no call: for the engine, away.
          state: a.status === 'ready' && a.legDown ? 'paused' : ENGINE_STATE[a.status]!,
          stateSec: sec(a.since),
          ...(a.status === 'reserved' && a.attemptId ? { reservedForCallId: a.attemptId } : {}),
        })),
        callsInFlight: calls
          .filter((c) => ['queued', 'dialing', 'ringing'].includes(c.phase))
          .map((c) => ({ id: c.attemptId, elapsedSec: sec(c.dialedAt ?? c.queuedAt), autodialConsent: c.reservedAgentId === null, ...(c.reservedAgentId !== null ? { reservedAgentId: String(c.reservedAgentId) } : {}) })),
        waitingCalls: calls.filter((c) => c.phase === 'waiting').map((c) => ({ id: c.attemptId, waitingSec: sec(c.answeredAt) })),
        // Phones that may only be dialed with an agent held for them (no autodial consent, or
        // the UK 72 h lock). The engine reserves idle agents for them that no call in flight is
        // expected to claim; without this count they would wait in the hopper forever.
        pendingConsentless: (this.cachedHopper(campaignId, onLine, pendingAccounts)?.items ?? []).filter((i) => i.reservedAgentRequired).length,
      };
      const decision = this.engineFor(campaignId).decide(snapshot, settings, stats);
      let placed = 0;
      let reserved = 0;
      const wanted = decision.dials + decision.reservedDials;
      if (wanted > 0) {
        const hopper = await this.hopper(campaignId, decision.dials, decision.reservedDials, onLine, pendingAccounts);
        // Items this tick does not take stay in the hopper: a consent-less phone waiting for an
        // agent is what makes the engine reserve one on the next tick (pendingConsentless).
        const taken = new Set<HopperItem>();
        let agentsLeft = true;
        for (const item of [...hopper.items]) {
          if (placed >= decision.dials && (reserved >= decision.reservedDials || !agentsLeft)) break;
          if (item.reservedAgentRequired) {
            if (reserved >= decision.reservedDials || !agentsLeft) continue;
            const result = await this.queue(campaign, item, true);
            if (result === 'not_leader') break;
            if (result === 'no_agent') agentsLeft = false;
            else taken.add(item);
            if (result === 'queued') reserved++;
          } else {
            if (placed >= decision.dials) continue;
            const result = await this.queue(campaign, item, false);
            if (result === 'not_leader') break;
            taken.add(item);
            if (result === 'queued') placed++;
          }
        }
        hopper.items = hopper.items.filter((i) => !taken.has(i));
      }
      const window = stats.windowCounts(now);
      // Agent time on the campaign since the last tick (a gap of a stopped loop is not counted).
      const since = this.lastTickAt.get(campaignId);
      this.lastTickAt.set(campaignId, now);
      const stepSec = since === undefined ? 0 : Math.min(now - since, 5 * this.d.intervalMs) / 1000 * this.d.simSpeed;
      await this.d.today?.agentTime(campaignId, agents.length * stepSec, now);
      const today = (await this.d.today?.campaign(campaignId, now)) ?? { agentSec: 0, talkSec: 0, connects: 0 };
      const report: CampaignStats = {
        campaignId,
        at: new Date(now).toISOString(),
        agents: countBy(agents.map((a) => a.status)),
        linesInFlight: snapshot.callsInFlight.length,
        waiting: snapshot.waitingCalls.length,
        longestWaitSec: Math.max(0, ...snapshot.waitingCalls.map((c) => c.waitingSec)),
        dialLevel: agents.length ? +(snapshot.callsInFlight.length / Math.max(1, agents.filter((a) => a.status !== 'paused').length)).toFixed(2) : 0,
        dialedNow: placed + reserved,
        abandonRate: { window: settings.abandonWindowHours, ...window },
        reasons: decision.reasons,
        nothingToDial: this.nothingToDial.get(campaignId) ?? null,
        // The last refill's phones not dialed since (stale or fresh: a supervisor's count, not a dialing decision).
        hopper: (this.cachedHopper(campaignId, onLine, pendingAccounts) ?? this.hoppers.get(campaignId))?.items.length ?? null,
        today,
      };
      this.lastReasons.set(campaignId, report);
      this.d.realtime.campaignStats(campaignId, report);
      this.tellAgents(campaignId, agents, now);
    } catch (error) {
      this.d.log('pacing tick failed', { campaignId, error: (error as Error).message });
    } finally {
      this.busy.delete(campaignId);
    }
  }

  /**
   * The campaign's hopper, as VICIdial keeps one: a short list of phones cms
   * has cleared, refilled at most once a second, so that a fast pacing loop
   * does not turn into a query storm on cms.
   */
  private async hopper(campaignId: string, dials: number, reservedDials: number, inFlight: string[], pendingAccounts: string[]): Promise<{ items: HopperItem[]; at: number }> {
    const now = this.d.now();
    let h = this.cachedHopper(campaignId, inFlight, pendingAccounts);
    const short = (x: { items: HopperItem[] }) => {
      const consentless = x.items.filter((i) => i.reservedAgentRequired).length;
      return x.items.length - consentless < dials || consentless < reservedDials;
    };
    if ((!h || short(h)) && (!h || now - h.at >= HOPPER_REFILL_MS)) {
      // A hopper short of the kind wanted is fetched deeper than the one it replaces, so that
      // phones queued behind a long run of the other kind are reached (at most 200).
      const wanted = dials + reservedDials;
      const { items, nothingToDial } = await this.d.cms.dialable(campaignId, Math.min(200, Math.max(20, wanted * 3, (h?.items.length ?? 0) + wanted * 3)), inFlight, undefined, pendingAccounts);
      this.nothingToDial.set(campaignId, nothingToDial);
      h = { items, at: now };
      this.hoppers.set(campaignId, h);
    }
    return h ?? { items: [], at: now };
  }

  /**
   * Each agent on the campaign hears why nothing dials (or that calls can come again) when it
   * changes, when they join, and every RETELL_MS: a Ready agent with no call is never left guessing.
   */
  private tellAgents(campaignId: string, agents: LiveAgent[], now: number): void {
    const nothingToDial = this.nothingToDial.get(campaignId) ?? null;
    const key = `${campaignId}:${JSON.stringify(nothingToDial)}`;
    for (const agent of agents) {
      const last = this.told.get(agent.id);
      if (last && last.key === key && now - last.at < RETELL_MS) continue;
      this.told.set(agent.id, { key, at: now });
      this.d.realtime.campaignDialing(agent.id, { campaignId, checkedAt: new Date(now).toISOString(), nothingToDial });
    }
  }

  /** The campaign's hopper while still fresh, without the phones and accounts of attempts Redis still holds. */
  private cachedHopper(campaignId: string, inFlight: string[], pendingAccounts: string[]): { items: HopperItem[]; at: number } | undefined {
    const h = this.hoppers.get(campaignId);
    if (!h || this.d.now() - h.at > HOPPER_FRESH_MS) return undefined;
    const busy = new Set(inFlight);
    const accounts = new Set(pendingAccounts);
    h.items = h.items.filter((i) => !busy.has(i.phone) && !accounts.has(i.accountDocumentId));
    return h;
  }

  private engineFor(campaignId: string): PacingEngine {
    let engine = this.engines.get(campaignId);
    if (!engine) this.engines.set(campaignId, (engine = new PacingEngine()));
    return engine;
  }

  /**
   * One attempt for a hopper item: the phone's line first (refused if another worker or
   * campaign has just put it on one), then, for a consent-less phone, the agent held for it.
   */
  private async queue(campaign: CampaignSettings, item: HopperItem, reserve: boolean): Promise<'queued' | 'phone_on_line' | 'no_agent' | 'not_leader'> {
    const call = await this.takeLine(campaign, item, reserve ? { preferred: item.preferredAgentId, only: false } : null, true);
    if (typeof call === 'string') return call;
    await this.d.enqueueDial(call);
    return 'queued';
  }

  /**
   * Books a new attempt on the item's phone, with an agent reserved when asked. When the phone
   * is already on a line or no agent could be reserved it says which, and leaves nothing behind.
   */
  private async takeLine(
    campaign: CampaignSettings,
    item: HopperItem,
    reserve: { preferred: number | null; only: boolean } | null,
    asLeader = false,
  ): Promise<LiveCall | 'phone_on_line' | 'no_agent' | 'not_leader'> {
    const attemptId = `a-${crypto.randomUUID()}`;
    const now = this.d.now();
    const call = newCall(this.d.workerId, campaign, item, attemptId, null, now);
    if (asLeader) {
      const added = await this.d.live.addCallAsLeader(call, this.lockKey(campaign.documentId), this.d.workerId);
      if (added === 'not_leader') {
        this.led.delete(campaign.documentId);
        this.d.log('pacing lock lost during a tick; nothing more booked', { campaignId: campaign.documentId });
      }
      if (added !== 'added') return added;
    } else if (!(await this.d.live.addCall(call))) return 'phone_on_line';
    if (!reserve) return call;
    const agent = await this.d.live.claimAgent(campaign.documentId, attemptId, 'reserved', now, reserve.preferred, reserve.only);
    if (!agent) {
      await this.d.live.removeCall(attemptId);
      return 'no_agent';
    }
    this.d.realtime.agentState(agent);
    const reserved = { ...call, reservedAgentId: agent.id };
    await this.d.live.putCall(reserved);
    return reserved;
  }

  /**
   * Preview mode: the next phone for one agent, preferring the accounts assigned to them, held
   * while they read the account. The agent is reserved for it at once, so no other call takes
   * them; nothing is dialed until they say so (dialPreview). Two agents asking together, on this
   * worker or another, never get the same phone: booking it is one step in Redis (addCall).
   */
  async preview(campaign: CampaignSettings, agentId: number): Promise<{ call: LiveCall; item: HopperItem } | 'agent_not_ready' | 'nothing_dialable'> {
    const known = await this.d.live.calls();
    const onLine = [...new Set(known.map((c) => c.phone))];
    const skipped = this.skippedBy(agentId);
    const open = (await this.d.cms.dialable(campaign.documentId, 20, onLine, undefined, [...new Set(known.map((c) => c.accountDocumentId))])).items.filter((i) => !skipped.has(i.phone));
    const ordered = [
      ...open.filter((i) => i.preferredAgentId === agentId),
      ...open.filter((i) => i.preferredAgentId === null),
      ...open.filter((i) => i.preferredAgentId !== null && i.preferredAgentId !== agentId),
    ];
    for (const item of ordered) {
      // A phone booked since cms listed it (another agent's preview, another worker): take the next.
      const call = await this.takeLine(campaign, item, { preferred: agentId, only: true });
      if (call === 'no_agent') return 'agent_not_ready';
      if (typeof call !== 'string') return { call, item };
    }
    return 'nothing_dialable';
  }

  skipPreview(agentId: number, phone: string): void {
    this.skippedBy(agentId).set(phone, this.d.now() + PREVIEW_SKIP_MS);
  }

  private skippedBy(agentId: number): Map<string, number> {
    let phones = this.skipped.get(agentId);
    if (!phones) this.skipped.set(agentId, (phones = new Map()));
    const now = this.d.now();
    for (const [phone, until] of phones) if (until <= now) phones.delete(phone);
    return phones;
  }

  /**
   * Dials a held preview. cms cleared the phone when the preview was taken; if the agent read
   * for longer than a hopper item may wait, cms checks that account again first, so the
   * receipt is still true when the phone rings.
   */
  async dialPreview(call: LiveCall): Promise<'dialed' | 'no_longer_dialable'> {
    let ready = call;
    if (this.d.now() - call.queuedAt > HOPPER_FRESH_MS) {
      const others = (await this.d.live.calls()).filter((c) => c.attemptId !== call.attemptId && c.phase !== 'ended').map((c) => c.phone);
      const again = (await this.d.cms.dialable(call.campaignId, 1, others, call.accountDocumentId)).items.find((i) => i.phone === call.phone);
      if (!again) return 'no_longer_dialable';
      ready = { ...call, receipt: again.receipt, queuedAt: this.d.now() };
      await this.d.live.putCall(ready);
    }
    await this.d.enqueueDial(ready);
    return 'dialed';
  }
}

function newCall(workerId: string, campaign: CampaignSettings, item: HopperItem, attemptId: string, reservedAgentId: number | null, at: number): LiveCall {
  return newLiveCall({
    attemptId,
    campaignId: campaign.documentId,
    workerId,
    accountDocumentId: item.accountDocumentId,
    callbackDocumentId: item.callbackDocumentId,
    phone: item.phone,
    dialMode: campaign.dialMode,
    ringTimeoutSec: campaign.ringTimeoutSec,
    dropWindowSec: campaign.dropWindowSec,
    callerId: campaign.callerId,
    wrapUpLimitSec: campaign.wrapUpLimitSec,
    defaultDispositionId: campaign.defaultDispositionId,
    reservedAgentId,
    preferredAgentId: item.preferredAgentId,
    receipt: item.receipt,
    account: item.account,
    phase: 'queued',
    queuedAt: at,
  });
}

function countBy<K extends string>(values: K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
