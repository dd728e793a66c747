import { newLiveCall, type LiveCall } from '../src/live/call-state';
import { transition, type LiveAgent } from '../src/live/agent-state';
import { LiveStore } from '../src/live/live-store';
import { useTestRedis } from './test-redis';

const { redis, prefix } = useTestRedis('live-store');
const store = new LiveStore(redis, prefix);

function call(attemptId: string, phone: string, over: Partial<LiveCall> = {}): LiveCall {
  const fresh = newLiveCall({
    attemptId, campaignId: 'c1', workerId: 'w1', accountDocumentId: 'acc1', callbackDocumentId: null, phone, dialMode: 'predictive', ringTimeoutSec: 25,
    dropWindowSec: 2, callerId: null, reservedAgentId: null, preferredAgentId: null, receipt: {}, phase: 'queued', queuedAt: 0,
  });
  return { ...fresh, ...over };
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

describe('an agent\'s leg fields', () => {
  const agent = { id: 71, username: 'agent71', status: 'on_call' as const, since: 1_796_073_671_608, campaignId: 'c1', pauseReason: null, attemptId: 'a-cut-call', legId: 'agentleg~old~71', legDown: false, legPlacedAt: 1_796_073_600_000 };

  it('are replaced without writing back a status read before: a call that ended meanwhile stays ended for the agent', async () => {
    await store.putAgent(agent);
    // The leg is being placed again (a PBX restart) while the agent's cut call ends: wrap-up written first.
    await store.putAgent({ ...agent, status: 'wrap_up', since: agent.since + 5 });
    const next = await store.patchAgentLeg(agent.id, { legId: 'agentleg~new~71', legPlacedAt: agent.legPlacedAt + 9, legDown: true });
    expect(next).toEqual({ ...agent, status: 'wrap_up', since: agent.since + 5, legId: 'agentleg~new~71', legPlacedAt: agent.legPlacedAt + 9, legDown: true });
    expect(await store.agent(agent.id)).toEqual(next);
  });

  it('change only while the agent still has the leg they were meant for, and never make up an agent', async () => {
    // A new record: the one above has another leg now, and a status write keeps the stored leg.
    await redis.hdel(`${prefix}:agents`, String(agent.id));
    await store.putAgent(agent);
    expect(await store.patchAgentLeg(agent.id, { legDown: true }, 'agentleg~other~71')).toBeNull();
    expect((await store.agent(agent.id))!.legDown).toBe(false);
    expect(await store.patchAgentLeg(agent.id, { legId: null, legDown: true }, agent.legId)).toMatchObject({ legId: null, legDown: true, status: 'on_call' });
    expect(await store.patchAgentLeg(9_999, { legDown: true })).toBeNull();
    expect(await store.agent(9_999)).toBeNull();
  });
});

describe('a status write after a leg change it did not see', () => {
  // Two stores on one Redis: two workers (or a command and a leg event on one worker) each acting on the record they read.
  const commands = new LiveStore(redis, prefix);
  const legEvents = new LiveStore(redis, prefix);
  const base = { username: 'agent72', since: 1_796_073_671_608, campaignId: 'c1', pauseReason: null, attemptId: null, legPlacedAt: 1_796_073_600_000 };

  const legChanges = [
    { name: 'a leg placed again (the old one ended)', from: { legId: 'agentleg~old~72', legDown: false }, to: { legId: 'agentleg~new~72', legPlacedAt: base.legPlacedAt + 9, legDown: true } },
    { name: 'a leg cleared (it ended while the agent was logged out)', from: { legId: 'agentleg~old~72', legDown: false }, to: { legId: null, legDown: true } },
    { name: 'a leg seen up', from: { legId: 'agentleg~old~72', legDown: true }, to: { legDown: false } },
  ];
  const statusWrites = [
    { name: 'pause', from: 'ready' as const, write: (a: LiveAgent) => transition(a, 'paused', a.since + 1000, { pauseReason: 'lunch' }) },
    { name: 'wrap-up at a call\'s end', from: 'on_call' as const, write: (a: LiveAgent) => transition(a, 'wrap_up', a.since + 1000, { attemptId: 'att-72' }) },
    { name: 'ready after wrap-up', from: 'wrap_up' as const, write: (a: LiveAgent) => transition(a, 'ready', a.since + 1000) },
    { name: 'logout', from: 'paused' as const, write: (a: LiveAgent) => transition(a, 'logged_out', a.since + 1000) },
  ];

  for (const change of legChanges) {
    for (const status of statusWrites) {
      it(`${status.name} keeps ${change.name}`, async () => {
        const id = 72;
        await redis.hdel(`${prefix}:agents`, String(id));
        const attemptId = status.from === 'on_call' || status.from === 'wrap_up' ? 'att-72' : null;
        await commands.putAgent({ id, ...base, attemptId, status: status.from, ...change.from });
        const read = (await commands.agent(id))!;
        const patched = (await legEvents.patchAgentLeg(id, change.to))!;
        await commands.putAgent(status.write(read));
        const stored = (await legEvents.agent(id))!;
        expect({ legId: stored.legId, legPlacedAt: stored.legPlacedAt, legDown: stored.legDown }).toEqual({ legId: patched.legId, legPlacedAt: patched.legPlacedAt, legDown: patched.legDown });
        expect(stored).toMatchObject({ status: status.write(read).status, since: read.since + 1000 });
      });
    }
  }
});

describe('a status write that places a leg', () => {
  const id = 73;
  const read: LiveAgent = { id, username: 'agent73', status: 'paused', since: 1_796_073_671_608, campaignId: 'c1', pauseReason: 'break', attemptId: null, legId: 'agentleg~gone~73', legPlacedAt: 1_796_073_600_000.5, legDown: true };
  const placed = { legId: 'agentleg~mine~73', legPlacedAt: read.legPlacedAt! + 40_000, legDown: true };
  const ready = { ...transition(read, 'ready', read.since + 50_000), ...placed };
  const changedMeanwhile = [
    { name: 'nothing', patch: null, leg: placed },
    { name: 'the leg placed by another worker', patch: { legId: 'agentleg~theirs~73', legPlacedAt: read.legPlacedAt! + 30_000, legDown: true }, leg: { legId: 'agentleg~theirs~73', legPlacedAt: read.legPlacedAt! + 30_000, legDown: true } },
    { name: 'the leg cleared', patch: { legId: null, legDown: true }, leg: { legId: null, legPlacedAt: read.legPlacedAt, legDown: true } },
    { name: 'a failed placement (no leg id, a new time)', patch: { legId: null, legPlacedAt: read.legPlacedAt! + 1, legDown: true }, leg: { legId: null, legPlacedAt: read.legPlacedAt! + 1, legDown: true } },
  ];

  for (const meanwhile of changedMeanwhile) {
    it(`writes its leg only over the leg it read (changed meanwhile: ${meanwhile.name}), and its status either way`, async () => {
      await redis.hdel(`${prefix}:agents`, String(id));
      await store.putAgent(read);
      if (meanwhile.patch) await new LiveStore(redis, prefix).patchAgentLeg(id, meanwhile.patch);
      const stored = await store.putAgent(ready, { legId: read.legId, legPlacedAt: read.legPlacedAt });
      expect(stored).toEqual({ ...ready, ...meanwhile.leg });
      expect(await store.agent(id)).toEqual(stored);
    });
  }

  it('writes a record not stored yet as given, leg and all (an agent put back after Redis lost them), and tells the change from nothing', async () => {
    await redis.hdel(`${prefix}:agents`, String(id));
    const changes: Array<[LiveAgent | null, LiveAgent]> = [];
    const watched = new LiveStore(redis, prefix);
    watched.onAgentChange = (prev, next) => changes.push([prev, next]);
    expect(await watched.putAgent(ready)).toEqual(ready);
    expect(await watched.putAgent(transition(ready, 'paused', ready.since + 1))).toMatchObject({ status: 'paused', ...placed });
    expect(changes.map(([prev, next]) => [prev?.status ?? null, next.status])).toEqual([[null, 'ready'], ['ready', 'paused']]);
  });
});
