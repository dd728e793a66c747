// What the two README commands share: installing each service's own
// dependency tree when it is missing or stale, and making sure the local
// PostgreSQL and Redis are up. No dependencies of its own: it runs before
// anything is installed.
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SERVICES = ['cms', 'dialer-worker', 'console'].filter((s) => fs.existsSync(path.join(ROOT, s, 'package.json')));

function log(message) {
  process.stdout.write(`\x1b[36m[collections]\x1b[0m ${message}\n`);
}

function fail(message) {
  process.stderr.write(`\x1b[31m[collections] ${message}\x1b[0m\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not run: ${result.error.message}`);
  return result.status ?? 1;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Installs a service's dependencies when node_modules is missing or older than its lockfile. */
function ensureInstalled(service) {
  const dir = path.join(ROOT, service);
  const lock = path.join(dir, 'package-lock.json');
  const stampFile = path.join(dir, 'node_modules', '.collections-install-stamp');
  const wanted = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(dir, 'package.json')))
    .update(fs.existsSync(lock) ? fs.readFileSync(lock) : '')
    .digest('hex');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === wanted) return;
  log(`installing ${service} dependencies (first run: a few minutes)…`);
  // Not `npm ci`: npm 11 leaves other platforms' optional binaries (@swc/core-*)
  // out of the lockfile and then refuses it. `install --no-save` follows the lockfile
  // and leaves it untouched.
  const args = ['install', '--no-save', '--no-audit', '--no-fund'];
  if (run('npm', args, { cwd: dir }) !== 0) fail(`npm install failed in ${service}/`);
  fs.writeFileSync(stampFile, wanted);
}

function portOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await portOpen(host, port, 250)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function ensurePostgres(url) {
  const { hostname, port } = new URL(url);
  const p = Number(port || 5432);
  if (await portOpen(hostname, p)) return;
  const local = ['127.0.0.1', 'localhost', '::1'].includes(hostname);
  if (!local) fail(`PostgreSQL is not reachable at ${hostname}:${p} (from TEST_DATABASE_URL)`);
  if (!has('pg_ctlcluster') || !fs.existsSync('/etc/postgresql')) {
    fail(`PostgreSQL is not running on ${hostname}:${p} and pg_ctlcluster was not found. Install PostgreSQL (Debian: apt-get install postgresql) or set TEST_DATABASE_URL.`);
  }
  const version = fs.readdirSync('/etc/postgresql').sort().pop();
  log(`starting PostgreSQL ${version}…`);
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  if (!(await waitForPort(hostname, p, 30))) fail(`PostgreSQL did not come up on ${hostname}:${p}`);
}

/** A Redis's `appendonly` setting ('yes' / 'no'), or null if it would not say (auth, CONFIG renamed, no answer). */
function redisAppendOnly(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(1000, () => done(null));
    socket.once('error', () => done(null));
    socket.once('connect', () => socket.write('*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$10\r\nappendonly\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.startsWith('-')) return done(null);
      const match = /appendonly\r\n\$\d+\r\n(\w+)\r\n/.exec(reply);
      if (match) done(match[1]);
    });
  });
}

async function ensureRedis(url) {
  const { hostname, port } = new URL(url);
  const p = Number(port || 6379);
  if (await portOpen(hostname, p)) {
    // Not ours to change; the dialer's durability relies on it (dialer-worker/docs/live-worker.md).
    if ((await redisAppendOnly(hostname, p)) === 'no') log(`note: the Redis at ${hostname}:${p} runs without AOF; the product needs appendonly yes, appendfsync everysec`);
    return;
  }
  if (!has('redis-server')) fail(`Redis is not running on ${hostname}:${p} and redis-server was not found. Install Redis (Debian: apt-get install redis-server) or set REDIS_URL.`);
  log('starting Redis…');
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(p), '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', require('os').tmpdir()]);
  if (!(await waitForPort(hostname, p, 15))) fail(`Redis did not come up on ${hostname}:${p}`);
}

module.exports = { ROOT, SERVICES, log, fail, run, ensureInstalled, ensurePostgres, ensureRedis };
