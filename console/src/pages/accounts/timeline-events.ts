/** What happened on an account, as cms returns it to the reader (their own scope). */
type Person = { id: number; username: string } | null | undefined;

export type TimelineCall = {
  id: string;
  createdAt: string;
  queuedAt?: string | null;
  dialedAt?: string | null;
  endedAt?: string | null;
  direction?: string;
  outcome: string;
  phone?: string | null;
  talkSeconds?: number | string | null;
  notes?: string | null;
  disposition?: { label: string } | null;
  agent?: Person;
};
export type TimelinePromise = { id: string; createdAt: string; amount: number | string; currency?: string | null; dueDate: string; state: string; paymentMethod?: string | null; notes?: string | null; agent?: Person };
export type TimelineCallback = { id: string; createdAt: string; dueAt: string; state: string; phone?: string | null; notes?: string | null; owner?: Person };

export type TimelineEvent =
  | { kind: 'call'; id: string; at: string; call: TimelineCall }
  | { kind: 'promise'; id: string; at: string; promise: TimelinePromise }
  | { kind: 'callback'; id: string; at: string; callback: TimelineCallback };

/** A call happened when it ended (or, unfinished, when it was dialed or queued). */
const callTime = (c: TimelineCall) => c.endedAt ?? c.dialedAt ?? c.queuedAt ?? c.createdAt;

/** Calls, promises and callbacks in one list, newest first; promises and callbacks by when they were made. */
export function buildTimeline(calls: TimelineCall[], promises: TimelinePromise[], callbacks: TimelineCallback[]): TimelineEvent[] {
  const events: TimelineEvent[] = [
    ...calls.map((call) => ({ kind: 'call' as const, id: `call:${call.id}`, at: callTime(call), call })),
    ...promises.map((promise) => ({ kind: 'promise' as const, id: `promise:${promise.id}`, at: promise.createdAt, promise })),
    ...callbacks.map((callback) => ({ kind: 'callback' as const, id: `callback:${callback.id}`, at: callback.createdAt, callback })),
  ];
  return events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id));
}

/** Who did it, as far as the reader may know: "you", a colleague cms let them see, or nobody named. */
export function actorLabel(person: Person, readerId: number | undefined): string | null {
  if (!person) return null;
  return person.id === readerId ? 'you' : person.username;
}
