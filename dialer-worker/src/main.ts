import { AsteriskManagerConnection } from './ami/asterisk-manager-connection';
import { HttpCmsClient } from './cms/cms-client';
import { loadConfig } from './config/worker-config';
import { DialerWorker } from './dialer-worker';

/**
 * The dialer-worker process. SIGTERM stops gracefully; a SIGKILL loses
 * nothing that Redis holds: the next start resumes calls in flight and queued
 * records, and never originates an attempt twice.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const ami = new AsteriskManagerConnection({ host: config.ami.host, port: config.ami.port, username: config.ami.username, secret: config.ami.secret });
  const worker = new DialerWorker({ config, ami, cms: new HttpCmsClient(config.cmsUrl, config.cmsApiToken) });
  await worker.start();
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      worker.stop().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
