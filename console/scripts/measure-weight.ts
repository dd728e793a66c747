/**
 * What an agent's browser loads for the workspace, and how soon it paints:
 *
 *   npm run measure:weight --prefix console
 *
 * Builds the console, weighs the JavaScript the /workspace route loads (the entry and the
 * lazy workspace page with their static imports, each file gzipped), then signs an agent in
 * with Debian's chromium against a real cms (a throwaway PostgreSQL database) and reloads
 * /workspace with the browser cache off: its first contentful paint and the scripts it fetched.
 * The worker is not started: the page paints its "Reconnecting" state, as it would while the
 * dialer is away.
 */
import { execSync } from 'child_process';
import path from 'path';
import zlib from 'zlib';
import { startConsoleServer } from '../server/console-server.js';
import { freePort, startCms } from '../../dialer-worker/tests/live/harness';
import { launchChromium, signInAs } from '../tests/support/live-stack';
import { routeWeight, WORKSPACE_PAGE } from './route-weight';

const CONSOLE_DIR = path.resolve(__dirname, '..');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) execSync('npx vite build', { cwd: CONSOLE_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  const weight = routeWeight(path.join(CONSOLE_DIR, 'dist'), WORKSPACE_PAGE);
  console.log(`JavaScript the /workspace route loads, gzipped: ${kb(weight.gzip)} in ${weight.files.length} files`);
  for (const f of weight.files) console.log(`  ${f.file.padEnd(48)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}`);

  const consolePort = await freePort();
  const origin = `http://127.0.0.1:${consolePort}`;
  const cms = await startCms({ ACCOUNTS: '0', AGENTS: '1', CORS_ORIGINS: origin });
  const server = await startConsoleServer({ root: path.join(CONSOLE_DIR, 'dist'), port: consolePort, runtimeConfig: { cmsUrl: cms.info.url, workerUrl: `http://127.0.0.1:${await freePort()}`, idleLogoutMinutes: 30 } });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await signInAs(page, server.url, cms.info.agents[0].username, cms.info.password);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const scripts: string[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() === 'script') scripts.push(res.url());
    });
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      scripts.length = 0;
      await page.reload({ waitUntil: 'load' });
      await page.getByRole('button', { name: 'Ready' }).waitFor();
      runs.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    }
    let fetched = 0;
    for (const url of scripts) fetched += zlib.gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    runs.sort((a, b) => a - b);
    console.log(`Scripts chromium fetched reloading /workspace: ${scripts.length}, ${kb(fetched)} gzipped`);
    console.log(`First contentful paint of /workspace (signed in, cache off, 5 reloads): median ${runs[2].toFixed(0)} ms, min ${runs[0].toFixed(0)} ms, max ${runs[4].toFixed(0)} ms`);
  } finally {
    await browser.close();
    await server.close();
    await cms.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
