/**
 * The Exports page in Debian's chromium against a real cms: an analyst downloads their
 * accounts as CSV (the file is read back: BOM, readable header, one line a record of their
 * scope), sees it in the history, and gets cms's 400 naming a column that does not exist.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { roleMay } from '../src/providers/access-control-provider';
import { exportPath } from '../src/pages/exports/export-request';
import { ARTIFACTS, eventually, launchChromium, signIn, startCmsStack, type CmsStack } from './support/live-stack';

let stack: CmsStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startCmsStack({ accounts: 12, agents: 2 });
  browser = await launchChromium();
  page = await signIn(browser.context, stack.consoleUrl, stack.info.analyst.username, stack.info.password);
  await page.waitForURL('**/accounts');
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('exports page', () => {
  it('is for supervisors and analysts', () => {
    assert.deepEqual(['agent', 'supervisor', 'analyst'].map((r) => roleMay(r, 'exports', 'list')), [false, true, true]);
  });

  it('writes the list syntax of filters into the export URL', () => {
    assert.equal(
      exportPath({ type: 'calls', format: 'xlsx', columns: ['attemptId', 'client.name'], filters: [{ field: 'client.name', operator: '$eq', value: 'A & B' }, { field: '', operator: '$eq', value: 'x' }] }),
      '/api/exports/calls.xlsx?columns=attemptId%2Cclient.name&filters%5Bclient%5D%5Bname%5D%5B%24eq%5D=A+%26+B',
    );
  });

  it('downloads the analyst\'s accounts as CSV and lists the export in the history', async () => {
    const total = (await (await fetch(`${stack.info.url}/api/accounts?pagination[pageSize]=1`, { headers: { Authorization: `Bearer ${stack.info.analyst.jwt}` } })).json()).meta.pagination.total;
    assert.ok(total > 0);
    await page.goto(`${stack.consoleUrl}/exports`);
    await page.getByText('New export').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    const file = fs.readFileSync(await download.path());
    assert.deepEqual([...file.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = file.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    assert.ok(lines[0].startsWith('accountNumber,client.name,debtorFirstName'), lines[0]);
    assert.equal(lines.length, total + 1);
    await page.getByRole('status').getByText('Accounts exported').waitFor();

    const row = await eventually(async () => {
      await page.reload();
      await page.getByText('New export').waitFor();
      const rows = await page.locator('.ant-table-tbody tr.ant-table-row').allTextContents();
      return rows.find((r) => r.includes('Accounts') && r.includes('completed'));
    }, 20_000, 'the export in the history');
    assert.match(row, new RegExp(`CSV${total}completed`));
  });

  it('shows cms\'s error naming a column it does not know', async () => {
    await page.getByRole('combobox', { name: 'Columns' }).fill('balanse');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Download' }).click();
    await page.getByRole('status').getByText(/balanse/).waitFor();
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    // The column picker closed first: open, it covers the error the screenshot is for.
    await page.getByText('New export').click();
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'exports-page.png'), fullPage: true });
  });
});
