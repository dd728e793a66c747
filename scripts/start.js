// `npm start`: the whole product on its embedded defaults, for a first look.
// cms on SQLite with demo data, the PBX simulator in place of Asterisk, and the
// dialer-worker between them. The demo logins are printed when cms is up.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, log, fail, run, ensureInstalled, ensureRedis } = require('./services');

const CMS = path.join(ROOT, 'cms');
const WORKER = path.join(ROOT, 'dialer-worker');
const CONSOLE = path.join(ROOT, 'console');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (['node_modules', 'documentation', 'dist'].includes(entry.name)) continue;
      newest = Math.max(newest, newestMtime(full));
    } else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Rebuilds when a source is newer than the last build's stamp. */
function ensureBuilt(dir, sources, check, command, args, env, label) {
  const stamp = path.join(dir, 'dist', '.collections-build-stamp');
  const newest = Math.max(...sources.map((s) => (fs.statSync(path.join(dir, s)).isDirectory() ? newestMtime(path.join(dir, s)) : fs.statSync(path.join(dir, s)).mtimeMs)));
  if (fs.existsSync(stamp) && fs.existsSync(path.join(dir, check)) && fs.statSync(stamp).mtimeMs >= newest) return;
  log(`building ${label}…`);
  if (run(command, args, { cwd: dir, env }) !== 0) fail(`${label} build failed`);
  fs.writeFileSync(stamp, new Date().toISOString());
}

const children = [];
function launch(label, command, args, options) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (shuttingDown) return;
    log(`${label} stopped (${signal ?? code}); stopping the rest`);
    shutdown(code ?? 1);
  });
  return child;
}

let shuttingDown = false;
function shutdown(code = 0) {
  shuttingDown = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function waitFor(check, seconds, what) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  fail(`${what} did not come up within ${seconds} s`);
}

async function main() {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const env = {
    ...process.env,
    // cms publishes its change notices there; the worker relays them to the consoles.
    REDIS_URL: redisUrl,
    NODE_ENV: process.env.NODE_ENV || 'production',
    DEMO_MODE: process.env.DEMO_MODE ?? 'true',
    DATABASE_CLIENT: process.env.DATABASE_CLIENT || 'sqlite',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
  };
  ensureInstalled('cms');
  ensureInstalled('dialer-worker');
  ensureInstalled('console');
  ensureBuilt(CMS, ['src', 'config', 'package.json', '../protocol'], 'dist/build/index.html', 'npx', ['strapi', 'build'], env, 'cms (server and admin panel, about a minute)');
  ensureBuilt(WORKER, ['src', 'package.json', '../protocol'], 'dist/src/main.js', 'npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', 'dist/src'], env, 'dialer-worker');
  // The protocol's and the worker's types are part of the console's source: a change there rebuilds it too.
  ensureBuilt(CONSOLE, ['src', 'index.html', 'vite.config.ts', 'package.json', '../config', '../protocol', '../dialer-worker/src/realtime'], 'dist/index.html', 'npx', ['vite', 'build'], env, 'console');

  await ensureRedis(redisUrl);

  log('starting cms on http://localhost:1337 (demo mode, SQLite)…');
  const tokenFile = path.join(CMS, '.tmp', 'demo-worker-token');
  // The Strapi CLI itself, not through npx: stopping npm start must stop cms, not leave it running behind a wrapper.
  launch('cms', process.execPath, [path.join(CMS, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'], { cwd: CMS, env });
  await waitFor(async () => fetch('http://127.0.0.1:1337/_health').then((r) => r.status < 500).catch(() => false), 300, 'cms');
  await waitFor(async () => fs.existsSync(tokenFile), 30, 'the demo worker token');

  const amiSecret = process.env.AMI_SECRET || 'demo-ami-secret';
  const ami = { AMI_HOST: process.env.AMI_HOST || '127.0.0.1', AMI_PORT: process.env.AMI_PORT || '5038', AMI_USERNAME: process.env.AMI_USERNAME || 'dialer', AMI_SECRET: amiSecret };
  if (!process.env.AMI_HOST) {
    log(`starting the PBX simulator (AMI on 127.0.0.1:${ami.AMI_PORT}, speed ×${process.env.SIM_SPEED || 1})…`);
    launch('pbx simulator', process.execPath, ['dist/src/pbx-simulator/main.js'], { cwd: WORKER, env: { ...process.env, ...ami, PBX_SIM_LOG: process.env.PBX_SIM_LOG || path.join(WORKER, '.tmp', 'pbx-sim.jsonl') } });
    fs.mkdirSync(path.join(WORKER, '.tmp'), { recursive: true });
  }
  log('starting the dialer-worker on http://localhost:4000 (Socket.IO, /health, /admin/queues)…');
  launch('dialer-worker', process.execPath, ['dist/src/main.js'], {
    cwd: WORKER,
    env: { ...process.env, ...ami, REDIS_URL: redisUrl, CMS_URL: 'http://127.0.0.1:1337', CMS_API_TOKEN: fs.readFileSync(tokenFile, 'utf8').trim(), PORT: '4000' },
  });

  // In this process: one less child to stop, and it needs nothing but Node.
  const { startConsoleServer } = require(path.join(CONSOLE, 'server', 'console-server.js'));
  const consolePort = Number(process.env.CONSOLE_PORT || 8080);
  await startConsoleServer({ root: path.join(CONSOLE, 'dist'), port: consolePort, host: '127.0.0.1', runtimeConfig: { cmsUrl: 'http://localhost:1337', workerUrl: 'http://localhost:4000', idleLogoutMinutes: 30 } });
  const passwordFile = path.join(CMS, '.tmp', 'demo-password');
  const password = process.env.DEMO_PASSWORD || (fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, 'utf8').trim() : '(printed by cms above)');
  process.stdout.write(
    [
      '',
      `  Console     : http://localhost:${consolePort}`,
      '  Sign in as  : Demo Bank: agent1 … agent5 (agents), supervisor1 (supervisor), analyst1 (analyst)',
      '                Harbor Auto Finance: agent6, agent7 (agents), supervisor2 (supervisor)',
      `  Password    : ${password}`,
      `  Webhook     : POST http://localhost:1337/api/telephony/events, ${process.env.TELEPHONY_WEBHOOK_SECRET ? 'signed with TELEPHONY_WEBHOOK_SECRET' : /^(1|true|yes)$/i.test(process.env.DEMO_MODE ?? 'true') ? "signed with 'demo-webhook-secret'" : 'off until TELEPHONY_WEBHOOK_SECRET is set'}`,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((error) => fail(error.stack || String(error)));
