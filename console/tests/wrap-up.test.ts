/**
 * Wrap-up and preview in Debian's chromium, against real parts (cms, Redis, the worker, the PBX
 * simulator; every debtor answers and stays on the line until the agent hangs up): the full
 * record after the pop, plain / promise / callback dispositions from the keyboard with what cms
 * recorded, the campaign's wrap-up limit enforced by the worker, and preview Dial and Skip.
 * Prints the wrap-up effort (keystrokes from hang-up to Ready).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ARTIFACTS, command, connect, eventually, launchChromium, startLiveStack, type LiveStack } from './support/live-stack';

let stack: LiveStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let supervisor: Socket | undefined;
const effort: Record<string, string> = {};

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startLiveStack({ accounts: 16, cmsEnv: { PREVIEW_CAMPAIGN: '1' } });
  browser = await launchChromium();
  supervisor = await connect(stack.workerPort, stack.info.supervisor.jwt);
});

after(async () => {
  if (Object.keys(effort).length) console.log(`wrap-up effort (keystrokes from hang-up to Ready): ${JSON.stringify(effort)}`);
  supervisor?.close();
  await browser?.close();
  await stack?.stop();
});

const api = (auth: string) => async (url: string, init: RequestInit = {}) => {
  const res = await fetch(`${stack.info.url}${url}`, { ...init, headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
  return (await res.json()) as any;
};
const asWorker = () => api(stack.info.apiToken);

async function signIn(username: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.consoleUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(stack.info.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/workspace');
  return page;
}

const stateIs = (page: Page, text: RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor({ timeout: 60_000 });

async function chooseCampaign(page: Page, name: string) {
  await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Campaign' }) }).click();
  await page.locator('.ant-select-item-option', { hasText: name }).click();
}

/** Waits for the next bridged call and returns the account number on screen. */
async function nextCall(page: Page): Promise<string> {
  await stateIs(page, /^On call$/);
  return (await page.getByTestId('account-number').textContent())!;
}

/** The key presses the agent makes, counted. */
function keyboard(page: Page) {
  let count = 0;
  return {
    press: async (key: string) => {
      count++;
      await page.keyboard.press(key);
    },
    type: async (text: string) => {
      count += text.length;
      await page.keyboard.type(text);
    },
    count: () => count,
  };
}

async function hangUpAndWrap(page: Page) {
  await page.getByRole('button', { name: 'Hang up' }).click();
  await page.getByRole('group', { name: 'Dispositions' }).waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

async function hotkeyOf(page: Page, label: string): Promise<string> {
  const names = await page.getByRole('group', { name: 'Dispositions' }).getByRole('button').evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('aria-keyshortcuts')]));
  const hit = names.find(([name]) => name === label);
  assert.ok(hit?.[1], `"${label}" has a hotkey among ${JSON.stringify(names)}`);
  return hit[1]!;
}

/** The connected call about an account, once cms has its disposition. */
async function dispositionedCall(accountNumber: string): Promise<any> {
  return eventually(async () => {
    const json = await asWorker()(`/api/calls?filters[account][accountNumber][$eq]=${accountNumber}&filters[outcome][$eq]=connected&populate[disposition][fields][0]=code&sort=createdAt:desc`);
    return json.data.find((c: any) => c.disposition);
  }, 30_000, `the dispositioned call on ${accountNumber}`);
}

