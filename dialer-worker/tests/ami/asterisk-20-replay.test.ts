import { createServer, type Server, type Socket } from 'node:net';
import { AmiParser, header, serializeMessage, type AmiMessage } from '../../src/ami/ami-protocol';
import { AsteriskManagerConnection } from '../../src/ami/asterisk-manager-connection';
import { CallEventTracker, type CallEvent } from '../../src/ami/call-events';
import { captureBytes, fixtureTable } from './asterisk-fixture';

/**
 * Replays what a real Asterisk 20 sent (tests/fixtures/asterisk-20/ami-capture.txt, byte for
 * byte) through the production path: a TCP socket, the asterisk-manager client inside
 * AsteriskManagerConnection, and the CallEventTracker. Only the PBX is replaced, by a tiny
 * server that answers the login and then plays the capture back in chunks cut at awkward
 * places (inside messages, lines and multi-byte characters).
 *
 * Time is the capture's message number (0 = the first reply after the banner), so each
 * timestamp names the message that set it; the numbers below were read off the capture.
 */

type Expected = {
  outcome: string;
  hangupCause: number;
  originateReason: number;
  dialStatus?: string;
  ringingAt?: number;
  answeredAt?: number;
  amdAt?: number;
  bridgedAt?: number;
  endedAt: number;
  /** when the tracker could read it: the last piece of its evidence */
  at: number;
  agentId?: string;
};

const EXPECTED: Record<string, Expected> = {
  'a-100': { outcome: 'connected', hangupCause: 16, originateReason: 4, dialStatus: 'ANSWER', ringingAt: 22, answeredAt: 74, amdAt: 146, bridgedAt: 164, endedAt: 216, at: 216, agentId: '1001' },
  'a-101': { outcome: 'machine', hangupCause: 16, originateReason: 4, dialStatus: 'ANSWER', ringingAt: 32, answeredAt: 87, amdAt: 166, endedAt: 169, at: 169 },
  'a-200': { outcome: 'busy', hangupCause: 17, originateReason: 0, dialStatus: 'BUSY', endedAt: 47, at: 47 },
  'a-201': { outcome: 'busy', hangupCause: 17, originateReason: 5, dialStatus: 'BUSY', endedAt: 61, at: 62 },
  'a-202': { outcome: 'busy', hangupCause: 17, originateReason: 0, dialStatus: 'BUSY', ringingAt: 71, endedAt: 133, at: 133 },
  'a-203': { outcome: 'busy', hangupCause: 17, originateReason: 5, dialStatus: 'BUSY', ringingAt: 85, endedAt: 152, at: 161 },
  'a-300': { outcome: 'no_answer', hangupCause: 19, originateReason: 3, ringingAt: 99, endedAt: 221, at: 223 },
  'a-301': { outcome: 'no_answer', hangupCause: 19, originateReason: 0, dialStatus: 'NOANSWER', ringingAt: 109, endedAt: 187, at: 187 },
  'a-400': { outcome: 'failed', hangupCause: 34, originateReason: 8, dialStatus: 'CONGESTION', endedAt: 124, at: 125 },
  'a-401': { outcome: 'failed', hangupCause: 34, originateReason: 0, dialStatus: 'CONGESTION', endedAt: 143, at: 145 },
  'a-500': { outcome: 'busy', hangupCause: 21, originateReason: 0, dialStatus: 'NOANSWER', ringingAt: 162, endedAt: 202, at: 202 },
  'a-600': { outcome: 'abandoned', hangupCause: 16, originateReason: 4, dialStatus: 'ANSWER', ringingAt: 180, answeredAt: 203, endedAt: 211, at: 211 },
  'a-999': { outcome: 'failed', hangupCause: 0, originateReason: 0, endedAt: 196, at: 196 },
};

/** Chunk sizes, cycled: small ones cut lines and characters, large ones carry several messages. */
const CUTS = [13, 1, 2, 29, 3, 57, 1, 101, 5, 331, 7, 2];

const isContinuationByte = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

