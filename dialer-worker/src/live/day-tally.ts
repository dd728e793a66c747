import type Redis from 'ioredis';
import type { AgentDay, CampaignDay } from '../../../protocol/campaign-stats';

const DAY_MS = 86_400_000;

/**
 * Today's figures for the wallboard, kept in Redis so every worker adds to the same ones: per
 * agent their connected calls and talk time, per campaign its connects, talk time and the
 * agent time logged in on it (added by the pacing loop at each tick). "Today" is the UTC day;
 * a day's hash expires two days later.
 */
export class DayTally {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(at: number): string {
    return `${this.prefix}:today:${new Date(at).toISOString().slice(0, 10)}`;
  }

  async connected(campaignId: string, agentId: number, talkSec: number, at: number): Promise<void> {
    const key = this.key(at);
    await this.redis
      .multi()
      .hincrby(key, `a:${agentId}:calls`, 1)
      .hincrbyfloat(key, `a:${agentId}:talk`, talkSec)
      .hincrby(key, `c:${campaignId}:connects`, 1)
      .hincrbyfloat(key, `c:${campaignId}:talk`, talkSec)
      .pexpire(key, 2 * DAY_MS)
      .exec();
  }

  async agentTime(campaignId: string, agentSec: number, at: number): Promise<void> {
    if (agentSec <= 0) return;
    const key = this.key(at);
    await this.redis.multi().hincrbyfloat(key, `c:${campaignId}:agentSec`, agentSec).pexpire(key, 2 * DAY_MS).exec();
  }

  async agent(agentId: number, at: number): Promise<AgentDay> {
    const [calls, talk] = await this.redis.hmget(this.key(at), `a:${agentId}:calls`, `a:${agentId}:talk`);
    return { calls: Number(calls ?? 0), talkSec: Math.round(Number(talk ?? 0)) };
  }

  async campaign(campaignId: string, at: number): Promise<CampaignDay> {
    const [agentSec, talk, connects] = await this.redis.hmget(this.key(at), `c:${campaignId}:agentSec`, `c:${campaignId}:talk`, `c:${campaignId}:connects`);
    return { agentSec: Math.round(Number(agentSec ?? 0)), talkSec: Math.round(Number(talk ?? 0)), connects: Number(connects ?? 0) };
  }
}
