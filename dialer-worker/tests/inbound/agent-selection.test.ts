import { nextCallForAgent, pickInboundAgent, type WaitingCall } from '../../src/inbound/agent-selection';
import type { LiveAgent } from '../../src/live/agent-state';

const agent = (id: number, status: LiveAgent['status'], since: number, campaignId: string | null = 'c1', extra: Partial<LiveAgent> = {}): LiveAgent => ({
  id, username: `agent${id}`, status, since, campaignId, pauseReason: null, attemptId: null, ...extra,
});

describe('pickInboundAgent', () => {
  const floor = [agent(1, 'ready', 300), agent(2, 'ready', 100), agent(3, 'on_call', 50), agent(4, 'ready', 200, 'c2'), agent(5, 'ready', 10, 'other-client')];
  it.each<[string, LiveAgent[], { campaignIds: string[]; assignedAgentIds: number[] }, number | null]>([
    ['the assigned agent when ready', floor, { campaignIds: ['c1'], assignedAgentIds: [1] }, 1],
    ['the longest-waiting ready agent when the assigned one is on a call', floor, { campaignIds: ['c1'], assignedAgentIds: [3] }, 2],
    ['the first ready one of several assigned agents', floor, { campaignIds: ['c1', 'c2'], assignedAgentIds: [3, 4, 1] }, 4],
    ['longest-waiting across the inbound group', floor, { campaignIds: ['c1', 'c2'], assignedAgentIds: [] }, 2],
    ['never an agent of another client (campaign outside the group), even assigned', floor, { campaignIds: ['c1'], assignedAgentIds: [5] }, 2],
    ['nobody when nobody of the group is ready', [agent(1, 'on_call', 1), agent(2, 'paused', 1), agent(3, 'wrap_up', 1)], { campaignIds: ['c1'], assignedAgentIds: [1] }, null],
    ['not an agent whose conference leg is down', [agent(1, 'ready', 1, 'c1', { legDown: true }), agent(2, 'ready', 5)], { campaignIds: ['c1'], assignedAgentIds: [1] }, 2],
    ['ties broken by the lower id', [agent(7, 'ready', 5), agent(6, 'ready', 5)], { campaignIds: ['c1'], assignedAgentIds: [] }, 6],
    ['nobody on an empty group', floor, { campaignIds: [], assignedAgentIds: [1] }, null],
  ])('%s', (_name, agents, route, expected) => {
    expect(pickInboundAgent(agents, route)?.id ?? null).toBe(expected);
  });
});

describe('nextCallForAgent', () => {
  const call = (attemptId: string, direction: WaitingCall['direction'], waitingSince: number, campaignIds = ['c1']): WaitingCall => ({ attemptId, direction, waitingSince, campaignIds });
  it.each<[string, LiveAgent, WaitingCall[], string | null]>([
    ['a blended agent takes an inbound caller before an older outbound answer', agent(1, 'ready', 0), [call('out', 'outbound', 1), call('in', 'inbound', 5)], 'in'],
    ['the longest-waiting inbound caller first', agent(1, 'ready', 0), [call('in-new', 'inbound', 9), call('in-old', 'inbound', 2)], 'in-old'],
    ['the oldest outbound answer when no caller waits', agent(1, 'ready', 0), [call('o2', 'outbound', 4), call('o1', 'outbound', 3)], 'o1'],
    ['nothing of another campaign', agent(1, 'ready', 0), [call('in', 'inbound', 1, ['c2']), call('out', 'outbound', 1, ['c2'])], null],
    ['an inbound caller routed to several campaigns', agent(1, 'ready', 0, 'c3'), [call('in', 'inbound', 1, ['c2', 'c3'])], 'in'],
    ['nothing for an agent on no campaign', agent(1, 'ready', 0, null), [call('in', 'inbound', 1)], null],
  ])('%s', (_name, a, waiting, expected) => {
    expect(nextCallForAgent(a, waiting)?.attemptId ?? null).toBe(expected);
  });
});
