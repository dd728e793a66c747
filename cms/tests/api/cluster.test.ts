import { spawn, type ChildProcess } from 'child_process';
import crypto from 'crypto';
import http from 'http';
import net from 'net';
import path from 'path';
import Redis from 'ioredis';
import type { Core } from '@strapi/strapi';
import { startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';
import { rateLimitPrefix } from '../../src/scale/redis-rate-limit-store';

/**
 * Two cms processes behind one port (server.js, CMS_PROCESSES=2) on the test
 * database and the local Redis, and this test's own Strapi beside them as the
 * administrator's process. Every request below opens a connection of its own,
 * so the cluster's primary deals them to both processes in turn.
 */
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const RATE_LIMIT_MAX = 6;

let strapi: Core.Strapi;
let w: World;
let cluster: ChildProcess;
let port: number;
let output = '';

type Reply = { status: number; body: any };
function call(method: string, urlPath: string, { token, body }: { token?: string; body?: unknown } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1', port, path: urlPath, method, agent: false,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(payload ? { 'Content-Type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
const statuses = async (n: number, method: string, urlPath: string, options?: Parameters<typeof call>[2]) =>
  (await Promise.all(Array.from({ length: n }, () => call(method, urlPath, options)))).map((r) => r.status);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    });
  });
}

async function waitFor(what: string, test: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; cluster said:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const previousRedisUrl = process.env.REDIS_URL;

beforeAll(async () => {
  // This process publishes its invalidations where the cluster listens.
  process.env.REDIS_URL = REDIS_URL;
  process.env.DATA_CHANGES_CHANNEL = `cluster-test:${crypto.randomBytes(4).toString('hex')}`;
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'clu');
  port = await freePort();
  cluster = spawn(process.execPath, [path.resolve(__dirname, '..', '..', 'server.js')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, CMS_PROCESSES: '2', HOST: '127.0.0.1', PORT: String(port), AUTH_RATE_LIMIT_MAX: String(RATE_LIMIT_MAX), STRAPI_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cluster.stdout!.on('data', (d) => (output += d));
  cluster.stderr!.on('data', (d) => (output += d));
  await waitFor('two cms processes listening', () => (output.match(/cms: process \d+ listening/g) ?? []).length >= 2, 180_000);
}, 300_000);

afterAll(async () => {
  if (cluster && cluster.exitCode === null) {
    const exited = new Promise((r) => cluster.once('exit', r));
    cluster.kill('SIGTERM');
    await exited;
  }
  await stopStrapi(strapi);
  if (previousRedisUrl === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = previousRedisUrl;
});

describe('two cms processes on one port', () => {
  it('a role an admin changes in another process takes effect in both within a second', async () => {
    const agent = w.users.agentA1;
    const token = w.tokens.agentA1;
    // Both processes have the agent, their role and its ability cached.
    expect(await statuses(12, 'GET', '/api/accounts', { token })).toEqual(Array(12).fill(200));

    const roles = strapi.db.query('plugin::users-permissions.role');
    const agentRole = await roles.findOne({ where: { type: 'agent' } });
    const plainRole = await roles.findOne({ where: { type: 'authenticated' } });
    try {
      await strapi.plugin('users-permissions').service('user').edit(agent.id, { role: plainRole.id });
      const changed = Date.now();
      let seen: number[] = [];
      while (Date.now() - changed < 1000) {
        seen = await statuses(12, 'GET', '/api/accounts', { token });
        if (seen.every((s) => s === 403)) break;
      }
      expect(seen).toEqual(Array(12).fill(403));
      expect(Date.now() - changed).toBeLessThan(1000);
    } finally {
      await strapi.plugin('users-permissions').service('user').edit(agent.id, { role: agentRole.id });
    }
    // And back: the restored role is seen too.
    const back = Date.now();
    let seen: number[] = [];
    while (Date.now() - back < 1000) {
      seen = await statuses(12, 'GET', '/api/accounts', { token });
      if (seen.every((s) => s === 200)) break;
    }
    expect(seen).toEqual(Array(12).fill(200));
  });

  it('a grant an admin removes from a role is refused by both within a second', async () => {
    const token = w.tokens.agentA1;
    expect(await statuses(8, 'GET', `/api/campaigns`, { token })).toEqual(Array(8).fill(200));
    const permissions = strapi.db.query('plugin::users-permissions.permission');
    const grant = await permissions.findOne({ where: { action: 'api::campaign.campaign.find', role: { type: 'agent' } }, populate: { role: true } });
    expect(grant).toBeTruthy();
    await permissions.delete({ where: { id: grant.id } });
    try {
      const removed = Date.now();
      let seen: number[] = [];
      while (Date.now() - removed < 1000) {
        seen = await statuses(8, 'GET', '/api/campaigns', { token });
        if (seen.every((s) => s === 403)) break;
      }
      expect(seen).toEqual(Array(8).fill(403));
    } finally {
      await permissions.create({ data: { action: grant.action, role: grant.role.id } });
    }
  });

  it('keeps the audit chain whole under concurrent writes to both processes', async () => {
    const token = w.tokens.supervisorA;
    const before = await strapi.db.query('api::audit-log.audit-log').count({ where: { entityDocumentId: w.accounts.a1.documentId } });
    const writes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call('PUT', `/api/accounts/${i % 2 ? w.accounts.a1.documentId : w.accounts.a1b.documentId}`, { token, body: { data: { notes: `concurrent note ${i}` } } }),
      ),
    );
    expect(writes.map((r) => r.status)).toEqual(Array(30).fill(200));
    const after = await strapi.db.query('api::audit-log.audit-log').count({ where: { entityDocumentId: w.accounts.a1.documentId } });
    expect(after - before).toBe(15);
    const verify = await call('GET', '/api/audit-logs/verify', { token });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('counts failed logins across both processes against one limit', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      // This file's own logins (building its world) counted against the same key.
      const keys = await redis.keys(`${rateLimitPrefix(process.env)}*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    const attempts: number[] = [];
    for (let i = 0; i < RATE_LIMIT_MAX * 2; i++) {
      attempts.push((await call('POST', '/api/auth/local', { body: { identifier: w.users.agentA2.username, password: 'wrong-password-1' } })).status);
    }
    expect(attempts.slice(0, RATE_LIMIT_MAX)).toEqual(Array(RATE_LIMIT_MAX).fill(400));
    expect(attempts.slice(RATE_LIMIT_MAX)).toEqual(Array(RATE_LIMIT_MAX).fill(429));
  });
});
