/**
 * Refine's live provider in Debian's chromium, against real parts: a record changed over REST
 * by someone else shows on an open list without a reload (cms publishes on Redis, the worker
 * relays to the reader's rooms, the page refetches with the reader's own token).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARTIFACTS, launchChromium, startLiveStack, type LiveStack } from './support/live-stack';

let stack: LiveStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startLiveStack({ accounts: 6 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('live lists', () => {
  it('show a change another user made over REST, without a reload', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.consoleUrl}/login`);
    await page.getByLabel('Username').fill(stack.info.supervisor.username);
    await page.getByLabel('Password').fill(stack.info.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/wallboard');
    await page.goto(`${stack.consoleUrl}/accounts`);
    const first = page.getByRole('row').filter({ hasText: 'W000000' });
    await first.getByText('Debtor0').waitFor();
    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);

    const res = await fetch(`${stack.info.url}/api/accounts?filters[accountNumber][$eq]=W000000`, { headers: { Authorization: `Bearer ${stack.info.apiToken}` } });
    const account = ((await res.json()) as any).data[0];
    const put = await fetch(`${stack.info.url}/api/accounts/${account.documentId}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${stack.info.apiToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { debtorLastName: 'Renamed-elsewhere' } }),
    });
    assert.equal(put.status, 200);

    await first.getByText('Renamed-elsewhere').waitFor({ timeout: 10_000 });
    assert.equal(navigations, 0, 'the page was not reloaded');
    await page.screenshot({ path: path.join(ARTIFACTS, 'accounts-live-update.png') });
  });
});
