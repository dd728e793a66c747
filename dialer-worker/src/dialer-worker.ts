import crypto from 'crypto';
import http from 'http';
import os from 'os';
import { monitorEventLoopDelay } from 'perf_hooks';
import Redis from 'ioredis';
import type Bull from 'bull';
import type { AmiConnection } from './ami/ami-connection';
import { AmiError } from './ami/ami-errors';
import { CmsError, type CampaignSettings, type CmsClient } from './cms/cms-client';
import type { AccountSummary } from '../../protocol/hopper-item';
import { endedIntervals } from './live/agent-interval';
import type { WatchedAgent } from '../../protocol/socket-protocol';
import type { WorkerConfig } from './config/worker-config';
import { ABANDON_CONTEXT, CallFlow } from './dialing/call-flow';
import { CampaignStatsBook } from './dialing/campaign-stats-book';
import { Pacer } from './dialing/pacer';
import { StateRecovery } from './dialing/state-recovery';
import { BoardSessions } from './http/board-sessions';
import { createHttpApp } from './http/http-app';
import { transition, type LiveAgent } from './live/agent-state';
import { toAttemptRecord, type LiveCall } from './live/call-state';
import { DayTally } from './live/day-tally';
import { LiveStore } from './live/live-store';
import { StoreGate } from './live/store-gate';
import { buildPacingModel, whatIf, type WhatIfInput } from './pacing';
import { engineSettings } from './dialing/pacer';
import { createQueues, type DialJob, type DialerQueues, type RecordJob, type RecordStage, type WrapLimitJob } from './queues/queues';
import { CommandError, toCommandError } from './realtime/command-errors';
import { agentPayload, SocketServer, type CommandContext, type DialerCommandHandlers } from './realtime/socket-server';
import { DataChangeRelay } from './realtime/data-change-relay';
import { InboundQueueBook } from './inbound/inbound-queue-book';
import { InboundIntake } from './inbound/inbound-intake';
import { ProviderPopRelay } from './inbound/provider-pop-relay';
import { AgentReadyRelay } from './live/agent-ready-relay';
import type { RealtimeEvents } from './realtime/realtime-events';
import { attemptIdIn, documentIdIn, optionalAttemptIdIn, optionalDocumentIdIn } from './realtime/socket-ids';
import { wrapUpInput, type WrapUpCallback, type WrapUpPromise } from './realtime/wrap-up-input';

/** Makes a client's command safe to call without awaiting it: its failure resolves to nothing. */
function unawaited(client: Redis, command: 'publish' | 'punsubscribe' | 'unsubscribe'): void {
  const original = (client[command] as (...args: unknown[]) => Promise<unknown>).bind(client);
  (client as any)[command] = (...args: unknown[]) => original(...args).catch(() => undefined);
}

/** How often cms's pending records are read while calls nobody follows may remain. */
const ORPHAN_SWEEP_MS = 3000;
const DEFAULT_WORKER_LEASE_MS = 5000;

export type WorkerDeps = { config: WorkerConfig; ami: AmiConnection; cms: CmsClient; workerId?: string; now?: () => number; log?: (m: string, e?: Record<string, unknown>) => void };

/**
 * The live dialer: pacing loops, dial and record jobs, the call flow and the
 * Socket.IO server, around state kept in Redis so that a restarted worker
 * carries on where the last one stopped.
 */
