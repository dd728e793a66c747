/**
 * A Ready agent on a campaign with nothing to dial hears why, from cms's count: a real cms
 * (PostgreSQL) whose campaign holds only the fixture's four never-dial accounts (one outside
 * its calling window, one on the DNC list, one spoken to three days ago, one called seven
 * times this week), the worker in this process with Redis and the PBX simulator over TCP.
 */
import type { Socket } from 'socket.io-client';
import type { CampaignDialing } from '../../src/realtime/realtime-events';
import { HttpCmsClient } from '../../src/cms/cms-client';
import { command, connect, startCms } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(300_000);

let cms: Awaited<ReturnType<typeof startCms>>;
let w: InProcessWorker;
const sockets: Socket[] = [];

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '0', AGENTS: '2', DIAL_MODE: 'progressive' });
  w = await startInProcessWorker(cms.info.url, cms.info.apiToken);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await w?.stop();
  await cms?.stop();
});

function nextDialing(socket: Socket, test: (e: CampaignDialing) => boolean): Promise<CampaignDialing> {
  return new Promise((resolve) => {
    const on = (e: CampaignDialing) => {
      if (!test(e)) return;
      socket.off('campaign:dialing', on);
      resolve(e);
    };
    socket.on('campaign:dialing', on);
  });
}

it('tells a Ready agent why no call comes, and only the agents of that campaign', async () => {
  const { info } = cms;
  const [agent, other] = info.agents;
  const supervisor = await connect(w.port, info.supervisor.jwt);
  const socket = await connect(w.port, agent.jwt);
  const otherSocket = await connect(w.port, other.jwt);
  sockets.push(supervisor, socket, otherSocket);
  const heardByOther: CampaignDialing[] = [];
  otherSocket.on('campaign:dialing', (e: CampaignDialing) => heardByOther.push(e));

  const told = nextDialing(socket, (e) => e.nothingToDial !== null);
  expect(await command(socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
  expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
  const event = await told;

  expect(event.campaignId).toBe(info.campaignId);
  expect(event.nothingToDial!.remainingAccounts).toBe(4);
  const counts = Object.fromEntries(event.nothingToDial!.reasons.map((r) => [r.code, r.accounts]));
  expect(counts).toEqual({ outside_calling_window: 1, no_callable_phone: 1, after_conversation: 1, weekly_limit: 1 });
  const window = event.nothingToDial!.reasons.find((r) => r.code === 'outside_calling_window')!.nextWindow!;
  expect(window.localTime).toBe('08:00');
  expect(Date.parse(window.at)).toBeGreaterThan(Date.now());
  // The other agent never went Ready on it: nothing about this campaign reaches them.
  expect(heardByOther).toEqual([]);
});

it("still hears cms's answer while it holds 2,000 attempts (their phones and accounts go in the body, not the URL)", async () => {
  const phones = Array.from({ length: 2000 }, (_, i) => `+1212${String(5_000_000 + i)}`);
  const accounts = Array.from({ length: 2000 }, (_, i) => `held${String(i).padStart(20, '0')}`);
  const answer = await new HttpCmsClient(cms.info.url, cms.info.apiToken).dialable(cms.info.campaignId, 200, phones, undefined, accounts);
  expect(answer.items).toEqual([]);
  expect(answer.nothingToDial!.remainingAccounts).toBe(4);
});
