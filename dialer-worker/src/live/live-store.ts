import type Redis from 'ioredis';
import type { LiveAgent } from './agent-state';
import type { LiveCall } from './call-state';

// Picks the ready agent of a campaign who has waited longest (preferring one
// agent if given and ready, or only that one when ARGV[6] is '1'), never one whose
// conference leg is not up (legDown), and marks them
// in one step, so two workers, or two answers in the same millisecond, can never
// take the same agent.
const CLAIM_AGENT = `
local all = redis.call('HGETALL', KEYS[1])
local best, bestSince, bestJson = nil, nil, nil
for i = 1, #all, 2 do
  local a = cjson.decode(all[i + 1])
  if a.status == 'ready' and a.campaignId == ARGV[1] and a.legDown ~= true and (ARGV[6] ~= '1' or tostring(a.id) == ARGV[5]) then
    if tostring(a.id) == ARGV[5] then best, bestSince, bestJson = all[i], -1, a break end
    if bestSince == nil or a.since < bestSince then best, bestSince, bestJson = all[i], a.since, a end
  end
end
if best == nil then return nil end
bestJson.status = ARGV[3]
bestJson.since = tonumber(ARGV[2])
bestJson.attemptId = ARGV[4]
bestJson.pauseReason = cjson.null
local encoded = cjson.encode(bestJson)
redis.call('HSET', KEYS[1], best, encoded)
return encoded
`;

// Adds a new call unless its phone is already on a live line: one line per phone at a time,
// whichever worker, campaign or preview asks. The phone index may point at a call that has
// ended or gone; such an entry is stale and is taken over.
const ADD_CALL = `
local holder = redis.call('HGET', KEYS[2], ARGV[2])
if holder and holder ~= ARGV[1] then
  local raw = redis.call('HGET', KEYS[1], holder)
  if raw and cjson.decode(raw).phase ~= 'ended' then return 0 end
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

const REMOVE_CALL = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local phone = cjson.decode(raw).phone
  if redis.call('HGET', KEYS[2], phone) == ARGV[1] then redis.call('HDEL', KEYS[2], phone) end
end
return redis.call('HDEL', KEYS[1], ARGV[1])
`;

/** Live state in Redis: what a restarted or second worker needs to carry on. */
export class LiveStore {
  private readonly keys;
  /**
   * The last version of every call and agent this process wrote (calls until removed): what it
   * puts back into a Redis that came back empty, since nobody else knows its calls in flight.
   */
  private readonly writtenCalls = new Map<string, LiveCall>();
  private readonly writtenAgents = new Map<number, LiveAgent>();

  constructor(private readonly redis: Redis, prefix = 'dialer') {
    this.keys = {
      agents: `${prefix}:agents`,
      calls: `${prefix}:calls`,
      phones: `${prefix}:phones-on-line`,
      guard: (attemptId: string) => `${prefix}:originated:${attemptId}`,
      wrapUp: (attemptId: string) => `${prefix}:wrapped-up:${attemptId}`,
      stats: (campaignId: string) => `${prefix}:stats:${campaignId}`,
      campaigns: `${prefix}:campaigns`,
    };
  }

  async agents(): Promise<LiveAgent[]> {
    return Object.values(await this.redis.hgetall(this.keys.agents)).map((v) => JSON.parse(v));
  }

  async agent(id: number): Promise<LiveAgent | null> {
    const raw = await this.redis.hget(this.keys.agents, String(id));
    return raw ? JSON.parse(raw) : null;
  }

  /** Told of every agent change with the state before it (cms records the time spent in each state). */
  onAgentChange: ((prev: LiveAgent | null, next: LiveAgent) => void) | null = null;

  async putAgent(agent: LiveAgent): Promise<void> {
    const prev = this.onAgentChange ? await this.agent(agent.id) : null;
    await this.redis.hset(this.keys.agents, String(agent.id), JSON.stringify(agent));
    this.writtenAgents.set(agent.id, agent);
    this.onAgentChange?.(prev, agent);
  }

