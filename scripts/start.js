// `npm start`: the whole product on its embedded defaults, for a first look.
// cms on SQLite with demo data; the demo logins are printed when it is up.
const fs = require('fs');
const path = require('path');
const { ROOT, log, fail, run, ensureInstalled } = require('./services');

const CMS = path.join(ROOT, 'cms');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'documentation') continue;
      newest = Math.max(newest, newestMtime(full));
    } else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** `strapi build` compiles the server and bundles the admin panel; skip it when nothing changed since the last one. */
function ensureBuilt(env) {
  const stamp = path.join(CMS, 'dist', '.collections-build-stamp');
  const sources = Math.max(newestMtime(path.join(CMS, 'src')), newestMtime(path.join(CMS, 'config')), fs.statSync(path.join(CMS, 'package.json')).mtimeMs);
  if (fs.existsSync(stamp) && fs.existsSync(path.join(CMS, 'dist', 'build', 'index.html')) && fs.statSync(stamp).mtimeMs >= sources) return;
  log('building cms (server and admin panel, about a minute)…');
  if (run('npx', ['strapi', 'build'], { cwd: CMS, env }) !== 0) fail('strapi build failed');
  fs.writeFileSync(stamp, new Date().toISOString());
}

function main() {
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV || 'production',
    DEMO_MODE: process.env.DEMO_MODE ?? 'true',
    DATABASE_CLIENT: process.env.DATABASE_CLIENT || 'sqlite',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
  };
  ensureInstalled('cms');
  ensureBuilt(env);
  log('starting cms on http://localhost:1337 (demo mode, SQLite)…');
  const status = run('npx', ['strapi', 'start'], { cwd: CMS, env });
  process.exit(status);
}

main();
