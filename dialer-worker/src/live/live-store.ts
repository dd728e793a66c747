import type Redis from 'ioredis';
import type { LiveAgent } from './agent-state';
import type { LiveCall } from './call-state';

/**
 * Sets an agent's leg fields (legId, legPlacedAt, legDown) and nothing else, in one step: a leg
 * replaced while the agent's call ends must not write back the status it read before that end.
 * ARGV[2], if not empty: only while the agent still has that leg.
 */
const PATCH_AGENT_LEG = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return nil end
local a = cjson.decode(raw)
if ARGV[2] ~= '' and a.legId ~= ARGV[2] then return nil end
for k, v in pairs(cjson.decode(ARGV[3])) do a[k] = v end
local out = cjson.encode(a)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

/**
 * Writes an agent's record (ARGV[2]) but, over a record already stored, keeps the stored leg
 * fields (legId, legPlacedAt, legDown): the caller's are the ones it read, and a leg placed,
 * cleared or seen up since (PATCH_AGENT_LEG, on this worker or another) must survive. The
 * caller's leg fields are written only when ARGV[3] is '1' and the stored leg is still the one
 * it read (legId ARGV[4], legPlacedAt ARGV[5]; '' for none): a leg it placed to replace that one.
 * A record not stored yet (new, or put back after Redis lost it) is written as given.
 * Returns the record before (nil if none) and as written.
 */
const PUT_AGENT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local a = cjson.decode(ARGV[2])
if raw then
  local stored = cjson.decode(raw)
  local function none(v) return v == nil or v == cjson.null end
  local legId = none(stored.legId) and '' or tostring(stored.legId)
  local placedAt = none(stored.legPlacedAt) and '' or stored.legPlacedAt
  local expected = ARGV[5] == '' and '' or tonumber(ARGV[5])
  if not (ARGV[3] == '1' and legId == ARGV[4] and placedAt == expected) then
    a.legId, a.legPlacedAt, a.legDown = stored.legId, stored.legPlacedAt, stored.legDown
  end
end
local out = cjson.encode(a)
redis.call('HSET', KEYS[1], ARGV[1], out)
return { raw or false, out }
`;

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
// ended or gone; such an entry is stale and is taken over. 0: the phone is on a line.
// For a campaign's pacer (KEYS[3] given): only while the caller still holds the campaign's pacing
// lock (KEYS[3] = ARGV[4]), checked in the same step. A leader whose tick outlasted its lease (a
// stall, a slow cms) finds another worker leading and books nothing: two pacers never dial
// one campaign at once. 2: not the leader.
const ADD_CALL = `
if #KEYS == 3 and redis.call('GET', KEYS[3]) ~= ARGV[4] then return 2 end
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

