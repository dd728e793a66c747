import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { io, type Socket } from 'socket.io-client';

const WORKER_DIR = path.resolve(__dirname, '..', '..');
const CMS_DIR = path.resolve(WORKER_DIR, '..', 'cms');
// One process, not the tsx wrapper: a SIGKILL must reach the worker itself, not a parent that leaves it running.
const TS_NODE = [process.execPath, '--import', 'tsx'] as const;

export type CmsInfo = {
  url: string;
  apiToken: string;
  campaignId: string;
  /** With PREVIEW_CAMPAIGN=1: a preview campaign of the same client and agents. */
  previewCampaignId: string | null;
  /** The demo users' password, to sign in again for a fresh token. */
  password: string;
  agents: Array<{ id: number; username: string; jwt: string }>;
  outsider: { id: number; username: string; jwt: string };
  supervisor: { id: number; username: string; jwt: string };
  otherSupervisor: { id: number; username: string; jwt: string };
  /** An analyst of the same client as `supervisor`: reads, never acts. */
  analyst: { id: number; username: string; jwt: string };
  /** With EXTRA_CAMPAIGNS=n: n more campaigns of the same client and agents. */
  extraCampaignIds: string[];
  neverDial: Record<'dnc' | 'late' | 'talked' | 'eighth', string>;
  dispositions: Record<string, string>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForLine(child: ChildProcess, marker: RegExp, timeoutMs: number, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${timeoutMs} ms:\n${buffer.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => marker.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (buffer += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}:\n${buffer.slice(-2000)}`));
    });
  });
}

/** A real cms (compiled Strapi on a throwaway PostgreSQL database), as cms/scripts/test-server.js makes it. */
export async function startCms(env: Record<string, string> = {}): Promise<{ info: CmsInfo; stop: () => Promise<void>; child: ChildProcess }> {
  if (!fs.existsSync(path.join(CMS_DIR, 'node_modules', '@strapi', 'strapi'))) {
    throw new Error('cms dependencies are not installed: run `npm test` from the repository root, which installs every service');
  }
  const child = spawn(process.execPath, ['scripts/test-server.js', '--exit-with-stdin'], { cwd: CMS_DIR, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  // A benchmark's bulk seed on a busy machine may need longer (CMS_START_TIMEOUT_MS).
  const line = await waitForLine(child, /^CMS_TEST_SERVER /, Number(process.env.CMS_START_TIMEOUT_MS) || 180_000, 'cms test server').catch((error) => {
    // A cms that boots too late must not live on after the test gave up on it (its Strapi and database stayed up).
    child.kill('SIGTERM');
    throw error;
  });
  const info = JSON.parse(line.replace(/^CMS_TEST_SERVER /, ''));
  // Closing its stdin, not a signal: Strapi's own signal handlers would exit before the database is dropped.
  return { info, child, stop: () => stopChild(child, 'SIGTERM', () => child.stdin?.end()) };
}

/** The simulator as a process (so it can be SIGKILLed); `port` to come back where the worker looks for it. */
/** Sets a campaign's fields through cms's REST API, as the worker's token (a test's own settings, e.g. its retry delay). */
export async function updateCampaign(info: CmsInfo, data: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${info.url}/api/campaigns/${info.campaignId}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ data }),
  });
  if (res.status !== 200) throw new Error(`campaign update refused: ${res.status} ${await res.text()}`);
}

export async function startPbx(env: Record<string, string>, port?: number): Promise<{ port: number; stop: (signal?: NodeJS.Signals) => Promise<void>; child: ChildProcess }> {
  port ??= await freePort();
  const child = spawn(TS_NODE[0], [...TS_NODE.slice(1), 'src/pbx-simulator/main.ts'], { cwd: WORKER_DIR, env: { ...process.env, AMI_PORT: String(port), AMI_USERNAME: 'dialer', AMI_SECRET: 'sim-secret-123', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForLine(child, /AMI on/, 30_000, 'pbx simulator');
  return { port, child, stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal) };
}

export type WorkerProcess = { port: number; child: ChildProcess; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<void> };

/** `port`: a restarted worker on the port of the last one, so the consoles' sockets reconnect on their own. */
export async function startWorker(env: Record<string, string>, port?: number): Promise<WorkerProcess> {
  port ??= await freePort();
  const child = spawn(TS_NODE[0], [...TS_NODE.slice(1), 'src/main.ts'], { cwd: WORKER_DIR, env: { ...process.env, PORT: String(port), AMI_USERNAME: 'dialer', AMI_SECRET: 'sim-secret-123', WORKER_ID: 'test-worker', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await waitForLine(child, /dialer-worker started/, 60_000, 'dialer-worker');
  return { port, child, output: () => output, stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal) };
}

export type RedisProcess = { port: number; url: string; child: ChildProcess; kill: () => Promise<void> };

/**
 * A redis-server of the test's own on `port`, with its data in `dir`: `persistent` as the
 * product runs it (AOF, fsync every second: what a restart comes back with), else with no
 * persistence at all (a restart comes back empty).
 */
export async function startRedis(port: number, dir: string, persistent: boolean): Promise<RedisProcess> {
  const persistence = persistent ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForLine(child, /Ready to accept connections/, 30_000, 'redis-server');
  return { port, url: `redis://127.0.0.1:${port}`, child, kill: () => stopChild(child, 'SIGKILL') };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals, ask?: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const polite = ask ? setTimeout(() => child.kill(signal), 15_000) : undefined;
    child.once('exit', () => {
      clearTimeout(force);
      if (polite) clearTimeout(polite);
      resolve();
    });
    if (ask) ask();
    else child.kill(signal);
  });
}

/** `listen` attaches handlers before the connection opens, so nothing the server sends on connection is missed. */
export function connect(port: number, token: string, listen: (socket: Socket) => void = () => undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`http://127.0.0.1:${port}`, { auth: { token }, transports: ['websocket'], reconnection: true, reconnectionDelay: 200, autoConnect: false });
    listen(socket);
    // Only the first connection may fail the promise: a reconnection that fails (the worker
    // restarting) must leave the socket trying again, as a console's would.
    const refused = (e: Error) => {
      socket.close();
      reject(e);
    };
    socket.once('connect_error', refused);
    socket.once('connect', () => {
      socket.off('connect_error', refused);
      resolve(socket);
    });
    socket.connect();
  });
}

export function command(socket: Socket, name: string, payload: unknown = {}): Promise<{ ok: boolean; error?: string; data?: any }> {
  return new Promise((resolve) => socket.timeout(15_000).emit(name, payload, (err: Error | null, reply: any) => resolve(err ? { ok: false, error: `NO_REPLY: ${err.message}` } : reply)));
}

export function tmpFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dialer-')), name);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
