import type { CmsClient, HopperItem } from '../src/cms/cms-client';
import { campaignSettings, hopperItem } from './helpers';
import type { CampaignStatsBook } from '../src/dialing/campaign-stats-book';
import { Pacer } from '../src/dialing/pacer';
import type { LiveAgent } from '../src/live/agent-state';
import { LiveStore } from '../src/live/live-store';
import type { RealtimeEvents } from '../src/realtime/realtime-events';
import { useTestRedis } from './test-redis';

// Two workers on one real Redis. cms is a stub here, and only here: the race needs both workers
// to read the same list before either books a phone, which a real cms cannot be made to do on
// cue. The end-to-end suite runs the same pacer against the real cms.
const { redis, prefix } = useTestRedis('pacer');
const live = new LiveStore(redis, prefix);

const campaign = campaignSettings({ documentId: 'camp1', name: 'Preview', dialMode: 'preview', agentIds: [1, 2] });

const item = (n: number): HopperItem => hopperItem(n, `+1555000010${n}`);

/** Lists the same unassigned phones to every caller, after a pause long enough for both to ask. */
const cms = {
  dialable: async (_c: string, _limit: number, exclude: string[]) => {
    await new Promise((r) => setTimeout(r, 30));
    return [item(1), item(2), item(3)].filter((i) => !exclude.includes(i.phone));
  },
} as unknown as CmsClient;

const quiet: RealtimeEvents = { agentState: () => {}, screenPop: () => {}, callEnded: () => {}, campaignStats: () => {} };

function pacer(workerId: string): Pacer {
  return new Pacer({
    workerId,
    redis,
    live,
    cms,
    stats: {} as CampaignStatsBook,
    realtime: quiet,
    enqueueDial: async () => {},
    now: () => Date.now(),
    simSpeed: 1,
    intervalMs: 1000,
    lockPrefix: prefix,
    log: () => {},
  });
}

const readyAgent = (id: number): LiveAgent => ({ id, username: `agent${id}`, status: 'ready', since: Date.now() - id, campaignId: campaign.documentId, pauseReason: null, attemptId: null });

describe('two workers previewing one campaign', () => {
  it('never hold one phone for two agents, and each agent is reserved for their own', async () => {
    await live.putAgent(readyAgent(1));
    await live.putAgent(readyAgent(2));
    const [a, b] = await Promise.all([pacer('w1').preview(campaign, 1), pacer('w2').preview(campaign, 2)]);
    if (typeof a === 'string' || typeof b === 'string') throw new Error(`expected two previews, got ${String(a)} / ${String(b)}`);
    expect(a.call.phone).not.toBe(b.call.phone);
    const held = (await live.calls()).filter((c) => c.phase !== 'ended');
    expect(held.map((c) => c.phone).sort()).toEqual([a.call.phone, b.call.phone].sort());
    expect(await live.agent(1)).toMatchObject({ status: 'reserved', attemptId: a.call.attemptId });
    expect(await live.agent(2)).toMatchObject({ status: 'reserved', attemptId: b.call.attemptId });
  });

  it('leaves no booked phone behind for an agent who is not ready', async () => {
    await live.putAgent({ ...readyAgent(3), status: 'paused' });
    const before = (await live.calls()).length;
    expect(await pacer('w1').preview(campaign, 3)).toBe('agent_not_ready');
    expect((await live.calls()).length).toBe(before);
  });
});
