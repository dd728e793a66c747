import { parseAgentLegId } from '../src/ami/ami-ids';
import { transition, type LiveAgent } from '../src/live/agent-state';
import { LiveStore } from '../src/live/live-store';
import { mulberry32 } from '../src/math/random-source';
import { PbxSimulator } from '../src/pbx-simulator/pbx-simulator';
import { AMI_USER, callFlowRig, until, type CallFlowRig } from './call-flow-rig';
import { useTestRedis } from './test-redis';

// An agent's `ready` places a conference leg and writes it with their status (dialer-worker.ts),
// while another worker (its reconciliation, a leg event) places one too: an agent never keeps
// two legs, and never a leg the store does not know. Two call flows on one Redis, each with
// its own AMI login to one PBX simulator over TCP, as two workers would be.
jest.setTimeout(60_000);
const { redis, prefix } = useTestRedis('agent-leg-race');
const SPEED = 20;
let pbx: PbxSimulator;
let mine: CallFlowRig;
let theirs: CallFlowRig;
const live = new LiveStore(redis, prefix);
const otherLive = new LiveStore(redis, prefix);

beforeAll(async () => {
  pbx = new PbxSimulator({ ...AMI_USER, speed: SPEED, random: mulberry32(5) });
  const port = await pbx.start(0);
  mine = callFlowRig({ live, port, workerId: 'leg-mine', simSpeed: SPEED });
  theirs = callFlowRig({ live: otherLive, port, workerId: 'leg-theirs', simSpeed: SPEED });
  await mine.ami.connect();
  await theirs.ami.connect();
});

afterAll(async () => {
  for (const rig of [mine, theirs]) {
    rig.flow.stop();
    await rig.ami.close();
  }
  await pbx.stop();
});

const legsAtPbx = (agentId: number) => pbx.channels().filter((c) => c.leg === 'agent' && parseAgentLegId(c.uniqueId)?.agentId === String(agentId)).map((c) => c.uniqueId);

const MEANWHILE: Array<{ name: string; agentId: number; other: (agentId: number) => Promise<string | null>; kept: 'mine' | 'theirs' | 'a new one' }> = [
  { name: 'nothing', agentId: 81, other: async () => null, kept: 'mine' },
  {
    name: 'another worker placed a leg',
    agentId: 82,
    other: async (agentId) => {
      const { legId } = await theirs.ami.originateAgentLeg({ agentId: String(agentId) });
      await otherLive.patchAgentLeg(agentId, { legId, legPlacedAt: Date.now(), legDown: true });
      return legId;
    },
    kept: 'theirs',
  },
  {
    name: 'the old leg was cleared (its end, while logged out)',
    agentId: 83,
    other: async (agentId) => {
      await otherLive.patchAgentLeg(agentId, { legId: null, legDown: true }, `agentleg~gone~${agentId}`);
      return null;
    },
    kept: 'a new one',
  },
];

describe('a ready that placed a leg while the stored leg changed', () => {
  for (const meanwhile of MEANWHILE) {
    it(`keeps one leg, the stored one (meanwhile: ${meanwhile.name})`, async () => {
      const id = meanwhile.agentId;
      await live.putAgent({ id, username: `agent${id}`, status: 'paused', since: Date.now() - 60_000, campaignId: 'c1', pauseReason: 'break', attemptId: null, legId: `agentleg~gone~${id}`, legPlacedAt: Date.now() - 60_000, legDown: true });
      // What the ready command does (dialer-worker.ts): read, place, write with the leg it read, keep one leg.
      const read = (await live.agent(id))!;
      const placed = await mine.flow.placeAgentLeg(transition(read, 'ready', Date.now()));
      const theirLeg = await meanwhile.other(id);
      const stored = await live.putAgent(placed, { legId: read.legId, legPlacedAt: read.legPlacedAt });
      await mine.flow.keepOneLeg(placed, stored);
      await mine.flow.legStored(stored);

      expect(stored.status).toBe('ready');
      const expectedLeg = meanwhile.kept === 'mine' ? placed.legId : meanwhile.kept === 'theirs' ? theirLeg : (await live.agent(id))!.legId;
      expect(expectedLeg).toEqual(expect.any(String));
      if (meanwhile.kept === 'a new one') expect(expectedLeg).not.toBe(placed.legId);
      await until(`agent ${id} with one leg at the PBX, ${expectedLeg}: ${JSON.stringify(legsAtPbx(id))}`, () => {
        const legs = legsAtPbx(id);
        return legs.length === 1 && legs[0] === expectedLeg;
      });
      // And the store follows the PBX: that leg, seen up (so the agent may take calls).
      const final = await until<LiveAgent>(`agent ${id} stored with ${expectedLeg} up`, async () => {
        const a = await live.agent(id);
        return a && a.legId === expectedLeg && a.legDown === false ? a : null;
      });
      expect(final).toMatchObject({ status: 'ready', legId: expectedLeg, legDown: false });
    });
  }
});
