import type Redis from 'ioredis';

/** What one worker tells the others when an agent it serves is ready and a call another worker follows waits for one. */
export type AgentReadyNotice = { agentId: number; from: string };

/** A notice as a worker publishes it, or null for anything else on the channel. Pure. */
export function parseAgentReady(raw: string): AgentReadyNotice | null {
  let m: any;
  try {
    m = JSON.parse(raw);
  } catch {
    return null;
  }
  return Number.isInteger(m?.agentId) && typeof m?.from === 'string' ? { agentId: m.agentId, from: m.from } : null;
}

/**
 * An answered call waits for an agent only on the worker that follows it (its drop timer, its
 * redirect), while an agent becomes ready on the worker their socket is on. Without a word
 * between them, a live answer held by worker A would be abandoned while the agent who just went
 * ready on worker B sat idle. Each worker publishes such a ready agent here; the others offer
 * them their own waiting calls (the agent is claimed in Redis in one step, so only one gets them).
 */
export class AgentReadyRelay {
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly workerId: string,
    private readonly ready: (agentId: number) => Promise<void>,
    private readonly log: (message: string, extra?: Record<string, unknown>) => void,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      const notice = parseAgentReady(raw);
      if (!notice) return this.log('ignored a malformed agent-ready notice', { channel });
      if (notice.from === this.workerId) return;
      this.ready(notice.agentId).catch((error: Error) => this.log('offering a waiting call to an agent ready elsewhere failed', { agentId: notice.agentId, error: error.message }));
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Lost while Redis is away, like the Socket.IO adapter's messages: the call's drop window then decides, as with no agent. */
  tell(agentId: number): void {
    const notice: AgentReadyNotice = { agentId, from: this.workerId };
    this.publisher.publish(this.channel, JSON.stringify(notice)).catch(() => undefined);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
