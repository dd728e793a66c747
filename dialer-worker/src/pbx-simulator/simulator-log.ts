import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { SimOutcome } from './call-plan';

/**
 * The simulator's own record of what it was asked to dial (`PBX_SIM_LOG`, JSON lines), so a
 * test can compare what the PBX saw with what cms recorded. One `originate` line per
 * Originate action received (duplicates and refused ones included), a `bridged` line when a
 * debtor first enters an agent's conference, and one `outcome` line when a customer call is over.
 */
export interface OriginateLogEntry {
  event: 'originate';
  /** ChannelId, else the ATTEMPT_ID variable, else null */
  attemptId: string | null;
  actionId: string | null;
  channel: string;
  /** the number dialed (customer legs), else null */
  phone: string | null;
  leg: 'customer' | 'agent';
  /** false when the PBX refused it outright (Response: Error) */
  accepted: boolean;
  /** an Originate for an attempt id this simulator has already seen */
  duplicate: boolean;
  at: string;
}

export interface OutcomeLogEntry {
  event: 'outcome';
  attemptId: string;
  actionId: string | null;
  /** `rejected`: not dialed, the channel id was still in use by a live call */
  outcome: SimOutcome | 'rejected';
  answeredAt: string | null;
  /** when the AMDResult UserEvent was sent (the worker acts on it: screen-pop latency starts here) */
  amdAt: string | null;
  /** when the debtor entered the agent's conference */
  bridgedAt: string | null;
  hangupAt: string;
  /** the Hangup cause, or null when no channel existed (invalid, rejected) */
  cause: number | null;
  /** the agent the call was bridged to, if any */
  agentId: string | null;
  /** the abandon message was played */
  safeHarbor: boolean;
  /** who hung up: the debtor, the worker (Hangup action) or the PBX (dialplan, failure) */
  endedBy: 'debtor' | 'worker' | 'pbx';
  at: string;
}

/**
 * The debtor entered an agent's conference: written at once, so a log cut short by a killed
 * simulator still shows which calls a person was really talking on.
 */
export interface BridgedLogEntry {
  event: 'bridged';
  attemptId: string;
  agentId: string;
  at: string;
}

export type PbxLogEntry = OriginateLogEntry | OutcomeLogEntry | BridgedLogEntry;

export interface PbxLog {
  write(entry: PbxLogEntry): void;
  close(): void;
}

/** Appends synchronously, so every line is on disk before the next AMI message is handled. */
export class JsonLinesFileLog implements PbxLog {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  write(entry: PbxLogEntry): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Keeps entries in memory (tests, benchmarks). */
export class MemoryLog implements PbxLog {
  readonly entries: PbxLogEntry[] = [];
  write(entry: PbxLogEntry): void {
    this.entries.push(entry);
  }
  close(): void {}
}

/** Reads a `PBX_SIM_LOG` file back; a torn last line (the simulator killed mid-write) is skipped. */
export function readPbxLog(path: string): PbxLogEntry[] {
  const out: PbxLogEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as PbxLogEntry);
    } catch {
      // a partial line at the end
    }
  }
  return out;
}