export class DialerWorker {
  readonly workerId: string;
  readonly live: LiveStore;
  readonly queues: DialerQueues;
  readonly flow: CallFlow;
  readonly pacer: Pacer;
  private readonly redis: Redis;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly stats: CampaignStatsBook;
  private readonly today: DayTally;
  private readonly realtime: RealtimeEvents;
  private readonly now: () => number;
  private readonly log: (m: string, e?: Record<string, unknown>) => void;
  private server?: http.Server;
  private sockets?: SocketServer;
  private changes?: DataChangeRelay;
  private providerPops?: ProviderPopRelay;
  private agentsReady?: AgentReadyRelay;
  /** Today's inbound callers per campaign, for the queue figures in `campaign:stats`. */
  private readonly inboundQueue: InboundQueueBook;
  private readonly intake: InboundIntake;
  private stopping = false;
  private reconcileTimer?: NodeJS.Timeout;
  private leaseTimer?: NodeJS.Timeout;
  /** No call of another worker is adopted before this: after Redis was away, the others renew their leases first. */
  private adoptNotBefore = 0;
  /** The Redis generation this worker's state belongs to: a Redis that comes back empty has another, or none. */
  private generation: string | null = null;
  private readonly redisDownSince = new Map<string, number>();
  /** Closed while the state client's Redis is down, and until its state is checked (and rebuilt) once back. */
  private readonly gate = new StoreGate();
  private readonly recovery: StateRecovery;
  /** After Redis came back empty, until no cms record is left pending by a call nobody follows: when it was last looked at. */
  private orphans: { lastAt: number } | null = null;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(private readonly d: WorkerDeps) {
    const { config } = d;
    this.workerId = d.workerId ?? process.env.WORKER_ID ?? os.hostname();
    this.now = d.now ?? Date.now;
    this.log = d.log ?? ((m, e) => console.log(JSON.stringify({ at: new Date().toISOString(), worker: this.workerId, msg: m, ...e })));
    this.redis = new Redis(config.redisUrl);
    this.pub = new Redis(config.redisUrl);
    this.sub = this.pub.duplicate();
    // Without a listener ioredis prints every failed reconnection as an unhandled error; one line per outage is enough.
    for (const [name, client] of [['state', this.redis], ['pub', this.pub], ['sub', this.sub]] as const) {
      client.on('error', (error: Error) => {
        if (this.redisDownSince.has(name)) return;
        this.redisDownSince.set(name, Date.now());
        this.log('Redis unreachable', { client: name, error: error.message });
      });
      client.on('ready', () => {
        const since = this.redisDownSince.get(name);
        this.redisDownSince.delete(name);
        if (since !== undefined) this.log('Redis back', { client: name, downMs: Date.now() - since });
        // Every reconnection, with or without an error before it (a restart can be quicker than a retry).
        if (name === 'state' && this.generation !== null) void this.redisBack();
      });
    }
    this.redis.on('close', () => this.gate.close());
    // The Socket.IO adapter publishes, and unsubscribes when closed, without awaiting: while Redis
    // is down (or a client is closed under them) each would be an unhandled rejection. The local
    // sockets have the event already; other workers miss it, as they miss everything while Redis
    // is away (the 'pub' line above says so once).
    unawaited(this.pub, 'publish');
    unawaited(this.sub, 'punsubscribe');
    unawaited(this.sub, 'unsubscribe');
    this.live = new LiveStore(this.redis, config.queuePrefix);
    // Agents' time goes to cms as it is spent; a record lost to an outage costs a report some minutes, never a call.
    this.live.onAgentChange = (prev, next) => {
      for (const interval of endedIntervals(prev, next)) {
        d.cms.recordAgentInterval?.(interval).catch((error: Error) => this.log('cms did not record an agent interval', { intervalId: interval.intervalId, error: error.message }));
      }
    };
    this.stats = new CampaignStatsBook(this.live, this.log);
    this.queues = createQueues(config.redisUrl, config.queuePrefix);
    this.today = new DayTally(this.redis, config.queuePrefix);
    this.inboundQueue = new InboundQueueBook(this.redis, config.queuePrefix, () => this.live.calls(), config.simSpeed);
    const realtime: RealtimeEvents = (this.realtime = {
      agentState: (a) => {
        this.sockets?.agentState(a);
        void this.tellWatchers(a);
      },
      screenPop: (id, p) => this.sockets?.screenPop(id, p),
      callEnded: (id, i) => this.sockets?.callEnded(id, i),
      campaignStats: (id, s) => {
        // The queue's figures are in Redis: without them (Redis away) the card still gets the rest.
        void this.inboundQueue
          .stats(id, this.now())
          .catch(() => null)
          .then((inbound) => this.sockets?.campaignStats(id, inbound ? { ...s, inbound } : s));
      },
      campaignDialing: (id, i) => this.sockets?.campaignDialing(id, i),
    });
    this.flow = new CallFlow({
      workerId: this.workerId,
      live: this.live,
      ami: d.ami,
      realtime,
      stats: this.stats,
      today: this.today,
      record: (call, stage) => this.enqueueRecord(call, stage),
      wrapUpStarted: (call) => this.startWrapUpLimit(call),
      now: this.now,
      simSpeed: config.simSpeed,
      log: this.log,
      gate: this.gate,
      readyElsewhere: (agentId) => this.agentsReady?.tell(agentId),
      inboundQueue: {
        answered: (c, at) => void this.inboundQueue.answered(c, at).catch((error) => this.log('an inbound answer was not counted in the queue figures', { attemptId: c.attemptId, error: (error as Error).message })),
        abandoned: (c, at) => void this.inboundQueue.abandoned(c, at).catch((error) => this.log('an inbound hang-up was not counted in the queue figures', { attemptId: c.attemptId, error: (error as Error).message })),
      },
    });
    this.intake = new InboundIntake({
      workerId: this.workerId,
      cms: d.cms,
      flow: this.flow,
      queue: this.inboundQueue,
      runningCampaigns: async () => [...new Set([...(await this.live.runningCampaigns()), ...(await this.live.agents()).filter((a) => a.status !== 'logged_out' && a.campaignId).map((a) => a.campaignId!)])],
      now: this.now,
      log: this.log,
    });
    this.recovery = new StateRecovery({
      live: this.live,
      flow: this.flow,
      resumeRecords: () => this.resumeRecords(),
      reconcileWithPbx: () => (this.d.ami.isConnected() ? this.afterReconnect() : Promise.resolve()),
      tellStateLost: (except) => this.sockets?.agentsStateLost(except) ?? 0,
      cms: d.cms,
      listChannels: () => d.ami.listChannels(),
      abandon: (channel) => d.ami.redirect(channel, ABANDON_CONTEXT, 's'),
      log: this.log,
    });
    this.pacer = new Pacer({
      workerId: this.workerId,
      redis: this.redis,
      live: this.live,
      cms: d.cms,
      stats: this.stats,
      today: this.today,
      realtime,
      enqueueDial: async (call) => {
        this.flow.track(call.attemptId, call.queuedAt);
        await this.queues.dial.add({ attemptId: call.attemptId }, { jobId: call.attemptId });
      },
      now: this.now,
      simSpeed: config.simSpeed,
      intervalMs: config.pacingIntervalMs,
      lockPrefix: config.queuePrefix,
      log: this.log,
      storeReady: () => this.gate.isOpen(),
      stillRunning: (id) => this.live.isCampaignRunning(id),
      inboundArrivalsPerSec: (id, now) => this.inboundQueue.arrivalsPerSec(id, now),
    });
  }

