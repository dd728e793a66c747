/** A recorded call as Regulation F reads it. */
export type RegFCall = {
  direction?: 'outbound' | 'inbound' | null;
  outcome: string;
  dialedAt?: string | Date | null;
  queuedAt?: string | Date | null;
  answeredAt?: string | Date | null;
  createdAt: string | Date;
  disposition?: { rightPartyContact?: boolean | null } | null;
};

/** When an attempt counts as made: dialed, else queued, else recorded. */
export const attemptTime = (call: RegFCall) => new Date((call.dialedAt ?? call.queuedAt ?? call.createdAt) as string | Date);

/** A conversation about the debt: connected, unless the agent said it was not the debtor. Either direction. */
export const isConversation = (call: RegFCall) => call.outcome === 'connected' && call.disposition?.rightPartyContact !== false;

/** Only calls the agency places are attempts: a call the consumer makes is not "placing a telephone call" (12 CFR 1006.14(b)(2)). */
export const isAttempt = (call: RegFCall) => call.direction !== 'inbound';

/** When a conversation took place: an inbound call has no dial time, it was answered. */
const conversationTime = (call: RegFCall) => (call.direction === 'inbound' && call.answeredAt ? new Date(call.answeredAt as string | Date) : attemptTime(call));

/**
 * The Regulation F facts of one debt from its recorded calls (any direction): the attempts that
 * count towards 7-in-7 (outbound only), and the last conversation, which starts the quiet period
 * whichever side placed the call. Pure.
 */
export function regulationFHistory<C extends RegFCall>(calls: C[]): { attempts: C[]; attemptTimes: Date[]; lastConversationAt: Date | null } {
  const attempts = calls.filter(isAttempt);
  const conversations = calls.filter(isConversation).map(conversationTime).sort((a, b) => b.getTime() - a.getTime());
  return { attempts, attemptTimes: attempts.map(attemptTime), lastConversationAt: conversations[0] ?? null };
}
