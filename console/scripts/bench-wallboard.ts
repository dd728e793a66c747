/**
 * Wallboard freshness: from an agent's state change in the worker to the supervisor's grid
 * painting it, with AGENTS agents (default 100) on CAMPAIGNS running campaigns (default 10).
 *
 * Real parts: cms on PostgreSQL, the worker on Redis, the PBX simulator, chromium on the built
 * console. The campaigns run (each pacing tick goes to the wallboard as campaign:stats); each
 * agent is a socket client on its campaign that goes Ready and pauses in turn every 2–8 s
 * (TOGGLE_MS), so state changes flow all the time. DIAL_MODE=preview by default: on a 2-core
 * machine one cms cannot clear phones for ten dialing campaigns at once, and the figure is
 * about the wallboard's path (worker → socket → grid), not cms's. DIAL_MODE=progressive adds
 * real calls (every debtor answers, hangs up after TALK_SEC, wrap-up WRAP_SEC). The worker stamps each change (`since`); the page stamps the frame after
 * the grid's row shows it (MutationObserver, then requestAnimationFrame). Same machine, same
 * clock. Prints figures; asserts nothing.
 *
 *   npm run bench:wallboard --prefix console    (builds first)
 *
 * CPU_PROFILE=file.cpuprofile records the page's main thread over the measured seconds (Chrome's
 * profiler; open it in DevTools, or build with `npx vite build --minify false` for names).
 * TRACE=file.json records a Chrome trace (layout, paint, script, frames) of the first 10 s measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { command, connect, launchChromium, signIn, startLiveStack } from '../tests/support/live-stack';

const AGENTS = Number(process.env.AGENTS ?? 100);
const CAMPAIGNS = Number(process.env.CAMPAIGNS ?? 10);
const MEASURE_SEC = Number(process.env.MEASURE_SEC ?? 90);
const TALK_SEC = Number(process.env.TALK_SEC ?? 20);
const WRAP_SEC = Number(process.env.WRAP_SEC ?? 3);
const ACCOUNTS = Number(process.env.ACCOUNTS ?? 300);
const DIAL_MODE = process.env.DIAL_MODE ?? 'preview';
const TOGGLE_MS = (process.env.TOGGLE_MS ?? '2000-8000').split('-').map(Number);

function simulator(): string {
  const phone = (n: number) => `+1312${String(2000000 + n).padStart(7, '0')}`;
  const outcomes = Object.fromEntries(Array.from({ length: ACCOUNTS }, (_, i) => [phone(i), { outcome: 'human', ringSec: 2, talkSec: TALK_SEC }]));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wallboard-')), 'scenario.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'wallboard bench', agents: AGENTS, liveRate: 0.3, abandonTarget: 0.03, outcomes }));
  return file;
}

/** cms on a loaded machine may be slow to answer a sign-in: try again a few times. */
async function patiently<T>(attempt: () => Promise<T>, what: string): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 5) throw new Error(`${what}: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 1000 * tries));
    }
  }
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] } : null;
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main() {
  const started = Date.now();
  const stack = await startLiveStack({ accounts: ACCOUNTS, agents: AGENTS, dialMode: DIAL_MODE, cmsEnv: { EXTRA_CAMPAIGNS: String(CAMPAIGNS - 1) }, simulator: simulator() });
  const browser = await launchChromium();
  const sockets: Socket[] = [];
  let measuring = false;
  let stopped = false;
  const togglers: Array<() => void> = [];
  const changes: Array<{ agent: string; since: string; status: string }> = [];
  // The same change at the agent's own socket (this process): the path without the browser.
  const atAgentSocket: number[] = [];
  // And at a supervisor's socket watching every campaign (this process): the watchers' path without the browser.
  const atWatcherSocket: number[] = [];
  try {
    const campaigns = [stack.info.campaignId, ...stack.info.extraCampaignIds].slice(0, CAMPAIGNS);
    console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(0)} s: ${AGENTS} agents, ${campaigns.length} campaigns`);

    const page = await signIn(browser.context, stack.consoleUrl, stack.info.supervisor.username, stack.info.password);
    await page.waitForURL('**/wallboard');
    await page.getByTestId('agent-grid').waitFor();
    // Each row's state as painted: the frame after the DOM shows it.
    await page.evaluate(() => {
      const w = window as unknown as { painted: Array<{ agent: string; status: string; since: string; at: number }> };
      w.painted = [];
      const seen = new Map<string, string>();
      const grid = document.querySelector('[data-testid="agent-grid"]')!;
      new MutationObserver(() => {
        const rows = [...grid.querySelectorAll('tr[data-agent]')].map((r) => ({ agent: r.getAttribute('data-agent')!, status: r.getAttribute('data-status')!, since: r.getAttribute('data-since')! }));
        const fresh = rows.filter((r) => seen.get(r.agent) !== `${r.status}@${r.since}`);
        for (const r of fresh) seen.set(r.agent, `${r.status}@${r.since}`);
        if (fresh.length) requestAnimationFrame(() => {
          const at = performance.timeOrigin + performance.now();
          for (const r of fresh) w.painted.push({ ...r, at });
        });
      }).observe(grid, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-since'] });
    });

    for (let i = 0; i < AGENTS; i++) {
      const agent = stack.info.agents[i];
      const socket = await patiently(() => connect(stack.workerPort, agent.jwt), `${agent.username} connecting`);
      sockets.push(socket);
      const campaignId = campaigns[i % campaigns.length];
      const toggle = () => {
        if (stopped) return;
        const next = current === 'ready' ? command(socket, 'pause', { reason: 'bench' }) : current === 'paused' ? command(socket, 'ready', { campaignId }) : Promise.resolve();
        void next.finally(() => setTimeout(toggle, TOGGLE_MS[0] + Math.random() * (TOGGLE_MS[1] - TOGGLE_MS[0])));
      };
      let current = 'logged_out';
      socket.on('agent:state', (s: { status: string; since: string; attemptId: string | null }) => {
        current = s.status;
        if (measuring) {
          changes.push({ agent: agent.username, since: s.since, status: s.status });
          atAgentSocket.push(Date.now() - Date.parse(s.since));
        }
        if (s.status === 'wrap_up') {
          setTimeout(() => void command(socket, 'disposition', { attemptId: s.attemptId, disposition: Object.values(stack.info.dispositions)[0], next: 'ready' }), WRAP_SEC * 1000);
        }
      });
      // cms under the load of ten pacing loops may be slow to answer: ask again a few times.
      let reply = await command(socket, 'ready', { campaignId });
      for (let tries = 1; !reply.ok && /CMS_UNAVAILABLE|NO_REPLY/.test(String(reply.error)) && tries < 5; tries++) {
        await new Promise((r) => setTimeout(r, 1000 * tries));
        reply = await command(socket, 'ready', { campaignId });
      }
      if (!reply.ok) throw new Error(`${agent.username} ready: ${reply.error}`);
      togglers.push(toggle);
    }
    // Campaigns start once everyone is ready: ten pacing loops keep cms busy, and signing 100 agents in beside them is slow.
    const supervisor = await patiently(() => connect(stack.workerPort, stack.info.supervisor.jwt), 'supervisor connecting');
    sockets.push(supervisor);
    for (const campaignId of campaigns) {
      await patiently(async () => {
        const reply = await command(supervisor, 'campaign:start', { campaignId });
        if (!reply.ok) throw new Error(`starting ${campaignId}: ${reply.error}`);
      }, 'starting a campaign');
    }
    for (const toggle of togglers) setTimeout(toggle, Math.random() * TOGGLE_MS[1]);
    for (const campaignId of campaigns) await command(supervisor, 'campaign:watch', { campaignId });
    supervisor.on('agent:state', (s: { since: string }) => measuring && atWatcherSocket.push(Date.now() - Date.parse(s.since)));
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
    });
    console.log(`all agents ready, campaigns started; warming up 15 s, then measuring ${MEASURE_SEC} s`);
    await new Promise((r) => setTimeout(r, 15_000));
    measuring = true;
    const from = Date.now();
    await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
    const profiler = process.env.CPU_PROFILE ? await browser.context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 1000 });
      await profiler.send('Profiler.start');
    }
    if (process.env.TRACE) {
      const tracer = await browser.context.newCDPSession(page);
      const events: unknown[] = [];
      tracer.on('Tracing.dataCollected', (e: { value: unknown[] }) => events.push(...e.value));
      const done = new Promise((r) => tracer.once('Tracing.tracingComplete', r));
      await tracer.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing', transferMode: 'ReportEvents' });
      await new Promise((r) => setTimeout(r, 10_000));
      await tracer.send('Tracing.end');
      await done;
      fs.writeFileSync(process.env.TRACE, JSON.stringify({ traceEvents: events }));
      await tracer.detach();
    }
    await new Promise((r) => setTimeout(r, MEASURE_SEC * 1000 - (process.env.TRACE ? 10_000 : 0)));
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      fs.writeFileSync(process.env.CPU_PROFILE!, JSON.stringify(profile));
      await profiler.detach();
    }
    measuring = false;
    stopped = true;
    await new Promise((r) => setTimeout(r, 2_000));

    const painted = await page.evaluate(() => (window as unknown as { painted: Array<{ agent: string; status: string; since: string; at: number }> }).painted);
    const paintedAt = new Map(painted.map((p) => [`${p.agent}|${p.status}|${p.since}`, p.at]));
    const latencies: number[] = [];
    let missed = 0;
    for (const c of changes) {
      const at = paintedAt.get(`${c.agent}|${c.status}|${c.since}`);
      if (at === undefined) missed++;
      else latencies.push(at - Date.parse(c.since));
    }
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const grid = await page.locator('tr[data-agent]').count();
    const freshness = await page.getByTestId('freshness').innerText();
    fs.mkdirSync(path.join(__dirname, '..', 'test-results'), { recursive: true });
    // What the supervisor sees on a laptop's screen (1440×900), then a wide screen, the whole page.
    await page.screenshot({ path: path.join(__dirname, '..', 'test-results', `wallboard-bench-1440x900.png`) });
    // A wide screen, the whole page: how the cards lay out for this many campaigns.
    await page.setViewportSize({ width: 1680, height: 1050 });
    await new Promise((r) => setTimeout(r, 1_000));
    await page.screenshot({ path: path.join(__dirname, '..', 'test-results', `wallboard-bench-${campaigns.length}-campaigns.png`), fullPage: true });
    console.log(JSON.stringify({
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
      dialMode: DIAL_MODE,
      agents: AGENTS,
      campaigns: campaigns.length,
      agentsOnGrid: grid,
      measuredSec: (Date.now() - from) / 1000,
      stateChanges: changes.length,
      painted: latencies.length,
      // Changes overtaken within one frame by the agent's next one: the grid paints the latest only.
      coalescedOrMissed: missed,
      agentSocketMs: summary(atAgentSocket),
      watcherSocketMs: summary(atWatcherSocket),
      pageMainThreadBusy: `${(longTasks.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s in ${longTasks.length} tasks over 50 ms`,
      latencyMs: summary(latencies),
      freshness,
    }, null, 2));
  } finally {
    for (const s of sockets) s.close();
    await browser.close();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
