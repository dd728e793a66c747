/**
 * The real parts the console's tests run against, started with the dialer-worker's own live-test
 * harness: cms on a throwaway PostgreSQL database, the PBX simulator over TCP, the worker on
 * Redis, and the console's production build served as `npm start` serves it.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { command, connect, freePort, startCms, startPbx, startWorker, type CmsInfo } from '../../../dialer-worker/tests/live/harness';

import { startConsoleServer } from '../../server/console-server.js';

export { command, connect, startCms, type CmsInfo };

const CONSOLE_DIR = path.resolve(__dirname, '..', '..');
/** The production build served: dist/, or CONSOLE_DIST (two builds measured back to back, e.g. by bench:pop). */
const CONSOLE_DIST = process.env.CONSOLE_DIST ? path.resolve(process.env.CONSOLE_DIST) : path.join(CONSOLE_DIR, 'dist');
export const ARTIFACTS = path.join(CONSOLE_DIR, 'test-results');

/**
 * Every demo phone answers as a person after a one-second ring and stays on the line until the
 * agent hangs up; `amdSec` 0 gives the answering-machine verdict at the answer itself.
 */
function simulatorFile(accounts: number, amdSec?: number): string {
  const phone = (n: number) => `+1312${String(2000000 + n).padStart(7, '0')}`;
  const outcomes = Object.fromEntries(Array.from({ length: accounts }, (_, i) => [phone(i), { outcome: 'human', ringSec: 1, talkSec: 600, ...(amdSec === undefined ? {} : { amdSec }) }]));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'console-sim-')), 'scenario.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'console test: every debtor answers', agents: 1, liveRate: 0.3, abandonTarget: 0.03, outcomes }));
  return file;
}

export type LiveStack = {
  info: CmsInfo;
  consoleUrl: string;
  workerPort: number;
  /** Kills the worker (SIGKILL: no goodbye to anyone) and starts a new one on the same port. */
  restartWorker: () => Promise<void>;
  /** Kills the worker; the promise of its successor comes back. */
  killWorker: () => Promise<() => Promise<void>>;
  stop: () => Promise<void>;
};

/**
 * `cmsEnv` reaches cms/scripts/test-server.js (e.g. PREVIEW_CAMPAIGN=1 for a preview campaign beside the main one);
 * `pbxLog`: the simulator's JSON-lines log of every Originate and outcome (PBX_SIM_LOG); `simulator` its scenario file.
 */
export async function startLiveStack({ accounts = 12, agents = 2, dialMode = 'progressive', cmsEnv = {} as Record<string, string>, amdSec = undefined as number | undefined, pbxLog = undefined as string | undefined, simulator = undefined as string | undefined } = {}): Promise<LiveStack> {
  const consolePort = await freePort();
  const origin = `http://127.0.0.1:${consolePort}`;
  const stops: Array<() => Promise<void>> = [];
  try {
    // cms tells the worker of every change over Redis, on a channel of this stack's own.
    const changes = { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', DATA_CHANGES_CHANNEL: `console-test-changes-${process.pid}-${Date.now()}` };
    const cms = await startCms({ ACCOUNTS: String(accounts), AGENTS: String(agents), DIAL_MODE: dialMode, CORS_ORIGINS: origin, ...changes, ...cmsEnv });
    stops.push(cms.stop);
    const pbx = await startPbx({ SIM_SPEED: '1', SIM_SEED: '7', SIM_SCENARIO: simulator ?? simulatorFile(accounts, amdSec), ...(pbxLog ? { PBX_SIM_LOG: pbxLog } : {}) });
    stops.push(pbx.stop);
    const workerPort = await freePort();
    // PORT last: the harness picks a port of its own, and a restarted worker must come back where the console expects it.
    const workerEnv = { ...changes, AMI_PORT: String(pbx.port), CMS_URL: cms.info.url, CMS_API_TOKEN: cms.info.apiToken, QUEUE_PREFIX: `console${Date.now()}`, WORKER_ID: 'console-test', PACING_INTERVAL_MS: '200', CORS_ORIGINS: origin, PORT: String(workerPort) };
    let worker = await startWorker(workerEnv);
    stops.push(() => worker.stop('SIGTERM'));
    const killWorker = async () => {
      await worker.stop('SIGKILL');
      return async () => {
        worker = await startWorker(workerEnv);
      };
    };
    const server = await startConsoleServer({ root: CONSOLE_DIST, port: consolePort, runtimeConfig: { cmsUrl: cms.info.url, workerUrl: `http://127.0.0.1:${workerPort}`, idleLogoutMinutes: 30 } });
    stops.push(server.close);
    return { info: cms.info, consoleUrl: server.url, workerPort, killWorker, restartWorker: async () => (await killWorker())(), stop: () => stopAll(stops) };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}

/** Debian's chromium, headless, with a fresh profile and nothing phoning home. */
export async function launchChromium(extraArgs: string[] = [], { timezoneId }: { timezoneId?: string } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    timezoneId,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs a user in on the console's sign-in page and waits for their home page. */
export async function signInAs(page: Page, consoleUrl: string, username: string, password: string, home = '**/workspace'): Promise<void> {
  await page.goto(`${consoleUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(home);
}

/** Polls until `check` returns a value, or fails with what it last saw. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export type CmsStack = { info: CmsInfo; consoleUrl: string; stop: () => Promise<void> };

/** cms and the console only: for pages that read and write cms and need no dialer (the console's socket finds no worker and says so). */
export async function startCmsStack({ accounts = 20, agents = 2, cmsEnv = {} as Record<string, string> } = {}): Promise<CmsStack> {
  const consolePort = await freePort();
  const cms = await startCms({ ACCOUNTS: String(accounts), AGENTS: String(agents), CORS_ORIGINS: `http://127.0.0.1:${consolePort}`, ...cmsEnv });
  try {
    const noWorker = await freePort();
    const server = await startConsoleServer({ root: CONSOLE_DIST, port: consolePort, runtimeConfig: { cmsUrl: cms.info.url, workerUrl: `http://127.0.0.1:${noWorker}`, idleLogoutMinutes: 30 } });
    return { info: cms.info, consoleUrl: server.url, stop: () => stopAll([cms.stop, server.close]) };
  } catch (error) {
    await cms.stop();
    throw error;
  }
}

/** Signs in through the login page, as a person would. */
export async function signIn(context: BrowserContext, consoleUrl: string, username: string, password: string) {
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

/**
 * cms's REST API as the dialer or a bank's system calls it (the stack's API token, or `token`): the parsed
 * answer, or an error carrying the status. `body` goes as it is: wrap it in `{ data }` where cms wants that.
 */
export async function cmsRest(info: Pick<CmsInfo, 'url' | 'apiToken'>, method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(`${info.url}/api${url}`, {
    method,
    headers: { Authorization: `Bearer ${token ?? info.apiToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: any = await res.json();
  if (!res.ok) throw Object.assign(new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json.error ?? json)}`), { status: res.status });
  return json;
}

/** A full-page screenshot in test-results/ once nothing on the page is loading (a table still loading is drawn faded). */
export async function settledShot(page: Page, name: string): Promise<void> {
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
