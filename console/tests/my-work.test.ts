/**
 * An agent's own work in Debian's chromium against a real cms: their accounts found by name,
 * number and phone, an account's timeline and edits (cms's errors on the field), another agent's
 * account kept out, and the reminder when a callback comes due. No dialer: these pages read and
 * write cms only.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, cmsRest, eventually, launchChromium, signIn, startCmsStack, type CmsStack } from './support/live-stack';

let stack: CmsStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let agentPage: Page;
const ids: Record<string, string> = {};
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const daysFromNow = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

const rest = async (method: string, url: string, body?: unknown) => (await cmsRest(stack.info, method, url, body === undefined ? undefined : { data: body })).data;

const account = async (number: string) => (await rest('GET', `/accounts?filters[accountNumber][$eq]=${number}&populate=phones`))[0];

/** The account numbers the list shows, once they are `expected` (or the last seen, on timeout). */
async function searchFor(page: Page, text: string, expected: string[]): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Search accounts' });
  await box.fill(text);
  await box.press('Enter');
  let seen: string[] = [];
  await eventually(async () => {
    seen = await page.locator('.ant-table-tbody tr.ant-table-row td:first-child').allTextContents();
    return JSON.stringify(seen) === JSON.stringify(expected);
  }, 10_000, `"${text}" lists ${expected.join(', ') || 'nothing'} (shown: ${seen.join(', ')})`).catch((e) => {
    throw new Error(`${e.message}; shown: ${seen.join(', ') || 'nothing'}`);
  });
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startCmsStack({ accounts: 20, agents: 2 });
  browser = await launchChromium();
  const [me, other] = stack.info.agents;
  // Even accounts are the first agent's, odd ones the second's.
  const mine = await account('W000004');
  const theirs = await account('W000005');
  Object.assign(ids, { mine: mine.documentId, theirs: theirs.documentId, reminder: (await account('W000006')).documentId, othersReminder: (await account('W000007')).documentId });
  const keep = ({ id: _id, ...phone }: any) => phone;
  await rest('PUT', `/accounts/${ids.mine}`, { debtorFirstName: 'Marisol', city: 'Springfield', phones: [keep(mine.phones[0]), { number: '+13125550147', type: 'work', status: 'valid', autodialConsent: false }] });
  await rest('PUT', `/accounts/${ids.theirs}`, { debtorFirstName: 'Marisol', phones: [keep(theirs.phones[0]), { number: '+13125550148', type: 'work', status: 'valid', autodialConsent: false }] });

  const d = stack.info.dispositions;
  const call = (agent: number, ago: number, extra: Record<string, unknown>) =>
    rest('POST', '/calls', { account: ids.mine, agent, phone: '+13122000004', queuedAt: minutesFromNow(-ago - 1), dialedAt: minutesFromNow(-ago - 1), endedAt: minutesFromNow(-ago), ...extra });
  await call(me.id, 24 * 60, { outcome: 'no_answer', disposition: d.NO_ANSWER });
  await call(other.id, 6 * 60, { outcome: 'connected', talkSeconds: 40, disposition: d.RPC_REFUSED, notes: 'Note by the other agent' });
  await call(me.id, 120, { outcome: 'connected', talkSeconds: 95, disposition: d.PTP, notes: 'Promised 120 on Friday, card on file' });
  await rest('POST', '/promises-to-pay', { account: ids.mine, agent: me.id, amount: 120, dueDate: daysFromNow(3), paymentMethod: 'card', notes: 'Card ending 4242' });
  await rest('POST', '/callbacks', { account: ids.mine, owner: me.id, phone: '+13125550147', dueAt: minutesFromNow(26 * 60), notes: 'At work after 3 pm' });

  agentPage = await signIn(browser.context, stack.consoleUrl, me.username, stack.info.password);
  await agentPage.waitForURL('**/workspace');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("an agent's own work", () => {
  it('finds the agent’s own accounts by debtor name, account number and phone, and no one else’s', { timeout: 60_000 }, async () => {
    // What the search asks matches the other agent's account too: only cms's scope leaves it out.
    assert.deepEqual((await rest('GET', '/accounts?filters[phones][number][$contains]=312555014&sort=accountNumber')).map((a: any) => a.accountNumber), ['W000004', 'W000005']);

    const page = agentPage;
    await page.getByRole('menuitem', { name: /Accounts/ }).click();
    await page.getByText('10 accounts').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'my-accounts.png') });

    await searchFor(page, 'Marisol', ['W000004']);
    await searchFor(page, 'marisol debtor4', ['W000004']);
    await searchFor(page, 'W000012', ['W000012']);
    await searchFor(page, 'W000013', []);
    await searchFor(page, '(312) 555-0147', ['W000004']);
    await searchFor(page, '312 555 014', ['W000004']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'my-accounts-phone-search.png') });
    // The menu: the agent's pages, not a supervisor's.
    assert.deepEqual(await page.getByRole('menuitem').allTextContents(), ['Workspace', 'Accounts', 'Callbacks', 'Reports', 'Logout']);
  });

  it('shows the account with its timeline, newest first: every call on it, and no other agent named', { timeout: 60_000 }, async () => {
    const page = agentPage;
    await searchFor(page, 'Marisol', ['W000004']);
    await page.getByRole('link', { name: 'Open account W000004' }).click();
    await page.waitForURL(`**/accounts/${ids.mine}`);
    const timeline = page.getByRole('list', { name: 'Account timeline' });
    await timeline.waitFor();
    const kinds = await timeline.locator('[data-testid^="timeline-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    assert.deepEqual(kinds, ['timeline-callback', 'timeline-promise', 'timeline-call', 'timeline-call', 'timeline-call']);
    const text = (await timeline.textContent())!;
    assert.match(text, /Promised 120 on Friday, card on file/);
    assert.match(text, /Promise to pay \$120\.00/);
    // The colleague's call is there, what was said included, but not who made it.
    assert.match(text, /Note by the other agent/);
    assert.match(text, /by you/);
    assert.doesNotMatch(text, /wagent/);
    assert.equal(await page.getByTestId('account-debtor').textContent(), 'Marisol Debtor4');
    await page.screenshot({ path: path.join(ARTIFACTS, 'account-page.png'), fullPage: true });
  });

  it("shows cms's error on the field for an out-of-bounds date, and saves a good edit", { timeout: 60_000 }, async () => {
    const page = agentPage;
    const nextAction = page.getByLabel('Next action');
    await nextAction.click();
    await nextAction.fill('2099-01-01');
    await nextAction.press('Enter');
    await page.getByRole('button', { name: 'Save' }).click();
    const fieldError = page.locator('.ant-form-item').filter({ has: page.getByLabel('Next action') }).locator('.ant-form-item-explain-error');
    await fieldError.waitFor();
    assert.match((await fieldError.textContent())!, /^nextActionDate must be between \d{4}-\d\d-\d\d and \d{4}-\d\d-\d\d$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'account-field-error.png'), fullPage: true });

    const good = daysFromNow(7);
    await nextAction.click();
    await nextAction.fill(good);
    await nextAction.press('Enter');
    await page.getByLabel('Notes').fill('Prefers a call at work');
    await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Phone 2 type' }) }).click();
    await page.locator('.ant-select-item-option', { hasText: 'landline' }).click();
    // Changing the field clears cms's error on it.
    await fieldError.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Account saved').waitFor();

    const saved = await rest('GET', `/accounts/${ids.mine}?populate=phones`);
    assert.equal(saved.nextActionDate, good);
    assert.equal(saved.notes, 'Prefers a call at work');
    assert.deepEqual(saved.phones.map((p: any) => [p.number, p.type]), [['+13122000004', 'mobile'], ['+13125550147', 'landline']]);
    // The phone the form did not touch kept its consent: the list went back whole.
    assert.equal(saved.phones[0].autodialConsent, true);
    assert.equal(saved.phones[0].consentSource, 'original_creditor');
  });

  it("edits a promise from the timeline, with cms's error on the field first", { timeout: 60_000 }, async () => {
    const page = agentPage;
    await page.getByRole('button', { name: 'Edit promise of $120.00' }).click();
    const dialog = page.getByRole('dialog');
    const amount = dialog.getByLabel('Amount');
    await amount.waitFor();
    await page.waitForFunction(() => (document.querySelector('[role="dialog"] input#amount') as HTMLInputElement | null)?.value === '120');
    // cms refuses kept and broken by hand (the rule sets them): the dialog offers only the state it has, and cancelled.
    await dialog.locator('.ant-form-item').filter({ has: page.getByLabel('State') }).locator('.ant-select-selector').click();
    const offered = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await offered.first().waitFor();
    assert.deepEqual(await offered.allTextContents(), ['pending', 'cancelled']);
    await dialog.locator('.ant-form-item').filter({ has: page.getByLabel('State') }).locator('.ant-select-selector').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    await amount.fill('0');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const fieldError = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('Amount') }).locator('.ant-form-item-explain-error');
    await fieldError.waitFor();
    assert.match((await fieldError.textContent())!, /^amount must be/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'promise-field-error.png') });

    await amount.fill('150');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Promise saved').waitFor();
    await page.getByRole('list', { name: 'Account timeline' }).getByText('Promise to pay $150.00').waitFor();
    const [promise] = await rest('GET', `/promises-to-pay?filters[account][documentId][$eq]=${ids.mine}`);
    assert.equal(Number(promise.amount), 150);
    assert.equal(promise.paymentMethod, 'card');
  });

  it('shows "not found", not the account, for another agent’s account in the URL', { timeout: 30_000 }, async () => {
    const page = agentPage;
    await page.goto(`${stack.consoleUrl}/accounts/${ids.theirs}`);
    await page.getByText('Account not found').waitFor();
    const body = (await page.locator('main').textContent())!;
    assert.doesNotMatch(body, /W000005|Marisol|Debtor5|555-0148/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'account-not-found.png') });
  });

  it('lists today’s callbacks and reminds the agent when one comes due, with the account a click away', { timeout: 90_000 }, async () => {
    const [me, other] = stack.info.agents;
    const dueAt = new Date(Date.now() + 20_000).toISOString();
    await rest('POST', '/callbacks', { account: ids.reminder, owner: me.id, phone: '+13122000006', dueAt, notes: 'Asked for a call at lunch' });
    await rest('POST', '/callbacks', { account: ids.othersReminder, owner: other.id, phone: '+13122000007', dueAt });

    const page = agentPage;
    await page.goto(`${stack.consoleUrl}/callbacks`);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    const listed = await rows.allTextContents();
    assert.equal(listed.filter((r) => r.includes('W000006')).length, 1);
    assert.equal(listed.filter((r) => r.includes('W000007')).length, 0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'my-callbacks.png') });

    const reminder = page.locator('.ant-notification-notice').filter({ hasText: 'Callback due' });
    await reminder.waitFor({ timeout: 45_000 });
    assert.ok(Date.now() >= Date.parse(dueAt) - 1_000, 'the reminder comes when the callback is due, not before');
    assert.match((await reminder.textContent())!, /Debtor6 \(W000006\).*Asked for a call at lunch/);
    assert.equal(await reminder.count(), 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'callback-reminder.png') });
    await reminder.getByRole('button', { name: 'Open account' }).click();
    await page.waitForURL(`**/accounts/${ids.reminder}`);
    await page.getByTestId('account-number').filter({ hasText: 'W000006' }).waitFor();
  });

  it('gives a supervisor the same pages over their clients, with the agents named', { timeout: 60_000 }, async () => {
    const page = await signIn(browser.context, stack.consoleUrl, stack.info.supervisor.username, stack.info.password);
    await page.waitForURL('**/wallboard');
    await page.getByRole('menuitem', { name: /Wallboard/ }).waitFor();
    assert.deepEqual(await page.getByRole('menuitem').allTextContents(), ['Accounts', 'Callbacks', 'Wallboard', 'Campaigns', 'Calls', 'Audit log', 'Dispositions', 'Do not call', 'Reports', 'Exports', 'Imports', 'Logout']);
    await page.getByRole('menuitem', { name: /Accounts/ }).click();
    await page.getByText('24 accounts').waitFor();
    await page.getByRole('columnheader', { name: 'Agent' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'supervisor-accounts.png') });
    await page.goto(`${stack.consoleUrl}/accounts/${ids.mine}`);
    const timeline = page.getByRole('list', { name: 'Account timeline' });
    await timeline.waitFor();
    const text = (await timeline.textContent())!;
    assert.match(text, /Note by the other agent/);
    assert.match(text, /by wagent2/);
    await page.close();
  });
});
