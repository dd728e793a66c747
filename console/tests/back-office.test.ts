/**
 * The back office in Debian's chromium against a real cms: a campaign edited with cms's
 * compliance errors on the field, a call's compliance receipt in words, the audit chain verified
 * from the page, an analyst who sees every page without a single edit control, and another
 * client's supervisor who sees nothing of the first client. No dialer: the call is recorded
 * through cms's attempt endpoint with a receipt cms's own hopper issued, as the worker does.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, cmsRest, eventually, launchChromium, settledShot, signIn, startCmsStack, type CmsStack } from './support/live-stack';

let stack: CmsStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let supervisor: Page;
const analyst = { username: 'wanalyst', id: 0 };
let call: { documentId: string; accountNumber: string };

const rest = (method: string, url: string, body?: unknown) => cmsRest(stack.info, method, url, body);

const shot = settledShot;
const rowTexts = (page: Page) => page.locator('.ant-table-tbody tr.ant-table-row').allTextContents();
/** Buttons and links that would change something, by the names the pages give them. */
const EDIT_CONTROL = /^(create|save|edit|delete|remove|add number|verify the chain)/i;

async function editControls(page: Page): Promise<string[]> {
  const names = await page.locator('main').getByRole('button').evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim()));
  return names.filter((n) => EDIT_CONTROL.test(n));
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startCmsStack({ accounts: 12, agents: 2 });
  browser = await launchChromium();
  const campaignId = stack.info.campaignId;

  // The test server's analyst, a member of the same client.
  analyst.username = stack.info.analyst.username;
  analyst.id = stack.info.analyst.id;

  // One attempt as the dialer records it: cleared by cms's hopper, with the receipt it issued.
  await rest('PUT', `/campaigns/${campaignId}`, { data: { state: 'running' } });
  const { data: hopper } = await rest('GET', `/campaigns/${campaignId}/dialable?limit=10`);
  const item = hopper.items[0];
  assert.ok(item, `cms's hopper offers a phone to dial (refusals: ${JSON.stringify(hopper.refusals)})`);
  // The call follows the check by moments, as a dial does (cms accepts call times up to an hour ahead of its clock).
  const t = (s: number) => new Date(Date.parse(item.receipt.checkedAt) + 100 + s * 1000).toISOString();
  const { data: recorded } = await rest('PUT', '/calls/attempts/bo-attempt-0001', {
    data: {
      account: item.accountDocumentId, campaign: campaignId, agent: stack.info.agents[0].id, phone: item.phone, direction: 'outbound', dialMode: 'progressive',
      queuedAt: t(0), dialedAt: t(1), answeredAt: t(9), bridgedAt: t(10), endedAt: t(100), ringSeconds: 8, talkSeconds: 90, outcome: 'connected',
      complianceReceipt: item.receipt, disposition: stack.info.dispositions.PTP, notes: 'Promised to pay on Friday',
    },
  });
  await rest('PUT', `/campaigns/${campaignId}`, { data: { state: 'paused' } });
  call = { documentId: recorded.documentId, accountNumber: item.accountNumber };

  supervisor = await signIn(browser.context, stack.consoleUrl, stack.info.supervisor.username, stack.info.password);
  await supervisor.waitForURL('**/wallboard');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the back office, for a supervisor', () => {
  it('shows the back-office pages in the menu', { timeout: 30_000 }, async () => {
    await supervisor.getByRole('menuitem', { name: /Campaigns/ }).waitFor();
    const menu = await supervisor.getByRole('menuitem').allTextContents();
    for (const item of ['Campaigns', 'Calls', 'Audit log', 'Dispositions', 'Do not call']) assert.ok(menu.includes(item), `${item} in ${menu.join(', ')}`);
  });

  it("edits a campaign: cms's compliance error on the field, then a lawful value saved", { timeout: 60_000 }, async () => {
    const page = supervisor;
    await page.getByRole('menuitem', { name: /Campaigns/ }).click();
    await page.getByText('1 campaign', { exact: true }).waitFor();
    await shot(page, 'back-office-campaigns');
    await page.getByRole('link', { name: 'Open campaign Worker test campaign' }).click();
    await page.waitForURL(`**/campaigns/${stack.info.campaignId}`);

    const ring = page.getByLabel('Ring timeout');
    await eventually(async () => (await ring.inputValue()) === '25', 10_000, 'the form shows the stored ring timeout');
    await ring.fill('10');
    const callsUntil = page.getByLabel('Calls until');
    await callsUntil.fill('22:30');
    await page.getByRole('button', { name: 'Save' }).click();
    const errorOf = (label: string) => page.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) }).locator('.ant-form-item-explain-error');
    await errorOf('Ring timeout').waitFor();
    assert.equal(await errorOf('Ring timeout').textContent(), 'ringTimeoutSec must be at least 15 seconds');
    assert.equal(await errorOf('Calls until').textContent(), 'callWindowEnd must be within the legal calling hours 08:00-21:00');
    await shot(page, 'back-office-campaign-field-error');
    // Nothing was written.
    assert.equal((await rest('GET', `/campaigns/${stack.info.campaignId}`)).data.ringTimeoutSec, 25);

    await ring.fill('30');
    await callsUntil.fill('20:00');
    await errorOf('Ring timeout').waitFor({ state: 'detached' });
    // An agent taken off the campaign, from the client's agents listed by name.
    await page.locator('.ant-select-selection-item', { hasText: stack.info.agents[1].username }).locator('.ant-select-selection-item-remove').click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Campaign saved').waitFor();
    const saved = (await rest('GET', `/campaigns/${stack.info.campaignId}?populate[agents][fields][0]=username`)).data;
    assert.equal(saved.ringTimeoutSec, 30);
    assert.equal(saved.callWindowEnd, '20:00');
    assert.deepEqual(saved.agents.map((a: any) => a.username), [stack.info.agents[0].username]);
    await shot(page, 'back-office-campaign-edit');
  });

  it('creates a campaign for its client, with the client’s agents to choose from', { timeout: 60_000 }, async () => {
    const page = supervisor;
    await page.goto(`${stack.consoleUrl}/campaigns/create`);
    await page.getByLabel('Name', { exact: true }).fill('Early stage, 30-60 DPD');
    await page.getByRole('combobox', { name: 'Client' }).click();
    await page.locator('.ant-select-item-option', { hasText: 'Worker Test Bank' }).click();
    await page.getByLabel('Days past due from').fill('30');
    await page.getByLabel('Days past due to').fill('60');
    await page.getByRole('combobox', { name: 'Agents' }).click();
    await page.locator('.ant-select-item-option', { hasText: stack.info.agents[1].username }).click();
    await page.keyboard.press('Escape');
    await shot(page, 'back-office-campaign-create');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Campaign created').waitFor();
    await page.waitForURL(/\/campaigns\/[a-z0-9]{24}$/);
    const created = (await rest('GET', `/campaigns/${page.url().split('/').pop()}?populate[client][fields][0]=code&populate[agents][fields][0]=username`)).data;
    assert.equal(created.name, 'Early stage, 30-60 DPD');
    assert.equal(created.client.code, 'WTB');
    assert.equal(created.state, 'draft');
    assert.equal(created.ringTimeoutSec, 25);
    assert.deepEqual(created.accountFilter, { daysPastDue: { min: 30, max: 60 } });
    assert.deepEqual(created.agents.map((a: any) => a.username), [stack.info.agents[1].username]);
  });

  it('lists calls with filters, and shows a call’s compliance receipt in words and its audit trail', { timeout: 60_000 }, async () => {
    const page = supervisor;
    await page.getByRole('menuitem', { name: /Calls/ }).click();
    await page.getByText(/^[\d,]+ calls?$/).waitFor();
    const all = await rowTexts(page);
    assert.ok(all.length > 1, 'the seeded calls and the recorded one are listed');
    await page.getByRole('combobox', { name: 'Outcome' }).click();
    await page.locator('.ant-select-item-option', { hasText: 'Connected' }).click();
    await page.getByRole('combobox', { name: 'Campaign' }).click();
    await page.locator('.ant-select-item-option', { hasText: 'Worker test campaign' }).click();
    await eventually(async () => (await rowTexts(page)).length === 1, 10_000, 'the filters leave the one connected call of the campaign');
    const [row] = await rowTexts(page);
    assert.match(row, new RegExp(call.accountNumber));
    assert.match(row, /wagent1.*Connected.*Promise to pay/);
    assert.match(page.url(), /filters/);
    await shot(page, 'back-office-calls');

    await page.locator('.ant-table-tbody tr.ant-table-row a').first().click();
    await page.waitForURL(`**/calls/${call.documentId}`);
    const receipt = page.getByTestId('compliance-receipt');
    await receipt.waitFor();
    const text = (await receipt.textContent())!;
    assert.match(text, /Every rule met/);
    assert.match(text, /under rule set 2026-11-us-uk-1/);
    assert.match(text, /Calling hours.*It was \d\d:\d\d on \d{4}-\d\d-\d\d where the debtor lives \(Etc\/GMT(?:[+-]\d+)?\); calls are allowed 08:00–21:00 there\./);
    assert.match(text, /The number was on no do-not-call list/);
    assert.match(text, /At most 7 calls in 7 days.*0 earlier attempts on this debt in the 7 days before; this call was number 1\./);
    assert.match(text, /There had been no conversation about this debt\./);
    assert.match(text, /consent to automated calls was on file/);
    const trail = page.getByTestId('call-audit-trail');
    await trail.getByText('Created').waitFor();
    assert.match((await trail.textContent())!, /dialer \/ API/);
    await shot(page, 'back-office-call-receipt');
  });

  it('verifies the audit chain from the page and searches the log by entity', { timeout: 60_000 }, async () => {
    const page = supervisor;
    await page.getByRole('menuitem', { name: /Audit log/ }).click();
    await page.getByText(/^[\d,]+ (entry|entries)$/).waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    const status = page.getByRole('status').filter({ hasText: 'audit chain' });
    await status.getByText('The audit chain is intact').waitFor();
    const { entries } = await rest('GET', '/audit-logs/verify');
    assert.match((await status.textContent())!, new RegExp(`All ${entries.toLocaleString('en-US')} entries were re-hashed`));

    await page.getByRole('combobox', { name: 'Entity' }).click();
    await page.locator('.ant-select-item-option', { hasText: /^Campaign$/ }).click();
    await eventually(async () => {
      const rows = await rowTexts(page);
      return rows.length > 0 && rows.every((r) => r.includes('Campaign')) && rows.some((r) => r.includes('ringTimeoutSec') && r.includes('wsupervisor'));
    }, 10_000, 'only campaign entries, the supervisor’s edit among them');
    await shot(page, 'back-office-audit');
  });

  it('lists dispositions and lets the supervisor add a number to their client’s do-not-call list', { timeout: 60_000 }, async () => {
    const page = supervisor;
    await page.getByRole('menuitem', { name: /Dispositions/ }).click();
    await page.getByText(/^[\d,]+ dispositions?$/).waitFor();
    await shot(page, 'back-office-dispositions');

    await page.getByRole('menuitem', { name: /Do not call/ }).click();
    await page.getByText(/^[\d,]+ numbers?$/).waitFor();
    await page.getByRole('button', { name: 'Add number' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Phone').fill('312 555 0188');
    await dialog.getByRole('button', { name: 'Add' }).click();
    const clientError = dialog.locator('.ant-form-item-explain-error', { hasText: 'client is required when scope is client' });
    await clientError.waitFor().catch(async (e) => {
      await shot(page, 'back-office-dnc-failure');
      throw e;
    });
    // On the field it names.
    assert.equal(await clientError.evaluate((el) => el.closest('.ant-form-item')?.querySelector('label')?.textContent), 'Client');
    await dialog.getByRole('combobox', { name: 'Client' }).click();
    await page.locator('.ant-select-item-option', { hasText: 'Worker Test Bank' }).click();
    await dialog.getByRole('button', { name: 'Add' }).click();
    await page.getByText('Number added to the do-not-call list').waitFor();
    const { data: [entry] } = await rest('GET', '/dnc-entries?filters[phone][$eq]=%2B13125550188&populate=client');
    assert.equal(entry.scope, 'client');
    assert.equal(entry.client.name, 'Worker Test Bank');
    // Their client's entry may be removed; the global one may not, so it offers no control.
    await eventually(async () => (await rowTexts(page)).length === 2, 10_000, 'the new entry beside the global one');
    assert.equal(await page.getByRole('button', { name: /^Remove/ }).count(), 1);
    await shot(page, 'back-office-dnc');
  });
});

