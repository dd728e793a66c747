import { createServer, type Server, type Socket } from 'node:net';
import { AmiActionError, AmiAuthenticationError, AmiDisconnectedError, AmiErrorCode, AmiInvalidArgumentError, AmiTimeoutError } from '../../src/ami/ami-errors';
import { AmiParser, header, serializeMessage, type AmiMessage } from '../../src/ami/ami-protocol';
import { AsteriskManagerConnection, type AsteriskManagerConnectionOptions } from '../../src/ami/asterisk-manager-connection';
import { CallEventTracker, type CallEvent } from '../../src/ami/call-events';
import { mulberry32 } from '../../src/math/random-source';
import { PbxSimulator } from '../../src/pbx-simulator/pbx-simulator';
import { MemoryLog } from '../../src/pbx-simulator/simulator-log';

const USER = 'dialer';
const SECRET = 'conn-secret';

let sim: PbxSimulator;
let log: MemoryLog;
let port: number;
const connections: AsteriskManagerConnection[] = [];

function connection(overrides: Partial<AsteriskManagerConnectionOptions> = {}): AsteriskManagerConnection {
  const c = new AsteriskManagerConnection({ host: '127.0.0.1', port, username: USER, secret: SECRET, reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 200, ...overrides });
  connections.push(c);
  return c;
}

function next<T extends unknown[]>(c: AsteriskManagerConnection, event: 'connected' | 'disconnected'): Promise<T> {
  return new Promise((resolve) => c.once(event, ((...args: T) => resolve(args)) as never));
}

/** Collects the tracker's events for one attempt until it ends. */
function follow(c: AsteriskManagerConnection, attemptId: string): Promise<CallEvent[]> {
  const tracker = new CallEventTracker();
  const seen: CallEvent[] = [];
  return new Promise((resolve) => {
    const onMessage = (m: AmiMessage) => {
      for (const e of tracker.push(m, Date.now())) {
        if (!('attemptId' in e) || e.attemptId !== attemptId) continue;
        seen.push(e);
        if (e.type === 'ended') {
          c.off('event', onMessage);
          c.off('response', onMessage);
          resolve(seen);
        }
      }
    };
    c.on('event', onMessage);
    c.on('response', onMessage);
  });
}

beforeEach(async () => {
  log = new MemoryLog();
  sim = new PbxSimulator({
    username: USER,
    secret: SECRET,
    speed: 1000,
    random: mulberry32(3),
    log,
    silenceHangupSec: 200,
    outcomes: { '+13125550100': 'busy', '+13125550101': { outcome: 'human', ringSec: 1, talkSec: 30 } },
  });
  port = await sim.start(0);
});

afterEach(async () => {
  for (const c of connections.splice(0)) await c.close();
  await sim.stop();
});

