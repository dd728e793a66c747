/**
 * The supervisor's accounts pages in Debian's chromium against a real cms: filters and sort,
 * bulk reassignment of ticked accounts and of all matching a filter (the agents' own lists
 * change), the account page's assignment, another client's supervisor kept out, and an
 * analyst with no reassign control at all. No dialer: these pages read and write cms only.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, cmsRest, eventually, launchChromium, signIn, startCmsStack, type CmsStack } from './support/live-stack';

let stack: CmsStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let supervisor: Page;
const analyst = { username: '', password: '' };

const rest = async (method: string, url: string, body?: unknown, token?: string) => {
  const json = await cmsRest(stack.info, method, url, body, token);
  return json.data ?? json;
};

/** The account numbers an agent's own list holds, asked as that agent. */
const agentsAccounts = async (agent: number) =>
  (await rest('GET', '/accounts?fields[0]=accountNumber&sort=accountNumber&pagination[pageSize]=100', undefined, stack.info.agents[agent].jwt)).map((a: any) => a.accountNumber);

const rows = (page: Page) => page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(2)').allTextContents();

async function expectRows(page: Page, expected: string[], what: string): Promise<void> {
  let seen: string[] = [];
  await eventually(async () => {
    seen = await rows(page);
    return JSON.stringify(seen) === JSON.stringify(expected);
  }, 15_000, what).catch((e) => {
    throw new Error(`${e.message}; shown: ${seen.join(', ') || 'nothing'}; expected ${expected.join(', ')}`);
  });
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  // The select, not its input: a chosen value sits over the input and takes the click.
  await page.locator('.ant-select').filter({ has: box }).click();
  await box.fill(option);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

async function reassignTo(page: Page, username: string): Promise<void> {
  await choose(page, 'Reassign to agent', username);
  await page.getByRole('region', { name: 'Bulk reassign' }).getByRole('button', { name: 'Reassign' }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: 'Reassign' }).click();
  await page.getByText('Accounts reassigned').last().waitFor();
}