describe('the back office, for an analyst', () => {
  it('opens every page read-only: no control that would change anything', { timeout: 90_000 }, async () => {
    const own = await launchChromium();
    try {
      const page = await signIn(own.context, stack.consoleUrl, analyst.username, stack.info.password);
      await page.waitForURL('**/accounts');
      await page.getByRole('menuitem', { name: /Campaigns/ }).waitFor();
      // The wallboard too: analysts read it, with no control.
      const expected = ['Campaigns', 'Calls', 'Audit log', 'Dispositions', 'Do not call', 'Wallboard'];
      // The menu is drawn again as the role's rights arrive: read it once it has settled (a full run once read it mid-render, empty).
      let menu: string[] = [];
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(100)) {
        menu = await page.getByRole('menuitem').allTextContents();
        if (expected.every((item) => menu.includes(item))) break;
      }
      for (const item of expected) assert.ok(menu.includes(item), `${item} in ${menu.join(', ')}`);
      const visits: Array<[string, RegExp]> = [
        ['/campaigns', /^2 campaigns$/],
        [`/campaigns/${stack.info.campaignId}`, /^Read only: your role does not change campaigns\.$/],
        ['/calls', /^[\d,]+ calls?$/],
        [`/calls/${call.documentId}`, /^Every rule met$/],
        ['/audit', /^[\d,]+ (entry|entries)$/],
        ['/dispositions', /^[\d,]+ dispositions?$/],
        ['/dnc', /^[\d,]+ numbers?$/],
      ];
      for (const [url, ready] of visits) {
        await page.goto(`${stack.consoleUrl}${url}`);
        await page.getByText(ready).waitFor();
        assert.deepEqual([url, await editControls(page)], [url, []]);
      }
      // The create page is not theirs: the console sends them home.
      await page.goto(`${stack.consoleUrl}/campaigns/create`);
      await page.waitForURL('**/accounts');
      await page.goto(`${stack.consoleUrl}/campaigns/${stack.info.campaignId}`);
      await page.getByText(/^Read only/).waitFor();
      assert.equal(await page.getByLabel('Ring timeout').isDisabled(), true);
      await shot(page, 'back-office-analyst-campaign');
    } finally {
      await own.close();
    }
  });
});

