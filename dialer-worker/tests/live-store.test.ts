import type { LiveCall } from '../src/live/call-state';
import { LiveStore } from '../src/live/live-store';
import { useTestRedis } from './test-redis';

const { redis, prefix } = useTestRedis('live-store');
const store = new LiveStore(redis, prefix);

function call(attemptId: string, phone: string, over: Partial<LiveCall> = {}): LiveCall {
  return {
    attemptId,
    campaignId: 'c1',
    workerId: 'w1',
    accountDocumentId: 'acc1',
    callbackDocumentId: null,
    phone,
    dialMode: 'predictive',
    ringTimeoutSec: 25,
    dropWindowSec: 2,
    callerId: null,
    reservedAgentId: null,
    preferredAgentId: null,
    receipt: {},
    phase: 'queued',
    channel: null,
    agentId: null,
    queuedAt: 0,
    dialedAt: null,
    answeredAt: null,
    bridgedAt: null,
    endedAt: null,
    wrapEndedAt: null,
    outcome: null,
    hangupCause: null,
    amdStatus: null,
    dispositionDocumentId: null,
    notes: null,
    ...over,
  };
}

describe('one line per phone', () => {
  it('refuses a second attempt on a phone while the first is on a line, and frees it when that call ends or goes', async () => {
    expect(await store.addCall(call('a1', '+15550000001'))).toBe(true);
    expect(await store.addCall(call('a2', '+15550000001'))).toBe(false);
    expect(await store.call('a2')).toBeNull();
    expect(await store.addCall(call('a3', '+15550000002'))).toBe(true);

    await store.putCall(call('a1', '+15550000001', { phase: 'ended' }));
    expect(await store.addCall(call('a4', '+15550000001'))).toBe(true);

    await store.removeCall('a4');
    expect(await store.call('a4')).toBeNull();
    expect(await store.addCall(call('a5', '+15550000001'))).toBe(true);
  });

  it('lets exactly one of many simultaneous attempts on one phone through', async () => {
    const tries = Array.from({ length: 25 }, (_, i) => store.addCall(call(`race-${i}`, '+15550000099')));
    const won = (await Promise.all(tries)).filter(Boolean).length;
    expect(won).toBe(1);
    const onLine = (await store.calls()).filter((c) => c.phone === '+15550000099');
    expect(onLine).toHaveLength(1);
  });

  it('removing a call that lost its phone to a newer one leaves the newer one holding it', async () => {
    expect(await store.addCall(call('old', '+15550000003'))).toBe(true);
    await store.putCall(call('old', '+15550000003', { phase: 'ended' }));
    expect(await store.addCall(call('new', '+15550000003'))).toBe(true);
    await store.removeCall('old');
    expect(await store.addCall(call('third', '+15550000003'))).toBe(false);
  });
});
