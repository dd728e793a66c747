import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { AMI_BANNER, AmiParser, header, parseVariables, serializeMessage, type AmiHeaders, type AmiMessage } from '../ami/ami-protocol';
import { mulberry32, type RandomSource } from '../math/random-source';
import { lognormal, sampleLognormal } from '../math/lognormal';
import { DEFAULT_SCENARIO, type Scenario } from '../simulation/scenario';
import { CallPlanner, type CallPlan, type OutcomeOverride, type SimOutcome } from './call-plan';
import { DEFAULT_SAFE_HARBOR_SEC, DEFAULT_SILENCE_HANGUP_SEC, normalizeOutcomes } from './simulator-config';
import type { OutcomeLogEntry, PbxLog } from './simulator-log';
import { systemClock, type SimClock } from './sim-clock';

export interface PbxSimulatorOptions {
  username: string;
  secret: string;
  /** simulated seconds per real second (SIM_SPEED); divides every simulated duration */
  speed?: number;
  /** outcome shares and timings; the pacing simulator's defaults when left out */
  scenario?: Scenario;
  /** forced outcomes per dialed number */
  outcomes?: Record<string, SimOutcome | OutcomeOverride>;
  /** an answered debtor nobody bridges hangs up after this long (simulated s, from the answer) */
  silenceHangupSec?: number;
  /** length of the abandon (safe-harbor) message, simulated seconds */
  safeHarborSec?: number;
  clock?: SimClock;
  random?: RandomSource;
  log?: PbxLog;
  /** interface to listen on (default 127.0.0.1) */
  host?: string;
  /** dialplan names; see config/asterisk/extensions.conf */
  contexts?: Partial<SimulatorContexts>;
  /** login throttling; see `AuthLimits` */
  auth?: Partial<AuthLimits>;
}

/**
 * How logins are throttled. The first three are Asterisk's own (manager.conf `authtimeout`,
 * `authlimit`, and the second manager.c waits before answering a failed Login). Asterisk
 * leaves banning an address that keeps failing to fail2ban, reading its security log; the
 * simulator does that part itself, with fail2ban's defaults (5 failures in 10 minutes ban
 * the address for 10 minutes), and refuses every Login from a banned address, the right
 * secret included, on any connection. Durations are real time, whatever the speed.
 */
