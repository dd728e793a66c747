import type { CmsClient, HopperItem } from '../src/cms/cms-client';
import { campaignSettings, hopperItem } from './helpers';
import { CampaignStatsBook } from '../src/dialing/campaign-stats-book';
import { Pacer } from '../src/dialing/pacer';
import type { LiveCall } from '../src/live/call-state';
import { LiveStore } from '../src/live/live-store';
import type { RealtimeEvents } from '../src/realtime/realtime-events';
import type { CampaignStats } from '../../protocol/campaign-stats';
import { useTestRedis } from './test-redis';

// The pacer on a real Redis, with cms stubbed as a list that drops each phone once it has been
// dialed (as the retry delay does in cms): the order of the hopper is the point of the test and
// a real cms cannot be made to put 50 consent-less phones first on cue. The clock is the test's,
// so that each tick may refill the hopper. Each dialed call ends at once and frees its agent.
const { redis, prefix } = useTestRedis('pacer-hopper');
const live = new LiveStore(redis, prefix);

const campaign = campaignSettings({ documentId: 'camphopper', name: 'Progressive', dialMode: 'progressive', agentIds: [1, 2, 3] });

const item = (n: number, reservedAgentRequired: boolean): HopperItem => hopperItem(n, `+1555100${String(n).padStart(4, '0')}`, { reservedAgentRequired });

describe('a hopper whose head holds only consent-less phones', () => {
  it.each([
    ['50 consent-less, then 30 with consent', 50, 30],
    ['70 consent-less, nothing else', 70, 0],
  ])('is worked through: %s', async (_name, consentless, withConsent) => {
    const list = [...Array.from({ length: consentless }, (_, i) => item(i, true)), ...Array.from({ length: withConsent }, (_, i) => item(1000 + i, false))];
    const dialed: LiveCall[] = [];
    const cms = {
      dialable: async (_c: string, limit: number, exclude: string[]) => ({
        items: list.filter((i) => !dialed.some((c) => c.phone === i.phone) && !exclude.includes(i.phone)).slice(0, limit),
        nothingToDial: null,
      }),
    } as unknown as CmsClient;
    for (const id of campaign.agentIds) await live.putAgent({ id, username: `agent${id}`, status: 'ready', since: 0, campaignId: campaign.documentId, pauseReason: null, attemptId: null });
    let now = 1_000_000;
    const pacer = new Pacer({
      workerId: 'w1',
      redis,
      live,
      cms: { ...cms, campaign: async () => campaign } as unknown as CmsClient,
      stats: new CampaignStatsBook(live),
      realtime: { agentState: () => {}, screenPop: () => {}, callEnded: () => {}, campaignStats: () => {}, campaignDialing: () => {} } as RealtimeEvents,
      enqueueDial: async (call) => {
        dialed.push(call);
        await live.removeCall(call.attemptId);
        if (call.reservedAgentId !== null) {
          const agent = (await live.agent(call.reservedAgentId))!;
          await live.putAgent({ ...agent, status: 'ready', attemptId: null, since: now });
        }
      },
      now: () => now,
      simSpeed: 1,
      intervalMs: 1000,
      lockPrefix: prefix,
      log: () => {},
    });
    for (let tick = 0; tick < 200 && dialed.length < list.length; tick++) {
      await pacer.tick(campaign.documentId);
      now += 1100;
    }
    expect(dialed.length).toBe(list.length);
    expect(new Set(dialed.map((c) => c.phone)).size).toBe(list.length);
    // Never a consent-less phone without an agent held for it.
    const needed = new Set(list.filter((i) => i.reservedAgentRequired).map((i) => i.phone));
    expect(dialed.filter((c) => needed.has(c.phone) && c.reservedAgentId === null)).toEqual([]);
    await pacer.stop(campaign.documentId);
  });
});

describe('the campaign stats a supervisor sees', () => {
  it('count the phones left in the hopper after each tick, as it drains', async () => {
    const small = campaignSettings({ documentId: 'camphoppercount', name: 'Count', dialMode: 'progressive', agentIds: [11, 12] });
    const list = Array.from({ length: 9 }, (_, i) => item(2000 + i, false));
    const dialed: LiveCall[] = [];
    const reports: CampaignStats[] = [];
    for (const id of small.agentIds) await live.putAgent({ id, username: `agent${id}`, status: 'ready', since: 0, campaignId: small.documentId, pauseReason: null, attemptId: null });
    let now = 2_000_000;
    const pacer = new Pacer({
      workerId: 'w1',
      redis,
      live,
      cms: {
        campaign: async () => small,
        // One refill only: later ticks work from what the hopper holds.
        dialable: async (_c: string, limit: number) => ({ items: dialed.length ? [] : list.slice(0, limit), nothingToDial: null }),
      } as unknown as CmsClient,
      stats: new CampaignStatsBook(live),
      realtime: { agentState: () => {}, screenPop: () => {}, callEnded: () => {}, campaignStats: (_id: string, s: CampaignStats) => reports.push(s), campaignDialing: () => {} } as RealtimeEvents,
      enqueueDial: async (call) => {
        dialed.push(call);
        await live.removeCall(call.attemptId);
      },
      now: () => now,
      simSpeed: 1,
      intervalMs: 1000,
      lockPrefix: prefix,
      log: () => {},
    });
    for (let tick = 0; tick < 3; tick++) {
      await pacer.tick(small.documentId);
      now += 300;
    }
    expect(dialed.length).toBeGreaterThan(0);
    expect(reports.length).toBe(3);
    expect(reports.at(-1)!.hopper).toBe(list.length - dialed.length);
    await pacer.stop(small.documentId);
  });
});
