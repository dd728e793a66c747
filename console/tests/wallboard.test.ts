/**
 * The supervisor's wallboard in Debian's chromium against real parts: cms on PostgreSQL, the
 * worker on Redis, the PBX simulator over TCP (its log tells what was dialed). Agents are
 * driven by socket clients, as their consoles would.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { readPbxLog } from '../../dialer-worker/src/pbx-simulator/simulator-log';
import { ARTIFACTS, command, connect, eventually, launchChromium, signIn, startLiveStack, type LiveStack } from './support/live-stack';

let stack: LiveStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
const logPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wallboard-')), 'pbx.jsonl');
const agents: Socket[] = [];
const customerOriginates = () => (fs.existsSync(logPath) ? readPbxLog(logPath).filter((e) => e.event === 'originate' && e.leg === 'customer') : []);
const cmsCampaign = async () => {
  const res = await fetch(`${stack.info.url}/api/campaigns/${stack.info.campaignId}`, { headers: { Authorization: `Bearer ${stack.info.apiToken}` } });
  return ((await res.json()) as { data: { state: string; maxDialRatio: number } }).data;
};

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startLiveStack({ accounts: 12, agents: 2, dialMode: 'predictive', pbxLog: logPath });
  browser = await launchChromium();
});

after(async () => {
  for (const s of agents) s.close();
  await browser?.close();
  await stack?.stop();
});

const agentRow = (page: Page, username: string) => page.locator(`tr[data-agent="${username}"]`);

describe('the wallboard', () => {
  let page: Page;

  it('a supervisor starts a campaign and watches agents change state and calls come, live', { timeout: 180_000 }, async () => {
    page = await signIn(browser.context, stack.consoleUrl, stack.info.supervisor.username, stack.info.password);
    await page.waitForURL('**/wallboard');
    const card = page.getByTestId(`campaign-${stack.info.campaignId}`);
    await card.getByTestId('campaign-state').filter({ hasText: 'draft' }).waitFor();
    await card.getByRole('button', { name: 'Start' }).click();
    await card.getByTestId('campaign-state').filter({ hasText: 'running' }).waitFor({ timeout: 15_000 });
    assert.equal((await cmsCampaign()).state, 'running');
    await page.getByTestId('freshness').getByText(/Updated/).waitFor({ timeout: 10_000 });

    const [one, two] = stack.info.agents;
    for (const a of [one, two]) agents.push(await connect(stack.workerPort, a.jwt));
    // Ready: a call comes (every debtor answers), and the grid shows it with the account.
    assert.equal((await command(agents[0], 'ready', { campaignId: stack.info.campaignId })).ok, true);
    const row = agentRow(page, one.username);
    await row.getByTestId('agent-status').filter({ hasText: 'On call' }).waitFor({ timeout: 30_000 });
    await row.getByText(/^W0000\d\d$/).waitFor();
    assert.ok(customerOriginates().length >= 1, 'the PBX was asked to dial');
    await card.getByTestId('agents-by-state').getByText('1 on call').waitFor({ timeout: 10_000 });
    // While it dials, how many phones are cleared and waiting in the dialer's hopper.
    await card.getByTestId('hopper').locator('.ant-statistic-content-value').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 10_000 });

    // The agent hangs up: wrap-up, and the call counts in their day.
    assert.equal((await command(agents[0], 'hangup')).ok, true);
    await row.getByTestId('agent-status').filter({ hasText: 'Wrap-up' }).waitFor({ timeout: 15_000 });
    await row.locator('td').nth(5).filter({ hasText: /^1$/ }).waitFor();
    await card.getByTestId('abandon-window').waitFor();
    // Wrapped up into a pause: the grid says why.
    const wrapped = await command(agents[0], 'disposition', { disposition: Object.values(stack.info.dispositions)[0], next: 'pause' });
    assert.equal(wrapped.ok, true, wrapped.error);
    await row.getByTestId('agent-status').filter({ hasText: /^Paused · after call$/ }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'wallboard-supervisor.png') });
  });

  it('lays one campaign across the whole row', { timeout: 30_000 }, async () => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    const cards = await page.getByTestId('campaign-cards').boundingBox();
    const card = await page.getByTestId(`campaign-${stack.info.campaignId}`).boundingBox();
    assert.equal(await page.locator('[data-testid^="campaign-"][aria-label^="Campaign"]').count(), 1);
    assert.ok(cards && card && Math.abs(cards.width - card.width) < 2, `the card is ${card?.width} px wide in a row of ${cards?.width} px`);
  });

  it('colours an agent past the supervisor\'s own wrap-up threshold, and keeps it across a reload', { timeout: 120_000 }, async () => {
    const [one] = stack.info.agents;
    const row = agentRow(page, one.username);
    await page.getByRole('button', { name: 'Thresholds' }).click();
    const wrapUp = page.getByLabel('Wrap-up over (s)');
    await wrapUp.fill('5');
    await wrapUp.blur();
    await page.getByTestId('thresholds-text').getByText('wrap-up over 5 s').waitFor({ timeout: 5_000 });
    await page.keyboard.press('Escape');
    // Every status the grid paints from here on: a predictive campaign's reserved agent is never "Previewing".
    await page.evaluate(() => {
      const seen: string[] = ((window as any).__statuses = []);
      new MutationObserver(() => document.querySelectorAll('[data-testid="agent-status"]').forEach((e) => seen.push(e.textContent ?? ''))).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    assert.equal((await command(agents[0], 'ready', { campaignId: stack.info.campaignId })).ok, true);
    await row.getByTestId('agent-status').filter({ hasText: 'On call' }).waitFor({ timeout: 30_000 });
    assert.equal((await command(agents[0], 'hangup')).ok, true);
    await row.getByTestId('agent-status').filter({ hasText: 'Wrap-up' }).waitFor({ timeout: 15_000 });
    await page.locator(`tr.over[data-agent="${one.username}"]`).waitFor({ timeout: 15_000 });
    const statuses: string[] = await page.evaluate(() => (window as any).__statuses);
    assert.ok(statuses.length > 0 && !statuses.some((t) => t.startsWith('Previewing')), `statuses seen: ${[...new Set(statuses)].join(', ')}`);
    await page.reload();
    await page.getByTestId('thresholds-text').getByText('wrap-up over 5 s').waitFor({ timeout: 15_000 });
    await page.locator(`tr.over[data-agent="${one.username}"]`).waitFor({ timeout: 15_000 });
    const wrapped = await command(agents[0], 'disposition', { disposition: Object.values(stack.info.dispositions)[0], next: 'pause' });
    assert.equal(wrapped.ok, true, wrapped.error);
    await row.getByTestId('agent-status').filter({ hasText: /^Paused/ }).waitFor({ timeout: 10_000 });
  });

  it('changes the max ratio only after showing what the engine expects of it', { timeout: 60_000 }, async () => {
    const card = page.getByTestId(`campaign-${stack.info.campaignId}`);
    assert.equal(await card.getByRole('button', { name: /^Apply/ }).count(), 0);
    await card.getByLabel('Max dial ratio').fill('4.5');
    await card.getByRole('button', { name: 'What if?' }).click();
    const whatIf = card.getByTestId('what-if');
    await whatIf.waitFor({ timeout: 10_000 });
    await whatIf.getByText('Abandons').waitFor();
    assert.match(await whatIf.locator('tbody tr').nth(1).innerText(), /^At 4\.5/);
    assert.match(await whatIf.innerText(), /(No change expected at 4\.5|At 4\.5 instead of 3)/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'wallboard-what-if.png') });
    await card.getByRole('button', { name: 'Apply 4.5' }).click();
    await eventually(async () => (await cmsCampaign()).maxDialRatio === 4.5, 10_000, 'cms has the new max ratio');
    await card.getByText('max 4.5').waitFor({ timeout: 10_000 });
  });

  it('pauses the campaign, after which nothing more is dialed', { timeout: 90_000 }, async () => {
    const card = page.getByTestId(`campaign-${stack.info.campaignId}`);
    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByTestId('campaign-state').filter({ hasText: 'paused' }).waitFor({ timeout: 15_000 });
    await card.getByTestId('why-nothing-dials').getByText('Paused by a supervisor.').waitFor();
    const atPause = customerOriginates().length;
    // Both agents free and ready: a running campaign would dial for them at once.
    assert.equal((await command(agents[0], 'ready', { campaignId: stack.info.campaignId })).ok, true);
    assert.equal((await command(agents[1], 'ready', { campaignId: stack.info.campaignId })).ok, true);
    await agentRow(page, stack.info.agents[0].username).getByTestId('agent-status').filter({ hasText: 'Ready' }).waitFor({ timeout: 10_000 });
    await agentRow(page, stack.info.agents[1].username).getByTestId('agent-status').filter({ hasText: 'Ready' }).waitFor({ timeout: 10_000 });
    // Absence takes a while to show: 25 pacing intervals (200 ms) with two idle agents.
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(customerOriginates().length, atPause, 'no Originate after the pause');
    assert.equal(await agentRow(page, stack.info.agents[0].username).getByTestId('agent-status').innerText(), 'Ready');
  });

  it('shows another client\'s supervisor nothing of it', { timeout: 60_000 }, async () => {
    const other = await signIn(browser.context, stack.consoleUrl, stack.info.otherSupervisor.username, stack.info.password);
    await other.waitForURL('**/wallboard');
    await other.getByText('No campaign of your clients').waitFor({ timeout: 15_000 });
    await other.getByText('No agent logged in on these campaigns').waitFor();
    assert.equal(await other.getByText('Worker test campaign').count(), 0);
    assert.equal(await other.locator('tr[data-agent]').count(), 0);
    // Asked directly, the worker refuses to let them watch it.
    const socket = await connect(stack.workerPort, stack.info.otherSupervisor.jwt);
    assert.equal((await command(socket, 'campaign:watch', { campaignId: stack.info.campaignId })).ok, false);
    assert.equal((await command(socket, 'campaign:what-if', { campaignId: stack.info.campaignId, maxDialRatio: 2 })).ok, false);
    socket.close();
    await other.close();
  });

  it('shows an analyst the floor without a single control', { timeout: 60_000 }, async () => {
    const analyst = await signIn(browser.context, stack.consoleUrl, stack.info.analyst.username, stack.info.password);
    await analyst.waitForURL('**/accounts');
    await analyst.goto(`${stack.consoleUrl}/wallboard`);
    const card = analyst.getByTestId(`campaign-${stack.info.campaignId}`);
    await card.getByTestId('campaign-state').filter({ hasText: 'paused' }).waitFor({ timeout: 15_000 });
    await agentRow(analyst, stack.info.agents[1].username).waitFor({ timeout: 10_000 });
    assert.equal(await analyst.getByText('read-only').count(), 1);
    for (const name of ['Start', 'Pause', 'Resume', 'What if?']) assert.equal(await analyst.getByRole('button', { name }).count(), 0, `no ${name} button`);
    assert.equal(await analyst.getByLabel('Max dial ratio').count(), 0);
    // Nor can the worker be asked behind the page's back.
    const socket = await connect(stack.workerPort, stack.info.analyst.jwt);
    assert.match(String((await command(socket, 'campaign:resume', { campaignId: stack.info.campaignId })).error), /^FORBIDDEN/);
    socket.close();
    await analyst.screenshot({ path: path.join(ARTIFACTS, 'wallboard-analyst.png') });
    await analyst.close();
  });

  it('warns when updates stop, and stops warning when they come back', { timeout: 120_000 }, async () => {
    const card = page.getByTestId(`campaign-${stack.info.campaignId}`);
    await card.getByRole('button', { name: 'Resume' }).click();
    await card.getByTestId('campaign-state').filter({ hasText: 'running' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('freshness').getByText(/^Updated/).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('stale-warning').count(), 0);
    // The figures are greyed while they may be stale (a frozen "No agent is ready" is not the floor now).
    const live = page.getByTestId('wallboard-live');
    const opacity = async () => Number(await live.evaluate((el) => getComputedStyle(el).opacity));
    assert.equal(await opacity(), 1);
    const restart = await stack.killWorker();
    await page.getByTestId('stale-warning').waitFor({ timeout: 15_000 });
    assert.match(await page.getByTestId('freshness').innerText(), /Not connected to the dialer|Updates stopped/);
    await page.waitForFunction(() => Number(getComputedStyle(document.querySelector('[data-testid="wallboard-live"]')!).opacity) < 0.5, null, { timeout: 5_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'wallboard-stale.png') });
    await restart();
    await page.getByTestId('stale-warning').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('freshness').getByText(/^Updated/).waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => Number(getComputedStyle(document.querySelector('[data-testid="wallboard-live"]')!).opacity) === 1, null, { timeout: 5_000 });
  });
});