export interface AuthLimits {
  /** seconds a connection has to log in before it is closed (authtimeout, default 30) */
  timeoutSec: number;
  /** unauthenticated connections allowed at once; more are closed at once (authlimit, default 50) */
  limit: number;
  /** ms before a failed login is answered (Asterisk: 1 s) */
  failureDelayMs: number;
  /** failed logins from one address within `findTimeSec` that ban it */
  maxFailures: number;
  findTimeSec: number;
  /** how long a banned address's logins are refused */
  banSec: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = { timeoutSec: 30, limit: 50, failureDelayMs: 1000, maxFailures: 5, findTimeSec: 600, banSec: 600 };

export interface SimulatorContexts {
  /** `Local/<agentId>@agents` (options such as `/n` allowed) is an agent's leg */
  agents: string;
  /** Redirect here with `Exten: <agentId>` bridges a customer to that agent's conference */
  agentBridge: string;
  /** Redirect here plays the safe-harbor message and hangs up */
  abandon: string;
}

export interface PbxSimulatorCounters {
  connections: number;
  activeSessions: number;
  logins: number;
  failedLogins: number;
  /** logins refused because their address was banned */
  bannedLogins: number;
  /** connections closed because `authlimit` unauthenticated ones were already open */
  refusedConnections: number;
  actions: number;
  originates: number;
  duplicateOriginates: number;
  refusedOriginates: number;
  customerCalls: number;
  agentLegs: number;
  activeChannels: number;
  outcomes: Record<SimOutcome | 'rejected', number>;
  redirects: number;
  /** inbound callers that arrived, and those who hung up on hold before any agent took them */
  inboundCalls: number;
  inboundAbandoned: number;
  bridged: number;
  safeHarborPlayed: number;
  hangupActions: number;
  droppedConnections: number;
}

/** A channel as the simulator sees it (for tests and `channels()`). */
export interface SimChannelInfo {
  name: string;
  uniqueId: string;
  leg: 'customer' | 'agent';
  state: number;
  context: string;
  exten: string;
  application: string;
  agentId?: string;
  bridgeName?: string;
}

interface Session {
  id: number;
  socket: Socket;
  parser: AmiParser;
  authenticated: boolean;
  /** a Login is being answered (failed, waiting out the delay): further actions are ignored */
  loginPending: boolean;
  address: string;
  eventsOn: boolean;
  closed: boolean;
  authTimer?: unknown;
}

interface CustomerCall {
  attemptId: string;
  uniqueId: string;
  actionId: string | null;
  /** the Originate's ChannelId: a failed OriginateResponse names it as Uniqueid (`<unknown>` without one) */
  channelId?: string;
  phone: string;
  dialString: string;
  originateContext: string;
  originateExten: string;
  callerIdNum: string;
  callerIdName: string;
  plan: CallPlan;
  answeredAt?: number;
  amdAt?: number;
  bridgedAt?: number;
  agentId?: string;
  safeHarbor: boolean;
  finished: boolean;
  syncReply?: (success: boolean) => void;
  /** a caller who dialed in (a DID), not a call the worker originated */
  inbound?: { did: string; enteredAt: number; patienceSec: number };
}

/** One inbound caller: who, to which number, how long they will wait on hold, how long they talk once answered. */
export type InboundCaller = { callerId: string; did: string; patienceSec: number; talkSec: number; callerName?: string };

/** A stream of inbound callers: Poisson arrivals, lognormal patience (as Gans, Koole & Mandelbaum report for call-center abandonment). */
export type InboundStream = {
  /** simulated calls per minute */
  ratePerMin: number;
  dids: string[];
  /** caller ids drawn from (uniformly); a known debtor's number, an unknown one, a withheld one */
  callerIds: string[];
  patience: { meanSec: number; sdSec: number };
  talk: { meanSec: number; sdSec: number };
};

/** The inbound context of extensions.conf: where a carrier's DIDs land. */
export const INBOUND_CONTEXT = 'dialer-inbound';

interface SimChannel {
  name: string;
  uniqueId: string;
  linkedId: string;
  leg: 'customer' | 'agent';
  state: number;
  context: string;
  exten: string;
  priority: number;
  application: string;
  applicationData: string;
  callerIdNum: string;
  callerIdName: string;
  createdAt: number;
  timers: Set<unknown>;
  bridge?: SimBridge;
  agentId?: string;
  call?: CustomerCall;
  hungUp: boolean;
  /** the `;2` half of a Local channel, which hangs up with this one */
  farHalf?: SimChannel;
}

interface SimBridge {
  id: string;
  name: string;
  agentId: string;
  channels: Set<SimChannel>;
}

const STATE_DESC: Record<number, string> = { 0: 'Down', 4: 'Ring', 5: 'Ringing', 6: 'Up', 7: 'Busy' };
const CAUSE_TEXT: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  34: 'Circuit/channel congestion',
};
/** DialEnd's DialStatus for a channel that hung up while dialed (main/dial.c ast_hangup_cause_to_dial_status). */
function dialStatusOfCause(cause: number): string {
  if (cause === 17) return 'BUSY';
  if (cause === 34) return 'CONGESTION';
  if (cause === 3 || cause === 20) return 'CHANUNAVAIL';
  return 'NOANSWER';
}
const REASON = { NO_CHANNEL: 0, HANGUP: 1, RING_TIMEOUT: 3, ANSWERED: 4, BUSY: 5, CONGESTION: 8 } as const;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * A TCP server speaking enough of the Asterisk Manager Interface for the dialer: Login,
 * Ping, Logoff, Originate (debtor calls with simulated outcomes, and agents' conference
 * legs), Redirect (to an agent's conference or to the abandon message), Hangup,
 * CoreShowChannels, and the events Asterisk would send for each. Calls run on the given
 * clock, `speed` times faster than real time; outcomes are drawn from the given random source.
 */
export class PbxSimulator {
  private readonly opts: {
    username: string;
    secret: string;
    speed: number;
    silenceHangupSec: number;
    safeHarborSec: number;
    host: string;
    contexts: SimulatorContexts;
    auth: AuthLimits;
  };
  /** failed-login times per remote address, and bans: the throttle works across connections */
  private readonly failures = new Map<string, number[]>();
  private readonly bannedUntil = new Map<string, number>();
  private readonly authTimers = new Set<NodeJS.Timeout>();
  private readonly clock: SimClock;
  private readonly random: RandomSource;
  private readonly planner: CallPlanner;
  private readonly outcomeOverrides: Record<string, OutcomeOverride>;
  private readonly log: PbxLog | undefined;
  private server: Server | undefined;
  private readonly sessions = new Set<Session>();
  private readonly byName = new Map<string, SimChannel>();
  private readonly byUniqueId = new Map<string, SimChannel>();
  private readonly bridges = new Map<string, SimBridge>();
  /** attempt ids with a customer call not finished (with or without a channel yet) */
  private readonly liveAttempts = new Set<string>();
  private readonly seenAttempts = new Set<string>();
  /** timers of calls that have no channel (refused duplicates) */
  private readonly looseTimers = new Set<unknown>();
  private sessionSeq = 0;
  private channelSeq = 0;
  private bridgeSeq = 0;
  private readonly startedAtSec: number;
  private readonly stats: PbxSimulatorCounters = {
    connections: 0,
    activeSessions: 0,
    logins: 0,
    failedLogins: 0,
    bannedLogins: 0,
    refusedConnections: 0,
    actions: 0,
    originates: 0,
    duplicateOriginates: 0,
    refusedOriginates: 0,
    customerCalls: 0,
    agentLegs: 0,
    activeChannels: 0,
    outcomes: { human: 0, machine: 0, busy: 0, no_answer: 0, invalid: 0, congestion: 0, declined: 0, rejected: 0 },
    redirects: 0,
    inboundCalls: 0,
    inboundAbandoned: 0,
    bridged: 0,
    safeHarborPlayed: 0,
    hangupActions: 0,
    droppedConnections: 0,
  };

  constructor(options: PbxSimulatorOptions) {
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${options.speed}`);
    this.opts = {
      username: options.username,
      secret: options.secret,
      speed,
      silenceHangupSec: options.silenceHangupSec ?? DEFAULT_SILENCE_HANGUP_SEC,
      safeHarborSec: options.safeHarborSec ?? DEFAULT_SAFE_HARBOR_SEC,
      host: options.host ?? '127.0.0.1',
      contexts: { agents: 'agents', agentBridge: 'agent-bridge', abandon: 'dialer-abandon', ...options.contexts },
      auth: { ...DEFAULT_AUTH_LIMITS, ...options.auth },
    };
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? mulberry32(1);
    this.planner = new CallPlanner(options.scenario ?? DEFAULT_SCENARIO);
    this.outcomeOverrides = normalizeOutcomes(options.outcomes ?? {});
    this.log = options.log;
    this.startedAtSec = Math.floor(this.clock.now() / 1000);
  }

  /** Listens on `port` (0 for any free port); resolves with the port. */
  start(port = 5038): Promise<number> {
    if (this.server) return Promise.reject(new Error('the simulator is already started'));
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  /** Closes every connection and the listener, and forgets every call (no more events or log lines). */
  async stop(): Promise<void> {
    for (const ch of [...this.byUniqueId.values()]) this.clearTimers(ch);
    for (const t of this.looseTimers) this.clock.clearTimeout(t);
    this.looseTimers.clear();
    this.byName.clear();
    this.byUniqueId.clear();
    this.bridges.clear();
    this.liveAttempts.clear();
    for (const s of this.sessions) this.closeSession(s, true);
    for (const t of this.authTimers) clearTimeout(t);
    this.authTimers.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.log?.close();
  }

  /**
   * An inbound caller dials a DID, as extensions.conf's `dialer-inbound` receives them: the
   * channel is answered, the dialplan sends `UserEvent(InboundCall, InboundId, Did)` (the caller
   * id is the event's own `CallerIDNum`) and plays music on hold until the worker Redirects it to
   * an agent, or the caller's patience runs out and they hang up. Returns the channel's Uniqueid.
   */
  inboundCall(caller: InboundCaller): string {
    this.stats.inboundCalls++;
    const uniqueId = this.generatedUniqueId();
    const ch = this.newChannel({ name: `PJSIP/trunk-${this.hexSeq()}`, uniqueId, leg: 'customer', context: INBOUND_CONTEXT, exten: caller.did, callerId: { num: caller.callerId, name: caller.callerName ?? '' } });
    const now = this.clock.now();
    ch.call = {
      attemptId: uniqueId,
      uniqueId,
      actionId: null,
      phone: caller.callerId,
      dialString: '',
      originateContext: INBOUND_CONTEXT,
      originateExten: caller.did,
      callerIdNum: caller.callerId,
      callerIdName: caller.callerName ?? '',
      plan: { outcome: 'human', talkSec: caller.talkSec } as CallPlan,
      answeredAt: now,
      safeHarbor: false,
      finished: false,
      inbound: { did: caller.did, enteredAt: now, patienceSec: caller.patienceSec },
    };
    this.liveAttempts.add(uniqueId);
    this.setState(ch, 4);
    this.setState(ch, 6);
    ch.priority = 4;
    this.broadcast('UserEvent', 'user,all', [...this.channelFields(ch), ['UserEvent', 'InboundCall'], ['InboundId', uniqueId], ['Did', caller.did]]);
    ch.application = 'MusicOnHold';
    ch.applicationData = 'default';
    // A Redirect clears the channel's timers: only a caller still on hold gives up.
    this.later(ch, caller.patienceSec, () => {
      this.stats.inboundAbandoned++;
      this.hangupChannel(ch, 16, 'debtor');
    });
    return uniqueId;
  }

  /** Starts generating inbound callers; returns a function that stops it. Arrivals and patience come from the simulator's random source. */
  startInboundStream(stream: InboundStream): () => void {
    if (!(stream.ratePerMin > 0) || !stream.dids.length || !stream.callerIds.length) throw new RangeError('an inbound stream needs a positive rate, DIDs and caller ids');
    const patience = lognormal(stream.patience.meanSec, stream.patience.sdSec);
    const talk = lognormal(stream.talk.meanSec, stream.talk.sdSec);
    const pick = <T>(list: T[]) => list[Math.min(list.length - 1, Math.floor(this.random() * list.length))];
    let stopped = false;
    const next = () => {
      if (stopped) return;
      const gapSec = -Math.log(1 - this.random()) * (60 / stream.ratePerMin);
      this.later(undefined, gapSec, () => {
        if (stopped) return;
        this.inboundCall({ callerId: pick(stream.callerIds), did: pick(stream.dids), patienceSec: sampleLognormal(patience, this.random), talkSec: sampleLognormal(talk, this.random) });
        next();
      });
    };
    next();
    return () => {
      stopped = true;
    };
  }

  /**
   * Cuts every AMI connection at once, as a network failure would. Calls go on: their events
   * while nobody is connected are lost, as with Asterisk. Returns how many were cut.
   */
  dropAllConnections(): number {
    let n = 0;
    for (const s of [...this.sessions]) {
      this.closeSession(s, true);
      n++;
    }
    this.stats.droppedConnections += n;
    return n;
  }

  counters(): PbxSimulatorCounters {
    return { ...this.stats, outcomes: { ...this.stats.outcomes }, activeSessions: this.sessions.size, activeChannels: this.byUniqueId.size };
  }

  channels(): SimChannelInfo[] {
    return [...this.byUniqueId.values()].map((ch) => ({
      name: ch.name,
      uniqueId: ch.uniqueId,
      leg: ch.leg,
      state: ch.state,
      context: ch.context,
      exten: ch.exten,
      application: ch.application,
      ...(ch.agentId ? { agentId: ch.agentId } : {}),
      ...(ch.bridge ? { bridgeName: ch.bridge.name } : {}),
    }));
  }

  // --- sessions ---------------------------------------------------------------------------

  private accept(socket: Socket): void {
    this.stats.connections++;
    let unauthenticated = 0;
    for (const s of this.sessions) if (!s.authenticated) unauthenticated++;
    if (unauthenticated >= this.opts.auth.limit) {
      // As Asterisk's authlimit: closed before the banner.
      this.stats.refusedConnections++;
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    const address = socket.remoteAddress ?? 'unknown';
    const session: Session = { id: ++this.sessionSeq, socket, parser: new AmiParser(), authenticated: false, loginPending: false, address, eventsOn: true, closed: false };
    this.sessions.add(session);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      let messages: AmiMessage[];
      try {
        messages = session.parser.push(chunk);
      } catch {
        this.closeSession(session, true);
        return;
      }
      for (const m of messages) {
        if (session.closed) return;
        this.handle(session, m);
      }
    });
    socket.on('error', () => this.closeSession(session, true));
    socket.on('close', () => this.closeSession(session, true));
    socket.write(`${AMI_BANNER}\r\n`);
    session.authTimer = this.clock.setTimeout(() => {
      if (!session.authenticated) this.closeSession(session, false);
    }, this.opts.auth.timeoutSec * 1000);
  }

  private closeSession(session: Session, destroy: boolean): void {
    if (session.closed) return;
    session.closed = true;
    this.sessions.delete(session);
    if (session.authTimer !== undefined) this.clock.clearTimeout(session.authTimer);
    if (destroy) session.socket.destroy();
    else session.socket.end();
  }

  private send(session: Session, headers: AmiHeaders): void {
    if (session.closed) return;
    session.socket.write(serializeMessage(headers));
    // A client that stops reading would make us buffer without bound; Asterisk drops it too.
    if (session.socket.writableLength > MAX_BUFFERED_BYTES) this.closeSession(session, true);
  }

  private respond(session: Session, request: AmiMessage, response: 'Success' | 'Error' | 'Goodbye', fields: AmiHeaders = []): void {
    this.send(session, [['Response', response], ['ActionID', header(request, 'actionid')], ...fields]);
  }

  private broadcast(event: string, privilege: string, fields: AmiHeaders): void {
    const text = serializeMessage([['Event', event], ['Privilege', privilege], ...fields]);
    for (const s of this.sessions) {
      if (!s.authenticated || !s.eventsOn || s.closed) continue;
      s.socket.write(text);
      if (s.socket.writableLength > MAX_BUFFERED_BYTES) this.closeSession(s, true);
    }
  }

  private handle(session: Session, m: AmiMessage): void {
    if (session.loginPending) return;
    this.stats.actions++;
    const action = header(m, 'action')?.trim().toLowerCase();
    if (!action) {
      this.respond(session, m, 'Error', [['Message', 'Missing action in request']]);
      return;
    }
    if (!session.authenticated && action !== 'login' && action !== 'challenge') {
      this.respond(session, m, 'Error', [['Message', 'Permission denied']]);
      return;
    }
    switch (action) {
      case 'login':
        return this.login(session, m);
      case 'ping':
        return this.respond(session, m, 'Success', [['Ping', 'Pong'], ['Timestamp', (this.clock.now() / 1000).toFixed(6)]]);
      case 'logoff':
        this.respond(session, m, 'Goodbye', [['Message', 'Thanks for all the fish.']]);
        return this.closeSession(session, false);
      case 'events': {
        const mask = (header(m, 'eventmask') ?? 'on').toLowerCase();
        session.eventsOn = mask !== 'off';
        return this.respond(session, m, 'Success', [['Events', session.eventsOn ? 'On' : 'Off']]);
      }
      case 'originate':
        return this.originate(session, m);
      case 'redirect':
        return this.redirect(session, m);
      case 'hangup':
        return this.hangupAction(session, m);
      case 'coreshowchannels':
        return this.coreShowChannels(session, m);
      default:
        this.respond(session, m, 'Error', [['Message', 'Invalid/unknown command']]);
    }
  }

  /** True while the address is banned; a ban that ran out is forgotten. */
  private banned(address: string): boolean {
    const until = this.bannedUntil.get(address);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.bannedUntil.delete(address);
    return false;
  }

  /** Counts a failure from the address; enough of them within the window ban it. */
  private recordFailure(address: string): void {
    const now = Date.now();
    const recent = (this.failures.get(address) ?? []).filter((at) => now - at < this.opts.auth.findTimeSec * 1000);
    recent.push(now);
    if (recent.length >= this.opts.auth.maxFailures) {
      this.bannedUntil.set(address, now + this.opts.auth.banSec * 1000);
      this.failures.delete(address);
    } else {
      this.failures.set(address, recent);
    }
  }

  private login(session: Session, m: AmiMessage): void {
    if (session.authenticated) return this.respond(session, m, 'Success', [['Message', 'Already authenticated']]);
    const banned = this.banned(session.address);
    const ok = !banned && safeEqual(header(m, 'username') ?? '', this.opts.username) && safeEqual(header(m, 'secret') ?? '', this.opts.secret);
    if (!ok) {
      if (banned) this.stats.bannedLogins++;
      else {
        this.stats.failedLogins++;
        this.recordFailure(session.address);
      }
      // As Asterisk: the answer waits (a guessing client gets one try a second per connection),
      // says no more than "Authentication failed", and the session ends.
      session.loginPending = true;
      const timer = setTimeout(() => {
        this.authTimers.delete(timer);
        this.respond(session, m, 'Error', [['Message', 'Authentication failed']]);
        this.closeSession(session, false);
      }, this.opts.auth.failureDelayMs);
      this.authTimers.add(timer);
      return;
    }
    session.authenticated = true;
    if (session.authTimer !== undefined) this.clock.clearTimeout(session.authTimer);
    // `Events: off` is Asterisk's header; asterisk-manager sends `Event: on|off`, which Asterisk
    // ignores, so it gets events either way. We do the same.
    session.eventsOn = (header(m, 'events') ?? 'on').toLowerCase() !== 'off';
    this.stats.logins++;
    this.respond(session, m, 'Success', [['Message', 'Authentication accepted']]);
    if (session.eventsOn) {
      const uptime = Math.floor(this.clock.now() / 1000) - this.startedAtSec;
      this.send(session, [
        ['Event', 'FullyBooted'],
        ['Privilege', 'system,all'],
        ['Uptime', uptime],
        ['LastReload', uptime],
        ['Status', 'Fully Booted'],
      ]);
    }
  }

  // --- Originate --------------------------------------------------------------------------

  private originate(session: Session, m: AmiMessage): void {
    this.stats.originates++;
    const dialString = (header(m, 'channel') ?? '').trim();
    const actionId = header(m, 'actionid') ?? null;
    const variables = parseVariables(m);
    const channelId = header(m, 'channelid')?.trim() || undefined;
    const attemptId = channelId ?? variables.ATTEMPT_ID ?? null;
    const slash = dialString.indexOf('/');
    const tech = slash > 0 ? dialString.slice(0, slash) : '';
    const data = slash > 0 ? dialString.slice(slash + 1) : '';
    const at = data.lastIndexOf('@');
    const target = at >= 0 ? data.slice(0, at) : data;
    let endpoint = at >= 0 ? data.slice(at + 1) : data;
    const isLocal = tech.toLowerCase() === 'local';
    // Local channel options (`Local/1001@agents/n`) are not part of the context
    if (isLocal) endpoint = endpoint.split('/')[0];
    const isAgentLeg = isLocal && endpoint === this.opts.contexts.agents;
    const duplicate = attemptId !== null && this.seenAttempts.has(attemptId);
    if (attemptId !== null) this.seenAttempts.add(attemptId);
    if (duplicate) this.stats.duplicateOriginates++;

    const timeoutHeader = header(m, 'timeout');
    const priorityHeader = header(m, 'priority');
    let refusal: string | undefined;
    if (!dialString) refusal = 'Channel not specified';
    else if (!tech || !data) refusal = 'Invalid channel';
    else if (timeoutHeader !== undefined && !/^\s*\d+\s*$/.test(timeoutHeader)) refusal = 'Invalid timeout';
    else if (priorityHeader !== undefined && !/^\s*\d+\s*$/.test(priorityHeader)) refusal = 'Invalid priority';
    else if (channelId !== undefined && channelId.length > 149) refusal = 'Uniqueid length exceeds maximum of 149';

    this.log?.write({
      event: 'originate',
      attemptId,
      actionId,
      channel: dialString,
      phone: isAgentLeg || !target ? null : target,
      leg: isAgentLeg ? 'agent' : 'customer',
      accepted: refusal === undefined,
      duplicate,
      at: this.iso(),
    });
    if (refusal !== undefined) {
      this.stats.refusedOriginates++;
      this.respond(session, m, 'Error', [['Message', refusal]]);
      return;
    }

    const async = isTrue(header(m, 'async'));
    const request = {
      actionId,
      dialString,
      channelId,
      context: header(m, 'context') ?? 'default',
      exten: header(m, 'exten') ?? 's',
      priority: Number(priorityHeader ?? 1),
      timeoutSec: Number(timeoutHeader ?? 30_000) / 1000,
      callerId: parseCallerId(header(m, 'callerid') ?? ''),
    };
    let syncReply: ((success: boolean) => void) | undefined;
    if (async) {
      this.respond(session, m, 'Success', [['Message', 'Originate successfully queued']]);
    } else {
      syncReply = (success) =>
        success
          ? this.respond(session, m, 'Success', [['Message', 'Originate successfully queued']])
          : this.respond(session, m, 'Error', [['Message', 'Originate failed']]);
    }

    if (isAgentLeg) {
      this.startAgentLeg(request, target, syncReply);
    } else {
      this.startCustomerCall(request, tech, target, endpoint, attemptId, syncReply);
    }
  }

  private startAgentLeg(
    req: { actionId: string | null; dialString: string; channelId?: string; context: string; exten: string; priority: number; callerId: { num: string; name: string } },
    agentId: string,
    syncReply?: (success: boolean) => void,
  ): void {
    this.stats.agentLegs++;
    const uniqueId = req.channelId ?? this.generatedUniqueId();
    if (this.byUniqueId.has(uniqueId)) {
      this.later(undefined, 0, () => this.originateResult(syncReply, req.actionId, false, REASON.NO_CHANNEL, req.dialString, req.context, req.exten, req.callerId, req.channelId));
      return;
    }
    const ch = this.newChannel({
      name: `Local/${agentId}@${this.opts.contexts.agents}-${this.hexSeq()};1`,
      uniqueId,
      leg: 'agent',
      context: req.context,
      exten: req.exten,
      callerId: req.callerId,
    });
    ch.agentId = agentId;
    // A Local channel has two halves; Asterisk gives the second the Uniqueid `<ChannelId>;2`.
    // It runs the `agents` context; only its events show, the simulator keeps no state for it.
    const far: SimChannel = { ...ch, name: ch.name.replace(/;1$/, ';2'), uniqueId: `${uniqueId};2`, state: 4, context: this.opts.contexts.agents, exten: agentId, timers: new Set() };
    ch.farHalf = far;
    this.broadcast('Newchannel', 'call,all', this.channelFields(far));
    this.broadcast('DialBegin', 'call,all', [...this.destFields(ch), ['DialString', `${agentId}@${this.opts.contexts.agents}`]]);
    this.later(ch, 0, () => {
      this.setState(far, 6);
      this.setState(ch, 6);
      this.broadcast('DialEnd', 'call,all', [...this.destFields(ch), ['DialStatus', 'ANSWER']]);
      this.originateResult(syncReply, req.actionId, true, REASON.ANSWERED, ch.name, req.context, req.exten, req.callerId, ch.uniqueId);
      ch.application = 'ConfBridge';
      ch.applicationData = `agent-${agentId}`;
      this.joinBridge(ch, this.agentBridge(agentId));
    });
  }

  private startCustomerCall(
    req: { actionId: string | null; dialString: string; channelId?: string; context: string; exten: string; priority: number; timeoutSec: number; callerId: { num: string; name: string } },
    tech: string,
    phone: string,
    endpoint: string,
    attemptId: string | null,
    syncReply?: (success: boolean) => void,
  ): void {
    this.stats.customerCalls++;
    const uniqueId = req.channelId ?? this.generatedUniqueId();
    const id = attemptId ?? uniqueId;
    const override = this.outcomeOverrides[phone];
    const plan = this.planner.plan(req.timeoutSec, this.random, override ?? (E164.test(phone) ? undefined : { outcome: 'invalid' }));
    const call: CustomerCall = {
      attemptId: id,
      uniqueId,
      actionId: req.actionId,
      channelId: req.channelId,
      phone,
      dialString: req.dialString,
      originateContext: req.context,
      originateExten: req.exten,
      callerIdNum: req.callerId.num,
      callerIdName: req.callerId.name,
      plan,
      safeHarbor: false,
      finished: false,
      syncReply,
    };

    // Asterisk refuses to create a channel whose unique id a live channel already has.
    if (this.byUniqueId.has(uniqueId) || this.liveAttempts.has(uniqueId)) {
      this.later(undefined, 0, () => {
        this.reportOriginate(call, false, REASON.NO_CHANNEL);
        this.finishCall(call, 'rejected', null, 'pbx');
      });
      return;
    }
    this.liveAttempts.add(uniqueId);

    const ch = this.newChannel({
      name: `${tech}/${endpoint}-${this.hexSeq()}`,
      uniqueId,
      leg: 'customer',
      context: req.context,
      exten: req.exten,
      callerId: req.callerId,
    });
    ch.call = call;
    ch.application = 'AppDial';
    ch.applicationData = '(Outgoing Line)';
    // Since Asterisk 12 Originate dials through the dial API: DialBegin/DialEnd with no caller.
    this.broadcast('DialBegin', 'call,all', [...this.destFields(ch), ['DialString', `${phone}@${endpoint}`]]);

    if (plan.ringingAtSec !== undefined) {
      this.later(ch, plan.ringingAtSec, () => {
        this.setState(ch, 5);
        this.broadcast('DialState', 'call,all', [...this.destFields(ch), ['DialStatus', 'RINGING']]);
      });
    }
    // What Asterisk 20 with chan_pjsip sends (tests/fixtures/asterisk-20, docs/pbx-simulator.md):
    // no BUSY control frame from PJSIP, so a far-end hangup is `Reason: 0`; the DialEnd and the
    // Hangup cause say why, the Hangup before or after the OriginateResponse.
    switch (plan.outcome) {
      case 'busy':
        return this.failDial(ch, plan.failAtSec ?? 0, { cause: 17, reason: REASON.NO_CHANNEL, dialStatus: 'BUSY', hangupFirst: false });
      case 'congestion':
        return this.failDial(ch, plan.failAtSec ?? 0, { cause: 34, reason: REASON.NO_CHANNEL, dialStatus: 'CONGESTION', hangupFirst: true });
      case 'declined':
        return this.failDial(ch, plan.failAtSec ?? 0, { cause: 21, reason: REASON.NO_CHANNEL, dialStatus: 'NOANSWER', hangupFirst: false });
      case 'invalid':
        // a 404 from the carrier: chan_pjsip made the channel, res_pjsip maps 404 to cause 1, and
        // the dial API's ast_hangup_cause_to_dial_status() maps cause 1 to NOANSWER
        return this.failDial(ch, plan.failAtSec ?? 0, { cause: 1, reason: REASON.NO_CHANNEL, dialStatus: 'NOANSWER', hangupFirst: false });
      case 'no_answer':
        // the carrier's 480 (a-301): DialEnd NOANSWER, Reason 0, cause 19
        if (plan.farEndGaveUp) return this.failDial(ch, plan.failAtSec ?? 0, { cause: 19, reason: REASON.NO_CHANNEL, dialStatus: 'NOANSWER', hangupFirst: false });
        // the Originate's own timeout: Reason 3 and no DialEnd at all
        return this.failDial(ch, plan.failAtSec ?? 0, { cause: 19, reason: REASON.RING_TIMEOUT, hangupFirst: false });
      case 'human':
      case 'machine':
        this.later(ch, plan.answerAtSec ?? 0, () => this.answer(ch));
    }
  }

  private failDial(ch: SimChannel, atSec: number, how: { cause: number; reason: number; dialStatus?: string; hangupFirst: boolean }): void {
    const call = ch.call as CustomerCall;
    this.later(ch, atSec, () => {
      if (how.dialStatus) this.broadcast('DialEnd', 'call,all', [...this.destFields(ch), ['DialStatus', how.dialStatus]]);
      if (how.hangupFirst) this.destroyChannel(ch, how.cause);
      this.reportOriginate(call, false, how.reason);
      if (!how.hangupFirst) this.destroyChannel(ch, how.cause);
      this.finishCall(call, call.plan.outcome, how.cause, 'pbx');
    });
  }

  private answer(ch: SimChannel): void {
    const call = ch.call as CustomerCall;
    call.answeredAt = this.clock.now();
    const up = () => {
      this.setState(ch, 6);
      this.broadcast('DialEnd', 'call,all', [...this.destFields(ch), ['DialStatus', 'ANSWER']]);
    };
    // Both orders happen on Asterisk 20 (a-100 and a-101 of the fixture); a machine shows the
    // OriginateResponse first, so the worker meets both.
    if (call.plan.outcome === 'machine') {
      this.reportOriginate(call, true, REASON.ANSWERED, ch);
      up();
    } else {
      up();
      this.reportOriginate(call, true, REASON.ANSWERED, ch);
    }
    ch.context = call.originateContext;
    ch.exten = call.originateExten;
    ch.application = 'AMD';
    ch.applicationData = '';
    const amdAfter = call.plan.amdAfterSec ?? 0;
    this.later(ch, amdAfter, () => {
      const machine = call.plan.outcome === 'machine';
      call.amdAt = this.clock.now();
      this.broadcast('UserEvent', 'user,all', [
        ...this.channelFields(ch),
        ['UserEvent', 'AMDResult'],
        ['AttemptId', call.attemptId],
        ['Status', machine ? 'MACHINE' : 'HUMAN'],
        ['Cause', machine ? 'LONGGREETING-1500-1500' : 'HUMAN-1000-800'],
      ]);
      if (machine) {
        // The dialplan hangs up on a machine (no message is left).
        this.hangupChannel(ch, 16, 'pbx');
        return;
      }
      ch.application = 'Wait';
      ch.applicationData = '30';
    });
    if (call.plan.outcome === 'human') {
      this.later(ch, Math.max(this.opts.silenceHangupSec, amdAfter), () => this.hangupChannel(ch, 16, 'debtor'));
    }
  }

  // --- Redirect, Hangup, CoreShowChannels ------------------------------------------------

  private redirect(session: Session, m: AmiMessage): void {
    const name = header(m, 'channel')?.trim() ?? '';
    if (!name) return this.respond(session, m, 'Error', [['Message', 'Channel not specified']]);
    if (header(m, 'extrachannel')) return this.respond(session, m, 'Error', [['Message', 'ExtraChannel is not supported by the simulator']]);
    const ch = this.lookup(name);
    if (!ch) return this.respond(session, m, 'Error', [['Message', `Channel does not exist: ${name}`]]);
    const context = header(m, 'context')?.trim() ?? '';
    const exten = header(m, 'exten')?.trim() ?? '';
    if (!context || !exten) return this.respond(session, m, 'Error', [['Message', 'Context and Exten are required']]);
    if (ch.leg !== 'customer' || ch.state !== 6 || !ch.call) return this.respond(session, m, 'Error', [['Message', 'Redirect failed']]);
    this.stats.redirects++;
    this.respond(session, m, 'Success', [['Message', 'Redirect successful']]);

    // The dialplan application it was in (AMD, Wait, Playback, ConfBridge) is interrupted.
    this.clearTimers(ch);
    if (ch.bridge) this.leaveBridge(ch);
    ch.context = context;
    ch.exten = exten;
    ch.priority = Number(header(m, 'priority') ?? 1) || 1;
    const contexts = this.opts.contexts;
    if (context === contexts.agentBridge) {
      const bridge = this.bridges.get(exten);
      const agentPresent = bridge && [...bridge.channels].some((c) => c.leg === 'agent');
      if (bridge && agentPresent) return this.bridgeToAgent(ch, bridge);
      // extensions.conf sends a customer to the abandon message when the agent's
      // conference is empty: never leave a debtor alone in silence.
      ch.context = contexts.abandon;
      ch.exten = 's';
      return this.playSafeHarbor(ch);
    }
    if (context === contexts.abandon) return this.playSafeHarbor(ch);
    // Any other place: no such extension, the channel hangs up.
    this.later(ch, 0, () => this.hangupChannel(ch, 16, 'pbx'));
  }

  private bridgeToAgent(ch: SimChannel, bridge: SimBridge): void {
    const call = ch.call as CustomerCall;
    call.agentId = bridge.agentId;
    if (call.bridgedAt === undefined) {
      call.bridgedAt = this.clock.now();
      this.log?.write({ event: 'bridged', attemptId: call.attemptId, agentId: bridge.agentId, at: this.iso() });
    }
    ch.application = 'ConfBridge';
    ch.applicationData = bridge.name;
    this.joinBridge(ch, bridge);
    this.stats.bridged++;
    this.later(ch, call.plan.talkSec, () => this.hangupChannel(ch, 16, 'debtor'));
  }

  private playSafeHarbor(ch: SimChannel): void {
    const call = ch.call as CustomerCall;
    ch.application = 'Playback';
    ch.applicationData = 'safe-harbor';
    this.later(ch, this.opts.safeHarborSec, () => {
      call.safeHarbor = true;
      this.stats.safeHarborPlayed++;
      this.broadcast('UserEvent', 'user,all', [...this.channelFields(ch), ['UserEvent', 'SafeHarborPlayed'], ['AttemptId', call.attemptId]]);
      this.hangupChannel(ch, 16, 'pbx');
    });
  }

  private hangupAction(session: Session, m: AmiMessage): void {
    const name = header(m, 'channel')?.trim() ?? '';
    if (!name) return this.respond(session, m, 'Error', [['Message', 'No channel specified']]);
    const ch = this.lookup(name);
    if (!ch) return this.respond(session, m, 'Error', [['Message', 'No such channel']]);
    const causeHeader = Number(header(m, 'cause'));
    const cause = Number.isInteger(causeHeader) && causeHeader > 0 ? causeHeader : 16;
    this.stats.hangupActions++;
    this.respond(session, m, 'Success', [['Message', 'Channel Hungup']]);
    this.hangupChannel(ch, cause, 'worker');
  }

  private coreShowChannels(session: Session, m: AmiMessage): void {
    const actionId = header(m, 'actionid');
    this.respond(session, m, 'Success', [['EventList', 'start'], ['Message', 'Channels will follow']]);
    const channels = [...this.byUniqueId.values()];
    for (const ch of channels) {
      const sec = Math.floor(((this.clock.now() - ch.createdAt) / 1000) * this.opts.speed);
      const duration = [Math.floor(sec / 3600), Math.floor(sec / 60) % 60, sec % 60].map((n) => String(n).padStart(2, '0')).join(':');
      this.send(session, [
        ['Event', 'CoreShowChannel'],
        ['ActionID', actionId],
        ...this.channelFields(ch),
        ['Application', ch.application],
        ['ApplicationData', ch.applicationData],
        ['Duration', duration],
        ['BridgeId', ch.bridge?.id ?? ''],
      ]);
    }
    this.send(session, [['Event', 'CoreShowChannelsComplete'], ['ActionID', actionId], ['EventList', 'Complete'], ['ListItems', channels.length]]);
  }

  // --- channels and bridges --------------------------------------------------------------

  private newChannel(spec: { name: string; uniqueId: string; leg: 'customer' | 'agent'; context: string; exten: string; callerId: { num: string; name: string } }): SimChannel {
    const ch: SimChannel = {
      name: spec.name,
      uniqueId: spec.uniqueId,
      linkedId: spec.uniqueId,
      leg: spec.leg,
      state: 0,
      context: spec.context,
      exten: spec.exten,
      priority: 1,
      application: '',
      applicationData: '',
      callerIdNum: spec.callerId.num,
      callerIdName: spec.callerId.name,
      createdAt: this.clock.now(),
      timers: new Set(),
      hungUp: false,
    };
    this.byName.set(ch.name, ch);
    this.byUniqueId.set(ch.uniqueId, ch);
    this.broadcast('Newchannel', 'call,all', this.channelFields(ch));
    return ch;
  }

  private setState(ch: SimChannel, state: number): void {
    if (ch.state === state) return;
    ch.state = state;
    this.broadcast('Newstate', 'call,all', this.channelFields(ch));
  }

  private agentBridge(agentId: string): SimBridge {
    let bridge = this.bridges.get(agentId);
    if (!bridge) {
      bridge = { id: this.bridgeUniqueId(), name: `agent-${agentId}`, agentId, channels: new Set() };
      this.bridges.set(agentId, bridge);
    }
    return bridge;
  }

  private joinBridge(ch: SimChannel, bridge: SimBridge): void {
    bridge.channels.add(ch);
    ch.bridge = bridge;
    this.broadcast('BridgeEnter', 'call,all', [...this.bridgeFields(bridge), ...this.channelFields(ch)]);
    this.broadcast('ConfbridgeJoin', 'call,all', [['Conference', bridge.name], ...this.bridgeFields(bridge), ...this.channelFields(ch), ['Admin', 'No'], ['Muted', 'No']]);
  }

  private leaveBridge(ch: SimChannel): void {
    const bridge = ch.bridge;
    if (!bridge) return;
    bridge.channels.delete(ch);
    ch.bridge = undefined;
    this.broadcast('BridgeLeave', 'call,all', [...this.bridgeFields(bridge), ...this.channelFields(ch)]);
    this.broadcast('ConfbridgeLeave', 'call,all', [['Conference', bridge.name], ...this.bridgeFields(bridge), ...this.channelFields(ch)]);
    if (bridge.channels.size === 0) {
      this.bridges.delete(bridge.agentId);
      return;
    }
    // Customers join as unmarked users with end_marked: when the last agent leg leaves, they
    // are put out of the conference and the dialplan hangs them up.
    if (ch.leg === 'agent' && ![...bridge.channels].some((c) => c.leg === 'agent')) {
      for (const other of [...bridge.channels]) this.hangupChannel(other, 16, 'pbx');
    }
  }

  /** Ends a channel: leaves its bridge, Hangup event, forgotten. */
  private destroyChannel(ch: SimChannel, cause: number): void {
    if (ch.hungUp) return;
    ch.hungUp = true;
    this.clearTimers(ch);
    if (ch.bridge) this.leaveBridge(ch);
    this.byName.delete(ch.name);
    this.byUniqueId.delete(ch.uniqueId);
    this.broadcast('Hangup', 'call,all', [...this.channelFields(ch), ['Cause', cause], ['Cause-txt', CAUSE_TEXT[cause] ?? 'Unknown']]);
    if (ch.farHalf) this.broadcast('Hangup', 'call,all', [...this.channelFields(ch.farHalf), ['Cause', cause], ['Cause-txt', CAUSE_TEXT[cause] ?? 'Unknown']]);
  }

  private hangupChannel(ch: SimChannel, cause: number, endedBy: OutcomeLogEntry['endedBy']): void {
    if (ch.hungUp) return;
    const call = ch.call;
    const answered = call?.answeredAt !== undefined;
    // Hung up while still dialing: the dial API reads the channel's end as the far end's
    // (DialEnd from its cause, main/dial.c), and an Originate has no caller whose hangup
    // could give Reason 1, so the dial ends with Reason 0.
    if (call && !answered && !call.inbound) this.broadcast('DialEnd', 'call,all', [...this.destFields(ch), ['DialStatus', dialStatusOfCause(cause)]]);
    this.destroyChannel(ch, cause);
    if (!call) return;
    if (!answered) {
      this.reportOriginate(call, false, REASON.NO_CHANNEL);
      this.finishCall(call, 'no_answer', cause, endedBy);
      return;
    }
    this.finishCall(call, call.plan.outcome, cause, endedBy);
  }

  private finishCall(call: CustomerCall, outcome: SimOutcome | 'rejected', cause: number | null, endedBy: OutcomeLogEntry['endedBy']): void {
    if (call.finished) return;
    call.finished = true;
    // a refused duplicate never owned the id: the live call with it still does
    if (outcome !== 'rejected') this.liveAttempts.delete(call.uniqueId);
    if (!call.inbound) this.stats.outcomes[outcome]++;
    const now = this.iso();
    this.log?.write({
      event: 'outcome',
      attemptId: call.attemptId,
      actionId: call.actionId,
      outcome,
      answeredAt: isoOrNull(call.answeredAt),
      amdAt: isoOrNull(call.amdAt),
      bridgedAt: isoOrNull(call.bridgedAt),
      hangupAt: now,
      cause,
      agentId: call.agentId ?? null,
      safeHarbor: call.safeHarbor,
      endedBy,
      at: now,
    });
  }

  /**
   * The result of a customer call's Originate: an OriginateResponse event, or the reply to a
   * synchronous one. A failed one names the dial string as `Channel` and the Originate's
   * ChannelId as `Uniqueid`, channel or not (main/manager.c fast_originate: `chan ? uniqueid :
   * S_OR(channelid, "<unknown>")`, and `chan` is NULL for a failed dial).
   */
  private reportOriginate(call: CustomerCall, success: boolean, reason: number, ch?: SimChannel): void {
    const syncReply = call.syncReply;
    call.syncReply = undefined;
    this.originateResult(
      syncReply,
      call.actionId,
      success,
      reason,
      ch ? ch.name : call.dialString,
      call.originateContext,
      call.originateExten,
      { num: call.callerIdNum, name: call.callerIdName },
      success ? ch?.uniqueId : call.channelId,
    );
  }

  /**
   * Async Originate: the OriginateResponse event, to every session. Synchronous Originate:
   * Asterisk sends no such event, only the reply, once the dial is over.
   */
  private originateResult(
    syncReply: ((success: boolean) => void) | undefined,
    actionId: string | null,
    success: boolean,
    reason: number,
    channel: string,
    context: string,
    exten: string,
    callerId: { num: string; name: string },
    uniqueId?: string,
  ): void {
    if (syncReply) {
      syncReply(success);
      return;
    }
    this.broadcast('OriginateResponse', 'call,all', [
      ['ActionID', actionId ?? undefined],
      ['Response', success ? 'Success' : 'Failure'],
      ['Channel', channel],
      ['Context', context],
      ['Exten', exten],
      ['Application', ''],
      ['Data', ''],
      ['Reason', reason],
      // failed without a ChannelId: `<unknown>` since Asterisk 13.8 (`<null>` before); seen by every session
      ['Uniqueid', uniqueId ?? '<unknown>'],
      ['CallerIDNum', callerId.num || '<unknown>'],
      ['CallerIDName', callerId.name || '<unknown>'],
    ]);
  }

  private channelFields(ch: SimChannel): AmiHeaders {
    return [
      ['Channel', ch.name],
      ['ChannelState', ch.state],
      ['ChannelStateDesc', STATE_DESC[ch.state] ?? 'Unknown'],
      ['CallerIDNum', ch.callerIdNum || '<unknown>'],
      ['CallerIDName', ch.callerIdName || '<unknown>'],
      ['ConnectedLineNum', '<unknown>'],
      ['ConnectedLineName', '<unknown>'],
      ['Language', 'en'],
      ['AccountCode', ''],
      ['Context', ch.context],
      ['Exten', ch.exten],
      ['Priority', ch.priority],
      ['Uniqueid', ch.uniqueId],
      ['Linkedid', ch.linkedId],
    ];
  }

  /** A channel as the destination of a dial (DialBegin, DialState, DialEnd). */
  private destFields(ch: SimChannel): AmiHeaders {
    return this.channelFields(ch).map(([key, value]) => [`Dest${key}`, value] as const);
  }

  private bridgeFields(bridge: SimBridge): AmiHeaders {
    return [
      ['BridgeUniqueid', bridge.id],
      ['BridgeType', 'base'],
      ['BridgeTechnology', 'softmix'],
      ['BridgeCreator', 'ConfBridge'],
      ['BridgeName', bridge.name],
      ['BridgeNumChannels', bridge.channels.size],
      ['BridgeVideoSourceMode', 'none'],
    ];
  }

  /** By name first, then by Uniqueid, as Asterisk's ast_channel_get_by_name does. */
  private lookup(nameOrId: string): SimChannel | undefined {
    return this.byName.get(nameOrId) ?? this.byUniqueId.get(nameOrId);
  }

  // --- time -------------------------------------------------------------------------------

  /** Runs `fn` after `simSec` simulated seconds, tied to `ch` (cancelled when it goes). */
  private later(ch: SimChannel | undefined, simSec: number, fn: () => void): void {
    const owner = ch ? ch.timers : this.looseTimers;
    const handle = this.clock.setTimeout(() => {
      owner.delete(handle);
      fn();
    }, (Math.max(0, simSec) * 1000) / this.opts.speed);
    owner.add(handle);
  }

  private clearTimers(ch: SimChannel): void {
    for (const t of ch.timers) this.clock.clearTimeout(t);
    ch.timers.clear();
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private generatedUniqueId(): string {
    return `${this.startedAtSec}.${++this.channelSeq}`;
  }

  private hexSeq(): string {
    return (++this.channelSeq).toString(16).padStart(8, '0');
  }

  private bridgeUniqueId(): string {
    const h = createHash('sha1').update(`${this.startedAtSec}:${++this.bridgeSeq}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Asterisk's ast_true. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(yes|true|y|t|1|on)$/i.test(value.trim());
}

/** `"Name" <num>`, `Name <num>` or `num`. */
function parseCallerId(value: string): { num: string; name: string } {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]*)>\s*$/.exec(value);
  if (match) return { name: (match[1] ?? '').trim(), num: match[2].trim() };
  return { name: '', num: value.trim() };
}
