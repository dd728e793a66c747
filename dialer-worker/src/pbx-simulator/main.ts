import { mulberry32 } from '../math/random-source';
import { DEFAULT_SCENARIO } from '../simulation/scenario';
import { PbxSimulator } from './pbx-simulator';
import { loadSimulatorFile, type SimulatorFile } from './simulator-config';
import { JsonLinesFileLog } from './simulator-log';

/**
 * The PBX simulator as a process: AMI on AMI_PORT (5038).
 *
 *   AMI_PORT, AMI_HOST (interface, default 127.0.0.1), AMI_USERNAME, AMI_SECRET,
 *   SIM_SPEED (default 1), SIM_SEED (default: from the clock), SIM_SCENARIO (a scenario file,
 *   see simulator-config.ts), PBX_SIM_LOG (JSON lines of every Originate and outcome).
 */
async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const username = env.AMI_USERNAME;
  const secret = env.AMI_SECRET;
  if (!username || !secret) throw new Error('AMI_USERNAME and AMI_SECRET are required');
  const port = intFrom(env.AMI_PORT, 5038, 'AMI_PORT');
  const speed = env.SIM_SPEED ? Number(env.SIM_SPEED) : 1;
  if (!(speed > 0)) throw new Error(`SIM_SPEED must be a positive number, got ${env.SIM_SPEED}`);
  const seed = intFrom(env.SIM_SEED, Date.now() >>> 0, 'SIM_SEED');
  const file: SimulatorFile = env.SIM_SCENARIO ? loadSimulatorFile(env.SIM_SCENARIO) : { scenario: DEFAULT_SCENARIO, outcomes: {} };
  const log = env.PBX_SIM_LOG ? new JsonLinesFileLog(env.PBX_SIM_LOG) : undefined;

  const simulator = new PbxSimulator({
    username,
    secret,
    speed,
    scenario: file.scenario,
    outcomes: file.outcomes,
    silenceHangupSec: file.silenceHangupSec,
    safeHarborSec: file.safeHarborSec,
    random: mulberry32(seed),
    log,
    host: env.AMI_HOST ?? '127.0.0.1',
  });
  const bound = await simulator.start(port);
  console.log(
    `pbx-simulator: AMI on ${env.AMI_HOST ?? '127.0.0.1'}:${bound}, speed ×${speed}, seed ${seed}, scenario "${file.scenario.name}"` +
      (env.PBX_SIM_LOG ? `, log ${env.PBX_SIM_LOG}` : ''),
  );

  // SIM_INBOUND: an inbound stream as JSON, e.g. {"ratePerMin":2,"dids":["+12125550143"],"callerIds":["+13122000000","+13125550999"],"patience":{"meanSec":90,"sdSec":90},"talk":{"meanSec":240,"sdSec":120}}
  if (env.SIM_INBOUND) {
    simulator.startInboundStream(JSON.parse(env.SIM_INBOUND));
    console.log(`pbx-simulator: inbound callers ${env.SIM_INBOUND}`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`pbx-simulator: ${signal}, stopping`, JSON.stringify(simulator.counters()));
    simulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return Number(value);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`pbx-simulator: ${(err as Error).message}`);
    process.exit(1);
  });
}

export { main };
