import { regulationFHistory, type RegFCall } from '../../src/compliance/reg-f-history';

const out = (at: string, outcome = 'no_answer', rpc: boolean | null = null): RegFCall => ({ direction: 'outbound', outcome, dialedAt: at, createdAt: at, disposition: rpc === null ? null : { rightPartyContact: rpc } });
const inb = (answeredAt: string | null, outcome = 'connected', rpc: boolean | null = null): RegFCall => ({ direction: 'inbound', outcome, answeredAt, queuedAt: '2026-11-01T09:00:00Z', createdAt: '2026-11-01T09:00:00Z', disposition: rpc === null ? null : { rightPartyContact: rpc } });

describe('regulationFHistory', () => {
  it.each<[string, RegFCall[], number, string | null]>([
    ['outbound calls are attempts', [out('2026-11-02T10:00:00Z'), out('2026-11-03T10:00:00Z')], 2, null],
    ['an inbound call is not an attempt', [inb(null, 'abandoned'), out('2026-11-02T10:00:00Z')], 1, null],
    ['an inbound conversation starts the quiet period from its answer', [inb('2026-11-04T09:00:20Z'), out('2026-11-02T10:00:00Z', 'connected')], 1, '2026-11-04T09:00:20.000Z'],
    ['an inbound call with a third party is no conversation about the debt', [inb('2026-11-04T09:00:20Z', 'connected', false)], 0, null],
    ['an inbound caller who hung up waiting had no conversation', [inb(null, 'abandoned')], 0, null],
    ['a record of a call before direction existed counts as outbound', [{ outcome: 'connected', dialedAt: '2026-11-05T10:00:00Z', createdAt: '2026-11-05T10:00:00Z' }], 1, '2026-11-05T10:00:00.000Z'],
  ])('%s', (_name, calls, attempts, lastConversationAt) => {
    const h = regulationFHistory(calls);
    expect(h.attempts.length).toBe(attempts);
    expect(h.lastConversationAt?.toISOString() ?? null).toBe(lastConversationAt);
  });
});
