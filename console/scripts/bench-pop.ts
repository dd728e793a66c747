/**
 * Pop to paint: from the PBX simulator's answer to the account number painted in the agent's
 * browser, with 20 agent pages open in Debian's chromium against real parts (cms on a throwaway
 * PostgreSQL database, Redis, the worker, the PBX simulator over TCP, the console's production
 * build):
 *
 *   npm run bench:pop --prefix console            # 20 agents, at least 200 calls
 *   npm run bench:pop --prefix console -- --agents 10 --calls 100
 *
 * Every debtor answers as a person after a one-second ring, the simulator's answering-machine
 * verdict comes at the answer (so the time measured is all the dialer's and the console's), and
 * each agent hangs up once the account is on screen, dispositions it and is Ready again. The
 * simulator logs each answer's wall-clock time (PBX_SIM_LOG); each page records Date.now() when
 * the pop arrives on its socket and when the account number is painted (a MutationObserver,
 * then the next frame): the same machine, the same clock.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Page } from 'playwright-core';
import { execSync } from 'child_process';
import { command, connect, launchChromium, signInAs, startLiveStack } from '../tests/support/live-stack';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const AGENTS = arg('agents', 20);
/** `--profile out.cpuprofile`: the first page's JavaScript profile over the calls (build with `--no-minify` to read names). */
const PROFILE = option('profile');
const CALLS = arg('calls', 200);
const IDLE_SECONDS = arg('idle-seconds', 5);
const CONSOLE_DIR = path.resolve(__dirname, '..');

type PageMarks = {
  pops: Array<{ phone: string; accountDocumentId: string; at: number }>;
  paints: Array<{ accountNumber: string; domAt: number; paintAt: number }>;
  reads: Array<{ url: string; start: number; end: number; status: number }>;
  /** Every read from cms, to count what a call makes the page fetch (live events' refetches included). */
  api: string[];
  longTasks: Array<{ start: number; duration: number }>;
};

