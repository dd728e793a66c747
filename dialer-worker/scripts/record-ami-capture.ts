/**
 * Records what a real Asterisk sends while the worker's own AsteriskManagerConnection dials
 * the emulated carrier of `tests/fixtures/asterisk-20/carrier-emulation.conf`: the fixture
 * `ami-capture.txt` is this script's output. See `../../config/asterisk/README.md`.
 *
 *   AMI_HOST=127.0.0.1 AMI_PORT=5038 AMI_USERNAME=dialer AMI_SECRET=… \
 *     npx tsx scripts/record-ami-capture.ts tests/fixtures/asterisk-20/ami-capture.txt
 *
 * One session records every byte (`Events: on`, ActionID `rec-1`); the worker's connection,
 * a second session, logs agent 1001 in, dials every carrier extension as attempt `a-<exten>`
 * (3 s apart, a UTF-8 caller name), redirects a person to agent 1001, and after the last
 * call has had its ring timeout the recorder logs off (`rec-2`).
 */
import { createWriteStream } from 'node:fs';
import { connect } from 'node:net';
import { header } from '../src/ami/ami-protocol';
import { AsteriskManagerConnection } from '../src/ami/asterisk-manager-connection';

const EXTENSIONS = ['100', '101', '200', '201', '202', '203', '300', '301', '400', '401', '500', '600', '999'];
const RING_TIMEOUT_MS = 20_000;

async function main(): Promise<void> {
  const out = process.argv[2];
  const { AMI_HOST = '127.0.0.1', AMI_PORT = '5038', AMI_USERNAME, AMI_SECRET } = process.env;
  if (!out || !AMI_USERNAME || !AMI_SECRET) throw new Error('usage: AMI_USERNAME=… AMI_SECRET=… record-ami-capture.ts <output file>');
  const file = createWriteStream(out);
  const recorder = connect(Number(AMI_PORT), AMI_HOST);
  recorder.on('data', (chunk: Buffer) => file.write(chunk));
  recorder.write(`Action: Login\r\nActionID: rec-1\r\nUsername: ${AMI_USERNAME}\r\nSecret: ${AMI_SECRET}\r\nEvents: on\r\n\r\n`);

  const ami = new AsteriskManagerConnection({
    host: AMI_HOST,
    port: Number(AMI_PORT),
    username: AMI_USERNAME,
    secret: AMI_SECRET,
    dialString: (exten) => `Local/${exten}@carrier`,
  });
  ami.on('event', (m) => {
    if (header(m, 'event') === 'UserEvent' && header(m, 'userevent') === 'AMDResult' && header(m, 'status') === 'HUMAN') {
      void ami.redirect(header(m, 'channel') ?? '', 'agent-bridge', '1001').catch((e: Error) => console.error('redirect', e.message));
    }
  });
  await ami.connect();
  await ami.originateAgentLeg({ agentId: '1001' });
  for (const exten of EXTENSIONS) {
    await new Promise((r) => setTimeout(r, 3_000));
    await ami.originate({ attemptId: `a-${exten}`, phone: exten, timeoutMs: RING_TIMEOUT_MS, callerId: '"Zoë Ångström 山田" <+13125550100>' });
  }
  await new Promise((r) => setTimeout(r, RING_TIMEOUT_MS + 45_000));
  recorder.end('Action: Logoff\r\nActionID: rec-2\r\n\r\n');
  await new Promise((r) => recorder.once('close', r));
  await ami.close();
  file.end();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
