import { AsteriskManagerConnection } from '../../src/ami/asterisk-manager-connection';
import { HttpCmsClient } from '../../src/cms/cms-client';
import type { WorkerConfig } from '../../src/config/worker-config';
import { DialerWorker } from '../../src/dialer-worker';
import { mulberry32 } from '../../src/math/random-source';
import { PbxSimulator, type PbxSimulatorOptions } from '../../src/pbx-simulator/pbx-simulator';
import { DEFAULT_SCENARIO } from '../../src/simulation/scenario';

export type InProcessWorker = { worker: DialerWorker; port: number; pbx: PbxSimulator; logs: Array<{ msg: string } & Record<string, unknown>>; stop: () => Promise<void> };

/**
 * The worker in the test's process (faster to start than a child, and its log is at hand),
 * with a PBX simulator over TCP, a real Redis under its own prefix and a real cms.
 */
export async function startInProcessWorker(cmsUrl: string, apiToken: string, overrides: Partial<WorkerConfig> = {}, pbxOptions: Partial<PbxSimulatorOptions> = {}): Promise<InProcessWorker> {
  const pbx = new PbxSimulator({ username: 'dialer', secret: 'sim-secret-123', speed: 20, scenario: DEFAULT_SCENARIO, outcomes: {}, random: mulberry32(5), ...pbxOptions });
  const amiPort = await pbx.start(0);
  const config: WorkerConfig = {
    port: 0,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    cmsUrl,
    cmsApiToken: apiToken,
    ami: { host: '127.0.0.1', port: amiPort, username: 'dialer', secret: 'sim-secret-123' },
    pacingIntervalMs: 200,
    simSpeed: 20,
    queuePrefix: `test-worker-${process.pid}-${Date.now()}`,
    sessionRecheckMs: 500,
    sessionCacheMs: 300,
    sessionCheckConcurrency: 4,
    healthTimeoutMs: 1000,
    corsOrigins: ['http://localhost:8080'],
    dataChangesChannel: `test-data-changes-${process.pid}-${Date.now()}`,
    providerPopsChannel: `test-provider-pops-${process.pid}-${Date.now()}`,
    ...overrides,
  };
  const ami = new AsteriskManagerConnection({ host: '127.0.0.1', port: amiPort, username: 'dialer', secret: 'sim-secret-123' });
  const logs: InProcessWorker['logs'] = [];
  const worker = new DialerWorker({ config, ami, cms: new HttpCmsClient(cmsUrl, apiToken, 2000), workerId: `w-${process.pid}`, log: (msg, e) => logs.push({ msg, ...e }) });
  await worker.start();
  return {
    worker,
    port: worker.port(),
    pbx,
    logs,
    stop: async () => {
      await worker.stop();
      await pbx.stop();
    },
  };
}
