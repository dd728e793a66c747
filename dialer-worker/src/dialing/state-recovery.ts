import type { AmiChannelInfo } from '../ami/ami-connection';
import type { CmsClient, PendingAttempt } from '../cms/cms-client';
import type { LiveAgent } from '../live/agent-state';
import type { CallOutcome } from '../live/call-state';
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
  cms: Pick<CmsClient, 'pendingAttempts' | 'recordAttempt'>;
  listChannels: () => Promise<AmiChannelInfo[]>;
  /** Plays the abandon message to a channel (then the dialplan hangs up). */
  abandon: (channel: string) => Promise<void>;
  log: (message: string, extra?: Record<string, unknown>) => void;
};

/**
 * The outcome of a call nobody follows any more (its state went with Redis, and the worker that
 * dialed it no longer has it) whose channel is gone from the PBX, from the evidence it left. Its
 * record is pending because it was sent to an agent: it was answered. Connected only if the PBX
 * was seen bridging it; otherwise nobody can show it reached an agent, so, as after a crash, an
 * answered call is an abandon (counted against the campaign, never a conversation that may not
 * have happened) and a machine stays a machine.
 */
export function orphanOutcome(p: PendingAttempt, seenBridged: boolean): CallOutcome {
  if (seenBridged) return 'connected';
  if (p.amdStatus === 'MACHINE') return 'machine';
  return p.answeredAt ? 'abandoned' : 'failed';
}

/** Agents whose state follows a call: kept with the call when Redis comes back empty. */
const HELD_BY_A_CALL: ReadonlySet<LiveAgent['status']> = new Set(['reserved', 'on_call', 'wrap_up']);

/**
 * What the worker does when Redis comes back after an outage. First what Redis lost of what this
 * worker wrote is put back from its memory: after an empty Redis, the calls it dialed (still
 * ringing or talking at the PBX) with the agents on them. Then the call events held meanwhile
 * run, agents still held by calls that ended are released, records are queued again and the PBX
 * is asked what is up. After an empty Redis every other agent is told to go Ready again, and
 * cms's pending records nobody follows are closed from their evidence.
 */
export class StateRecovery {
  /** Orphans the PBX showed in an agent's conference: their end will be recorded connected. */
  private readonly seenBridged = new Set<string>();
  /** Orphans already sent the abandon message. */
  private readonly abandoned = new Set<string>();

  constructor(private readonly d: StateRecoveryDeps) {}

  /**
   * Closes the cms records left `pending` by calls nobody follows (their state was lost with
   * Redis, and with the worker that dialed them). A channel the PBX still has in an agent's
   * conference is a conversation: left to end and then recorded connected. One up and in no
   * conference is a person waiting in silence: they hear the abandon message now, as after a
   * crash. Gives how many are still up (the caller looks again later).
   */
  async closeOrphans(): Promise<number> {
    const pending = await this.d.cms.pendingAttempts();
    if (pending.length === 0) return 0;
    const followed = new Set((await this.d.live.calls()).map((c) => c.attemptId));
    const channels = new Map((await this.d.listChannels()).map((c) => [c.uniqueId, c]));
    let stillUp = 0;
    const closed: Record<string, string> = {};
    for (const p of pending) {
      if (followed.has(p.attemptId)) continue;
      const ch = channels.get(p.attemptId);
      if (ch?.bridgeId) {
        this.seenBridged.add(p.attemptId);
        stillUp++;
        continue;
      }
      if (ch) {
        if (!this.seenBridged.has(p.attemptId) && !this.abandoned.has(p.attemptId)) {
          this.abandoned.add(p.attemptId);
          await this.d.abandon(ch.channel);
        }
        stillUp++;
        continue;
      }
      const outcome = orphanOutcome(p, this.seenBridged.has(p.attemptId));
      await this.d.cms.recordAttempt(p.attemptId, { outcome });
      this.seenBridged.delete(p.attemptId);
      this.abandoned.delete(p.attemptId);
      closed[p.attemptId] = outcome;
    }
    if (Object.keys(closed).length) this.d.log('calls nobody follows any more closed from their evidence', { closed, stillUp });
    return stillUp;
  }

  /** Once the held events have been let through. */
  async afterOutage(): Promise<void> {
    await this.d.flow.drained();
    await this.d.flow.settleAgents();
    await this.d.resumeRecords();
    await this.d.reconcileWithPbx();
  }

  /**
   * Before the held events run: puts back what this worker wrote and Redis no longer has. After
   * an empty Redis (`lost`) that is every call it dialed without a final record yet, and the
   * agents on them; after a Redis back with its data, what its AOF lost of the last second.
   * Attempts only queued are dropped: their dial jobs were in Redis too, and they never rang.
   * Gives the agents kept with their calls.
   */
  async putBack(lost: boolean): Promise<ReadonlySet<number>> {
    const { calls, agents } = this.d.live.written();
    const present = new Set((await this.d.live.calls()).map((c) => c.attemptId));
    const kept = new Set<string>();
    let dropped = 0;
    for (const call of calls) {
      if (present.has(call.attemptId)) continue;
      if (!lost && call.phase === 'ended') {
        // Gone from a Redis that kept its data: its final record was written (by any worker).
        this.d.live.forgetWritten(call.attemptId);
        continue;
      }
      if (call.phase === 'queued') {
        // The pacer offers the phone again under a new attempt id.
        await this.d.flow.discard(call);
        dropped++;
        continue;
      }
      await this.d.live.addCall(call);
      // It was dialed: the at-most-once guard goes back too.
      await this.d.live.claimOriginate(call.attemptId);
      kept.add(call.attemptId);
    }
    const presentAgents = new Set((await this.d.live.agents()).map((a) => a.id));
    const held = new Set<number>();
    for (const agent of agents) {
      if (presentAgents.has(agent.id)) continue;
      const onAKeptCall = HELD_BY_A_CALL.has(agent.status) && !!agent.attemptId && kept.has(agent.attemptId);
      // After an empty Redis only the agents on a call are kept; the others are asked to go Ready again.
      if (lost && !onAKeptCall) continue;
      await this.d.live.putAgent(agent);
      if (onAKeptCall) held.add(agent.id);
    }
    if (kept.size || dropped || held.size) {
      this.d.log(lost ? 'Redis came back without the dialer state; calls in flight put back from memory' : 'Redis came back without its last writes; put back from memory', { calls: kept.size, neverRang: dropped, agentsKept: held.size });
    }
    return held;
  }

  /** Once the calls run again: every other agent connected here goes Ready again (a leg of theirs still up is taken back then). */
  tellOthers(kept: ReadonlySet<number>): void {
    this.d.log('agents asked to go Ready again', { agentsTold: this.d.tellStateLost(kept) });
  }
}