/** Runs in every page before the console's code: timestamps the pop on the wire and the account number on screen. */
function instrument() {
  const marks: PageMarks = { pops: [], paints: [], reads: [], api: [], longTasks: [] };
  // Main-thread tasks over 50 ms, on the same clock: what the page was busy with between a pop and its paint.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) marks.longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  (window as any).__marks = marks;
  const Native = window.WebSocket;
  (window as any).WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string' || !e.data.includes('"call:screen-pop"')) return;
        const at = Date.now();
        const [, pop] = JSON.parse(e.data.slice(e.data.indexOf('[')));
        marks.pops.push({ phone: pop.phone, accountDocumentId: pop.accountDocumentId, at });
      });
    }
  };
  // Each read of an account from cms, with its status (a pop the agent may not read yet answers 404).
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as PerformanceResourceTiming[]) {
      if (e.name.includes('/api/')) marks.api.push(e.name);
      if (e.name.includes('/api/accounts/')) marks.reads.push({ url: e.name, start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd, status: (e as any).responseStatus ?? 0 });
    }
  }).observe({ type: 'resource', buffered: true });
  const seen = new WeakSet<Element>();
  new MutationObserver(() => {
    const el = document.querySelector('[data-testid="account-number"]');
    if (!el || seen.has(el) || !el.textContent) return;
    seen.add(el);
    const domAt = Date.now();
    const accountNumber = el.textContent;
    // The frame that shows it: a rAF runs before that paint, a task queued from it after.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        marks.paints.push({ accountNumber, domAt, paintAt: Date.now() });
        // Told to the bench, not polled by it: twenty pages polled every 100 ms cost the renderers CPU the agents' pages do not spend.
        (window as any).__painted?.(marks.paints.length);
      };
      channel.port2.postMessage(null);
    });
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** CPU time (user + system) of every chromium process on the machine so far, from /proc: its renderers, GPU and browser processes alike. */
function chromiumCpuMs(): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!/\(chrom/i.test(stat.slice(0, stat.indexOf(') ') + 1))) continue;
      const f = stat.slice(stat.indexOf(') ') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return ticks * 10; // clock ticks, 100 a second on Linux
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = (label: string, values: number[]) =>
  !values.length ? `${label.padEnd(44)} none` : `${label.padEnd(44)} p50 ${percentile(values, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(values, 95).toFixed(0).padStart(5)} ms   max ${Math.max(...values).toFixed(0).padStart(5)} ms`;

/** Signs in and goes Ready on the campaign (one agent at a time: twenty sign-ins at once are a password-hashing storm). */
async function goReady(page: Page, username: string, password: string, consoleUrl: string): Promise<void> {
  page.setDefaultTimeout(60_000);
  await signInAs(page, consoleUrl, username, password);
  // Each fixture agent is on the one campaign, which the workspace chooses for them.
  await page.locator('.ant-select-selection-item', { hasText: 'Worker test campaign' }).waitFor();
  const ready = page.getByRole('status').filter({ hasText: /^Ready$/ });
  // Under load the page may still be settling (the button re-renders while the identity and the
  // campaigns arrive): press again until the worker says Ready.
  for (let i = 0; i < 5 && !(await ready.isVisible()); i++) {
    await page.getByRole('button', { name: 'Ready' }).click({ timeout: 10_000 }).catch(() => undefined);
    await ready.waitFor({ timeout: 10_000 }).catch(() => undefined);
  }
  await ready.waitFor({ timeout: 1_000 });
}

/** Takes calls until there are enough: hang up once the account is on screen, a plain disposition, Enter (Ready again). */
async function takeCalls(page: Page, enough: () => boolean, stuck: string): Promise<void> {
  try {
    await takeCallsUntil(page, enough);
  } catch (error) {
    // One agent's page stuck must not lose the figures of the others: say so, keep its screen.
    await page.screenshot({ path: stuck }).catch(() => undefined);
    console.log(`\n  an agent stopped taking calls (${(error as Error).message.split('\n')[0]}); their page is in ${stuck}`);
  }
}

/** Paints per page as the pages report them (the `__painted` binding), and who waits for the next. */
const paintsOf = new Map<Page, { count: number; waiters: Array<() => boolean> }>();
const paintState = (page: Page) => {
  let state = paintsOf.get(page);
  if (!state) paintsOf.set(page, (state = { count: 0, waiters: [] }));
  return state;
};
function paintedBeyond(page: Page, n: number, timeoutMs: number): Promise<boolean> {
  const state = paintState(page);
  if (state.count > n) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    state.waiters.push(() => {
      if (state.count <= n) return false;
      clearTimeout(timer);
      resolve(true);
      return true;
    });
  });
}

