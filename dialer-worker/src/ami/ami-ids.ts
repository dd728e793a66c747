/**
 * How our identifiers travel through Asterisk, so that every event can be tied back to an
 * attempt (or an agent's leg) even when Asterisk itself knows nothing about either.
 *
 * - A dial attempt's channel is created with `ChannelId: <attemptId>`, so its `Uniqueid` in
 *   every channel event is the attempt id. A failed Originate names the ChannelId as its
 *   Uniqueid only since Asterisk 13.8 (`<null>` before), so the Originate's ActionID carries
 *   the attempt id as well.
 * - An agent's leg (the persistent conference call) gets `ChannelId: agentleg~<nonce>~<agentId>`.
 * - The agent's conference is named `agent-<agentId>`; a customer bridged to that agent shows
 *   it as `BridgeName` (ConfBridge names its bridge after the conference).
 *
 * Ids must not contain line breaks; the attempt id should stay within Asterisk's 150
 * characters for a unique id.
 */

const ORIGINATE = 'orig';
const AGENT_LEG_ACTION = 'agent';
const AGENT_LEG_ID = 'agentleg';
const SEP = '~';

export type ParsedActionId =
  | { kind: 'attempt'; attemptId: string }
  | { kind: 'agent-leg'; legId: string; agentId: string }
  | { kind: 'other' };

export function originateActionId(attemptId: string, nonce: string): string {
  return `${ORIGINATE}${SEP}${nonce}${SEP}${attemptId}`;
}

export function agentLegActionId(legId: string, nonce: string): string {
  return `${AGENT_LEG_ACTION}${SEP}${nonce}${SEP}${legId}`;
}

export function parseActionId(actionId: string | undefined): ParsedActionId {
  if (!actionId) return { kind: 'other' };
  const first = actionId.indexOf(SEP);
  const second = first < 0 ? -1 : actionId.indexOf(SEP, first + 1);
  if (second < 0) return { kind: 'other' };
  const kind = actionId.slice(0, first);
  const rest = actionId.slice(second + 1);
  if (rest === '') return { kind: 'other' };
  if (kind === ORIGINATE) return { kind: 'attempt', attemptId: rest };
  if (kind === AGENT_LEG_ACTION) {
    const leg = parseAgentLegId(rest);
    if (leg) return { kind: 'agent-leg', legId: rest, agentId: leg.agentId };
  }
  return { kind: 'other' };
}

export function agentLegId(agentId: string, nonce: string): string {
  return `${AGENT_LEG_ID}${SEP}${nonce}${SEP}${agentId}`;
}

export function parseAgentLegId(id: string | undefined): { agentId: string } | undefined {
  if (!id || !id.startsWith(AGENT_LEG_ID + SEP)) return undefined;
  const second = id.indexOf(SEP, AGENT_LEG_ID.length + 1);
  if (second < 0 || second === id.length - 1) return undefined;
  return { agentId: id.slice(second + 1) };
}

export function agentConferenceName(agentId: string): string {
  return `agent-${agentId}`;
}

export function agentIdFromConferenceName(name: string | undefined): string | undefined {
  return name && name.startsWith('agent-') && name.length > 6 ? name.slice(6) : undefined;
}

/**
 * Unique ids Asterisk makes up itself (`1718000000.42`, or `host-1718000000.42` with a
 * systemname): channels we did not name, such as the second half of a Local channel.
 */
export function isGeneratedUniqueId(id: string): boolean {
  return /^(?:[\w.-]+-)?\d{9,}\.\d+$/.test(id);
}
