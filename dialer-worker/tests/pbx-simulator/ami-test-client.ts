import AsteriskManager = require('asterisk-manager');

export type RawEvent = Record<string, any>;

/**
 * The real asterisk-manager client, as a test drives it: every event kept in order, and
 * `waitFor` to await one without sleeping.
 */
export class AmiTestClient {
  readonly client: AsteriskManager.Client;
  readonly events: RawEvent[] = [];
  private waiters: Array<{ match: (e: RawEvent) => boolean; resolve: (e: RawEvent) => void }> = [];
  closed = false;

  private constructor() {
    this.client = new AsteriskManager(undefined, '127.0.0.1', '', '', true);
    this.client.on('managerevent', (e: RawEvent) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(e)) return true;
        w.resolve(e);
        return false;
      });
    });
    this.client.on('close', () => (this.closed = true));
  }

  /** Connects and logs in; rejects with the error response when the login is refused. */
  static async login(port: number, username: string, secret: string): Promise<AmiTestClient> {
    const c = new AmiTestClient();
    c.client.options.username = username;
    c.client.options.password = secret;
    c.client.options.events = true;
    await new Promise<void>((resolve, reject) => {
      c.client.connect(port, '127.0.0.1', () => c.client.login((err) => (err ? reject(err) : resolve())));
    });
    return c;
  }

  action(fields: Record<string, unknown>): Promise<RawEvent> {
    return new Promise((resolve, reject) => {
      this.client.action({ ...fields }, (err, res) => (err ? reject(err) : resolve(res as RawEvent)));
    });
  }

  /** Resolves with the first event (already received or to come) that matches. */
  waitFor(match: (e: RawEvent) => boolean, timeoutMs = 5_000): Promise<RawEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Events about one call: its Uniqueid, or the Originate's ActionID for a channel-less failure. */
  eventsFor(uniqueId: string, actionId?: string): RawEvent[] {
    return this.events.filter(
      (e) => e.uniqueid === uniqueId || e.destuniqueid === uniqueId || (actionId !== undefined && e.actionid === actionId) || e.attemptid === uniqueId,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.client.once('close', () => resolve());
      this.client.disconnect();
      setTimeout(resolve, 500).unref();
    });
  }
}

/** `Event(detail)` strings, for readable sequence assertions. */
export function describeEvents(events: RawEvent[]): string[] {
  return events
    .filter((e) => !['ConfbridgeJoin', 'ConfbridgeLeave'].includes(e.event))
    .map((e) => {
      switch (e.event) {
        case 'Newstate':
          return `Newstate(${e.channelstate})`;
        case 'DialState':
        case 'DialEnd':
          return `${e.event}(${e.dialstatus})`;
        case 'OriginateResponse':
          return `OriginateResponse(${e.response},${e.reason})`;
        case 'UserEvent':
          return `UserEvent(${e.userevent}${e.status ? `,${e.status}` : ''})`;
        case 'Hangup':
          return `Hangup(${e.cause})`;
        case 'BridgeEnter':
        case 'BridgeLeave':
          return `${e.event}(${e.bridgename},${e.bridgenumchannels})`;
        default:
          return e.event;
      }
    });
}
