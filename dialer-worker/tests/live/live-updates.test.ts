/**
 * What the console's live provider and screen pop rest on: cms's change notices reach only the
 * readers whose scope holds the record, and a screen pop carries the account summary cms gave
 * with the hopper. A real cms (PostgreSQL) publishing on a real Redis, the worker in this
 * process with the PBX simulator over TCP, agents and supervisors on Socket.IO.
 */
import type { Socket } from 'socket.io-client';
import { command, connect, startCms, type CmsInfo } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(300_000);

const CHANNEL = `test-live-updates-${process.pid}-${Date.now()}`;
let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let w: InProcessWorker;
const sockets: Socket[] = [];

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '20', AGENTS: '2', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', DATA_CHANGES_CHANNEL: CHANNEL });
  info = cms.info;
  w = await startInProcessWorker(info.url, info.apiToken, { dataChangesChannel: CHANNEL });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await w?.stop();
  await cms?.stop();
});

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${info.url}${path}`, { method, headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify({ data: body }) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as any).data;
};

type Reader = { socket: Socket; heard: any[]; next: (documentId: string) => Promise<any> };

/** A signed-in reader subscribed to accounts, keeping every `data:changed` it hears. */
async function reader(jwt: string): Promise<Reader> {
  const heard: any[] = [];
  const waiting = new Map<string, (change: any) => void>();
  const socket = await connect(w.port, jwt, (s) =>
    s.on('data:changed', (change: any) => {
      heard.push(change);
      waiting.get(change.documentId)?.(change);
    }),
  );
  sockets.push(socket);
  expect(await command(socket, 'live:subscribe', { resource: 'accounts' })).toEqual({ ok: true, data: { resource: 'accounts' } });
  const next = (documentId: string) =>
    new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no notice of ${documentId} within 15 s; heard ${JSON.stringify(heard)}`)), 15_000);
      waiting.set(documentId, (change) => {
        clearTimeout(timer);
        waiting.delete(documentId);
        resolve(change);
      });
    });
  return { socket, heard, next };
}

const accountOf = async (agentId: number) => (await api('GET', `/api/accounts?filters[assignedAgent][id][$eq]=${agentId}&pagination[pageSize]=1`))[0];

describe('change notices on the socket', () => {
  it('reach the agent of the account and the supervisors of its client, and no one else', async () => {
    const [agentA, agentB] = await Promise.all(info.agents.map((a) => reader(a.jwt)));
    const supervisor = await reader(info.supervisor.jwt);
    const otherSupervisor = await reader(info.otherSupervisor.jwt);
    const [mine, theirs] = [await accountOf(info.agents[0].id), await accountOf(info.agents[1].id)];

    const toA = agentA.next(mine.documentId);
    const toSupervisor = supervisor.next(mine.documentId);
    await api('PUT', `/api/accounts/${mine.documentId}`, { notes: 'changed by someone else' });
    // Ids only: who else reads the record stays on the server.
    expect(await toA).toEqual({ resource: 'accounts', documentId: mine.documentId, action: 'updated', at: expect.any(String) });
    expect(await toSupervisor).toEqual(await toA);

    // Each reader's own later notice is the barrier: one socket's events arrive in order, so a
    // notice sent to the wrong reader would have arrived before it.
    const toB = agentB.next(theirs.documentId);
    await api('PUT', `/api/accounts/${theirs.documentId}`, { notes: 'changed too' });
    await toB;
    const again = agentA.next(mine.documentId);
    await api('PUT', `/api/accounts/${mine.documentId}`, { notes: 'changed again' });
    await again;
    expect(agentA.heard.map((c) => c.documentId)).toEqual([mine.documentId, mine.documentId]);
    expect(agentB.heard.map((c) => c.documentId)).toEqual([theirs.documentId]);

    const otherBank = (await api('GET', '/api/clients?filters[name][$eq]=Other%20Bank'))[0];
    const created = api('POST', '/api/accounts', { accountNumber: 'OTHER-1', client: otherBank.documentId, debtorLastName: 'Elsewhere', balance: 10, timezone: 'America/Chicago' });
    const own = await created;
    await eventually(() => otherSupervisor.heard.some((c) => c.documentId === own.documentId));
    expect(otherSupervisor.heard).toEqual([{ resource: 'accounts', documentId: own.documentId, action: 'created', at: expect.any(String) }]);
    expect(supervisor.heard.map((c) => c.documentId)).not.toContain(own.documentId);
  });

  it('are not for a resource the role does not read, nor for one that does not exist', async () => {
    const agent = await connect(w.port, info.agents[0].jwt);
    sockets.push(agent);
    expect(await command(agent, 'live:subscribe', { resource: 'dnc-entries' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await command(agent, 'live:subscribe', { resource: 'audit-logs' })).toMatchObject({ ok: false, code: 'INVALID' });
    expect(await command(agent, 'live:subscribe', { resource: ['accounts'] })).toMatchObject({ ok: false, code: 'INVALID' });
  });
});

describe('the screen pop', () => {
  it('carries the account summary cms gave with the hopper', async () => {
    const agent = info.agents[0];
    const pop = new Promise<any>((resolve) => {
      void connect(w.port, agent.jwt, (s) => s.once('call:screen-pop', resolve)).then(async (s) => {
        sockets.push(s);
        expect(await command(s, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
      });
    });
    const supervisor = await connect(w.port, info.supervisor.jwt);
    sockets.push(supervisor);
    expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    const popped = await pop;
    await command(supervisor, 'campaign:pause', { campaignId: info.campaignId });

    const account = await api('GET', `/api/accounts/${popped.accountDocumentId}?populate[0]=phones&populate[1]=client`);
    const phone = account.phones.find((p: any) => p.number === popped.phone);
    expect(popped.account).toEqual({
      documentId: account.documentId,
      accountNumber: account.accountNumber,
      debtorName: [account.debtorFirstName, account.debtorLastName].filter(Boolean).join(' '),
      clientName: account.client.name,
      balance: Number(account.balance),
      currency: account.currency,
      daysPastDue: account.daysPastDue ?? null,
      status: account.status,
      timezone: account.timezone,
      callingWindow: { start: '08:00', end: '21:00' },
      phone: { number: popped.phone, type: phone.type, autodialConsent: phone.autodialConsent, consentDate: phone.consentDate ? new Date(phone.consentDate).toISOString() : null, consentSource: phone.consentSource ?? null },
    });
  });
});

async function eventually(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