describe("the back office, for another client's supervisor", () => {
  it('shows none of the first client’s campaigns or calls, listed or by address', { timeout: 90_000 }, async () => {
    const own = await launchChromium();
    try {
      const page = await signIn(own.context, stack.consoleUrl, stack.info.otherSupervisor.username, stack.info.password);
      await page.waitForURL('**/wallboard');
      await page.goto(`${stack.consoleUrl}/campaigns`);
      await page.locator('.ant-empty-description', { hasText: 'No data' }).waitFor();
      await page.goto(`${stack.consoleUrl}/calls`);
      await page.locator('.ant-empty-description', { hasText: 'No data' }).waitFor();
      await page.goto(`${stack.consoleUrl}/calls/${call.documentId}`);
      await page.getByText('Call not found').waitFor();
      await page.goto(`${stack.consoleUrl}/campaigns/${stack.info.campaignId}`);
      await page.getByText('Campaign not found').waitFor();
      await page.goto(`${stack.consoleUrl}/audit`);
      await page.getByText(/^[\d,]+ (entry|entries)$/).waitFor();
      const body = (await page.locator('body').textContent())!;
      assert.doesNotMatch(body, /Worker test campaign|Worker Test Bank|wagent/);
      await shot(page, 'back-office-other-client');
    } finally {
      await own.close();
    }
  });
});
