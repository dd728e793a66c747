// The console's production build over HTTP: static files, `/config.json` (where cms and the
// worker are, decided where the console is served), and index.html for every other path, so
// deep links such as /workspace load the app. No dependencies: it runs before anything else.
const fs = require('fs');
const http = require('http');
const path = require('path');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2' };

/**
 * Serves `root` on `port` (0: any free port); resolves with its address and a close().
 * @param {{ root: string, port: number, host?: string, runtimeConfig: { cmsUrl: string, workerUrl: string, idleLogoutMinutes?: number } }} options
 */
function startConsoleServer({ root, port, host = '127.0.0.1', runtimeConfig }) {
  const index = path.join(root, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`no console build in ${root}: run \`npm run build\` in console/`);
  const configBody = JSON.stringify(runtimeConfig);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://console');
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-store' });
      return res.end(configBody);
    }
    const file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    const inside = file.startsWith(root + path.sep);
    if (inside && fs.existsSync(file) && fs.statSync(file).isFile()) {
      // Hashed asset names change with their content: they may be cached for good.
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', 'X-Content-Type-Options': 'nosniff' });
      return fs.createReadStream(file).pipe(res);
    }
    if (path.extname(url.pathname)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-cache', 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
    fs.createReadStream(index).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`, port: address.port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

exports.startConsoleServer = startConsoleServer;

if (require.main === module) {
  const env = process.env;
  startConsoleServer({
    root: path.resolve(__dirname, '..', 'dist'),
    port: Number(env.PORT || 8080),
    host: env.HOST || '127.0.0.1',
    runtimeConfig: { cmsUrl: env.CMS_URL || 'http://localhost:1337', workerUrl: env.WORKER_URL || 'http://localhost:4000', idleLogoutMinutes: Number(env.IDLE_LOGOUT_MINUTES || 30) },
  }).then(({ url }) => process.stdout.write(`console on ${url}\n`));
}