  /** Atomically takes the longest-waiting ready agent of a campaign (or, with `onlyPreferred`, that agent or no one) into `status`. */
  async claimAgent(
    campaignId: string,
    attemptId: string,
    status: 'reserved' | 'on_call',
    at: number,
    preferredAgentId: number | null,
    onlyPreferred = false,
  ): Promise<LiveAgent | null> {
    // The agents before the claim: which one it takes is the script's choice, so all of the campaign's ready ones are read.
    const before = this.onAgentChange ? await this.agents() : [];
    const raw = (await this.redis.eval(CLAIM_AGENT, 1, this.keys.agents, campaignId, String(at), status, attemptId, String(preferredAgentId ?? ''), onlyPreferred ? '1' : '0')) as string | null;
    if (!raw) return null;
    const agent: LiveAgent = JSON.parse(raw);
    this.writtenAgents.set(agent.id, agent);
    this.onAgentChange?.(before.find((a) => a.id === agent.id) ?? null, agent);
    return agent;
  }

  async calls(): Promise<LiveCall[]> {
    return Object.values(await this.redis.hgetall(this.keys.calls)).map((v) => JSON.parse(v));
  }

  async call(attemptId: string): Promise<LiveCall | null> {
    const raw = await this.redis.hget(this.keys.calls, attemptId);
    return raw ? JSON.parse(raw) : null;
  }

  /**
   * Puts a new attempt on the books, or refuses (false) while another attempt has the same
   * phone on a line. Checked and written in one step, so two workers, or two campaigns that
   * share an account, can never ring one debtor twice at once.
   */
  async addCall(call: LiveCall): Promise<boolean> {
    const added = (await this.redis.eval(ADD_CALL, 2, this.keys.calls, this.keys.phones, call.attemptId, call.phone, JSON.stringify(call))) === 1;
    if (added) this.writtenCalls.set(call.attemptId, call);
    return added;
  }

  /** Updates an attempt already on the books. */
  async putCall(call: LiveCall): Promise<void> {
    await this.redis.hset(this.keys.calls, call.attemptId, JSON.stringify(call));
    this.writtenCalls.set(call.attemptId, call);
  }

  async removeCall(attemptId: string): Promise<void> {
    await this.redis.eval(REMOVE_CALL, 2, this.keys.calls, this.keys.phones, attemptId);
    this.writtenCalls.delete(attemptId);
  }

  /** What this process last wrote of a call, without asking Redis (which may be down). */
  writtenCall(attemptId: string): LiveCall | undefined {
    return this.writtenCalls.get(attemptId);
  }

  /** Everything this process wrote and has not removed: calls, and each agent as it last wrote them. */
  written(): { calls: LiveCall[]; agents: LiveAgent[] } {
    return { calls: [...this.writtenCalls.values()], agents: [...this.writtenAgents.values()] };
  }

  /** Forgets a call this process wrote without touching Redis (it is gone there already). */
  forgetWritten(attemptId: string): void {
    this.writtenCalls.delete(attemptId);
  }

  /**
   * The at-most-once guard of an Originate: true for the first caller only.
   * Kept for a week, far longer than any retry or restart could come back.
   */
  async claimOriginate(attemptId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.guard(attemptId), String(Date.now()), 'EX', 7 * 86400, 'NX')) === 'OK';
  }

  /** True for the one writer that closes this attempt's wrap-up: the agent's disposition or the wrap-up limit, never both. */
  async claimWrapUp(attemptId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.wrapUp(attemptId), String(Date.now()), 'EX', 7 * 86400, 'NX')) === 'OK';
  }

  async wasOriginated(attemptId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.guard(attemptId))) === 1;
  }

  async stats(campaignId: string): Promise<string | null> {
    return this.redis.get(this.keys.stats(campaignId));
  }

  async putStats(campaignId: string, json: string): Promise<void> {
    await this.redis.set(this.keys.stats(campaignId), json);
  }

  async runningCampaigns(): Promise<string[]> {
    return this.redis.smembers(this.keys.campaigns);
  }

  async setCampaignRunning(campaignId: string, running: boolean): Promise<void> {
    if (running) await this.redis.sadd(this.keys.campaigns, campaignId);
    else await this.redis.srem(this.keys.campaigns, campaignId);
  }
}
