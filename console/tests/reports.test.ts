/**
 * The KPI dashboard in Debian's chromium against a real cms on PostgreSQL: calls, a promise and a
 * payment recorded through cms's API as the dialer and the bank would, the supervisor's figures
 * and a drill-down to the calls behind an agent's row, and an agent who sees only their own.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, cmsRest, launchChromium, settledShot, signIn, startCmsStack, type CmsStack } from './support/live-stack';

// The demo client's zone: cms counts days on the client's calendar, and the supervisor here works its hours
// (a browser in UTC would be a day ahead of New York every evening, and its "this month" a month ahead on the 1st).
const CLIENT_ZONE = 'America/New_York';
const clientClock = (d = new Date()) => {
  const f = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: CLIENT_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(d).map((p) => [p.type, p.value]));
  return { date: `${f.year}-${f.month}-${f.day}`, msSinceMidnight: ((Number(f.hour) * 60 + Number(f.minute)) * 60 + Number(f.second)) * 1000 + d.getMilliseconds() };
};
const clientDay = (n = 0) => new Date(Date.parse(`${clientClock().date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let stack: CmsStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;

const rest = (method: string, url: string, body?: unknown) => cmsRest(stack.info, method, url, body === undefined ? undefined : { data: body });

const shot = settledShot;
const tile = (page: Page, key: string) => page.getByTestId(`tile-${key}`).getByTestId('value');

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startCmsStack({ accounts: 6, agents: 3 });
  browser = await launchChromium([], { timezoneId: CLIENT_ZONE });
  const { data: accounts } = await rest('GET', '/accounts?pagination[pageSize]=10&fields[0]=accountNumber');
  const [one, two, three] = stack.info.agents;
  // Minutes ago, squeezed into the part of the client's day that has passed, in the same order: all of them today.
  const at = (minutesAgo: number) => {
    const elapsed = clientClock().msSinceMidnight;
    return new Date(Date.now() - Math.min(minutesAgo * 60_000, (elapsed * minutesAgo) / 31)).toISOString();
  };
  // Agent one: three dials, two connects, one a promise to pay; agent two: one dial, connected; agent three: one dial, busy
  // (a third agent in the campaign, below which cms withholds the campaign's average); one abandoned dial nobody took.
  const calls = [
    { agent: one.id, outcome: 'connected', disposition: stack.info.dispositions.PTP, talkSeconds: 120, wrapSeconds: 20 },
    { agent: one.id, outcome: 'connected', disposition: stack.info.dispositions.THIRD_PARTY, talkSeconds: 30, wrapSeconds: 5 },
    { agent: one.id, outcome: 'busy' },
    { agent: two.id, outcome: 'connected', disposition: stack.info.dispositions.RPC_REFUSED, talkSeconds: 60, wrapSeconds: 10 },
    { agent: three.id, outcome: 'busy' },
    { agent: null, outcome: 'abandoned' },
  ];
  const made = [];
  for (const [i, c] of calls.entries()) {
    made.push((await rest('POST', '/calls', { account: accounts[i % accounts.length].documentId, campaign: stack.info.campaignId, direction: 'outbound', queuedAt: at(30 - i), ...c })).data);
  }
  const promise = await rest('POST', '/promises-to-pay', { account: accounts[0].documentId, call: made[0].documentId, agent: one.id, amount: 150, dueDate: clientDay(7) });
  await rest('POST', '/payments', { account: accounts[0].documentId, amount: 150, paidDate: clientDay(), promise: promise.data.documentId });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the reports dashboard', () => {
  it('a supervisor reads the month\'s figures, the funnel and the tables, and opens the calls behind an agent\'s row', { timeout: 120_000 }, async () => {
    const page = await signIn(browser.context, stack.consoleUrl, stack.info.supervisor.username, stack.info.password);
    await page.waitForURL('**/wallboard');
    await page.goto(`${stack.consoleUrl}/reports`);
    await page.getByTestId('period').waitFor().catch(async (e) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'reports-failed.png'), fullPage: true });
      throw new Error(`${e.message}\n${(await page.locator('body').innerText()).slice(0, 500)} at ${page.url()}`);
    });
    await tile(page, 'dials').waitFor();
    // The test server has calls of its own: the page must show what cms reports to this supervisor, and what was added here.
    const today = clientDay();
    const res = await fetch(`${stack.info.url}/api/reports/kpis?from=${today.slice(0, 8)}01&to=${today}&groupBy=agent`, { headers: { Authorization: `Bearer ${stack.info.supervisor.jwt}` } });
    const api: any = await res.json();
    assert.ok(api.totals.dials >= 5 && api.totals.collectedAmount >= 150, JSON.stringify(api.totals));
    assert.equal(await tile(page, 'dials').textContent(), String(api.totals.dials));
    assert.equal(await tile(page, 'connects').textContent(), String(api.totals.connects));
    assert.equal(await tile(page, 'rightPartyContacts').textContent(), String(api.totals.rightPartyContacts));
    assert.equal(await tile(page, 'promises').textContent(), String(api.totals.promises));
    assert.equal(await tile(page, 'collectedAmount').textContent(), api.totals.collectedAmount.toFixed(2));
    const agentOne = api.data.find((r: any) => r.label === stack.info.agents[0].username);
    assert.ok(agentOne.dials >= 3 && agentOne.promises >= 1, JSON.stringify(agentOne));
    await page.getByTestId('kpi-trends').waitFor();
    const agentRow = page.getByTestId('by-agent').locator(`tr[data-row="${stack.info.agents[0].username}"]`);
    const cells = await agentRow.locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 5), [stack.info.agents[0].username, String(agentOne.dials), String(agentOne.connects), String(agentOne.rightPartyContacts), String(agentOne.promises)]);
    await shot(page, 'reports-supervisor');

    await agentRow.getByRole('link', { name: stack.info.agents[0].username }).click();
    await page.waitForURL(/\/calls\?/);
    // The report's own tables linger until the calls page (its own chunk) has loaded: their rows are not the calls.
    await page.getByTestId('by-agent').waitFor({ state: 'detached' });
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    // The calls behind the row: the agent's, and as many as the row counts.
    const agentsShown = await page.locator('.ant-table-tbody tr.ant-table-row').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    assert.equal(agentsShown.length, Math.min(25, agentOne.dials));
    assert.ok(agentsShown.every((t) => t.includes(stack.info.agents[0].username)), agentsShown.join(' | '));
    await shot(page, 'reports-drill-down');
    await page.close();
  });

  it('an agent sees their own day: their calls only, no table of agents', { timeout: 120_000 }, async () => {
    const page = await signIn(browser.context, stack.consoleUrl, stack.info.agents[1].username, stack.info.password);
    await page.waitForURL('**/workspace');
    await page.goto(`${stack.consoleUrl}/reports`);
    await page.getByRole('heading', { name: 'My figures' }).waitFor();
    await tile(page, 'dials').filter({ hasText: /^\d+$/ }).waitFor();
    assert.equal(await tile(page, 'dials').textContent(), '1');
    assert.equal(await tile(page, 'connects').textContent(), '1');
    assert.equal(await page.getByTestId('by-agent').count(), 0);

    // Beside each figure, the campaign's average agent for the same period: cms's aggregate, which the
    // supervisor's own rows of the campaign's agents give again; no colleague's row reaches the agent.
    const login = await (await fetch(`${stack.info.url}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: stack.info.agents[1].username, password: stack.info.password }) })).json();
    const kpis = async (jwt: string, query: string) => (await fetch(`${stack.info.url}/api/reports/kpis?${query}`, { headers: { Authorization: `Bearer ${jwt}` } })).json() as Promise<any>;
    const averageOf = async (range: string) => {
      const mine = await kpis(login.jwt, `${range}&groupBy=day`);
      const names = JSON.stringify(mine);
      for (const other of [stack.info.agents[0], stack.info.agents[2]]) assert.ok(!names.includes(other.username), `${other.username} named to an agent`);
      assert.equal(mine.peerAverage.length, 1, JSON.stringify(mine.peerAverage));
      const [peer] = mine.peerAverage;
      const rows = (await kpis(stack.info.supervisor.jwt, `${range}&groupBy=agent&campaign=${peer.key}`)).data.filter((r: any) => r.key !== null);
      assert.ok(peer.agents >= 3 && peer.agents === rows.length, `${peer.agents} agents, ${rows.length} rows`);
      const mean = (f: string) => Math.round((rows.reduce((s: number, r: any) => s + r[f], 0) / rows.length) * 100) / 100;
      for (const f of ['dials', 'rightPartyContacts', 'promises', 'collectedAmount']) assert.equal(peer.average[f], mean(f), f);
      return peer.average;
    };
    const average = (key: string) => page.getByTestId(`tile-${key}`).getByTestId('peer-average').locator('strong');
    const shownPeriod = async () => {
      const [, from, to] = /^(\S+) – (\S+)/.exec((await page.getByTestId('period').textContent())!)!;
      return `from=${from}&to=${to}`;
    };
    const todays = await averageOf(await shownPeriod());
    await page.getByTestId('tile-dials').getByTestId('peer-average').waitFor();
    assert.equal(await average('dials').textContent(), todays.dials.toLocaleString('en-US'));
    assert.equal(await average('collectedAmount').textContent(), todays.collectedAmount.toFixed(2));
    assert.equal(await average('keptRate').textContent(), todays.keptRate === null ? '—' : `${(todays.keptRate * 100).toFixed(1)} %`);
    await shot(page, 'reports-agent');

    await page.locator('.ant-segmented').getByText('This week').click();
    await page.locator('.ant-segmented-item-selected').filter({ hasText: 'This week' }).waitFor();
    const weeks = await averageOf(await shownPeriod());
    await page.waitForFunction((v) => document.querySelector('[data-testid="tile-dials"] [data-testid="peer-average"] strong')?.textContent === v, weeks.dials.toLocaleString('en-US'));
    assert.equal(await average('promises').textContent(), weeks.promises.toLocaleString('en-US'));
    await shot(page, 'reports-agent-week');
    await page.close();
  });
});
