import { foldProviderEvent, providerOutcome, type ProviderCallState, type ProviderEvent, type ProviderEventType } from '../../src/telephony/provider-call-state';

const ev = (eventId: string, type: ProviderEventType, at: number, agent: string | null = null): ProviderEvent => ({ eventId, type, callId: 'call-1', from: '+14155552671', to: '+18005550100', at, agent });

function run(events: ProviderEvent[]) {
  let state: ProviderCallState | null = null;
  const results = events.map((e) => {
    const r = foldProviderEvent(state, e);
    state = r.state;
    return r;
  });
  return { state: state!, results };
}

const R = ev('e1', 'call.ringing', 1000, 'agent1');
const A = ev('e2', 'call.answered', 11000);
const E = ev('e3', 'call.ended', 71000);

describe('foldProviderEvent: any delivery order gives the same call', () => {
  const orders: ProviderEvent[][] = [[R, A, E], [R, E, A], [A, R, E], [A, E, R], [E, R, A], [E, A, R]];
  it.each(orders.map((o) => [o.map((e) => e.type.slice(5)).join(' → '), o]))('%s', (_name, order) => {
    const { state } = run(order as ProviderEvent[]);
    expect(state).toMatchObject({ status: 'ended', ringingAt: 1000, answeredAt: 11000, endedAt: 71000, agent: 'agent1' });
    expect(providerOutcome(state)).toEqual({ outcome: 'connected', queueWaitSec: 10, talkSec: 60 });
  });
});

describe('foldProviderEvent rules', () => {
  it('a replay gives the first answer again and changes nothing', () => {
    const { state, results } = run([R, A, { ...R, at: 5 }]);
    expect(results[2]).toEqual({ replay: true, answer: results[0].answer, state: results[1].state, changed: false, popAgent: null });
    expect(state.ringingAt).toBe(1000);
  });

  it('a second event of one kind under a new id keeps the earlier moment', () => {
    const { state, results } = run([A, ev('e2b', 'call.answered', 12000), ev('e2c', 'call.answered', 9000)]);
    expect(state.answeredAt).toBe(9000);
    expect(results.map((r) => r.changed)).toEqual([true, false, true]);
  });

  it('a late ringing never reopens an ended call and pops nobody', () => {
    const { state, results } = run([E, R]);
    expect(state.status).toBe('ended');
    expect(results[1].popAgent).toBe(null);
  });

  it('a ringing naming an agent pops that agent while the call rings', () => {
    const { results } = run([R]);
    expect(results[0].popAgent).toBe('agent1');
  });

  it('a ringing naming nobody pops nobody', () => {
    const { results } = run([ev('x', 'call.ringing', 1)]);
    expect(results[0].popAgent).toBe(null);
  });

  it('ended without an answer is a caller who gave up waiting', () => {
    const { state } = run([R, ev('e9', 'call.ended', 31000)]);
    expect(providerOutcome(state)).toEqual({ outcome: 'abandoned', queueWaitSec: null, talkSec: null });
  });

  it('answered and not ended yet is connected, talk not known', () => {
    const { state } = run([R, A]);
    expect(providerOutcome(state)).toEqual({ outcome: 'connected', queueWaitSec: 10, talkSec: null });
  });
});
