/**
 * A cms of its own in a child process (so a test can give it a small heap):
 * boots the compiled cms on the database of its environment, listens on an
 * ephemeral port and tells its parent which; answers 'memory' with its peak
 * RSS and heap limit, and 'stop' by shutting down.
 */
const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const { createStrapi } = require('@strapi/strapi');

const APP_DIR = path.resolve(__dirname, '..');

function peakRssBytes() {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) * 1024 : null;
}

// Peak RSS and heap while a measured request runs (VmHWM also counts the boot).
const sampled = { rss: 0, heap: 0, cpu: null };
function startSampling() {
  sampled.rss = 0;
  sampled.heap = 0;
  sampled.cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    sampled.rss = Math.max(sampled.rss, m.rss);
    sampled.heap = Math.max(sampled.heap, m.heapUsed);
  }, 20);
  timer.unref();
}

(async () => {
  const app = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  app.log.level = 'warn';
  await app.server.mount();
  app.server.httpServer.listen(0, '127.0.0.1', () => process.send({ port: app.server.httpServer.address().port }));
  process.on('message', async (message) => {
    if (message === 'memory') process.send({ peakRss: peakRssBytes(), rss: process.memoryUsage().rss, heapLimit: v8.getHeapStatistics().heap_size_limit, heapUsed: process.memoryUsage().heapUsed });
    if (message === 'sample') startSampling();
    if (message === 'samples') {
      const cpu = process.cpuUsage(sampled.cpu ?? undefined);
      process.send({ peakRss: sampled.rss, peakHeap: sampled.heap, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
    if (message === 'stop') {
      await app.destroy();
      process.exit(0);
    }
  });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