describe('AsteriskManagerConnection against the simulator', () => {
  it('connects, pings, and reports its status', async () => {
    const c = connection();
    expect(c.isConnected()).toBe(false);
    await c.connect();
    expect(c.isConnected()).toBe(true);
    expect(await c.ping()).toBeGreaterThanOrEqual(0);
    expect(c.status()).toMatchObject({ connected: true, disconnects: 0, closed: false, connectedSince: expect.any(Number) });
  });

  it('a wrong secret rejects connect() with AmiAuthenticationError and stops trying', async () => {
    const c = connection({ secret: 'nope' });
    await expect(c.connect()).rejects.toBeInstanceOf(AmiAuthenticationError);
    expect(c.status()).toMatchObject({ connected: false, closed: true });
    expect(sim.counters().failedLogins).toBe(1);
  });

  it('originate: our ActionID and ChannelId reach the PBX, the call is followed to its end', async () => {
    const c = connection();
    await c.connect();
    const ended = follow(c, 'a-1');
    const accepted = await c.originate({ attemptId: 'a-1', phone: '+13125550100', timeoutMs: 20_000, callerId: '"Demo Bank" <+18005550000>', variables: { CAMPAIGN: 'c1' } });
    expect(accepted).toEqual({ attemptId: 'a-1', actionId: expect.stringMatching(/^orig~[0-9a-f]+~a-1$/), dialString: 'PJSIP/+13125550100@trunk' });
    expect((await ended).map((e) => e.type)).toEqual(['queued', 'ended']);
    expect(log.entries[0]).toMatchObject({ event: 'originate', attemptId: 'a-1', actionId: accepted.actionId, phone: '+13125550100' });
  });

  it('bridges through an agent leg, then hangs up by Uniqueid; listChannels reflects it', async () => {
    const c = connection();
    await c.connect();
    const legUp = new Promise<CallEvent>((resolve) => {
      const tracker = new CallEventTracker();
      c.on('event', (m) => tracker.push(m, Date.now()).forEach((e) => e.type === 'agent-leg-up' && resolve(e)));
    });
    const leg = await c.originateAgentLeg({ agentId: '1001' });
    expect(leg.dialString).toBe('Local/1001@agents/n');
    expect(await legUp).toMatchObject({ type: 'agent-leg-up', legId: leg.legId, agentId: '1001' });

    const events = follow(c, 'a-2');
    const amd = new Promise<void>((resolve) => c.on('event', (m) => header(m, 'userevent') === 'AMDResult' && header(m, 'attemptid') === 'a-2' && resolve()));
    await c.originate({ attemptId: 'a-2', phone: '+13125550101', timeoutMs: 20_000, callerId: '+18005550000' });
    await amd;
    await c.redirect('a-2', 'agent-bridge', '1001');
    const channels = await c.listChannels();
    expect(channels.map((ch) => [ch.uniqueId, ch.context, ch.application]).sort()).toEqual([
      ['a-2', 'agent-bridge', 'ConfBridge'],
      [leg.legId, 'agent-login', 'ConfBridge'],
    ]);
    await c.hangup('a-2');
    const seen = await events;
    expect(seen.map((e) => e.type)).toEqual(['queued', 'ringing', 'answered', 'amd', 'bridged', 'ended']);
    expect(seen.at(-1)).toMatchObject({ outcome: 'connected', agentId: '1001', hangupCause: 16 });
  });

  it('a refused action rejects with AmiActionError (it did not run)', async () => {
    const c = connection();
    await c.connect();
    const error = await c.redirect('PJSIP/none-1', 'agent-bridge', '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmiActionError);
    expect(error).toMatchObject({ code: AmiErrorCode.ACTION_FAILED, mayHaveRun: false, details: { response: 'Channel does not exist: PJSIP/none-1' } });
  });

  it.each([
    ['a line break in the caller id', { callerId: 'x\r\nAction: Hangup' }],
    ['a comma in a variable', { variables: { NOTE: 'a,b' } }],
    ['a dial string in place of a number', { phone: '+1312&PJSIP/other' }],
    ['an attempt id with a space', { attemptId: 'a 1' }],
    ['an attempt id that would read as the far half of a Local channel', { attemptId: 'a-1;2' }],
  ])('refuses %s before anything is sent', async (_name, patch) => {
    const c = connection();
    await c.connect();
    await expect(c.originate({ attemptId: 'a-9', phone: '+13125550100', timeoutMs: 20_000, callerId: '+1800', ...patch })).rejects.toBeInstanceOf(AmiInvalidArgumentError);
    expect(sim.counters().originates).toBe(0);
  });

  it('before connect(), and after close(), actions reject without being sent', async () => {
    const c = connection();
    await expect(c.originate({ attemptId: 'a-3', phone: '+13125550100', timeoutMs: 20_000, callerId: '+1800' })).rejects.toMatchObject({
      name: 'AmiDisconnectedError',
      code: AmiErrorCode.NOT_CONNECTED,
      mayHaveRun: false,
    });
    await c.connect();
    await c.close();
    await c.close();
    await expect(c.ping()).rejects.toMatchObject({ code: AmiErrorCode.CLOSED });
    expect(sim.counters().originates).toBe(0);
  });

  it('after dropAllConnections it reconnects by itself; an originate while down rejects with AmiDisconnectedError and is never sent', async () => {
    const c = connection();
    await c.connect();
    const down = next<[{ reason: string }]>(c, 'disconnected');
    const up = next(c, 'connected');
    sim.dropAllConnections();
    const [info] = await down;
    expect(info.reason).toMatch(/closed/);
    expect(c.isConnected()).toBe(false);

    const error = await c.originate({ attemptId: 'while-down', phone: '+13125550100', timeoutMs: 20_000, callerId: '+1800' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmiDisconnectedError);
    expect(error).toMatchObject({ code: AmiErrorCode.NOT_CONNECTED, mayHaveRun: false });

    await up;
    expect(c.isConnected()).toBe(true);
    await c.ping();
    expect(c.status()).toMatchObject({ connected: true, disconnects: 1, reconnectAttempts: 0 });
    expect(sim.counters()).toMatchObject({ logins: 2, originates: 0 });
    expect(log.entries.some((e) => e.attemptId === 'while-down')).toBe(false);
  });

  it('keeps retrying while the PBX is away, and connects when it comes back', async () => {
    const c = connection();
    await c.connect();
    const down = next(c, 'disconnected');
    await sim.stop();
    await down;
    await new Promise((r) => setTimeout(r, 150)); // a few refused attempts
    expect(c.status().reconnectAttempts).toBeGreaterThan(1);
    sim = new PbxSimulator({ username: USER, secret: SECRET, speed: 1000 });
    const up = next(c, 'connected');
    await sim.start(port);
    await up;
    await expect(c.ping()).resolves.toBeGreaterThanOrEqual(0);
  });
});

/** A peer that logs you in and then never answers: the replies we wait for never come. */
async function silentPbx(options: { answerLogin: boolean } = { answerLogin: true }): Promise<{ port: number; sockets: Socket[]; actions: AmiMessage[]; server: Server }> {
  const sockets: Socket[] = [];
  const actions: AmiMessage[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    const parser = new AmiParser();
    socket.write('Asterisk Call Manager/9.0.0\r\n');
    socket.on('data', (chunk) => {
      for (const m of parser.push(chunk)) {
        actions.push(m);
        if (options.answerLogin && header(m, 'action')?.toLowerCase() === 'login') {
          socket.write(serializeMessage([['Response', 'Success'], ['ActionID', header(m, 'actionid')], ['Message', 'Authentication accepted']]));
        }
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, sockets, actions, server };
}

describe('AsteriskManagerConnection when replies do not come', () => {
  let peer: Awaited<ReturnType<typeof silentPbx>>;
  beforeEach(async () => {
    peer = await silentPbx();
  });
  afterEach(async () => {
    for (const c of connections.splice(0)) await c.close();
    for (const s of peer.sockets) s.destroy();
    await new Promise<void>((resolve) => peer.server.close(() => resolve()));
  });

  it('an Originate whose reply is lost with the connection rejects with CONNECTION_LOST and mayHaveRun', async () => {
    const c = new AsteriskManagerConnection({ host: '127.0.0.1', port: peer.port, username: USER, secret: SECRET, reconnectInitialDelayMs: 20 });
    connections.push(c);
    await c.connect();
    const pending = c.originate({ attemptId: 'lost-1', phone: '+13125550100', timeoutMs: 20_000, callerId: '+1800' }).catch((e: unknown) => e);
    while (!peer.actions.some((m) => header(m, 'action') === 'Originate')) await new Promise((r) => setTimeout(r, 5));
    peer.sockets[0].destroy();
    const error = await pending;
    expect(error).toBeInstanceOf(AmiDisconnectedError);
    expect(error).toMatchObject({ code: AmiErrorCode.CONNECTION_LOST, mayHaveRun: true });
    // and it was not sent again on the next connection
    await next(c, 'connected');
    expect(peer.actions.filter((m) => header(m, 'action') === 'Originate')).toHaveLength(1);
  });

  it('an action without a reply rejects with AmiTimeoutError (mayHaveRun), and a silent peer is dropped by the keep-alive', async () => {
    const c = new AsteriskManagerConnection({ host: '127.0.0.1', port: peer.port, username: USER, secret: SECRET, actionTimeoutMs: 100, keepAliveIntervalMs: 50, reconnectInitialDelayMs: 20 });
    connections.push(c);
    await c.connect();
    const down = next<[{ reason: string }]>(c, 'disconnected');
    const error = await c.originate({ attemptId: 'slow-1', phone: '+13125550100', timeoutMs: 20_000, callerId: '+1800' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmiTimeoutError);
    expect(error).toMatchObject({ code: AmiErrorCode.TIMEOUT, mayHaveRun: true });
    const [info] = await down;
    expect(info.reason).toMatch(/keep-alive/);
  });
});

describe('AsteriskManagerConnection against a peer that never logs it in', () => {
  it('gives up on each attempt after the login timeout, keeps trying, and close() ends it all', async () => {
    const peer = await silentPbx({ answerLogin: false });
    const c = new AsteriskManagerConnection({ host: '127.0.0.1', port: peer.port, username: USER, secret: SECRET, loginTimeoutMs: 60, reconnectInitialDelayMs: 10, reconnectMaxDelayMs: 20 });
    const connecting = c.connect().catch((e: unknown) => e);
    while (c.status().reconnectAttempts < 3) await new Promise((r) => setTimeout(r, 20));
    expect(c.status()).toMatchObject({ connected: false, lastError: 'connect and login timed out' });
    await c.close();
    expect(await connecting).toMatchObject({ code: AmiErrorCode.CLOSED });
    // every abandoned attempt was ended, none left logged in or open
    await new Promise((r) => setTimeout(r, 50));
    expect(peer.sockets.length).toBeGreaterThanOrEqual(3);
    expect(peer.sockets.every((s) => s.destroyed || s.readableEnded)).toBe(true);
    for (const s of peer.sockets) s.destroy();
    await new Promise<void>((resolve) => peer.server.close(() => resolve()));
  });
});
