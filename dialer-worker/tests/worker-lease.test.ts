import type { LiveCall } from '../src/live/call-state';
import { LiveStore } from '../src/live/live-store';
import { parseAgentReady } from '../src/live/agent-ready-relay';
import { useTestRedis } from './test-redis';

const { redis, prefix } = useTestRedis('worker-lease');
const store = new LiveStore(redis, prefix);

function call(attemptId: string, phone: string, workerId: string, over: Partial<LiveCall> = {}): LiveCall {
  return {
    attemptId, campaignId: 'c1', workerId, accountDocumentId: 'acc1', callbackDocumentId: null, phone, dialMode: 'predictive', ringTimeoutSec: 25, dropWindowSec: 2,
    callerId: null, reservedAgentId: null, preferredAgentId: null, receipt: {}, phase: 'dialing', channel: null, agentId: null, queuedAt: 1764540000123, dialedAt: null,
    answeredAt: null, bridgedAt: null, endedAt: null, wrapEndedAt: null, outcome: null, hangupCause: null, amdStatus: null, dispositionDocumentId: null, notes: null, ...over,
  };
}

describe('worker leases and adopting the calls of a dead worker', () => {
  it('adopts the calls of workers without a lease, never those of a live one, and changes nothing else in them', async () => {
    await store.renewLease('alive', 60_000);
    await store.renewLease('me', 60_000);
    // Empty arrays and objects, nested values and big timestamps come through unchanged (cjson would turn [] into {}).
    const dead = call('a-1', '+15550001', 'dead-1', { account: { documentId: 'acc1', accountNumber: 'X1', phones: [], tags: [], balance: 12.5 } as any, receipt: {} as any });
    const dead2 = call('a-2', '+15550002', 'dead-2', { phase: 'ended', outcome: 'busy' });
    const live = call('a-3', '+15550003', 'alive');
    const mine = call('a-4', '+15550004', 'me');
    for (const c of [dead, dead2, live, mine]) expect(await store.addCall(c)).toBe(true);

    const adopted = await store.adoptCalls('me');
    expect(adopted.map((c) => c.attemptId).sort()).toEqual(['a-1', 'a-2']);
    expect(await store.call('a-1')).toEqual({ ...dead, workerId: 'me' });
    expect(await store.call('a-2')).toEqual({ ...dead2, workerId: 'me' });
    expect((await store.call('a-3'))!.workerId).toBe('alive');
    // A second sweep, by this worker or another, finds nothing left to take.
    expect(await store.adoptCalls('me')).toEqual([]);
    expect(await store.adoptCalls('alive')).toEqual([]);
  });

  it('a lease that runs out, or is given up, makes the calls adoptable; one renewed in time does not', async () => {
    await store.renewLease('short', 300);
    await store.addCall(call('a-5', '+15550005', 'short'));
    await new Promise((r) => setTimeout(r, 150));
    await store.renewLease('short', 300);
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.adoptCalls('me')).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));
    expect((await store.adoptCalls('me')).map((c) => c.attemptId)).toEqual(['a-5']);

    await store.renewLease('leaving', 60_000);
    await store.addCall(call('a-6', '+15550006', 'leaving'));
    expect(await store.adoptCalls('me')).toEqual([]);
    await store.dropLease('leaving');
    expect((await store.adoptCalls('me')).map((c) => c.attemptId)).toEqual(['a-6']);
  });

  it('a pacer books a call only while it holds the campaign\'s pacing lock, in the same step', async () => {
    const lock = `${prefix}:pacing-lock:c1`;
    await redis.set(lock, 'other', 'PX', 60_000);
    expect(await store.addCallAsLeader(call('a-7', '+15550007', 'me'), lock, 'me')).toBe('not_leader');
    expect(await store.call('a-7')).toBeNull();
    await redis.set(lock, 'me', 'PX', 60_000);
    expect(await store.addCallAsLeader(call('a-7', '+15550007', 'me'), lock, 'me')).toBe('added');
    expect(await store.addCallAsLeader(call('a-8', '+15550007', 'me'), lock, 'me')).toBe('phone_on_line');
    await redis.del(lock);
    expect(await store.addCallAsLeader(call('a-9', '+15550009', 'me'), lock, 'me')).toBe('not_leader');
  });

  it('reads an agent-ready notice, and nothing else', () => {
    expect(parseAgentReady('{"agentId":3,"from":"w1"}')).toEqual({ agentId: 3, from: 'w1' });
    for (const raw of ['', 'x', '{"agentId":"3","from":"w1"}', '{"agentId":3}', '{"agentId":1.5,"from":"w"}', 'null', '[]']) expect(parseAgentReady(raw)).toBeNull();
  });
});
