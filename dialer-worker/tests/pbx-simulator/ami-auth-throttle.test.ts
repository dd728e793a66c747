/**
 * AMI login throttling in the PBX simulator, over real TCP connections: authlimit,
 * authtimeout, the delayed "Authentication failed", and a ban of an address that keeps
 * failing, across connections.
 */
import { createConnection, type Socket } from 'node:net';
import { PbxSimulator, type AuthLimits } from '../../src/pbx-simulator/pbx-simulator';

const USER = 'dialer';
const SECRET = 'sim-secret';

/** One raw AMI connection: the text it received, and whether the server closed it. */
class RawAmi {
  text = '';
  closed: Promise<void>;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (this.text += d));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number): Promise<RawAmi> {
    return new Promise((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () => resolve(new RawAmi(socket)));
    });
  }

  /** Sends a Login and resolves with the response's Message, or null if the connection closed first. */
  login(secret: string): Promise<string | null> {
    this.socket.write(`Action: Login\r\nActionID: l1\r\nUsername: ${USER}\r\nSecret: ${secret}\r\n\r\n`);
    return new Promise((resolve) => {
      const check = () => {
        const m = /Response: (?:Success|Error)\r\nActionID: l1\r\nMessage: ([^\r]+)\r\n/.exec(this.text);
        if (m) {
          this.socket.off('data', check);
          resolve(m[1]);
        }
      };
      this.socket.on('data', check);
      void this.closed.then(() => {
        check();
        resolve(null);
      });
      check();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

let sim: PbxSimulator;
let port: number;
const open: RawAmi[] = [];

async function start(auth: Partial<AuthLimits>): Promise<void> {
  sim = new PbxSimulator({ username: USER, secret: SECRET, auth: { failureDelayMs: 50, ...auth } });
  port = await sim.start(0);
}

async function connect(): Promise<RawAmi> {
  const c = await RawAmi.open(port);
  open.push(c);
  return c;
}

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await sim?.stop();
});

describe('AMI login throttling', () => {
  it('bans an address after maxFailures failed logins across connections: even the right secret is refused until the ban ends', async () => {
    await start({ maxFailures: 3, findTimeSec: 60, banSec: 1.5 });
    for (let i = 0; i < 3; i++) {
      const c = await connect();
      expect(await c.login('wrong')).toBe('Authentication failed');
      await c.closed;
    }
    const banned = await connect();
    expect(await banned.login(SECRET)).toBe('Authentication failed');
    expect(sim.counters()).toMatchObject({ failedLogins: 3, bannedLogins: 1, logins: 0 });

    await new Promise((r) => setTimeout(r, 1600));
    const after = await connect();
    expect(await after.login(SECRET)).toBe('Authentication accepted');
  });

  it('answers a failed login only after the delay, and ignores what the client sends meanwhile', async () => {
    await start({ failureDelayMs: 400 });
    const c = await connect();
    const sent = Date.now();
    const refused = c.login('wrong');
    c.socket.write('Action: Login\r\nActionID: l2\r\nUsername: dialer\r\nSecret: sim-secret\r\n\r\n');
    expect(await refused).toBe('Authentication failed');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(380);
    await c.closed;
    expect(c.text).not.toContain('Authentication accepted');
    expect(sim.counters().logins).toBe(0);
  });

  it('closes connections beyond authlimit unauthenticated ones before the banner; logged-in ones do not count', async () => {
    await start({ limit: 2 });
    const ok = await connect();
    expect(await ok.login(SECRET)).toBe('Authentication accepted');
    const first = await connect();
    const second = await connect();
    const third = await connect();
    await third.closed;
    expect(third.text).toBe('');
    expect(first.text).toContain('Asterisk Call Manager');
    expect(sim.counters().refusedConnections).toBe(1);
    // One unauthenticated connection goes away: there is room for another.
    second.close();
    await second.closed;
    await new Promise((r) => setTimeout(r, 50));
    const fourth = await connect();
    expect(await fourth.login(SECRET)).toBe('Authentication accepted');
  });

  it('closes a connection that does not log in within authtimeout', async () => {
    await start({ timeoutSec: 0.3 });
    const c = await connect();
    const t0 = Date.now();
    await c.closed;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(c.text).toContain('Asterisk Call Manager');
  });
});