// Takes over, in one step, every call whose worker is no longer alive (its lease key expired):
// two survivors sweeping together can never both adopt one call.
const ADOPT_CALLS = `
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  local raw = all[i + 1]
  local c = cjson.decode(raw)
  if c.workerId ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. tostring(c.workerId)) == 0 then
    -- Only the owner is rewritten, in the text as the worker wrote it: cjson would turn an empty array into an object.
    local needle = '"workerId":' .. cjson.encode(c.workerId)
    local s, e = string.find(raw, needle, 1, true)
    if s then
      local encoded = string.sub(raw, 1, s - 1) .. '"workerId":' .. cjson.encode(ARGV[1]) .. string.sub(raw, e + 1)
      redis.call('HSET', KEYS[1], all[i], encoded)
      out[#out + 1] = encoded
    end
  end
end
return out
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
      alive: `${prefix}:worker-alive:`,
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

  /**
   * Changes only the agent's leg fields, atomically (see PATCH_AGENT_LEG); null when the agent is
   * gone or no longer has `expectedLegId`. The status is untouched, so no time interval ends here.
   */
  async patchAgentLeg(id: number, patch: Pick<LiveAgent, 'legId' | 'legPlacedAt' | 'legDown'>, expectedLegId?: string): Promise<LiveAgent | null> {
    const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const raw = (await this.redis.eval(PATCH_AGENT_LEG, 1, this.keys.agents, String(id), expectedLegId ?? '', JSON.stringify(fields))) as string | null;
    if (!raw) return null;
    const agent: LiveAgent = JSON.parse(raw);
    this.writtenAgents.set(agent.id, agent);
    return agent;
  }

  /**
   * Writes an agent's status; their leg fields stay as stored (see PUT_AGENT) unless `replacing`
   * names the stored leg, the one the caller read before placing the leg `agent` carries.
   * Returns the agent as stored: what to announce and act on, not `agent`.
   */
  async putAgent(agent: LiveAgent, replacing?: Pick<LiveAgent, 'legId' | 'legPlacedAt'>): Promise<LiveAgent> {
    const expected = replacing ? ['1', replacing.legId ?? '', replacing.legPlacedAt === undefined || replacing.legPlacedAt === null ? '' : String(replacing.legPlacedAt)] : ['0', '', ''];
    const [prevRaw, raw] = (await this.redis.eval(PUT_AGENT, 1, this.keys.agents, String(agent.id), JSON.stringify(agent), ...expected)) as [string | null, string];
    const stored: LiveAgent = JSON.parse(raw);
    this.writtenAgents.set(stored.id, stored);
    this.onAgentChange?.(prevRaw ? JSON.parse(prevRaw) : null, stored);
    return stored;
  }

  /** Atomically takes the longest-waiting ready agent of a campaign (or, with `onlyPreferred`, that agent or no one) into `status`. */
  async claimAgent(
    campaignId: string,
    attemptId: string,
    status: 'reserved' | 'on_call',
    at: number,
    preferredAgentId: number | null,
    onlyPreferred = false,
    /** the agents as the caller just read them to choose (saves reading them again) */
    agentsRead?: LiveAgent[],
  ): Promise<LiveAgent | null> {
    // The agents before the claim: which one it takes is the script's choice, so all of the campaign's ready ones are read.
    const before = this.onAgentChange ? (agentsRead ?? (await this.agents())) : [];
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
    return (await this.book(call)) === 'added';
  }

  /** addCall for a pacer, fenced by its pacing lock (see ADD_CALL). */
  async addCallAsLeader(call: LiveCall, lockKey: string, holder: string): Promise<'added' | 'phone_on_line' | 'not_leader'> {
    return this.book(call, { lockKey, holder });
  }

  private async book(call: LiveCall, lock?: { lockKey: string; holder: string }): Promise<'added' | 'phone_on_line' | 'not_leader'> {
    const keys = lock ? [this.keys.calls, this.keys.phones, lock.lockKey] : [this.keys.calls, this.keys.phones];
    const result = await this.redis.eval(ADD_CALL, keys.length, ...keys, call.attemptId, call.phone, JSON.stringify(call), ...(lock ? [lock.holder] : []));
    if (result === 1) this.writtenCalls.set(call.attemptId, call);
    return result === 1 ? 'added' : result === 2 ? 'not_leader' : 'phone_on_line';
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

  /** This worker is alive for `leaseMs` more: renewed well within it, or others adopt its calls. */
  async renewLease(workerId: string, leaseMs: number): Promise<void> {
    await this.redis.set(this.keys.alive + workerId, String(Date.now()), 'PX', leaseMs);
  }

  /** Gives up the lease at a graceful stop: the calls left go to another worker at once. */
  async dropLease(workerId: string): Promise<void> {
    await this.redis.del(this.keys.alive + workerId);
  }

  /** Every call of a worker whose lease ran out, made `workerId`'s (see ADOPT_CALLS). */
  async adoptCalls(workerId: string): Promise<LiveCall[]> {
    const raw = (await this.redis.eval(ADOPT_CALLS, 1, this.keys.calls, workerId, this.keys.alive)) as string[];
    const calls: LiveCall[] = raw.map((r) => JSON.parse(r));
    for (const call of calls) this.writtenCalls.set(call.attemptId, call);
    return calls;
  }

  async isCampaignRunning(campaignId: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.campaigns, campaignId)) === 1;
  }

  async runningCampaigns(): Promise<string[]> {
    return this.redis.smembers(this.keys.campaigns);
  }

  async setCampaignRunning(campaignId: string, running: boolean): Promise<void> {
    if (running) await this.redis.sadd(this.keys.campaigns, campaignId);
    else await this.redis.srem(this.keys.campaigns, campaignId);
  }
}
