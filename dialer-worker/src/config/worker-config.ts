import type { DefaultDataChangesChannel } from '../../../protocol/data-change';

const DEFAULT_DATA_CHANGES_CHANNEL: DefaultDataChangesChannel = 'collections:data-changes';

export type WorkerConfig = {
  port: number;
  redisUrl: string;
  cmsUrl: string;
  cmsApiToken: string;
  ami: { host: string; port: number; username: string; secret: string };
  /** How often each running campaign is paced, in ms. */
  pacingIntervalMs: number;
  /** Simulator speed factor: durations the worker waits on (drop window, timeouts) shrink with it. */
  simSpeed: number;
  queuePrefix: string;
  /** Every connected socket's session is checked with cms this often (SESSION_RECHECK_MS). */
  sessionRecheckMs: number;
  /** A command trusts cms's last word on its session for this long (SESSION_CACHE_MS). */
  sessionCacheMs: number;
  /** Sessions checked with cms at once (SESSION_CHECK_CONCURRENCY). */
  sessionCheckConcurrency: number;
  /** `/health` answers within this long, whatever hangs behind it (HEALTH_TIMEOUT_MS). */
  healthTimeoutMs: number;
  corsOrigins: string[];
  /** The Redis channel of cms's change notices (DATA_CHANGES_CHANNEL): the same as cms's. */
  dataChangesChannel: string;
  /** Redis channel of the screen pops cms asks for on a provider's webhook call (PROVIDER_POPS_CHANNEL). */
  providerPopsChannel: string;
  /**
   * A worker not heard of for this long is taken for dead (WORKER_LEASE_MS): another worker
   * adopts the calls it was following. Absent: 5000.
   */
  workerLeaseMs?: number;
};

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`dialer-worker: ${name} must be a positive number, got ${env[name]}`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`dialer-worker: ${name} is required`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    port: Number(env.PORT ?? env.WORKER_PORT ?? 4000),
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    cmsUrl: (env.CMS_URL ?? 'http://localhost:1337').replace(/\/$/, ''),
    cmsApiToken: required(env, 'CMS_API_TOKEN'),
    ami: {
      host: env.AMI_HOST ?? '127.0.0.1',
      port: Number(env.AMI_PORT ?? 5038),
      username: env.AMI_USERNAME ?? 'dialer',
      secret: required(env, 'AMI_SECRET'),
    },
    pacingIntervalMs: Number(env.PACING_INTERVAL_MS ?? 1000),
    simSpeed: Math.max(1, Number(env.SIM_SPEED ?? 1)),
    queuePrefix: env.QUEUE_PREFIX ?? 'dialer',
    sessionRecheckMs: positive(env, 'SESSION_RECHECK_MS', 5000),
    sessionCacheMs: positive(env, 'SESSION_CACHE_MS', 3000),
    sessionCheckConcurrency: Math.floor(positive(env, 'SESSION_CHECK_CONCURRENCY', 8)),
    healthTimeoutMs: positive(env, 'HEALTH_TIMEOUT_MS', 1500),
    corsOrigins: (env.CORS_ORIGINS ?? 'http://localhost:8080').split(',').map((o) => o.trim()).filter(Boolean),
    dataChangesChannel: env.DATA_CHANGES_CHANNEL || DEFAULT_DATA_CHANGES_CHANNEL,
    providerPopsChannel: env.PROVIDER_POPS_CHANNEL || 'collections:provider-pops',
    workerLeaseMs: positive(env, 'WORKER_LEASE_MS', 5000),
  };
}