describe('wrap-up', () => {
  let page: Page;

  it('pops the account, fills in the full record, and wraps a plain disposition up in two keystrokes', { timeout: 240_000 }, async () => {
    assert.equal((await command(supervisor!, 'campaign:start', { campaignId: stack.info.campaignId })).ok, true);
    page = await signIn(stack.info.agents[0].username);
    await chooseCampaign(page, 'Worker test campaign');
    await page.getByRole('button', { name: 'Ready' }).click();
    const shown = await nextCall(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'wrap-up-pop.png') });

    // The full record: phones with type and consent, the last calls, the Regulation F counters.
    const record = page.getByTestId('account-record');
    await record.getByRole('table').first().getByText('mobile').waitFor();
    await page.getByTestId('attempts-7-days').waitFor();
    const rules = await asWorker()(`/api/accounts?filters[accountNumber][$eq]=${shown}`).then(async (j) => asWorker()(`/api/accounts/${j.data[0].documentId}/contact-rules`));
    assert.equal(await page.getByTestId('attempts-7-days').textContent(), `${rules.data.attemptsLast7Days} of 7`);
    await page.getByText('Next call allowed').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'wrap-up-account.png') });

    await hangUpAndWrap(page);
    const keys = keyboard(page);
    await keys.press(await hotkeyOf(page, 'Debtor reached, refused to pay'));
    await keys.press('Enter');
    await stateIs(page, /^(Ready|On call)$/);
    effort.plain = `${keys.count()} (hotkey, Enter)`;
    assert.equal(keys.count(), 2);
    assert.equal((await dispositionedCall(shown)).disposition.code, 'RPC_REFUSED');
  });

  it('records a promise to pay typed as amount, date, Enter', { timeout: 120_000 }, async () => {
    const shown = await nextCall(page);
    await hangUpAndWrap(page);
    const keys = keyboard(page);
    await keys.press(await hotkeyOf(page, 'Promise to pay'));
    // The amount has the focus; Tab to the date (+7: a week from today).
    await keys.type('150.25');
    await keys.press('Tab');
    await keys.type('+7');
    await page.screenshot({ path: path.join(ARTIFACTS, 'wrap-up-promise.png') });
    await keys.press('Enter');
    await stateIs(page, /^(Ready|On call)$/);
    effort.promise = `${keys.count()} (hotkey, 6 for the amount, Tab, 2 for the date, Enter)`;

    const call = await dispositionedCall(shown);
    assert.equal(call.disposition.code, 'PTP');
    const week = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const promise = await eventually(async () => (await asWorker()(`/api/promises-to-pay?filters[call][documentId][$eq]=${call.documentId}&populate[account][fields][0]=accountNumber`)).data[0], 20_000, 'the promise in cms');
    assert.equal(Number(promise.amount), 150.25);
    assert.equal(promise.dueDate, week);
    assert.equal(promise.account.accountNumber, shown);
  });

  it('books a callback on the debtor\'s clock, refusing a time outside the calling window', { timeout: 120_000 }, async () => {
    const shown = await nextCall(page);
    await hangUpAndWrap(page);
    // This one pauses after submitting: the option is per agent and remembered.
    await page.getByRole('switch', { name: 'Go Ready after submitting' }).click();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press(await hotkeyOf(page, 'Callback requested'));
    const tomorrow = await page.getByLabel('Callback date').inputValue().then((d) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
    await page.getByLabel('Callback date').fill(tomorrow);
    await page.getByLabel('Callback time').fill('22:30');
    await page.getByText(/Outside the calling window/).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Submit/ }).isDisabled(), true);
    await page.getByLabel('Callback time').fill('10:30');
    await page.getByText(/your time$/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'wrap-up-callback.png') });
    await page.keyboard.press('Enter');
    await stateIs(page, /^Paused$/);
    await page.getByText(/After call/).waitFor();

    const call = await dispositionedCall(shown);
    assert.equal(call.disposition.code, 'CALLBACK');
    const callback = await eventually(async () => (await asWorker()(`/api/callbacks?filters[call][documentId][$eq]=${call.documentId}&populate[account][fields][0]=timezone`)).data[0], 20_000, 'the callback in cms');
    assert.equal(callback.state, 'scheduled');
    // 10:30 on the debtor's clock, whatever the zone of this machine.
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: callback.account.timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(callback.dueAt));
    assert.equal(local.replace(',', ''), `${tomorrow} 10:30`);
    // The choice is remembered for the next wrap-up.
    assert.equal(await page.evaluate(() => Object.entries(localStorage).some(([k, v]) => k.startsWith('collections.workspace-settings.') && JSON.parse(v).autoReady === false)), true);
  });

  it('applies the campaign\'s default disposition and pauses the agent when the wrap-up limit runs out, with the browser gone', { timeout: 180_000 }, async () => {
    const put = await api(stack.info.supervisor.jwt)(`/api/campaigns/${stack.info.campaignId}`, { method: 'PUT', body: JSON.stringify({ data: { wrapUpLimitSec: 12, defaultDisposition: stack.info.dispositions.HUNG_UP } }) });
    assert.equal(put.data?.wrapUpLimitSec, 12, JSON.stringify(put));
    // Paused and resumed: the worker reads the campaign's settings again.
    assert.equal((await command(supervisor!, 'campaign:pause', { campaignId: stack.info.campaignId })).ok, true);
    assert.equal((await command(supervisor!, 'campaign:start', { campaignId: stack.info.campaignId })).ok, true);
    await page.getByRole('button', { name: 'Ready' }).click();
    const shown = await nextCall(page);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('alert').filter({ hasText: /Wrap-up time runs out in \d+ s/ }).waitFor({ timeout: 15_000 });
    await page.close();

    const call = await dispositionedCall(shown);
    assert.equal(call.disposition.code, 'HUNG_UP');
    page = await signIn(stack.info.agents[0].username);
    await stateIs(page, /^Paused$/);
    await page.getByText(/Wrap-up time ran out/).waitFor();
    await page.close();
    assert.equal((await command(supervisor!, 'campaign:pause', { campaignId: stack.info.campaignId })).ok, true);
  });
});

describe('preview', () => {
  it('shows the next account, skips it, and dials the one after', { timeout: 180_000 }, async () => {
    const previewId = stack.info.previewCampaignId!;
    assert.equal((await command(supervisor!, 'campaign:start', { campaignId: previewId })).ok, true);
    const page = await signIn(stack.info.agents[1].username);
    await chooseCampaign(page, 'Worker preview campaign');
    await page.getByRole('button', { name: 'Ready' }).click();
    await stateIs(page, /^Previewing$/);
    const panel = page.getByTestId('preview-panel');
    await panel.getByRole('button', { name: 'Dial' }).waitFor();
    const first = (await page.getByTestId('account-number').textContent())!;
    await page.getByTestId('attempts-7-days').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'wrap-up-preview.png') });

    await panel.getByRole('button', { name: 'Skip' }).click();
    const second = await eventually(async () => {
      const n = await page.getByTestId('account-number').textContent().catch(() => null);
      return n && n !== first && (await page.getByRole('button', { name: 'Dial' }).isEnabled()) ? n : null;
    }, 30_000, 'the next preview after Skip');
    assert.notEqual(second, first);

    await page.getByRole('button', { name: 'Dial' }).click();
    assert.equal(await nextCall(page), second);
    await hangUpAndWrap(page);
    await page.keyboard.press(await hotkeyOf(page, 'Debtor reached, refused to pay'));
    await page.keyboard.press('Enter');
    const call = await dispositionedCall(second);
    assert.equal(call.disposition.code, 'RPC_REFUSED');
    // The skipped account was never dialed.
    const skipped = await asWorker()(`/api/calls?filters[account][accountNumber][$eq]=${first}&filters[campaign][documentId][$eq]=${previewId}`);
    assert.equal(skipped.data.length, 0);
    await page.close();
  });
});
