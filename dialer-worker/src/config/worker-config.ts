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
};

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
  };
}
