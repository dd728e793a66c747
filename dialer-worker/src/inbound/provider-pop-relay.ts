import type Redis from 'ioredis';
import type { ScreenPop } from '../../../protocol/socket-protocol';
import type { ProviderPopNotice } from '../../../protocol/inbound-call';

/** A notice as cms publishes it, or null for anything else on the channel. Pure. */
export function parseProviderPop(raw: string): ProviderPopNotice | null {
  let m: any;
  try {
    m = JSON.parse(raw);
  } catch {
    return null;
  }
  const p = m?.pop;
  if (!Number.isInteger(m?.agentId) || !p || typeof p !== 'object' || typeof p.attemptId !== 'string' || typeof p.accountDocumentId !== 'string' || typeof p.phone !== 'string') return null;
  return { agentId: m.agentId, pop: p as ScreenPop };
}

/**
 * Hears the screen pops cms asks for when another telephony provider's webhook names the agent a
 * call rings for, and pushes each to that agent's sockets. Every worker subscribes, so each
 * delivers to its own sockets only (`localScreenPop`): the agent gets the pop once.
 */
export class ProviderPopRelay {
  constructor(
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly deliver: (agentId: number, pop: ScreenPop) => void,
    private readonly log: (message: string, extra?: Record<string, unknown>) => void,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      const notice = parseProviderPop(raw);
      if (notice) this.deliver(notice.agentId, notice.pop);
      else this.log('ignored a malformed provider pop', { channel });
    });
    await this.subscriber.subscribe(this.channel);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
