/**
 * An agent's shift in Debian's chromium, against real parts: cms, Redis, the worker and the PBX
 * simulator (every debtor answers and stays on the line until the agent hangs up).
 */
import { ACCOUNT_STATUSES } from '../src/pages/accounts/account-format';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ARTIFACTS, command, connect, eventually, launchChromium, startLiveStack, type LiveStack } from './support/live-stack';

let stack: LiveStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let supervisor: Socket | undefined;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startLiveStack();
  browser = await launchChromium();
});

after(async () => {
  supervisor?.close();
  await browser?.close();
  await stack?.stop();
});

async function signIn(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.consoleUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(stack.info.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

async function cmsCall(attemptId: string): Promise<any> {
  const res = await fetch(`${stack.info.url}/api/calls?filters[attemptId][$eq]=${encodeURIComponent(attemptId)}&populate[disposition][fields][0]=code&populate[account][fields][0]=accountNumber`, { headers: { Authorization: `Bearer ${stack.info.apiToken}` } });
  return ((await res.json()) as any).data[0];
}

describe('the agent workspace', () => {
  it('signs in, goes Ready, gets a call with the account on screen, and dispositions it from the keyboard', { timeout: 180_000 }, async () => {
    const login = await browser.context.newPage();
    await login.goto(`${stack.consoleUrl}/login`);
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    await login.screenshot({ path: path.join(ARTIFACTS, 'login.png') });
    await login.close();

    supervisor = await connect(stack.workerPort, stack.info.supervisor.jwt);
    assert.deepEqual(await command(supervisor, 'campaign:start', { campaignId: stack.info.campaignId }), { ok: true, data: { campaignId: stack.info.campaignId, state: 'running' } });

    const page = await signIn(browser.context, stack.info.agents[0].username);
    await page.waitForURL('**/workspace');
    const status = page.getByRole('status').filter({ hasText: /^(Not ready|Ready|Paused|On call|Wrap-up|Previewing)$/ });
    await assert.doesNotReject(status.waitFor());

    // The select itself: antd hides its search input once a value is shown.
    await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Campaign' }) }).click();
    // antd keeps an invisible listbox for screen readers beside the visible one: click the visible option.
    await page.locator('.ant-select-item-option', { hasText: 'Worker test campaign' }).click();
    await page.getByRole('button', { name: 'Ready' }).click();

    // Ready, then a debtor answers and is bridged to this agent: the account is on screen.
    const accountNumber = page.getByTestId('account-number');
    await accountNumber.waitFor({ timeout: 60_000 });
    assert.equal(await status.textContent(), 'On call');
    const shown = (await accountNumber.textContent())!;
    assert.match(shown, /^W\d{6}$/);
    await page.getByTestId('account-record').waitFor();
    // The account's status in the same words and colour as the accounts pages (one table of statuses).
    const labels = Object.values(ACCOUNT_STATUSES).map((st) => st.label);
    const statusTag = (await page.getByTestId('account-pop').locator('.ant-tag').allTextContents()).find((t) => labels.includes(t));
    assert.ok(statusTag, 'the pop shows the account status by its label');
    // The summary painted first; the full record (the phones from cms) fills in after it.
    await page.getByTestId('account-record').getByText(/^\+\d{8,}$/).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'workspace-call.png'), fullPage: true });

    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('group', { name: 'Dispositions' }).waitFor();
    assert.equal(await status.textContent(), 'Wrap-up');

    // A plain disposition: its number, then Enter.
    const buttons = page.getByRole('group', { name: 'Dispositions' }).getByRole('button');
    const names = await buttons.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    const plain = names.indexOf('Debtor reached, refused to pay');
    assert.ok(plain >= 0 && plain < 9, `a "Debtor reached, refused to pay" disposition with a hotkey, among ${names.join(', ')}`);
    // Number keys can be turned off (WCAG 2.1.4), and then choose nothing.
    const numberKeys = page.getByRole('switch', { name: 'Number keys choose a disposition' });
    await numberKeys.click();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press(String(plain + 1));
    assert.equal(await buttons.nth(plain).getAttribute('aria-pressed'), 'false');
    await numberKeys.click();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await page.keyboard.press(String(plain + 1));
    assert.equal(await buttons.nth(plain).getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: path.join(ARTIFACTS, 'workspace-wrap-up.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /^(Ready|On call)$/ }).waitFor();

    const attemptId = await eventually(async () => {
      const res = await fetch(`${stack.info.url}/api/calls?filters[account][accountNumber][$eq]=${shown}&filters[outcome][$eq]=connected`, { headers: { Authorization: `Bearer ${stack.info.apiToken}` } });
      return ((await res.json()) as any).data[0]?.attemptId as string | undefined;
    }, 20_000, 'the connected call in cms');
    const call = await eventually(async () => {
      const c = await cmsCall(attemptId);
      return c?.disposition ? c : null;
    }, 20_000, 'the disposition on the call record');
    assert.equal(call.account.accountNumber, shown);
    assert.equal(call.disposition.code, 'RPC_REFUSED');
    await page.close();
  });

  it('sends an agent who opens a supervisor page back to their workspace', { timeout: 60_000 }, async () => {
    const page = await signIn(browser.context, stack.info.agents[1].username);
    await page.waitForURL('**/workspace');
    await page.goto(`${stack.consoleUrl}/wallboard`);
    await page.waitForURL('**/workspace');
    assert.equal(await page.getByRole('heading', { name: 'Wallboard' }).count(), 0);

    // Pause with a reason: the state and the reason are on screen.
    await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Pause reason' }) }).click();
    await page.locator('.ant-select-item-option', { hasText: 'Lunch' }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: /^Paused$/ }).waitFor();
    await page.getByText(/for \d+:\d\d · Lunch/).waitFor();
    // The menu offers what the role may use, and only that.
    await page.getByRole('menuitem', { name: /Workspace/ }).waitFor();
    assert.equal(await page.getByRole('menuitem', { name: /Wallboard/ }).count(), 0);
    await page.close();
  });

  it('shows the dialer connection going and coming back, and resynchronises the state the worker kept', { timeout: 120_000 }, async () => {
    // agents[1] paused in the test above, in another page: a new sign-in shows it, however soon the
    // worker sends the state after the socket connects.
    const page = await signIn(browser.context, stack.info.agents[1].username);
    await page.waitForURL('**/workspace');
    await page.getByText('Connected', { exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: /^Paused$/ }).waitFor({ timeout: 5_000 });

    const restart = await stack.killWorker();
    await page.getByText('Reconnecting…', { exact: true }).waitFor({ timeout: 15_000 });
    // A page loaded while the worker is down knows nothing of the agent's state…
    await page.reload();
    await page.getByRole('status').filter({ hasText: /^Not ready$/ }).waitFor();
    await restart();
    // …until the new worker tells it on connection.
    await page.getByText('Connected', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('status').filter({ hasText: /^Paused$/ }).waitFor();
    await page.close();
  });
});