  async start(): Promise<void> {
    this.loopDelay.enable();
    // Calls in flight are reloaded before the AMI connects: the reconciliation that
    // follows every login must know them, or calls that ended while no worker was
    // listening would never be closed.
    this.generation = await this.readGeneration().catch((error) => {
      this.log('reading the Redis generation failed', { error: (error as Error).message });
      return null;
    });
    // Alive before anything else: a worker that sees this one's calls must not take them.
    await this.renewLease();
    await this.flow.resume();
    await this.resumeRecords();
    await this.dropUndialed();
    this.d.ami.on('event', (m) => {
      this.flow.onAmiMessage(m);
      this.intake.onAmiMessage(m);
    });
    this.d.ami.on('connected', () => void this.afterReconnect());
    // Bull reports a queue's Redis trouble as an event; without a listener it would be thrown.
    for (const queue of [this.queues.dial, this.queues.record, this.queues.wrapLimit]) queue.on('error', (error) => this.log('queue error', { queue: queue.name, error: error.message }));
    await this.d.ami.connect().catch((error) => this.log('AMI not reachable yet; retrying in the background', { error: (error as Error).message }));
    // Events lost while no worker listened (a crash, a cut) leave calls that will never hear
    // their Hangup; comparing with the PBX's channels now and then closes them.
    this.reconcileTimer = setInterval(() => this.d.ami.isConnected() && void this.afterReconnect(), Math.max(1000, 10_000 / this.d.config.simSpeed));
    this.reconcileTimer.unref();

    this.queues.dial.process('*', 50, (job: Bull.Job<DialJob>) => this.dial(job.data.attemptId));
    this.queues.record.process('*', 20, (job: Bull.Job<RecordJob>) => this.record(job));
    this.queues.wrapLimit.process('*', 5, (job: Bull.Job<WrapLimitJob>) => this.wrapUpLimitReached(job.data.attemptId));

    const { config } = this.d;
    const app = createHttpApp({
      health: this.healthChecks(),
      queues: [this.queues.dial, this.queues.record],
      cms: this.d.cms,
      boardSessions: new BoardSessions(this.redis, config.queuePrefix),
      timeoutMs: config.healthTimeoutMs,
      corsOrigins: config.corsOrigins,
      log: this.log,
    });
    this.server = http.createServer(app);
    this.sockets = new SocketServer(
      this.server,
      this.d.cms,
      this.pub,
      this.sub,
      this.commands(),
      { corsOrigins: config.corsOrigins, adapterKey: `${config.queuePrefix}:socket.io`, sessionRecheckMs: config.sessionRecheckMs, sessionCacheMs: config.sessionCacheMs, sessionCheckConcurrency: config.sessionCheckConcurrency, log: this.log },
      (id) => this.live.agent(id),
    );
    this.changes = new DataChangeRelay(this.pub.duplicate(), config.dataChangesChannel, (change) => this.sockets?.dataChanged(change), this.log);
    await this.changes.start();
    this.providerPops = new ProviderPopRelay(this.pub.duplicate(), config.providerPopsChannel, (agentId, pop) => this.sockets?.localScreenPop(agentId, pop), this.log);
    await this.providerPops.start();
    this.agentsReady = new AgentReadyRelay(this.pub, this.pub.duplicate(), `${config.queuePrefix}:agent-ready`, this.workerId, async (agentId) => {
      const agent = await this.live.agent(agentId);
      if (agent?.status === 'ready' && !agent.legDown) await this.flow.agentReady(agent, true);
    }, this.log);
    await this.agentsReady.start();
    await new Promise<void>((resolve) => this.server!.listen(this.d.config.port, resolve));

    for (const id of await this.live.runningCampaigns()) this.pacer.start(id);
    const running = await this.d.cms.runningCampaigns().catch((error) => {
      this.log('cms did not list the running campaigns; they start when a supervisor resumes them', { error: (error as Error).message });
      return [];
    });
    for (const c of running) {
      await this.live.setCampaignRunning(c.documentId, true);
      this.pacer.start(c.documentId);
    }
    this.leaseTimer = setInterval(() => void this.keepUp(), Math.max(200, this.leaseMs() / 4));
    this.leaseTimer.unref();
    this.log('dialer-worker started', { port: this.port() });
  }