async function takeCallsUntil(page: Page, enough: () => boolean): Promise<void> {
  for (let done = 0; !enough(); done++) {
    // No call for a while is not the end: on a loaded machine the next one may take long.
    const painted = await paintedBeyond(page, done, 60_000);
    if (!painted) {
      done--;
      continue;
    }
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('button', { name: 'Debtor reached, refused to pay' }).click();
    await page.keyboard.press('Enter');
    // Last ones: a Ready agent would get another call that nobody waits for.
    if (enough()) await page.getByRole('button', { name: 'Pause' }).click({ timeout: 10_000 }).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  // `--no-build`: the build already there, dist/ or CONSOLE_DIST (to measure two builds back to back at the same load).
  if (!flag('no-build')) console.log(`building the console…`);
  if (!flag('no-build')) execSync(`npx vite build${flag('no-minify') ? ' --minify false' : ''}`, { cwd: CONSOLE_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  const pbxLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pop-')), 'pbx.jsonl');
  // More accounts than calls: no debtor is called twice, whatever the quiet rules after a conversation.
  console.log(`starting cms, Redis, the worker and the PBX simulator (${AGENTS} agents)…`);
  const stack = await startLiveStack({ accounts: CALLS + AGENTS * 4, agents: AGENTS, dialMode: 'progressive', amdSec: 0, pbxLog });
  const browser = await launchChromium(['--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows']);
  const supervisor = await connect(stack.workerPort, stack.info.supervisor.jwt);
  try {
    let painted = 0;
    await browser.context.exposeBinding('__painted', ({ page }, count: number) => {
      const state = paintState(page);
      painted += count - state.count;
      state.count = count;
      state.waiters = state.waiters.filter((wake) => !wake());
    });
    await browser.context.addInitScript(instrument);
    const pages = await Promise.all(stack.info.agents.map(() => browser.context.newPage()));
    const started = Date.now();
    const counter = setInterval(() => process.stdout.write(`\r  ${painted} calls painted`), 1000);
    for (const [i, page] of pages.entries()) await goReady(page, stack.info.agents[i].username, stack.info.password, stack.consoleUrl);
    // Chrome's own accounting of the first page's main thread over the run (DevTools' Performance domain).
    const cdp = await browser.context.newCDPSession(pages[0]);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    const metrics = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]));
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    // What a Ready page costs while no call comes: twenty of them share two cores with everything else.
    const idleBefore = await metrics();
    const chromeBefore = chromiumCpuMs();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const chromeIdle = (chromiumCpuMs() - chromeBefore) / IDLE_SECONDS;
    const idleAfter = await metrics();
    const idle = (name: string) => (((idleAfter[name] ?? 0) - (idleBefore[name] ?? 0)) * 1000) / IDLE_SECONDS;
    console.log(`\n  agent page 1, Ready with no call, per second: main-thread tasks ${idle('TaskDuration').toFixed(1)} ms, script ${idle('ScriptDuration').toFixed(1)} ms, layout ${idle('LayoutDuration').toFixed(1)} ms, style ${idle('RecalcStyleDuration').toFixed(1)} ms`);
    console.log(`  all of chromium's processes with ${AGENTS} Ready pages and no call: ${(chromeIdle / 10).toFixed(1)} % of one core`);
    const apiBefore = await pages[0].evaluate(() => (window as any).__marks.api.length as number);
    const metricsBefore = await metrics();
    const chromeRunBefore = chromiumCpuMs();
    const shifts = pages.map((page, i) => takeCalls(page, () => painted >= CALLS, path.join(path.dirname(pbxLog), `stuck-agent-${i + 1}.png`)));
    const start = await command(supervisor, 'campaign:start', { campaignId: stack.info.campaignId });
    if (!start.ok) throw new Error(`campaign:start: ${start.error}`);
    await Promise.all(shifts);
    clearInterval(counter);
    const metricsAfter = await metrics();
    const chromeRunMs = chromiumCpuMs() - chromeRunBefore;
    if (PROFILE) fs.writeFileSync(PROFILE, JSON.stringify(((await cdp.send('Profiler.stop')) as { profile: unknown }).profile));
    await command(supervisor, 'campaign:pause', { campaignId: stack.info.campaignId });
    const seconds = (Date.now() - started) / 1000;

    const marks: PageMarks[] = await Promise.all(pages.map((p) => p.evaluate(() => (window as any).__marks)));
    const answers = new Map<string, number[]>();
    // The simulator's outcome lines name the attempt; its originate lines, the phone.
    const phoneOf = new Map<string, string>();
    const lines = fs.readFileSync(pbxLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    for (const e of lines) if (e.event === 'originate' && e.leg === 'customer' && e.attemptId && e.phone) phoneOf.set(e.attemptId, e.phone);
    for (const e of lines) {
      if (e.event !== 'outcome' || !e.answeredAt || !phoneOf.has(e.attemptId)) continue;
      const phone = phoneOf.get(e.attemptId)!;
      answers.set(phone, [...(answers.get(phone) ?? []), Date.parse(e.answeredAt)]);
    }
    const accountPhone = (accountNumber: string) => `+1312${String(2000000 + Number(accountNumber.slice(1))).padStart(7, '0')}`;
    const answerBefore = (phone: string, t: number) => Math.max(...(answers.get(phone) ?? []).filter((a) => a <= t));
    const toPaint: number[] = [];
    const toSocket: number[] = [];
    const socketToPaint: number[] = [];
    const socketToDom: number[] = [];
    const longTaskInPop: number[] = [];
    const readsPerPop: number[] = [];
    const lastRead: number[] = [];
    const firstStatus = new Map<number, number>();
    for (const m of marks) {
      for (const p of m.paints) {
        const phone = accountPhone(p.accountNumber);
        const answeredAt = answerBefore(phone, p.paintAt);
        if (!Number.isFinite(answeredAt)) continue;
        toPaint.push(p.paintAt - answeredAt);
        const pop = m.pops.filter((x) => x.phone === phone && x.at >= answeredAt && x.at <= p.paintAt).at(-1);
        if (pop) {
          toSocket.push(pop.at - answeredAt);
          socketToPaint.push(p.paintAt - pop.at);
          socketToDom.push(p.domAt - pop.at);
          longTaskInPop.push(m.longTasks.filter((t) => t.start + t.duration >= pop.at && t.start <= p.paintAt).reduce((a, t) => a + t.duration, 0));
          const reads = m.reads.filter((r) => r.url.includes(`/api/accounts/${pop.accountDocumentId}`) && r.start >= pop.at - 5 && r.end <= p.paintAt + 5);
          readsPerPop.push(reads.length);
          if (reads.length) {
            lastRead.push(reads.at(-1)!.end - reads.at(-1)!.start);
            firstStatus.set(reads[0].status, (firstStatus.get(reads[0].status) ?? 0) + 1);
          }
        }
      }
    }
    console.log(`\n\nPop to paint, ${AGENTS} agent pages in chromium, ${toPaint.length} calls in ${seconds.toFixed(0)} s (${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? 'unknown'}, Node ${process.version})`);
    console.log(summary('simulator answer → account number painted', toPaint));
    console.log(summary('simulator answer → pop on the page\'s socket', toSocket));
    console.log(summary('pop on the socket → account number painted', socketToPaint));
    console.log(summary('  of which: pop on the socket → number in DOM', socketToDom));
    console.log(summary('  long tasks (>50 ms) between pop and paint', longTaskInPop));
    console.log(summary('the account read that succeeded (REST)', lastRead));
    const page0Calls = marks[0].paints.length || 1;
    const per = (name: string) => (((metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0)) * 1000) / page0Calls;
    console.log(`agent page 1, Chrome's Performance metrics per call (${marks[0].paints.length} calls): main-thread tasks ${per('TaskDuration').toFixed(0)} ms, script ${per('ScriptDuration').toFixed(0)} ms, layout ${per('LayoutDuration').toFixed(0)} ms (${(((metricsAfter.LayoutCount ?? 0) - (metricsBefore.LayoutCount ?? 0)) / page0Calls).toFixed(1)} layouts), style ${per('RecalcStyleDuration').toFixed(0)} ms`);
    console.log(`all of chromium's processes over the calls: ${(chromeRunMs / 1000).toFixed(0)} s of CPU, ${(chromeRunMs / Math.max(1, toPaint.length)).toFixed(0)} ms a call`);
    const apiReads = marks[0].api.slice(apiBefore);
    const byResource = new Map<string, number>();
    for (const url of apiReads) {
      const resource = new URL(url).pathname.replace(/^\/api\//, '').replace(/\/[^/]{20,}(?=\/|$)/g, '/:id');
      byResource.set(resource, (byResource.get(resource) ?? 0) + 1);
    }
    console.log(`agent page 1, reads from cms per call: ${(apiReads.length / page0Calls).toFixed(1)} (${[...byResource].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${(n / page0Calls).toFixed(1)}`).join(', ')})`);
    const retried = readsPerPop.filter((n) => n > 1).length;
    console.log(`account reads per pop: ${readsPerPop.reduce((a, b) => a + b, 0)} for ${readsPerPop.length} pops; ${retried} pops read it more than once; first read answered ${[...firstStatus].map(([status, n]) => `${status}: ${n}`).join(', ')}`);
  } finally {
    supervisor.close();
    await browser.close();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
