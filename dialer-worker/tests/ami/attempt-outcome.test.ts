import { attemptOutcome, endReadiness, OUTCOME_RULES, type AttemptEvidence, type EndProgress } from '../../src/ami/attempt-outcome';
import { fixtureTable } from './asterisk-fixture';

/**
 * The evidence each attempt of `tests/fixtures/asterisk-20/ami-capture.txt` carries, as read
 * by hand from the capture (DialEnd, OriginateResponse Reason, the Hangup cause of the `;1`
 * half, or of the `;2` half where the `;1` half's is 0, AMD).
 */
const CAPTURED: Record<string, AttemptEvidence> = {
  'a-100': { answered: true, amd: 'human', bridged: true, dialStatus: 'ANSWER', originateReason: 4, hangupCause: 16 },
  'a-101': { answered: true, amd: 'machine', bridged: false, dialStatus: 'ANSWER', originateReason: 4, hangupCause: 16 },
  'a-200': { answered: false, bridged: false, dialStatus: 'BUSY', originateReason: 0, hangupCause: 17 },
  'a-201': { answered: false, bridged: false, dialStatus: 'BUSY', originateReason: 5, hangupCause: 17 },
  'a-202': { answered: false, bridged: false, dialStatus: 'BUSY', originateReason: 0, hangupCause: 17 },
  'a-203': { answered: false, bridged: false, dialStatus: 'BUSY', originateReason: 5, hangupCause: 17 },
  'a-300': { answered: false, bridged: false, originateReason: 3, hangupCause: 19 },
  'a-301': { answered: false, bridged: false, dialStatus: 'NOANSWER', originateReason: 0, hangupCause: 19 },
  'a-400': { answered: false, bridged: false, dialStatus: 'CONGESTION', originateReason: 8, hangupCause: 34 },
  'a-401': { answered: false, bridged: false, dialStatus: 'CONGESTION', originateReason: 0, hangupCause: 34 },
  'a-500': { answered: false, bridged: false, dialStatus: 'NOANSWER', originateReason: 0, hangupCause: 21 },
  'a-600': { answered: true, bridged: false, dialStatus: 'ANSWER', originateReason: 4, hangupCause: 16 },
  'a-999': { answered: false, bridged: false, originateReason: 0, hangupCause: 0 },
};

describe('attemptOutcome: every attempt of the Asterisk 20 capture reads as the fixture says', () => {
  const rows = fixtureTable();

  it('covers every row of the fixture table and nothing else', () => {
    expect(rows.map((r) => r.attemptId).sort()).toEqual(Object.keys(CAPTURED).sort());
  });

  it.each(rows.map((r) => [r.attemptId, r.farEnd, r.reading, r] as const))('%s (%s) → %s', (attemptId, _farEnd, _reading, row) => {
    expect(attemptOutcome(CAPTURED[attemptId]).outcome).toBe(row.outcome);
  });

  const unansweredRows = rows.filter((r) => !CAPTURED[r.attemptId].answered);

  it.each(unansweredRows.map((r) => [r.attemptId, r] as const))('%s reads the same without its OriginateResponse (DialEnd and the cause suffice)', (attemptId, row) => {
    expect(attemptOutcome({ ...CAPTURED[attemptId], originateReason: undefined }).outcome).toBe(row.outcome);
  });

  it.each(unansweredRows.filter((r) => r.attemptId !== 'a-500').map((r) => [r.attemptId, r] as const))('%s reads the same without its Hangup cause', (attemptId, row) => {
    expect(attemptOutcome({ ...CAPTURED[attemptId], hangupCause: undefined }).outcome).toBe(row.outcome);
  });

  it('a-500 (603 rejected) needs its Hangup cause: DialEnd says NOANSWER, so the tracker waits for the late Hangup', () => {
    expect(attemptOutcome({ ...CAPTURED['a-500'], hangupCause: undefined }).outcome).toBe('no_answer');
  });
});

