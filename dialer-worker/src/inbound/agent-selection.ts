import type { LiveAgent } from '../live/agent-state';

/** Who may take an inbound call: the campaigns the dialed number (DID) is routed to, and the accounts' assigned agents. */
export type InboundRoute = {
  /** the campaigns (inbound group) of the DID's client that take its calls */
  campaignIds: string[];
  /** the agents the matched accounts are assigned to, in the order of the accounts */
  assignedAgentIds: number[];
};

/** An agent may take a call now: ready, and with their conference leg up (a call sent to an empty conference hears the abandon message). */
export const canTakeCall = (a: LiveAgent) => a.status === 'ready' && !a.legDown;

/**
 * The agent an inbound caller goes to: the first of the accounts' assigned agents who is ready
 * on a campaign of the route, else the longest-waiting ready agent of the route's campaigns
 * (smallest `since`; ties by id so two workers agree). Assigned agents on another campaign are
 * not pulled across clients: the route's campaigns are the DID's client's. Pure.
 */
export function pickInboundAgent(agents: LiveAgent[], route: InboundRoute): LiveAgent | null {
  const group = new Set(route.campaignIds);
  const eligible = agents.filter((a) => canTakeCall(a) && a.campaignId !== null && group.has(a.campaignId));
  for (const id of route.assignedAgentIds) {
    const assigned = eligible.find((a) => a.id === id);
    if (assigned) return assigned;
  }
  return eligible.reduce<LiveAgent | null>((best, a) => (!best || a.since < best.since || (a.since === best.since && a.id < best.id) ? a : best), null);
}

/** A call waiting for an agent: an inbound caller in the queue, or an outbound live answer in its drop window. */
export type WaitingCall = { attemptId: string; direction: 'inbound' | 'outbound'; campaignIds: string[]; waitingSince: number; assignedAgentIds?: number[] };

/**
 * What an agent who just became ready takes: inbound callers first (a blended agent answers
 * the people who chose to call), the longest-waiting first; then outbound live answers of
 * their campaign, the oldest first. An inbound caller whose accounts are assigned to another
 * agent still goes to this one: a caller never waits for one particular agent. Pure.
 */
export function nextCallForAgent(agent: LiveAgent, waiting: WaitingCall[]): WaitingCall | null {
  return orderWaitingCalls(agent, waiting)[0] ?? null;
}

/** The calls this agent may take, in the order nextCallForAgent gives them (the next is taken if the first is gone meanwhile). */
export function orderWaitingCalls(agent: LiveAgent, waiting: WaitingCall[]): WaitingCall[] {
  if (agent.campaignId === null) return [];
  const mine = waiting.filter((c) => c.campaignIds.includes(agent.campaignId!));
  const order = (c: WaitingCall) => (c.direction === 'inbound' ? 0 : 1);
  return mine.sort((a, b) => order(a) - order(b) || a.waitingSince - b.waitingSince || (a.attemptId < b.attemptId ? -1 : 1));
}