const nums = (...n: number[]) => n.map((i) => `W${String(i).padStart(6, '0')}`);

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startCmsStack({ accounts: 30, agents: 3 });
  browser = await launchChromium();
  // The test server's analyst, a member of the same client.
  analyst.username = stack.info.analyst.username;
  analyst.password = stack.info.password;
  supervisor = await signIn(browser.context, stack.consoleUrl, stack.info.supervisor.username, stack.info.password);
  await supervisor.waitForURL('**/wallboard');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("a supervisor's accounts", () => {
  // W00000i belongs to wagent(i % 3 + 1) and owes 100 + i.
  it('filters by agent and balance and sorts by balance', { timeout: 90_000 }, async () => {
    const page = supervisor;
    await page.goto(`${stack.consoleUrl}/accounts`);
    await page.getByText(/^34 accounts$/).waitFor();
    await choose(page, 'Agent', stack.info.agents[1].username);
    await page.getByLabel('Balance from').fill('110');
    await page.getByRole('columnheader', { name: 'Balance' }).click();
    await page.getByRole('columnheader', { name: 'Balance' }).click();
    await expectRows(page, nums(28, 25, 22, 19, 16, 13, 10), "wagent2's accounts from $110, largest first");
    await page.getByText(/^7 accounts$/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'accounts-admin-filtered.png') });
    // What the list shows is what cms answers for the same filters.
    const viaRest = await rest('GET', `/accounts?filters[assignedAgent][id][$eq]=${stack.info.agents[1].id}&filters[balance][$gte]=110&sort=balance:desc&fields[0]=accountNumber`);
    assert.deepEqual(viaRest.map((a: any) => a.accountNumber), nums(28, 25, 22, 19, 16, 13, 10));
  });

  it('reassigns ticked accounts, then all matching the filter, and the agents’ lists change', { timeout: 90_000 }, async () => {
    const page = supervisor;
    const [first, second, third] = [0, 1, 2];
    assert.equal((await agentsAccounts(third)).includes('W000028'), false);
    await page.locator('tr.ant-table-row').nth(0).locator('input[type=checkbox]').check();
    await page.locator('tr.ant-table-row').nth(1).locator('input[type=checkbox]').check();
    assert.equal(await page.getByTestId('reassign-count').textContent(), '2 selected');
    await page.screenshot({ path: path.join(ARTIFACTS, 'accounts-admin-selected.png') });
    await reassignTo(page, stack.info.agents[third].username);
    // They left wagent2's filtered list, and wagent3 has them.
    await expectRows(page, nums(22, 19, 16, 13, 10), 'the reassigned accounts leave the filtered list');
    const thirds = await agentsAccounts(third);
    assert.ok(thirds.includes('W000028') && thirds.includes('W000025'), `wagent3 has ${thirds.join(', ')}`);
    assert.equal((await agentsAccounts(second)).includes('W000028'), false);

    await page.getByRole('button', { name: 'Select all 5 matching' }).click();
    assert.equal(await page.getByTestId('reassign-count').textContent(), 'All 5 matching accounts');
    await reassignTo(page, stack.info.agents[first].username);
    await expectRows(page, [], 'nothing of wagent2 from $110 is left');
    const firsts = await agentsAccounts(first);
    for (const n of nums(22, 19, 16, 13, 10)) assert.ok(firsts.includes(n), `wagent1 has ${n}`);
    assert.deepEqual((await agentsAccounts(second)).filter((n: string) => Number(n.slice(1)) >= 10), []);
    // Each account's change is in the audit trail, by the supervisor.
    const audit = await rest('GET', `/audit-logs?filters[entity][$eq]=api::account.account&filters[actorName][$eq]=${stack.info.supervisor.username}&pagination[pageSize]=100`);
    assert.equal(audit.filter((e: any) => e.changes?.assignedAgent).length, 7);
    await page.screenshot({ path: path.join(ARTIFACTS, 'accounts-admin-reassigned.png') });
  });

  it('reassigns one account from its page, among the agents of its client', { timeout: 60_000 }, async () => {
    const page = supervisor;
    const [account] = await rest('GET', '/accounts?filters[accountNumber][$eq]=W000010');
    await page.goto(`${stack.consoleUrl}/accounts/${account.documentId}`);
    await choose(page, 'Assigned agent', stack.info.agents[1].username);
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.getByText('Accounts reassigned').last().waitFor();
    assert.ok((await agentsAccounts(1)).includes('W000010'));
    await page.screenshot({ path: path.join(ARTIFACTS, 'accounts-admin-account.png'), fullPage: true });
  });

  it("shows another client's supervisor none of it, and cms refuses them", { timeout: 60_000 }, async () => {
    const other = await launchChromium();
    try {
      const page = await signIn(other.context, stack.consoleUrl, stack.info.otherSupervisor.username, stack.info.password);
      await page.waitForURL('**/wallboard');
      await page.goto(`${stack.consoleUrl}/accounts`);
      await page.locator('.ant-table-placeholder .ant-empty').waitFor();
      assert.deepEqual(await rows(page), []);
      // The agent filter offers none of the other client's agents.
      await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Agent' }) }).click();
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await options.first().waitFor();
      assert.deepEqual(await options.allTextContents(), ['Unassigned']);
    } finally {
      await other.close();
    }
    const [account] = await rest('GET', '/accounts?filters[accountNumber][$eq]=W000022&populate[assignedAgent][fields][0]=username');
    const [agent] = await rest('GET', `/users?filters[username][$eq]=${stack.info.agents[0].username}`);
    await assert.rejects(rest('POST', '/accounts/reassign', { data: { documentIds: [account.documentId], agent: agent.documentId } }, stack.info.otherSupervisor.jwt), /400 .*does not exist/);
    assert.equal((await rest('GET', `/accounts/${account.documentId}?populate[assignedAgent][fields][0]=username`)).assignedAgent.username, account.assignedAgent.username);
  });

  it('gives an analyst the list and the account read-only, with no reassign control at all', { timeout: 60_000 }, async () => {
    const other = await launchChromium();
    try {
      const page = await signIn(other.context, stack.consoleUrl, analyst.username, analyst.password);
      await page.waitForURL('**/accounts');
      await page.getByText(/^34 accounts$/).waitFor();
      await page.getByRole('form', { name: 'Account filters' }).waitFor();
      assert.equal(await page.locator('.ant-table-selection-column').count(), 0);
      assert.equal(await page.getByRole('region', { name: 'Bulk reassign' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /Reassign|Select all/ }).count(), 0);
      assert.equal(await page.getByRole('combobox', { name: 'Agent' }).count(), 0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'accounts-admin-analyst.png') });
      await page.getByRole('link', { name: 'Open account W000001' }).click();
      await page.getByTestId('account-debtor').waitFor();
      assert.equal(await page.getByRole('combobox', { name: 'Assigned agent' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /Reassign|Save/ }).count(), 0);
    } finally {
      await other.close();
    }
  });
});
