import type Redis from 'ioredis';
import type { InboundQueueStats } from '../../../protocol/campaign-stats';
import type { LiveCall } from '../live/call-state';
import { queueFigures, SERVICE_LEVEL_SEC, type QueueDayCounts } from './queue-stats';
import { ArrivalRate } from './inbound-reservation';

const DAY_MS = 86_400_000;
/** The live calls are read at most this often for the waiting callers, however many campaigns ask in one tick. */
const WAITING_READ_MS = 250;

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * The wallboard's inbound queue figures per campaign, in Redis so they outlive the worker and
 * every worker adds to the same ones. "Today" is the UTC day, as the rest of the wallboard's day
 * figures (live/day-tally.ts): a card never mixes two days. The day's counts (offered, answered,
 * answered within 20 s, their waits, hung up waiting) are a hash per campaign and day, expiring
 * two days later; each caller counts once (a marker per attempt, set if absent). Callers waiting
 * now are the inbound calls on hold in the live store, which a restarted worker reloads. A caller
 * routed to several campaigns counts on each (each card shows the callers its agents could take).
 * The arrival rate the pacing reserves agents for stays in memory: it follows the stream within
 * minutes of a restart.
 */
export class InboundQueueBook {
  private readonly arrivals = new Map<string, ArrivalRate>();
  private waitingRead: { at: number; calls: Promise<LiveCall[]> } | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly liveCalls: () => Promise<LiveCall[]>,
    private readonly simSpeed = 1,
  ) {}

  private dayKey(campaignId: string, at: number): string {
    return `${this.prefix}:inbound-day:${utcDay(at)}:${campaignId}`;
  }

  /** True the first time it is asked for this caller and step: a retried or repeated report counts once. */
  private async first(step: 'entered' | 'decided', attemptId: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:inbound-${step}:${attemptId}`, '1', 'PX', 2 * DAY_MS, 'NX')) === 'OK';
  }

  async entered(attemptId: string, campaignIds: string[], at: number): Promise<void> {
    for (const id of campaignIds) {
      let rate = this.arrivals.get(id);
      if (!rate) this.arrivals.set(id, (rate = new ArrivalRate(600)));
      rate.arrived(this.simSec(at));
    }
    if (!campaignIds.length || !(await this.first('entered', attemptId))) return;
    const m = this.redis.multi();
    for (const id of campaignIds) m.hincrby(this.dayKey(id, at), 'offered', 1).pexpire(this.dayKey(id, at), 2 * DAY_MS);
    await m.exec();
  }

  /** An agent took the caller: their wait counts for the ASA and the service level. */
  async answered(call: LiveCall, at: number): Promise<void> {
    if (!call.inbound?.campaignIds.length || !(await this.first('decided', call.attemptId))) return;
    const waitSec = this.simSec(Math.max(0, at - (call.answeredAt ?? at)));
    const m = this.redis.multi();
    for (const id of call.inbound.campaignIds) {
      const key = this.dayKey(id, at);
      m.hincrby(key, 'answered', 1).hincrbyfloat(key, 'answerWaitSec', waitSec);
      if (waitSec <= SERVICE_LEVEL_SEC) m.hincrby(key, 'answeredWithin', 1);
      m.pexpire(key, 2 * DAY_MS);
    }
    await m.exec();
    this.decided();
  }

  /** The caller hung up before any agent took them. */
  async abandoned(call: LiveCall, at: number): Promise<void> {
    if (!call.inbound?.campaignIds.length || !(await this.first('decided', call.attemptId))) return;
    const m = this.redis.multi();
    for (const id of call.inbound.campaignIds) m.hincrby(this.dayKey(id, at), 'abandoned', 1).pexpire(this.dayKey(id, at), 2 * DAY_MS);
    await m.exec();
    this.decided();
  }

  /**
   * A caller just counted as answered or abandoned left the waiting list before (call-flow writes
   * the call first); a waiting list read before that would count them once more in `offered`.
   */
  private decided(): void {
    this.waitingRead = null;
  }

  private simSec(ms: number): number {
    return (ms / 1000) * this.simSpeed;
  }

  /** Inbound callers per simulated second routed to the campaign lately (0 when none came). */
  arrivalsPerSec(campaignId: string, now: number): number {
    return this.arrivals.get(campaignId)?.perSec(this.simSec(now)) ?? 0;
  }

  private waitingCalls(now: number): Promise<LiveCall[]> {
    if (!this.waitingRead || now - this.waitingRead.at > WAITING_READ_MS || now < this.waitingRead.at) {
      this.waitingRead = { at: now, calls: this.liveCalls().then((calls) => calls.filter((c) => c.inbound && c.phase === 'waiting')) };
    }
    return this.waitingRead.calls;
  }

  /** The campaign's figures now; null when no caller was routed to it today and none waits. */
  async stats(campaignId: string, now: number): Promise<InboundQueueStats | null> {
    const [day, waiting] = await Promise.all([this.redis.hgetall(this.dayKey(campaignId, now)), this.waitingCalls(now)]);
    const since = waiting.filter((c) => c.inbound!.campaignIds.includes(campaignId)).map((c) => c.answeredAt ?? c.queuedAt);
    const counts: QueueDayCounts = {
      offered: Number(day.offered ?? 0),
      answered: Number(day.answered ?? 0),
      abandoned: Number(day.abandoned ?? 0),
      answeredWithin: Number(day.answeredWithin ?? 0),
      answerWaitSec: Number(day.answerWaitSec ?? 0),
    };
    if (!counts.offered && !since.length) return null;
    return queueFigures(counts, since, now, SERVICE_LEVEL_SEC, this.simSpeed);
  }
}
