/**
 * A Ready agent whose campaign has nothing to dial reads why on the workspace, in Debian's
 * chromium against real parts: cms (a campaign holding only accounts no rule lets us call:
 * outside their window, on the DNC list, spoken to this week, called 7 times this week),
 * Redis, the worker and the PBX simulator.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Socket } from 'socket.io-client';
import { ARTIFACTS, command, connect, launchChromium, signInAs, startLiveStack, type LiveStack } from './support/live-stack';

let stack: LiveStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let supervisor: Socket | undefined;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startLiveStack({ accounts: 0 });
  browser = await launchChromium();
});

after(async () => {
  supervisor?.close();
  await browser?.close();
  await stack?.stop();
});

it('tells a Ready agent why no call comes', { timeout: 180_000 }, async () => {
  supervisor = await connect(stack.workerPort, stack.info.supervisor.jwt);
  assert.equal((await command(supervisor, 'campaign:start', { campaignId: stack.info.campaignId })).ok, true);

  const page = await browser.context.newPage();
  await signInAs(page, stack.consoleUrl, stack.info.agents[0].username, stack.info.password);
  const why = page.getByRole('region', { name: 'Why no call comes' });
  assert.equal(await why.count(), 0);

  await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Campaign' }) }).click();
  await page.locator('.ant-select-item-option', { hasText: 'Worker test campaign' }).click();
  await page.getByRole('button', { name: 'Ready' }).click();

  await why.waitFor({ timeout: 30_000 });
  const text = (await why.textContent())!;
  assert.match(text, /No call can be placed now\. Of 4 accounts remaining:/);
  assert.match(text, /1 account outside their calling window; the next window opens at 08:00 Etc\/GMT(?:[+-]\d+)?, in (\d+ h( \d+ min)?|\d+ min)\./);
  assert.match(text, /1 account with no phone that may be called \(do not call or bad number\)\./);
  assert.match(text, /1 account spoken to in the last 7 days \(Regulation F\)\./);
  assert.match(text, /1 account called 7 times in the last 7 days \(Regulation F\)\./);
  await page.screenshot({ path: path.join(ARTIFACTS, 'workspace-why-nothing-dials.png'), fullPage: true });

  // Paused, the agent expects no call: the explanation goes.
  await page.getByRole('button', { name: 'Pause' }).click();
  await why.waitFor({ state: 'detached' });
});
