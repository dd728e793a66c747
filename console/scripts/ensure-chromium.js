// The browser tests drive Debian's chromium, never a downloaded browser. Installs it with apt
// when it is missing, or says exactly what is missing.
const { spawnSync } = require('child_process');
const fs = require('fs');

const CHROMIUM = '/usr/bin/chromium';

if (!fs.existsSync(CHROMIUM)) {
  const has = (c) => spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status === 0;
  if (!has('apt-get')) {
    process.stderr.write(`${CHROMIUM} is missing and apt-get is not available: install Debian's chromium package.\n`);
    process.exit(1);
  }
  const asRoot = process.getuid && process.getuid() === 0 ? [] : ['sudo', '-n'];
  process.stdout.write(`${CHROMIUM} is missing: installing Debian's chromium with apt-get…\n`);
  const run = (args) => spawnSync(asRoot[0] ?? args[0], [...asRoot.slice(1), ...(asRoot.length ? args : args.slice(1))], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (run(['apt-get', 'install', '-y', 'chromium']).status !== 0) run(['apt-get', 'update']);
  if (!fs.existsSync(CHROMIUM) && run(['apt-get', 'install', '-y', 'chromium']).status !== 0) {
    process.stderr.write(`could not install chromium with apt-get${asRoot.length ? ' (needs root or passwordless sudo)' : ''}: install Debian's chromium package so that ${CHROMIUM} exists.\n`);
    process.exit(1);
  }
}
