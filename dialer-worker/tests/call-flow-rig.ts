import { AsteriskManagerConnection } from '../src/ami/asterisk-manager-connection';
import { CallFlow } from '../src/dialing/call-flow';
import { CampaignStatsBook } from '../src/dialing/campaign-stats-book';
import { newLiveCall, type LiveCall } from '../src/live/call-state';
import type { LiveStore } from '../src/live/live-store';
import type { StoreGate } from '../src/live/store-gate';
import type { RecordStage } from '../src/queues/queues';
import type { RealtimeEvents } from '../src/realtime/realtime-events';

/** The secret of the AMI user the tests' PBX simulators are started with. */
export const AMI_USER = { username: 'dialer', secret: 'sim-secret-123' };

/** No browser is connected in these tests: what the flow would tell them goes nowhere. */
export const NO_BROWSERS: RealtimeEvents = { agentState: () => {}, screenPop: () => {}, callEnded: () => {}, campaignStats: () => {}, campaignDialing: () => {} };

/** Polls `read` every 20 ms until it gives something truthy; fails with `what` (a function: read at the timeout) after `timeoutMs`. */
export async function until<T>(what: string | (() => string), read: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A predictive attempt just dialed (phase 'dialing', queued and dialed now), as the pacer books it. */
export function dialingCall(facts: Pick<LiveCall, 'attemptId' | 'phone' | 'campaignId' | 'workerId'> & Partial<LiveCall>): LiveCall {
  const now = Date.now();
  const fresh = newLiveCall({
    accountDocumentId: 'acc1', callbackDocumentId: null, dialMode: 'predictive', ringTimeoutSec: 25, dropWindowSec: 2, callerId: null,
    reservedAgentId: null, preferredAgentId: null, receipt: {}, phase: 'dialing', queuedAt: now, ...facts,
  });
  return { ...fresh, dialedAt: now, ...facts };
}

export type CallFlowRig = {
  ami: AsteriskManagerConnection;
  flow: CallFlow;
  stats: CampaignStatsBook;
  /** The record jobs the flow handed over, in order (what cms would be sent). */
  records: Array<{ call: LiveCall; stage: RecordStage }>;
  logs: string[];
  /** Books `call` in Redis, follows it and originates it at the PBX, as a dial job does. */
  dial(call: LiveCall, timeoutMs: number): Promise<void>;
  finalRecord(attemptId: string, timeoutMs?: number): Promise<LiveCall>;
};

/**
 * One worker's call flow against a PBX simulator over TCP (the real AMI client, not logged in
 * yet) and a real Redis. cms is not needed to see the outcome: the record jobs are captured as
 * the flow hands them over.
 */
export function callFlowRig(o: { live: LiveStore; port: number; workerId: string; simSpeed: number; gate?: StoreGate; maxHeldEvents?: number }): CallFlowRig {
  const ami = new AsteriskManagerConnection({ host: '127.0.0.1', port: o.port, ...AMI_USER });
  const records: CallFlowRig['records'] = [];
  const logs: string[] = [];
  const stats = new CampaignStatsBook(o.live);
  const flow = new CallFlow({
    workerId: o.workerId,
    live: o.live,
    ami,
    realtime: NO_BROWSERS,
    stats,
    record: async (call, stage) => void records.push({ call, stage }),
    now: () => Date.now(),
    simSpeed: o.simSpeed,
    log: (m) => logs.push(m),
    gate: o.gate,
    maxHeldEvents: o.maxHeldEvents,
  });
  ami.on('event', (m) => flow.onAmiMessage(m));
  return {
    ami,
    flow,
    stats,
    records,
    logs,
    async dial(call, timeoutMs) {
      await o.live.addCall(call);
      flow.track(call.attemptId, Date.now());
      await ami.originate({ attemptId: call.attemptId, phone: call.phone, timeoutMs, callerId: 'Collections' });
    },
    finalRecord: (attemptId, timeoutMs = 10_000) =>
      until(
        () => `the final record of ${attemptId}: ${JSON.stringify(records.filter((r) => r.call.attemptId === attemptId))}`,
        () => records.find((r) => r.call.attemptId === attemptId && r.stage === 'final')?.call,
        timeoutMs,
      ),
  };
}
