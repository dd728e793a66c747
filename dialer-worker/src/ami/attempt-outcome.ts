/**
 * What became of a dial attempt, read from all the evidence Asterisk gives about it. Pure.
 *
 * Why a table and not the OriginateResponse alone: since Asterisk 12, Originate dials through
 * the dial API, and a far end that simply hangs up (chan_pjsip never sends a BUSY control
 * frame for a 486, 480 or 603) gives `OriginateResponse Reason: 0`. What the far end did is
 * in `DialEnd`'s `DialStatus` and in the `Hangup` cause, which may arrive before or after the
 * OriginateResponse (the fixture `tests/fixtures/asterisk-20/` shows both orders).
 *
 * Rules are read top to bottom; the first that matches decides. A specific hangup cause wins
 * over DialStatus because the dial API folds several causes into one status (21 "rejected"
 * becomes `NOANSWER`), and DialStatus wins over Reason because Reason is 0 for every
 * far-end hangup without a control frame.
 */

export type AmdResult = 'human' | 'machine' | 'notsure' | 'hangup';

/**
 * The call record's vocabulary. `abandoned`: a person answered (or detection was unsure) and
 * the call never reached an agent; the worker, which knows its drop window, decides whether
 * that counts against the abandon rate.
 */
export type CallOutcome = 'no_answer' | 'busy' | 'failed' | 'machine' | 'connected' | 'abandoned';

/** OriginateResponse `Reason`: the control frame that ended the dial (0: none, or no channel). */
export const ORIGINATE_REASON = { NO_CHANNEL: 0, HANGUP: 1, RING_TIMEOUT: 3, ANSWERED: 4, BUSY: 5, CONGESTION: 8 } as const;

export interface AttemptEvidence {
  /** the customer's channel went Up (Newstate 6, OriginateResponse Success, DialEnd ANSWER) */
  answered: boolean;
  amd?: AmdResult;
  /** it entered an agent's conference */
  bridged: boolean;
  /** the Originate itself was refused (`Response: Error`): nothing was dialed */
  rejected?: boolean;
  /** `DialEnd`'s `DialStatus`, upper case */
  dialStatus?: string;
  originateReason?: number;
  /** Q.850 cause of the customer channel's Hangup (the far end's, for a Local channel whose own cause is 0) */
  hangupCause?: number;
}

export interface OutcomeRule {
  /** a short name for logs and tests */
  rule: string;
  when: (e: AttemptEvidence) => boolean;
  outcome: CallOutcome;
}

const causeIn =
  (...causes: number[]) =>
  (e: AttemptEvidence) =>
    !e.answered && e.hangupCause !== undefined && causes.includes(e.hangupCause);
const statusIn =
  (...statuses: string[]) =>
  (e: AttemptEvidence) =>
    !e.answered && e.dialStatus !== undefined && statuses.includes(e.dialStatus);
const reasonIn =
  (...reasons: number[]) =>
  (e: AttemptEvidence) =>
    !e.answered && e.originateReason !== undefined && reasons.includes(e.originateReason);

export const OUTCOME_RULES: readonly OutcomeRule[] = [
  { rule: 'answered, AMD says machine', when: (e) => e.answered && e.amd === 'machine', outcome: 'machine' },
  { rule: 'answered, bridged to an agent', when: (e) => e.answered && e.bridged, outcome: 'connected' },
  { rule: 'answered, never reached an agent', when: (e) => e.answered, outcome: 'abandoned' },
  { rule: 'Originate refused, nothing dialed', when: (e) => e.rejected === true, outcome: 'failed' },
  { rule: 'cause 17 user busy', when: causeIn(17), outcome: 'busy' },
  // A 603 Decline / cause 21: the person refused the call; retried like a busy line.
  { rule: 'cause 21 call rejected', when: causeIn(21), outcome: 'busy' },
  { rule: 'cause 18/19 no answer', when: causeIn(18, 19), outcome: 'no_answer' },
  { rule: 'cause 1/3/20/22/27/28 number unreachable', when: causeIn(1, 3, 20, 22, 27, 28), outcome: 'failed' },
  { rule: 'cause 34/38/41/42 congestion', when: causeIn(34, 38, 41, 42), outcome: 'failed' },
  { rule: 'DialStatus BUSY', when: statusIn('BUSY'), outcome: 'busy' },
  // CANCEL: the dial was given up by our side (ring timeout, the worker's Hangup) while ringing.
  { rule: 'DialStatus NOANSWER/CANCEL', when: statusIn('NOANSWER', 'CANCEL'), outcome: 'no_answer' },
  { rule: 'DialStatus CONGESTION/CHANUNAVAIL', when: statusIn('CONGESTION', 'CHANUNAVAIL'), outcome: 'failed' },
  { rule: 'Reason 5 busy control frame', when: reasonIn(ORIGINATE_REASON.BUSY), outcome: 'busy' },
  { rule: 'Reason 3 ring timeout / 1 hung up while ringing', when: reasonIn(ORIGINATE_REASON.RING_TIMEOUT, ORIGINATE_REASON.HANGUP), outcome: 'no_answer' },
  { rule: 'Reason 8 congestion', when: reasonIn(ORIGINATE_REASON.CONGESTION), outcome: 'failed' },
  { rule: 'nothing says why', when: () => true, outcome: 'failed' },
];

export function attemptOutcome(evidence: AttemptEvidence): { outcome: CallOutcome; rule: string } {
  const row = OUTCOME_RULES.find((r) => r.when(evidence)) as OutcomeRule;
  return { outcome: row.outcome, rule: row.rule };
}

/**
 * How long an unanswered attempt waits for the rest of its evidence once the first piece of
 * its end has arrived. Asterisk sends OriginateResponse straight to the AMI sessions while
 * channel events (Newchannel, DialEnd, Hangup) go through its message bus, so either may
 * come first; on a real Asterisk 20 the gap was well under a millisecond. The window only
 * caps the wait when a piece never comes (lost with a connection, a channel never created).
 */
export const DEFAULT_SETTLE_MS = 1_000;

export interface EndProgress {
  answered: boolean;
  /** when the OriginateResponse arrived (Success or Failure) */
  originateAt?: number;
  /** when the customer channel's own Hangup arrived */
  hangupAt?: number;
  /** a channel was seen for the attempt */
  sawChannel: boolean;
  /** the channel is the `;1` half of a Local channel, whose `;2` half carries the far end's cause */
  localHalf: boolean;
  /** when the `;2` half's Hangup arrived */
  farEndHangupAt?: number;
}

/**
 * When an attempt can be read: `'now'`, `{ settleAt }` (end then with what is known, unless
 * the rest arrives first), or `'open'` (still in progress).
 *
 * - Answered: its own Hangup ends it (the outcome no longer depends on the dial evidence).
 * - Unanswered: the OriginateResponse and the channel's Hangup (both halves of a Local
 *   channel) are all in; or the settle window since the first of them has passed.
 */
export function endReadiness(p: EndProgress, settleMs: number): 'now' | 'open' | { settleAt: number } {
  if (p.answered) return p.hangupAt !== undefined ? 'now' : 'open';
  const first = [p.originateAt, p.hangupAt].filter((t): t is number => t !== undefined);
  if (first.length === 0) return 'open';
  const channelDone = p.sawChannel ? p.hangupAt !== undefined && (!p.localHalf || p.farEndHangupAt !== undefined) : true;
  if (p.originateAt !== undefined && channelDone && (p.sawChannel || p.hangupAt !== undefined)) return 'now';
  return { settleAt: Math.min(...first) + settleMs };
}