  port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.d.config.port;
  }

  /**
   * Graceful: stop pacing, let in-flight jobs finish, then close connections. Idempotent.
   * Each step runs even when one before it failed (Redis gone, say): the queues and
   * connections are closed whatever happened on the way.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.reconcileTimer);
    clearInterval(this.leaseTimer);
    const step = async (name: string, work: () => Promise<unknown> | unknown) => {
      try {
        await work();
      } catch (error) {
        this.log(`shutdown: ${name} failed`, { error: (error as Error).message });
      }
    };
    await step('stopping the pacing loops', () => this.pacer.stopAll());
    await step('pausing the dial queue', () => this.queues.dial.pause(true));
    await step('waiting for call events', () => this.flow.idle());
    await step('saving pacing statistics', () => this.stats.settled());
    this.stats.stop();
    await step('stopping the call flow', () => this.flow.stop());
    // The calls still up are another worker's to follow from now on, not after the lease runs out.
    await step('giving up the lease', () => this.live.dropLease(this.workerId));
    await step('closing the queues', () => this.queues.close());
    await step('closing the sockets', () => this.sockets?.close());
    this.changes?.close();
    this.providerPops?.close();
    this.agentsReady?.close();
    await step('closing the HTTP server', () => new Promise((r) => (this.server ? this.server.close(() => r(undefined)) : r(undefined))));
    await step('closing the AMI connection', () => this.d.ami.close());
    this.redis.disconnect();
    this.pub.disconnect();
    this.sub.disconnect();
  }

  /** The marker of the Redis this worker's state lives in: a Redis that came back empty (no persistence, a new instance) gets a new one here. */
  private async readGeneration(): Promise<string | null> {
    const key = `${this.d.config.queuePrefix}:generation`;
    const fresh = crypto.randomUUID();
    return (await this.redis.set(key, fresh, 'NX')) === 'OK' ? fresh : this.redis.get(key);
  }

  /**
   * Redis is reachable again. Empty: this worker's calls are put back from memory before the call
   * events held meanwhile run, and the campaigns it paces are marked running again. The generation
   * is kept only once that is done, so a Redis lost again midway is rebuilt again.
   */
  private async redisBack(): Promise<void> {
    try {
      const current = await this.readGeneration();
      const lost = current !== this.generation;
      const kept = await this.recovery.putBack(lost);
      if (lost) for (const id of this.pacer.running()) await this.live.setCampaignRunning(id, true);
      this.generation = current;
      await this.renewLease();
      this.adoptNotBefore = this.now() + this.leaseMs();
      this.gate.reopen();
      if (lost) this.recovery.tellOthers(kept);
      await this.recovery.afterOutage();
      if (lost) this.orphans = { lastAt: 0 };
    } catch (error) {
      this.log('recovering after Redis came back failed', { error: (error as Error).message });
      // Redis went again: its next 'ready' comes back here. Anything else must not hold the call events for ever.
      if (this.redis.status === 'ready') this.gate.reopen();
    }
  }

  private leaseMs(): number {
    return this.d.config.workerLeaseMs ?? DEFAULT_WORKER_LEASE_MS;
  }

  private async renewLease(): Promise<void> {
    await this.live.renewLease(this.workerId, this.leaseMs());
  }

  /**
   * Every quarter of a lease: this worker is still alive; it runs a pacing loop for every
   * campaign running in Redis (one of the workers leads each); and it takes over the calls of
   * any worker whose lease ran out.
   */
  private async keepUp(): Promise<void> {
    if (this.stopping || !this.gate.isOpen()) return;
    try {
      await this.renewLease();
      await this.pacer.follow(await this.live.runningCampaigns());
      if (this.now() >= this.adoptNotBefore) await this.adoptCalls();
    } catch (error) {
      this.log('keeping up with the other workers failed; trying again', { error: (error as Error).message });
    }
  }

  /**
   * The calls of a worker that died, now this one's: followed from Redis as after a restart of
   * their own worker (the same recovery: records queued again, attempts that never rang dropped,
   * and the PBX's channels compared at once, which ends those whose Hangup nobody handled).
   */
  private async adoptCalls(): Promise<void> {
    const before = new Map((await this.live.calls()).map((c) => [c.attemptId, c.workerId]));
    const calls = await this.live.adoptCalls(this.workerId);
    if (calls.length === 0) return;
    const from = [...new Set(calls.map((c) => before.get(c.attemptId) ?? '?'))];
    this.log('calls of a worker that stopped adopted', { from, calls: calls.length, attemptIds: calls.map((c) => c.attemptId) });
    this.flow.adopt(calls);
    await this.resumeRecords(calls.filter((c) => c.phase === 'ended'));
    await this.dropUndialed(calls, true);
    if (this.d.ami.isConnected()) await this.afterReconnect();
  }

  private healthChecks() {
    return {
      checks: {
        // Not connected is down now: a command would wait in ioredis's offline queue until the timeout.
        redis: async () => this.redis.status === 'ready' && (await this.redis.ping()) === 'PONG',
        ami: async () => this.d.ami.isConnected(),
        cms: () => this.d.cms.ping(),
      },
      details: async () => {
        // Event-loop lag since the last health read: what a slow call event costs everyone else.
        const lag = { p50Ms: this.loopDelay.percentile(50) / 1e6, p99Ms: this.loopDelay.percentile(99) / 1e6, maxMs: this.loopDelay.max / 1e6 };
        this.loopDelay.reset();
        const calls = (await this.live.calls()).filter((c) => c.workerId === this.workerId && c.phase !== 'ended').length;
        return { workerId: this.workerId, campaigns: this.pacer.running(), leading: await this.pacer.leading(), ami: this.d.ami.status(), callsInFlight: calls, eventLoopLag: lag, unsavedStats: this.stats.unsaved() };
      },
    };
  }

  private async afterReconnect(): Promise<void> {
    // Nothing can be compared while Redis is away; it is done again once it is back.
    if (!this.gate.isOpen()) return;
    try {
      const listedAt = this.now();
      await this.flow.reconcile(await this.d.ami.listChannels(), listedAt);
    } catch (error) {
      this.log('reconcile after reconnection failed', { error: (error as Error).message });
    }
    await this.closeOrphans();
  }

  /** Looks at cms's pending records every few seconds after Redis came back empty, until none is left to nobody. */
  private async closeOrphans(): Promise<void> {
    const orphans = this.orphans;
    if (!orphans || this.now() - orphans.lastAt < ORPHAN_SWEEP_MS || !this.gate.isOpen()) return;
    orphans.lastAt = this.now();
    try {
      if ((await this.recovery.closeOrphans()) === 0 && this.orphans === orphans) this.orphans = null;
    } catch (error) {
      this.log('closing the calls nobody follows failed; trying again', { error: (error as Error).message });
    }
  }

  /** The dial job: at most one Originate per attempt id, ever. */
  private async dial(attemptId: string): Promise<string> {
    const call = await this.live.call(attemptId);
    if (!call) return 'unknown attempt';
    // Closed meanwhile (it waited for Redis, reconciled, discarded): dialing it now would make a call its record says never happened.
    if (call.phase !== 'queued') return `not queued: ${call.phase}`;
    if (!(await this.live.claimOriginate(attemptId))) return 'already originated';
    const at = this.now();
    this.flow.dialing(attemptId, at);
    await this.live.putCall({ ...call, phase: 'dialing', dialedAt: at });
    try {
      await this.d.ami.originate({ attemptId, phone: call.phone, timeoutMs: call.ringTimeoutSec * 1000, callerId: call.callerId ?? 'Collections' });
      return 'originated';
    } catch (error) {
      if (error instanceof AmiError && !error.mayHaveRun) {
        // Nothing reached the PBX: not a call. The phone comes back in a later hopper under a new attempt id.
        await this.flow.discard(call);
        return `not dialed: ${error.code}`;
      }
      // It may be ringing: the call flow will see its events, or reconcile it after reconnection.
      this.log('originate outcome unknown', { attemptId, error: (error as Error).message });
      return 'unknown';
    }
  }

  private async enqueueRecord(call: LiveCall, stage: RecordStage): Promise<void> {
    // The job writes the call as Redis has it when it runs, so a late job never writes an older state.
    await this.queues.record.add({ attemptId: call.attemptId, final: stage === 'final' }, { jobId: `${call.attemptId}:${stage}` });
  }

  /**
   * Attempts queued before a crash whose dial job died with the worker (a
   * stalled dial job is never re-run) and that never reached the PBX: they
   * were not calls; forget them so pacing does not count them in flight.
   */
  private async dropUndialed(calls?: LiveCall[], ownerDead = false): Promise<void> {
    for (const call of calls ?? (await this.live.calls())) {
      if (call.workerId !== this.workerId || call.phase !== 'queued') continue;
      const job = await this.queues.dial.getJob(call.attemptId);
      const state = job ? await job.getState() : 'missing';
      // A job active on a worker that died is stalled: Bull would run it again only after its lock
      // (30 s) ran out, too late for the hopper's receipt. If it runs, it finds no call and dials nothing.
      if (state === 'waiting' || state === 'delayed' || (state === 'active' && !ownerDead)) continue;
      if (await this.live.wasOriginated(call.attemptId)) continue;
      await this.flow.discard(call);
    }
  }

  /** Records whose job was lost with a crash (state says ended, no job waiting) are queued again. */
  private async resumeRecords(calls?: LiveCall[]): Promise<void> {
    for (const call of calls ?? (await this.live.calls())) {
      if (call.workerId !== this.workerId || call.phase !== 'ended') continue;
      const final = call.outcome !== 'connected' || call.wrapEndedAt !== null;
      await this.enqueueRecord(call, final ? 'final' : 'ended');
    }
  }

  private async record(job: Bull.Job<RecordJob>): Promise<void> {
    const call = await this.live.call(job.data.attemptId);
    if (!call) return;
    try {
      await this.d.cms.recordAttempt(call.attemptId, toAttemptRecord(call));
    } catch (error) {
      if (error instanceof CmsError && !error.transient) {
        this.log('cms refused an attempt record', { attemptId: call.attemptId, error: error.message });
        await job.discard();
      }
      throw error;
    }
    if (job.data.final) await this.live.removeCall(call.attemptId);
  }

  /** The campaign's wrap-up limit, as a delayed job: it runs on whichever worker is up when it falls due. */
  private async startWrapUpLimit(call: LiveCall): Promise<void> {
    if (!call.wrapUpLimitSec) return;
    const delay = Math.max(0, ((call.endedAt ?? this.now()) + (call.wrapUpLimitSec * 1000) / this.d.config.simSpeed) - this.now());
    await this.queues.wrapLimit.add({ attemptId: call.attemptId }, { jobId: `${call.attemptId}:wrap-limit`, delay });
  }

  /** Still in wrap-up when the limit runs out: the campaign's default disposition, and a pause the agent has to end. */
  private async wrapUpLimitReached(attemptId: string): Promise<string> {
    const call = await this.live.call(attemptId);
    if (!call || call.phase !== 'ended' || call.wrapEndedAt !== null || call.agentId === null) return 'already wrapped up';
    const agent = await this.live.agent(call.agentId);
    const closed = await this.closeWrapUp(agent, call, { disposition: call.defaultDispositionId ?? null, notes: null, promise: null, scheduledCallback: null }, 'paused', 'wrap_up_limit');
    if (closed) this.log('wrap-up limit reached: default disposition applied, agent paused', { attemptId, agentId: call.agentId });
    return closed ? 'default disposition applied' : 'already wrapped up';
  }

  /**
   * Ends a call's wrap-up, once: the agent's disposition or the wrap-up limit, whichever comes
   * first (a Redis claim), then the final record and the agent's next state.
   */
  private async closeWrapUp(
    agent: LiveAgent | null,
    call: LiveCall,
    wrap: { disposition: string | null; notes: string | null; promise: WrapUpPromise | null; scheduledCallback: WrapUpCallback | null },
    next: 'ready' | 'paused',
    pauseReason: string,
  ): Promise<boolean> {
    if (!(await this.live.claimWrapUp(call.attemptId))) return false;
    const at = this.now();
    const done: LiveCall = { ...call, dispositionDocumentId: wrap.disposition, notes: wrap.notes, promise: wrap.promise, scheduledCallback: wrap.scheduledCallback, wrapEndedAt: at };
    await this.live.putCall(done);
    this.stats.recordWrap(call.campaignId, ((at - (call.endedAt ?? at)) / 1000) * this.d.config.simSpeed);
    await this.enqueueRecord(done, 'final');
    if (agent && agent.status === 'wrap_up' && agent.attemptId === call.attemptId) {
      await this.putAgent(transition(agent, next, at, { pauseReason: next === 'paused' ? pauseReason : null }));
    }
    return true;
  }

  /** Stores a status change (the leg as stored, unless `replacing`: see LiveStore.putAgent), tells the agent, and gives a ready agent a waiting call. */
  private async putAgent(next: LiveAgent, replacing?: Pick<LiveAgent, 'legId' | 'legPlacedAt'>): Promise<LiveAgent> {
    const agent = await this.live.putAgent(next, replacing);
    this.realtime.agentState(agent);
    if (agent.status === 'ready') await this.flow.agentReady(agent);
    return agent;
  }

  /** A preview this agent holds and has not dialed yet. */
  private async heldPreview(agentId: number, attemptId: string): Promise<LiveCall> {
    const call = await this.live.call(attemptId);
    if (!call || call.dialMode !== 'preview' || call.reservedAgentId !== agentId) throw new CommandError('NOT_FOUND', 'no such preview of yours');
    if (call.phase !== 'queued' || (await this.queues.dial.getJob(call.attemptId))) throw new CommandError('CONFLICT', 'this preview is already dialed');
    return call;
  }

  /** An agent's state for the supervisors watching their campaign: with the account of their call and their day so far. */
  private async watchedAgent(agent: LiveAgent): Promise<WatchedAgent> {
    const [call, today] = await Promise.all([agent.attemptId ? this.live.call(agent.attemptId) : null, this.today.agent(agent.id, this.now())]);
    return { ...agentPayload(agent), accountNumber: call?.account?.accountNumber ?? null, today };
  }

  private async tellWatchers(agent: LiveAgent): Promise<void> {
    if (!agent.campaignId || !this.sockets) return;
    try {
      this.sockets.watchedAgentState(agent.campaignId, await this.watchedAgent(agent));
    } catch (error) {
      this.log('telling watchers of an agent state failed', { agentId: agent.id, error: (error as Error).message });
    }
  }

  /** The campaign as its supervisor may read it (cms answers with their token), or FORBIDDEN. */
  private async campaignOf(campaignId: string, token: string): Promise<CampaignSettings> {
    return this.d.cms.campaignAs(campaignId, token).catch((error) => {
      if (error instanceof CmsError && (error.code === 'NOT_FOUND' || error.code === 'UNAUTHORIZED')) throw new CommandError('FORBIDDEN', 'this campaign is not one of your clients\'');
      throw toCommandError(error);
    });
  }

  private async agentOf(user: { id: number; username: string }): Promise<LiveAgent> {
    return (await this.live.agent(user.id)) ?? { id: user.id, username: user.username, status: 'logged_out', since: this.now(), campaignId: null, pauseReason: null, attemptId: null };
  }

  /** While Redis is down a command is refused at once, rather than left to wait on ioredis and fail. */
  private commands(): DialerCommandHandlers {
    const refuseWhileDown = (handler: (context: CommandContext, payload: Record<string, unknown>) => Promise<unknown>) => async (context: CommandContext, payload: Record<string, unknown>) => {
      if (!this.gate.isOpen()) throw new CommandError('STATE_UNAVAILABLE', 'the dialer\'s live state is unreachable; try again shortly');
      return handler(context, payload);
    };
    return Object.fromEntries(Object.entries(this.handlers()).map(([name, handler]) => [name, refuseWhileDown(handler as never)])) as DialerCommandHandlers;
  }

  private handlers(): DialerCommandHandlers {
    const supervise = <S extends 'running' | 'paused'>(state: S) => async ({ token }: CommandContext, p: Record<string, unknown>) => {
      const campaignId = documentIdIn(p, 'campaignId');
      // The supervisor's own token: cms decides whether this campaign is theirs.
      await this.d.cms.setCampaign(campaignId, { state }, token);
      this.pacer.invalidate(campaignId);
      await this.live.setCampaignRunning(campaignId, state === 'running');
      if (state === 'running') this.pacer.start(campaignId);
      else await this.pacer.stop(campaignId);
      return { campaignId, state };
    };
    return {
      ready: async ({ user }, p) => {
        const agent = await this.agentOf(user);
        const campaignId = optionalDocumentIdIn(p, 'campaignId', agent.campaignId);
        if (!campaignId) throw new CommandError('INVALID', 'campaignId is required');
        const campaign = await this.d.cms.campaign(campaignId).catch((error) => {
          // Not found and not theirs read the same, so an agent learns nothing about other clients' campaigns.
          if (error instanceof CmsError && error.code === 'NOT_FOUND') return null;
          throw error;
        });
        if (!campaign || !campaign.agentIds.includes(user.id)) throw new CommandError('FORBIDDEN', 'you are not on this campaign');
        if (agent.status === 'on_call' || agent.status === 'wrap_up' || agent.status === 'reserved') {
          throw new CommandError('CONFLICT', `you are ${agent.status.replace('_', ' ')}${agent.attemptId ? ` (attempt ${agent.attemptId})` : ''}`);
        }
        let next = transition(agent, 'ready', this.now(), { campaignId, username: user.username });
        // A leg the PBX no longer shows (legDown) is placed again: ready again is how an agent recovers.
        const replacing = (!next.legId || next.legDown) && this.d.ami.isConnected() ? { legId: agent.legId, legPlacedAt: agent.legPlacedAt } : undefined;
        if (replacing) next = await this.flow.placeAgentLeg(next);
        const stored = await this.putAgent(next, replacing);
        if (replacing) await this.flow.keepOneLeg(next, stored);
        await this.flow.legStored(stored);
        return { status: stored.status };
      },
      pause: async ({ user }, p) => {
        if (p.reason !== undefined && typeof p.reason !== 'string') throw new CommandError('INVALID', 'reason must be a string');
        const next = transition(await this.agentOf(user), 'paused', this.now(), { pauseReason: (p.reason || 'break').slice(0, 40) });
        await this.putAgent(next);
        return { status: next.status };
      },
      logout: async ({ user }) => {
        const next = transition(await this.agentOf(user), 'logged_out', this.now());
        await this.putAgent(next);
        return { status: next.status };
      },
      hangup: async ({ user }) => {
        const agent = await this.agentOf(user);
        const call = agent.attemptId ? await this.live.call(agent.attemptId) : null;
        if (!call || agent.status !== 'on_call') throw new CommandError('CONFLICT', 'no call to hang up');
        await this.d.ami.hangup(call.channel ?? call.attemptId);
        return { attemptId: call.attemptId };
      },
      disposition: async ({ user }, p) => {
        const agent = await this.agentOf(user);
        const attemptId = optionalAttemptIdIn(p, 'attemptId', agent.attemptId);
        const disposition = optionalDocumentIdIn(p, 'disposition');
        if (p.notes !== undefined && p.notes !== null && typeof p.notes !== 'string') throw new CommandError('INVALID', 'notes must be a string');
        const call = attemptId ? await this.live.call(attemptId) : null;
        if (!call || call.agentId !== user.id) throw new CommandError('NOT_FOUND', 'no such call of yours');
        if (call.phase !== 'ended') throw new CommandError('CONFLICT', 'the call is still up');
        const { promise, scheduledCallback } = wrapUpInput(p, this.now());
        const notes = typeof p.notes === 'string' ? p.notes.slice(0, 4000) : null;
        const closed = await this.closeWrapUp(agent, withPickedAccount(call, p), { disposition, notes, promise, scheduledCallback }, p.next === 'pause' ? 'paused' : 'ready', 'after call');
        if (!closed) throw new CommandError('CONFLICT', 'this call is already wrapped up (its wrap-up limit ran out)');
        return { attemptId: call.attemptId };
      },
      'preview:next': async ({ user }) => {
        const agent = await this.agentOf(user);
        if (agent.status !== 'ready' || !agent.campaignId) throw new CommandError('CONFLICT', `you are ${agent.status.replace('_', ' ')}, not ready`);
        const campaign = await this.d.cms.campaign(agent.campaignId);
        if (campaign.dialMode !== 'preview') throw new CommandError('CONFLICT', `this campaign dials in ${campaign.dialMode} mode, not preview`);
        if (campaign.state !== 'running') throw new CommandError('CONFLICT', `this campaign is ${campaign.state}`);
        const got = await this.pacer.preview(campaign, user.id);
        if (got === 'agent_not_ready') throw new CommandError('CONFLICT', 'you are no longer ready');
        if (got === 'nothing_dialable') throw new CommandError('NOT_FOUND', 'no phone of this campaign may be dialed now');
        const { call, item } = got;
        return { attemptId: call.attemptId, accountDocumentId: call.accountDocumentId, accountNumber: item.accountNumber, phone: call.phone, callbackDocumentId: call.callbackDocumentId, kind: item.kind, account: item.account };
      },
      'preview:dial': async ({ user }, p) => {
        const call = await this.heldPreview(user.id, attemptIdIn(p, 'attemptId'));
        const result = await this.pacer.dialPreview(call);
        if (result === 'no_longer_dialable') {
          await this.flow.discard(call);
          throw new CommandError('CONFLICT', 'this phone may no longer be dialed (cms checked it again); ask for the next');
        }
        return { attemptId: call.attemptId };
      },
      'preview:skip': async ({ user }, p) => {
        const call = await this.heldPreview(user.id, attemptIdIn(p, 'attemptId'));
        await this.flow.discard(call);
        this.pacer.skipPreview(user.id, call.phone);
        return { attemptId: call.attemptId };
      },
      'inbound:link': async ({ user, token }, p) => {
        const attemptId = attemptIdIn(p, 'attemptId');
        const accountDocumentId = documentIdIn(p, 'accountDocumentId');
        const call = await this.live.call(attemptId);
        if (!call?.inbound || call.agentId !== user.id) throw new CommandError('NOT_FOUND', 'no inbound call of yours has this attempt id');
        if (call.wrapEndedAt !== null) throw new CommandError('CONFLICT', 'this call is wrapped up');
        if (!this.d.cms.linkInboundAccount) throw new CommandError('FAILED', 'this cms cannot link accounts');
        // As the agent: cms decides whether the account is theirs to link (the dialed number's client, the call still live) and audits it.
        // The call's record is written just after the pop (a queued job): a link in the first seconds may find none yet.
        let account: AccountSummary | null = null;
        for (let tries = 1; !account; tries++) {
          try {
            account = await this.d.cms.linkInboundAccount(attemptId, accountDocumentId, token);
          } catch (error) {
            // Only "no such call" is worth another try; an account of another client is refused at once.
            if (!(error instanceof CmsError && error.code === 'NOT_FOUND' && /no inbound call/i.test(error.message)) || tries >= 10) throw error;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
        if (!(await this.flow.linkInboundAccount(attemptId, user.id, account))) throw new CommandError('CONFLICT', 'this call is wrapped up');
        return { attemptId, account };
      },
      'campaign:start': supervise('running'),
      'campaign:resume': supervise('running'),
      'campaign:pause': supervise('paused'),
      'campaign:set-max-ratio': async ({ token }, p) => {
        const campaignId = documentIdIn(p, 'campaignId');
        const ratio = p.maxDialRatio;
        if (typeof ratio !== 'number' || !(ratio >= 1 && ratio <= 10)) throw new CommandError('INVALID', 'maxDialRatio must be a number from 1 to 10');
        await this.d.cms.setCampaign(campaignId, { maxDialRatio: ratio }, token);
        this.pacer.invalidate(campaignId);
        return { campaignId, maxDialRatio: ratio };
      },
      'campaign:what-if': async ({ token }, p) => {
        const campaignId = documentIdIn(p, 'campaignId');
        const proposed = p.maxDialRatio;
        if (typeof proposed !== 'number' || !(proposed >= 1 && proposed <= 10)) throw new CommandError('INVALID', 'maxDialRatio must be a number from 1 to 10');
        // As the supervisor: cms answers only for campaigns of their clients.
        const campaign = await this.campaignOf(campaignId, token);
        const settings = engineSettings(campaign);
        const stats = await this.stats.load(campaignId, { abandonTarget: campaign.abandonTarget, windowHours: settings.abandonWindowHours });
        const model = buildPacingModel(stats);
        const agents = (await this.live.agents()).filter((a) => a.campaignId === campaignId && a.status !== 'logged_out' && a.status !== 'paused');
        const input: WhatIfInput = {
          mode: campaign.dialMode,
          activeAgents: agents.length,
          fixedRatio: campaign.fixedDialRatio,
          abandonTarget: campaign.abandonTarget,
          setpointFraction: stats.options.setpointFraction,
          window: stats.windowCounts(this.now(), settings.abandonWindowHours),
          model: { liveRate: model.liveRate, liveSec: model.liveTime.mean, failSec: model.failTime.mean, talkSec: model.talk.mean, wrapSec: model.wrap.mean },
        };
        return {
          campaignId,
          mode: campaign.dialMode,
          current: whatIf(input, campaign.maxDialRatio),
          proposed: whatIf(input, proposed),
          assumptions: {
            activeAgents: agents.length,
            liveRate: model.liveRate,
            meanAttemptSec: model.liveRate * model.liveTime.mean + (1 - model.liveRate) * model.failTime.mean,
            meanTalkSec: model.talk.mean,
            meanWrapSec: model.wrap.mean,
            abandonTarget: campaign.abandonTarget,
            windowLiveAnswers: input.window.liveAnswers,
            windowAbandons: input.window.abandons,
          },
        };
      },
      'campaign:watch': async ({ token, socket }, p) => {
        const campaignId = documentIdIn(p, 'campaignId');
        await this.campaignOf(campaignId, token);
        this.sockets!.watchCampaign(socket, campaignId);
        const onCampaign = (await this.live.agents()).filter((a) => a.campaignId === campaignId && a.status !== 'logged_out');
        return { campaignId, last: this.pacer.lastReasons.get(campaignId) ?? null, agents: await Promise.all(onCampaign.map((a) => this.watchedAgent(a))) };
      },
    };
  }
}

/**
 * An inbound caller matched to several accounts: the agent says which one the call was about,
 * one of those matched or the one they linked (never any other account: cms allowed those for this DID).
 * An outbound call, or none picked, is left as it is.
 */
function withPickedAccount(call: LiveCall, p: Record<string, unknown>): LiveCall {
  if (p.accountDocumentId === undefined || p.accountDocumentId === null) return call;
  if (!call.inbound) throw new CommandError('INVALID', 'accountDocumentId is for inbound calls only');
  const picked = [...call.inbound.matches, ...(call.inbound.linked ? [call.inbound.linked] : [])].find((a) => a.documentId === p.accountDocumentId);
  if (!picked) throw new CommandError('INVALID', 'accountDocumentId must be one of the accounts matched to the caller or linked to the call');
  return { ...call, accountDocumentId: picked.documentId, account: picked };
}
