import type { LiveAgent } from '../live/agent-state';
import type { LiveCall } from '../live/call-state';
import type { LiveStore } from '../live/live-store';
import type { CallFlow } from './call-flow';

export type StateRecoveryDeps = {
  live: LiveStore;
  flow: Pick<CallFlow, 'discard' | 'drained' | 'settleAgents'>;
  /** Queues again the cms records of ended calls: their jobs were in Redis too. */
  resumeRecords: () => Promise<void>;
  /** Compares the calls and agent legs with the PBX's channels. */
  reconcileWithPbx: () => Promise<void>;
  /** Tells every agent connected here but those listed that their state is gone; how many were told. */
  tellStateLost: (except: ReadonlySet<number>) => number;
  log: (message: string, extra?: Record<string, unknown>) => void;
};

/** Agents whose state follows a call: kept with the call when Redis comes back empty. */
const HELD_BY_A_CALL: ReadonlySet<LiveAgent['status']> = new Set(['reserved', 'on_call', 'wrap_up']);

/**
 * What the worker does when Redis comes back after an outage. With its data (AOF): the call
 * events held meanwhile run, then agents still held by calls that ended are released and the
 * PBX is asked what is up. Empty: first the calls this worker dialed are put back from its
 * memory (they are still ringing or talking at the PBX), with the agents on them; every other
 * agent is told to go Ready again.
 */
export class StateRecovery {
  constructor(private readonly d: StateRecoveryDeps) {}

  /** Once the held events have been let through. */
  async afterOutage(): Promise<void> {
    await this.d.flow.drained();
    await this.d.flow.settleAgents();
    await this.d.resumeRecords();
    await this.d.reconcileWithPbx();
  }

  /** Before the held events run, into a Redis that came back empty; gives the agents kept with their calls. */
  async rebuild(): Promise<ReadonlySet<number>> {
    const { calls, agents } = this.d.live.written();
    const kept = new Map<string, LiveCall>();
    let dropped = 0;
    for (const call of calls) {
      if (call.phase === 'queued') {
        // Its dial job was in Redis and is gone: it never rang, and the pacer will offer the phone again.
        await this.d.flow.discard(call);
        dropped++;
        continue;
      }
      await this.d.live.addCall(call);
      // It was dialed: the at-most-once guard goes back too.
      await this.d.live.claimOriginate(call.attemptId);
      kept.set(call.attemptId, call);
    }
    const held = new Set<number>();
    for (const agent of agents) {
      if (!HELD_BY_A_CALL.has(agent.status) || !agent.attemptId || !kept.has(agent.attemptId)) continue;
      await this.d.live.putAgent(agent);
      held.add(agent.id);
    }
    await this.d.resumeRecords();
    this.d.log('Redis came back without the dialer state; calls in flight put back from memory', { calls: kept.size, neverRang: dropped, agentsKept: held.size });
    return held;
  }

  /** Once the calls run again: every other agent connected here goes Ready again (a leg of theirs still up is taken back then). */
  tellOthers(kept: ReadonlySet<number>): void {
    this.d.log('agents asked to go Ready again', { agentsTold: this.d.tellStateLost(kept) });
  }
}
