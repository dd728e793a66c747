#!/usr/bin/env node
/**
 * cms in CMS_PROCESSES processes sharing one port, with Node's cluster module
 * (the primary accepts connections and hands them to the workers in turn).
 *
 *   node server.js                       # what `npm start` and the Docker image run
 *   CMS_PROCESSES=4 node server.js
 *
 * Default: one process per core in production, one otherwise. The compiled
 * app (`npm run build`) is required. What the processes share lives in
 * PostgreSQL and Redis (see docs/scaling.md): boots are serialised by an
 * advisory lock (src/scale/boot-lock.ts), caches are dropped across processes
 * through Redis pub/sub or, without Redis, through this primary.
 */
const cluster = require('cluster');
const os = require('os');
const path = require('path');

const IPC_TYPE = 'collections:invalidate'; // src/scale/invalidation-bus.ts

function processCount(env = process.env) {
  if (env.CMS_PROCESSES !== undefined && env.CMS_PROCESSES !== '') {
    const n = Number(env.CMS_PROCESSES);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`CMS_PROCESSES must be a whole number from 1 to 256, got "${env.CMS_PROCESSES}"`);
    return n;
  }
  if (env.NODE_ENV !== 'production') return 1;
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function startOne() {
  const { createStrapi } = require('@strapi/strapi');
  const appDir = __dirname;
  return createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).start();
}

function startPrimary(count) {
  const sqlite = (process.env.DATABASE_CLIENT || 'sqlite') === 'sqlite';
  if (sqlite) {
    console.error('cms: CMS_PROCESSES > 1 needs PostgreSQL (one SQLite file cannot take writes from several processes); starting one process');
    return startOne();
  }
  let stopping = false;
  const restarts = [];
  console.log(`cms: starting ${count} processes on one port`);
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('listening', (worker, address) => console.log(`cms: process ${worker.process.pid} listening on ${address.address ?? ''}:${address.port}`));

  // Without Redis, a worker's cache invalidation reaches the others through here.
  cluster.on('message', (from, msg) => {
    if (!msg || msg.type !== IPC_TYPE) return;
    for (const worker of Object.values(cluster.workers)) if (worker && worker !== from && worker.isConnected()) worker.send(msg);
  });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    // A process that dies at once again and again (bad config, database gone) would otherwise spin.
    if (restarts.length > count * 5) {
      console.error(`cms: processes keep exiting (last: code ${code}, signal ${signal}); stopping`);
      stop(1);
      return;
    }
    console.error(`cms: process ${worker.process.pid} exited (code ${code}, signal ${signal}); starting another`);
    cluster.fork();
  });

  function stop(exitCode = 0) {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers).filter(Boolean);
    if (!workers.length) process.exit(exitCode);
    let left = workers.length;
    for (const worker of workers) {
      worker.once('exit', () => --left === 0 && process.exit(exitCode));
      worker.process.kill('SIGTERM');
    }
    setTimeout(() => process.exit(exitCode), 15_000).unref();
  }
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
}

if (require.main === module) {
  const count = processCount();
  if (cluster.isPrimary && count > 1) startPrimary(count);
  else startOne().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { processCount };