describe('a real Asterisk 20 capture through the production AMI path', () => {
  const bytes = captureBytes();
  const bannerEnd = bytes.indexOf('\r\n') + 2;
  let server: Server;
  let port: number;
  let peer: Socket | undefined;
  const cutsInsideCharacters: number[] = [];

  async function play(socket: Socket): Promise<void> {
    let offset = bannerEnd;
    for (let i = 0; offset < bytes.length; i++) {
      const end = Math.min(bytes.length, offset + CUTS[i % CUTS.length]);
      if (isContinuationByte(bytes[end])) cutsInsideCharacters.push(end);
      await new Promise<void>((resolve) => socket.write(bytes.subarray(offset, end), () => resolve()));
      // let the client read this chunk on its own rather than merged with the next
      await new Promise((resolve) => setImmediate(resolve));
      offset = end;
    }
  }

  beforeAll(async () => {
    server = createServer((socket) => {
      peer = socket;
      socket.write(bytes.subarray(0, bannerEnd));
      const parser = new AmiParser();
      socket.on('data', (chunk: Buffer) => {
        for (const m of parser.push(chunk)) {
          const action = header(m, 'action')?.toLowerCase();
          if (action === 'login') {
            socket.write(serializeMessage([['Response', 'Success'], ['ActionID', header(m, 'actionid')], ['Message', 'Authentication accepted']]));
            void play(socket);
          }
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    peer?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const table = fixtureTable();
  const events: CallEvent[] = [];
  const messages: AmiMessage[] = [];
  const tracker = new CallEventTracker();

  beforeAll(async () => {
    const connection = new AsteriskManagerConnection({ host: '127.0.0.1', port, username: 'dialer', secret: 'x', keepAliveIntervalMs: 0 });
    let index = -1;
    const done = new Promise<void>((resolve) => {
      const onMessage = (m: AmiMessage) => {
        // Count from the capture's first reply (`ActionID: rec-1`); our own login reply comes before it.
        if (index < 0 && header(m, 'actionid') !== 'rec-1') return;
        index++;
        messages.push(m);
        events.push(...tracker.push(m, index));
        if (header(m, 'response') === 'Goodbye') resolve();
      };
      connection.on('event', onMessage);
      connection.on('response', onMessage);
    });
    await connection.connect();
    await done;
    await connection.close();
  });

  it('every message arrives, and caller names cut inside a character come out whole', () => {
    expect(messages).toHaveLength(225);
    expect(cutsInsideCharacters.length).toBeGreaterThan(20);
    const names = new Set(messages.map((m) => header(m, 'calleridname')).filter((n) => n !== undefined));
    expect([...names].sort()).toEqual(['<unknown>', 'Zoë Ångström 山田']);
  });

  it.each(table.map((r) => [r.attemptId, r.farEnd, r.reading, r] as const))('%s (%s) reads as %s, with the timestamps of the messages that prove it', (attemptId, _farEnd, _reading, row) => {
    const ended = events.filter((e): e is Extract<CallEvent, { type: 'ended' }> => e.type === 'ended' && e.attemptId === attemptId);
    expect(ended).toHaveLength(1);
    const [e] = ended;
    const want = EXPECTED[attemptId];
    expect(e.outcome).toBe(row.outcome);
    expect({
      outcome: e.outcome,
      hangupCause: e.hangupCause,
      originateReason: e.originateReason,
      dialStatus: e.dialStatus,
      agentId: e.agentId,
      timestamps: e.timestamps,
      at: e.at,
    }).toEqual({
      outcome: want.outcome,
      hangupCause: want.hangupCause,
      originateReason: want.originateReason,
      dialStatus: want.dialStatus,
      agentId: want.agentId,
      timestamps: {
        ...(want.ringingAt !== undefined ? { ringingAt: want.ringingAt } : {}),
        ...(want.answeredAt !== undefined ? { answeredAt: want.answeredAt } : {}),
        ...(want.amdAt !== undefined ? { amdAt: want.amdAt } : {}),
        ...(want.bridgedAt !== undefined ? { bridgedAt: want.bridgedAt } : {}),
        endedAt: want.endedAt,
      },
      at: want.at,
    });
  });

  it('everything ended on its own evidence: nothing was left for the settle window', () => {
    expect(tracker.settle(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(tracker.inFlight()).toEqual(['agentleg~1c2fdb861~1001']);
  });

  it('no phantom call from a `;2` half, and one agent leg, of agent 1001', () => {
    const ids = new Set(events.map((e) => ('attemptId' in e ? e.attemptId : e.legId)));
    expect([...ids].sort()).toEqual([...table.map((r) => r.attemptId), 'agentleg~1c2fdb861~1001'].sort());
    expect(events.filter((e) => e.type.startsWith('agent-leg'))).toEqual([
      { type: 'agent-leg-up', legId: 'agentleg~1c2fdb861~1001', agentId: '1001', channel: 'Local/1001@agents-00000000;1', at: 7 },
    ]);
    expect(events.filter((e) => e.type === 'answered').map((e) => 'attemptId' in e && e.attemptId)).toEqual(['a-100', 'a-101', 'a-600']);
  });
});

describe('the capture\'s attempts, their end in every order', () => {
  // The capture holds one order per attempt; Asterisk sends OriginateResponse outside the
  // channel's message bus, so any of it may come first. Each attempt's last pieces of evidence
  // (OriginateResponse, DialEnd, the Hangup of each half) are replayed in every order.
  const messages = new AmiParser({ expectBanner: true }).push(captureBytes());
  const isEnd = (m: AmiMessage) => ['originateresponse', 'dialend', 'hangup'].includes(String(header(m, 'event')).toLowerCase());
  const ofAttempt = (m: AmiMessage, id: string) =>
    [header(m, 'uniqueid'), header(m, 'destuniqueid')].some((u) => u === id || u === `${id};2`) || (header(m, 'event') === 'OriginateResponse' && !!header(m, 'actionid')?.endsWith(`~${id}`));
  const permutations = <T>(items: T[]): T[][] => (items.length <= 1 ? [items] : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest])));

  it.each(fixtureTable().map((r) => [r.attemptId, r] as const))('%s', (attemptId, row) => {
    const own = messages.filter((m) => ofAttempt(m, attemptId));
    // An answered call's end is its Hangups (what came before no longer decides); an unanswered one's is all of them.
    const endsIt = EXPECTED[attemptId].answeredAt !== undefined ? (m: AmiMessage) => header(m, 'event') === 'Hangup' : isEnd;
    const head = own.filter((m) => !endsIt(m));
    const tail = own.filter(endsIt);
    expect(tail.length).toBeGreaterThanOrEqual(2);
    const orders = permutations(tail);
    for (const order of orders) {
      const tracker = new CallEventTracker();
      const out = [...head, ...order].flatMap((m, i) => tracker.push(m, i));
      out.push(...tracker.settle(Number.MAX_SAFE_INTEGER));
      const ended = out.filter((e): e is Extract<CallEvent, { type: 'ended' }> => e.type === 'ended');
      const order_ = order.map((m) => `${header(m, 'event')}${header(m, 'uniqueid')?.endsWith(';2') ? ';2' : ''}`).join(' ');
      expect({ order: order_, ended: ended.map((e) => [e.attemptId, e.outcome, e.hangupCause]) }).toEqual({ order: order_, ended: [[attemptId, row.outcome, EXPECTED[attemptId].hangupCause]] });
    }
  });
});