describe('attemptOutcome: the rules, first match wins', () => {
  const unanswered = { answered: false, bridged: false } as const;
  it.each<[string, AttemptEvidence, string, string]>([
    ['machine beats everything', { answered: true, bridged: true, amd: 'machine' }, 'machine', 'answered, AMD says machine'],
    ['bridged', { answered: true, bridged: true, amd: 'human' }, 'connected', 'answered, bridged to an agent'],
    ['AMD unsure, nobody took it', { answered: true, bridged: false, amd: 'notsure' }, 'abandoned', 'answered, never reached an agent'],
    ['an answered call is not busy whatever its cause', { answered: true, bridged: false, hangupCause: 17 }, 'abandoned', 'answered, never reached an agent'],
    ['refused Originate', { ...unanswered, rejected: true, hangupCause: 17 }, 'failed', 'Originate refused, nothing dialed'],
    ['cause 17 with Reason 0', { ...unanswered, originateReason: 0, hangupCause: 17 }, 'busy', 'cause 17 user busy'],
    ['cause 21 beats DialStatus NOANSWER', { ...unanswered, dialStatus: 'NOANSWER', originateReason: 0, hangupCause: 21 }, 'busy', 'cause 21 call rejected'],
    ['cause 18 no user responding', { ...unanswered, originateReason: 0, hangupCause: 18 }, 'no_answer', 'cause 18/19 no answer'],
    ['cause 1 unallocated number', { ...unanswered, dialStatus: 'CHANUNAVAIL', originateReason: 0, hangupCause: 1 }, 'failed', 'cause 1/3/20/22/27/28 number unreachable'],
    ['cause 38 network out of order', { ...unanswered, originateReason: 0, hangupCause: 38 }, 'failed', 'cause 34/38/41/42 congestion'],
    ['cause 0 (a Local half), DialStatus BUSY', { ...unanswered, dialStatus: 'BUSY', originateReason: 0, hangupCause: 0 }, 'busy', 'DialStatus BUSY'],
    ['cause 16 before an answer says nothing: DialStatus decides', { ...unanswered, dialStatus: 'NOANSWER', hangupCause: 16 }, 'no_answer', 'DialStatus NOANSWER/CANCEL'],
    ['the worker cancelled a ringing call', { ...unanswered, dialStatus: 'CANCEL', originateReason: 0, hangupCause: 16 }, 'no_answer', 'DialStatus NOANSWER/CANCEL'],
    ['DialStatus CHANUNAVAIL', { ...unanswered, dialStatus: 'CHANUNAVAIL', originateReason: 0 }, 'failed', 'DialStatus CONGESTION/CHANUNAVAIL'],
    ['BUSY control frame (chan_sip 486, Busy())', { ...unanswered, originateReason: 5 }, 'busy', 'Reason 5 busy control frame'],
    ['ring timeout', { ...unanswered, originateReason: 3, hangupCause: 16 }, 'no_answer', 'Reason 3 ring timeout / 1 hung up while ringing'],
    ['Reason 1: hung up while ringing', { ...unanswered, originateReason: 1 }, 'no_answer', 'Reason 3 ring timeout / 1 hung up while ringing'],
    ['congestion control frame', { ...unanswered, originateReason: 8 }, 'failed', 'Reason 8 congestion'],
    ['Reason 0 and nothing else: no channel', { ...unanswered, originateReason: 0 }, 'failed', 'nothing says why'],
  ])('%s', (_name, evidence, outcome, rule) => {
    expect(attemptOutcome(evidence)).toEqual({ outcome, rule });
  });

  it('every rule is reachable (no row hidden behind an earlier one)', () => {
    const reached = new Set<string>();
    const statuses = [undefined, 'ANSWER', 'BUSY', 'NOANSWER', 'CANCEL', 'CONGESTION', 'CHANUNAVAIL'];
    const causes = [undefined, 0, 1, 16, 17, 18, 19, 21, 34, 38];
    const reasons = [undefined, 0, 1, 3, 4, 5, 8];
    for (const answered of [false, true])
      for (const bridged of [false, true])
        for (const amd of [undefined, 'human', 'machine'] as const)
          for (const rejected of [false, true])
            for (const dialStatus of statuses)
              for (const hangupCause of causes)
                for (const originateReason of reasons) reached.add(attemptOutcome({ answered, bridged, amd, rejected, dialStatus, hangupCause, originateReason }).rule);
    expect([...reached].sort()).toEqual(OUTCOME_RULES.map((r) => r.rule).sort());
  });
});

describe('endReadiness: when an attempt can be read', () => {
  const base: EndProgress = { answered: false, sawChannel: true, localHalf: false };
  it.each<[string, EndProgress, ReturnType<typeof endReadiness>]>([
    ['nothing yet', base, 'open'],
    ['answered, still up', { ...base, answered: true, originateAt: 5 }, 'open'],
    ['answered, hung up', { ...base, answered: true, hangupAt: 9 }, 'now'],
    ['OriginateResponse, Hangup still to come', { ...base, originateAt: 10 }, { settleAt: 110 }],
    ['Hangup, OriginateResponse still to come', { ...base, hangupAt: 10 }, { settleAt: 110 }],
    ['both', { ...base, originateAt: 12, hangupAt: 10 }, 'now'],
    ['no channel seen: late channel events may still come', { ...base, sawChannel: false, originateAt: 10 }, { settleAt: 110 }],
    ['Local channel: its far half has not hung up yet', { ...base, localHalf: true, originateAt: 10, hangupAt: 11 }, { settleAt: 110 }],
    ['Local channel: both halves and the OriginateResponse', { ...base, localHalf: true, originateAt: 10, hangupAt: 11, farEndHangupAt: 9 }, 'now'],
  ])('%s', (_name, progress, expected) => {
    expect(endReadiness(progress, 100)).toEqual(expected);
  });
});
