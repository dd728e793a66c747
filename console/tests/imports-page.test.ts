/**
 * The Imports page in Debian's chromium against a real cms (its import job in the cms process:
 * no REDIS_URL, as the SQLite demo runs it): a supervisor drops a semicolon file whose last-name
 * column has a name cms does not know, maps it, dry-runs it (nothing written; the problems
 * grouped by kind and listed by row), commits it (progress to completed, counts, the accounts
 * in cms), downloads the refused rows and parses them, retries with them corrected, and cancels
 * a long import. Agents and analysts never reach the page.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { roleMay } from '../src/providers/access-control-provider';
import { previewFile } from '../src/pages/imports/import-file';
import { applyTemplate, mappingOf, mappingProblems, proposedFields } from '../src/pages/imports/import-mapping';
import { ARTIFACTS, eventually, launchChromium, signIn, startCmsStack, type CmsStack } from './support/live-stack';
import { xlsxFile } from '../../cms/tests/helpers/xlsx-file';

let stack: CmsStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

const HEADER = 'Acct No;Debtor;Current Balance;Mobile;Branch';
const GOOD = 37;
const phone = (i: number) => `312-555-01${String(i).padStart(2, '0')}`;
const goodRows = Array.from({ length: GOOD }, (_, i) => `IMP-${i + 1};Debtor ${i + 1};${100 + i}.50;${phone(i)};North`);
// Rows 39, 40 and 41 of the file (the header is row 1): a phone that is not one, no last name, an account number seen before.
const BAD = ['IMP-90;Bad Phone;10;555;South', 'IMP-91;;20;312-555-0191;South', 'IMP-1;Twice;30;312-555-0192;South'];
const placement = () => Buffer.from(`${[HEADER, ...goodRows, ...BAD].join('\r\n')}\r\n`, 'latin1');

const api = async (who: string, pathAndQuery: string) => (await fetch(`${stack.info.url}${pathAndQuery}`, { headers: { Authorization: `Bearer ${who}` } })).json();
const accountsCalled = async (numbers: string[]) => {
  const q = numbers.map((n, i) => `filters[accountNumber][$in][${i}]=${encodeURIComponent(n)}`).join('&');
  return (await api(stack.info.supervisor.jwt, `/api/accounts?${q}&pagination[pageSize]=100`)).data as Array<{ accountNumber: string; debtorLastName: string }>;
};

async function chooseField(column: string, field: string) {
  const box = page.getByRole('combobox', { name: `Field for column ${column}` });
  await page.locator('.ant-select').filter({ has: box }).click();
  await box.fill(field);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: field }).first().click();
}

/** Drops a file on the drop zone as a person drags one from their desktop. */
async function dropFile(name: string, bytes: Buffer, mimeType = 'text/csv') {
  const transfer = await page.evaluateHandle(({ name, data, mimeType }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name, { type: mimeType }));
    return dt;
  }, { name, data: bytes.toString('base64'), mimeType });
  await page.locator('.ant-upload-drag .ant-upload-btn').dispatchEvent('drop', { dataTransfer: transfer });
}

const statistic = async (title: string) => Number((await page.locator('.ant-statistic').filter({ hasText: title }).locator('.ant-statistic-content').innerText()).replace(/,/g, ''));
const runStatus = () => page.getByRole('region', { name: 'This import' }).locator('[data-import-status]').innerText();

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // Small batches: the commit below runs in several, and the long import gives its cancel time to land.
  stack = await startCmsStack({ accounts: 6, agents: 1, cmsEnv: { IMPORT_BATCH_ROWS: '10', REDIS_URL: '' } });
  browser = await launchChromium();
  page = await signIn(browser.context, stack.consoleUrl, stack.info.supervisor.username, stack.info.password);
  await page.waitForURL('**/wallboard');
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('imports page', () => {
  it('is for supervisors only', () => {
    assert.deepEqual(['agent', 'supervisor', 'analyst'].map((r) => roleMay(r, 'imports', 'list')), [false, true, false]);
  });

  it('previews a Windows-1252 semicolon file cut mid-record as cms reads it, and maps its columns', () => {
    const bytes = Buffer.from('Account No.;Surname;Balance;Notes\r\nA1;Müller;10;"two\nlines"\r\nA2;Ferrán;20;\r\nA3;Cut', 'latin1');
    const preview = previewFile(bytes, true);
    assert.deepEqual(preview, { format: 'text', headers: ['Account No.', 'Surname', 'Balance', 'Notes'], rows: [['A1', 'Müller', '10', 'two\nlines'], ['A2', 'Ferrán', '20', '']], encoding: 'windows-1252', delimiter: ';' });
    // Cut inside a quoted newline: the piece of a record is not shown as a row.
    assert.deepEqual(previewFile(Buffer.from('a,b,c\n1,2,3\n4,"half\nof it', 'utf8'), true), { format: 'text', headers: ['a', 'b', 'c'], rows: [['1', '2', '3']], encoding: 'utf-8', delimiter: ',' });
    assert.deepEqual(previewFile(Buffer.from('PK\x03\x04rest'), false), { format: 'xlsx' });
    const headers = ['Acct No', 'Debtor', 'Current Balance', 'Mobile'];
    const proposed = proposedFields(headers, 'accounts');
    assert.deepEqual(proposed, ['accountNumber', null, 'balance', 'phone1']);
    assert.deepEqual(mappingProblems(headers, 'accounts', proposed), ['No column fills debtorLastName (required)']);
    assert.deepEqual(mappingProblems(headers, 'accounts', ['accountNumber', 'debtorLastName', 'balance', 'balance']), ['balance is chosen for two columns: "Current Balance" and "Mobile"']);
    assert.deepEqual(applyTemplate(headers, 'accounts', { debtor: 'debtorLastName', mobile: null }), ['accountNumber', 'debtorLastName', 'balance', null]);
    assert.deepEqual(mappingOf(headers, ['accountNumber', 'debtorLastName', 'balance', null]), { 'Acct No': 'accountNumber', Debtor: 'debtorLastName', 'Current Balance': 'balance', Mobile: null });
  });

  it('dry-runs a dropped file with good and bad rows: the problems by kind and by row, nothing written', async () => {
    await page.goto(`${stack.consoleUrl}/imports`);
    await page.getByText('New import').waitFor();
    // The supervisor's one client is chosen for them.
    await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Client' }) }).getByText('Worker Test Bank').waitFor();
    await dropFile('placement.csv', placement());
    const mapping = page.getByRole('table', { name: 'Column mapping' });
    await mapping.getByText('Branch').waitFor();
    // "Debtor" is no name cms knows: the page says what stops the import until it is mapped.
    await page.getByText('No column fills debtorLastName (required)').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Dry run' }).isDisabled(), true);
    await chooseField('Debtor', 'debtorLastName');
    await page.getByText('No column fills debtorLastName (required)').waitFor({ state: 'detached' });
    assert.match(await page.locator('.ant-table-thead').filter({ hasText: 'Acct No' }).last().innerText(), /Debtor\s*→ debtorLastName/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'imports-mapping.png'), fullPage: true });

    await page.getByRole('button', { name: 'Dry run' }).click();
    const kinds = page.getByRole('table', { name: 'Problems by kind' });
    await kinds.waitFor({ timeout: 60_000 });
    assert.equal(await runStatus(), 'completed');
    const byKind = (await kinds.locator('tbody tr.ant-table-row').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    // By kind and field, the refused first; a notice of every good row (no ZIP or time zone in the file) last.
    assert.deepEqual(byKind.map((r) => [r[0], r[1], r[3], Number(r[4].replace(/,/g, ''))]), [
      ['DUPLICATE_IN_FILE', 'accountNumber', 'row refused', 1],
      ['INVALID_PHONE', 'phone1', 'row refused', 1],
      ['REQUIRED', 'debtorLastName', 'row refused', 1],
      ['TIMEZONE_INFERRED', 'timezone', 'notice', GOOD],
    ]);
    assert.equal(await statistic('Would create'), GOOD);
    assert.equal(await statistic('Rows refused'), 3);

    // The rows opens on the refused ones, not behind the 37 notices.
    const rows = page.getByRole('table', { name: 'Refused rows' });
    const listed = async (table = rows) => (await table.locator('tbody tr.ant-table-row').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    const refusedRows = await listed();
    assert.deepEqual(refusedRows.map((r) => [r[0], r[1], r[2], r[3], r[5]]), [
      ['39', 'Mobile', 'phone1', 'INVALID_PHONE', '555'],
      ['40', 'Debtor', 'debtorLastName', 'REQUIRED', '(empty)'],
      ['41', 'Acct No', 'accountNumber', 'DUPLICATE_IN_FILE', 'IMP-1'],
    ]);
    assert.match(refusedRows[0][4], /Row 39: phone1 "555" is not a valid phone number/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'imports-dry-run.png'), fullPage: true });

    // The notices come in with the switch, in row order.
    await page.getByRole('switch', { name: 'Show notices too' }).click();
    const all = page.getByRole('table', { name: 'Rows with problems' });
    await all.getByText('TIMEZONE_INFERRED').first().waitFor();
    assert.equal((await listed(all))[0][0], '2');
    await page.getByText(`${GOOD + 3} problems`).waitFor();

    // One kind chosen: its rows only; closed, the list is as it was.
    await kinds.getByRole('button', { name: 'Show the 1 REQUIRED problems on debtorLastName' }).click();
    const one = page.getByRole('table', { name: 'Rows with this problem' });
    await one.getByText('REQUIRED', { exact: true }).waitFor();
    assert.deepEqual((await listed(one)).map((r) => [r[0], r[3]]), [['40', 'REQUIRED']]);
    await page.getByTestId('problem-filter').getByLabel('Show every kind').click();
    await all.getByText('TIMEZONE_INFERRED').first().waitFor();
    await page.getByRole('switch', { name: 'Show notices too' }).click();
    await rows.getByText('INVALID_PHONE').waitFor();
    assert.deepEqual(await accountsCalled(['IMP-1', 'IMP-2']), []);
  });

  it('saves the mapping as a template and applies it to the next file', async () => {
    await page.getByLabel('Template name').fill('Bank layout');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByRole('status').getByText('Mapping saved as "Bank layout"').waitFor();
    const saved = (await api(stack.info.supervisor.jwt, '/api/imports/templates')).data;
    assert.deepEqual(saved.map((t: any) => [t.name, t.kind, t.mapping.Debtor, t.mapping.Branch]), [['Bank layout', 'accounts', 'debtorLastName', null]]);
  });

  it('commits the file: the progress runs to completed, the counts and the accounts are there', async () => {
    await page.getByRole('button', { name: 'Import the good rows' }).click();
    const bar = page.getByRole('region', { name: 'This import' }).getByRole('progressbar', { name: 'Import progress' });
    await page.getByRole('region', { name: 'This import' }).getByText('commit', { exact: true }).waitFor();
    await eventually(async () => (await runStatus()) === 'completed', 60_000, 'the commit completed');
    assert.equal(await bar.getAttribute('aria-valuenow'), '100');
    assert.match(await bar.innerText(), /40 of 40 rows/);
    assert.deepEqual([await statistic('Created'), await statistic('Updated'), await statistic('Skipped'), await statistic('Rows refused')], [GOOD, 0, 0, 3]);
    const stored = await accountsCalled(['IMP-1', 'IMP-37', 'IMP-90']);
    assert.deepEqual(stored.map((a) => [a.accountNumber, a.debtorLastName]).sort(), [['IMP-1', 'Debtor 1'], ['IMP-37', 'Debtor 37']]);
    const history = await eventually(async () => {
      const rows = await page.getByRole('table', { name: 'History' }).locator('tbody tr.ant-table-row').allInnerTexts();
      return rows.length >= 2 && rows;
    }, 10_000, 'two imports in the history');
    assert.match(history[0].replace(/\s+/g, ' '), new RegExp(`placement.csv Accounts · [\\d.]+ KB commit completed 40 rows ${GOOD} created 3 refused ${GOOD} notices`));
    assert.match(history[1].replace(/\s+/g, ' '), new RegExp(`placement.csv Accounts · [\\d.]+ KB dry run completed 40 rows ${GOOD} to create 3 refused ${GOOD} notices`));
    // Readable at a laptop's width: the history does not scroll sideways.
    const [scrollWidth, clientWidth] = await page.getByRole('table', { name: 'History' }).locator('xpath=ancestor::div[contains(@class,"ant-table-content") or contains(@class,"ant-table-body")][1]').evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(scrollWidth <= clientWidth, `the history is ${scrollWidth} px wide in ${clientWidth} px`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'imports-committed.png'), fullPage: true });
  });

  let refused = '';
  it('downloads the refused rows as a CSV that names row, field and error', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the refused rows (CSV)' }).click()]);
    assert.match(download.suggestedFilename(), /^import-[a-z0-9]+-errors\.csv$/);
    const file = fs.readFileSync(await download.path());
    assert.deepEqual([...file.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    refused = file.toString('utf8').slice(1);
    const lines = refused.trim().split('\r\n').map((l) => l.split(','));
    assert.deepEqual(lines[0], ['Acct No', 'Debtor', 'Current Balance', 'Mobile', 'Branch', 'row', 'field', 'error']);
    assert.deepEqual(lines.slice(1).map((l) => [l[0], l[3], l[5], l[6]]), [['IMP-90', '555', '39', 'phone1'], ['IMP-91', '312-555-0191', '40', 'debtorLastName'], ['IMP-1', '312-555-0192', '41', 'accountNumber']]);
    await page.getByRole('status').getByText('Refused rows downloaded').waitFor();
  });

  it('retries with the refused rows corrected: a new import of the same settings takes them all', async () => {
    // Fixed as a person would in a spreadsheet: a real phone, a name, an account number of its own.
    const corrected = refused.replace('IMP-90,Bad Phone,10,555,', 'IMP-90,Bad Phone,10,312-555-0190,').replace('IMP-91,,20,', 'IMP-91,Named,20,').replace('IMP-1,Twice,', 'IMP-92,Twice,');
    assert.notEqual(corrected, refused);
    await page.getByLabel('Corrected file', { exact: true }).setInputFiles({ name: 'placement-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(corrected, 'utf8') });
    await page.getByRole('region', { name: 'This import' }).getByText('placement-fixed.csv').waitFor();
    await eventually(async () => (await runStatus()) === 'completed', 60_000, 'the retry completed');
    assert.deepEqual([await statistic('Created'), await statistic('Rows refused')], [3, 0]);
    assert.deepEqual((await accountsCalled(['IMP-90', 'IMP-91', 'IMP-92'])).map((a) => a.debtorLastName).sort(), ['Bad Phone', 'Named', 'Twice']);
    const retried = (await api(stack.info.supervisor.jwt, '/api/imports?pagination[pageSize]=1')).data[0];
    assert.equal(retried.fileName, 'placement-fixed.csv');
    assert.ok(retried.retryOf, 'the retry names the import it corrects');
    await page.screenshot({ path: path.join(ARTIFACTS, 'imports-retried.png'), fullPage: true });
  });

  it('cancels a long import: it stops, and what it committed stays', async () => {
    const many = [HEADER, ...Array.from({ length: 20_000 }, (_, i) => `LONG-${i};Long ${i};5;;North`)].join('\n');
    await page.getByLabel('Import file').setInputFiles({ name: 'long.csv', mimeType: 'text/csv', buffer: Buffer.from(many) });
    await page.getByRole('combobox', { name: 'Mapping template' }).waitFor();
    await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Mapping template' }) }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Bank layout' }).click();
    // The template maps "Debtor": nothing stops the import.
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const region = page.getByRole('region', { name: 'This import' });
    await region.getByText('long.csv').waitFor();
    await region.getByRole('button', { name: 'Cancel the import' }).click();
    await eventually(async () => (await runStatus()) === 'cancelled', 60_000, 'the import cancelled');
    await region.getByText(/Cancelled: [\d,]+ rows were handled/).waitFor();
    const run = (await api(stack.info.supervisor.jwt, '/api/imports?pagination[pageSize]=1')).data[0];
    assert.equal(run.status, 'cancelled');
    assert.ok(run.processedRows < 20_000, `${run.processedRows} rows handled`);
    const total = (await api(stack.info.supervisor.jwt, '/api/accounts?filters[accountNumber][$startsWith]=LONG-&pagination[pageSize]=1')).meta.pagination.total;
    assert.equal(total, run.createdCount);
  });

  it('imports a workbook whose last-name column cms cannot match: refused until mapped, then dry run, commit, the accounts in cms', async () => {
    // Written by the cms tests' own XLSX writer (shared strings, numbers as numbers), not by cms's reader.
    const book = xlsxFile({
      Placement: [
        ['Acct No', 'Debtor', 'Current Balance', 'Mobile'],
        ...Array.from({ length: 4 }, (_, i) => [`XL-${i + 1}`, `Sheet ${i + 1}`, 250.75 + i, `312-555-02${String(i).padStart(2, '0')}`]),
        ['XL-9', 'Short Phone', 9, '12'],
      ],
    });
    await page.goto(`${stack.consoleUrl}/imports`);
    await page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: 'Client' }) }).getByText('Worker Test Bank').waitFor();
    await dropFile('placement.xlsx', book, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await page.getByText("A workbook's columns are matched by their header names").waitFor();
    // The page cannot read a workbook: its first dry run is refused, and the refusal names the columns to map.
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('status').getByText(/The file has no column for debtorLastName \(required\)/).waitFor();
    const mapping = page.getByRole('table', { name: 'Column mapping' });
    await mapping.getByText('Debtor', { exact: true }).waitFor();
    await page.getByText('No column fills debtorLastName (required)').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Dry run' }).isDisabled(), true);
    await chooseField('Debtor', 'debtorLastName');
    await page.getByText('No column fills debtorLastName (required)').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'imports-xlsx-mapping.png'), fullPage: true });

    await page.getByRole('button', { name: 'Dry run' }).click();
    const region = page.getByRole('region', { name: 'This import' });
    await region.getByText('placement.xlsx').waitFor();
    await eventually(async () => (await runStatus()) === 'completed', 60_000, 'the dry run completed');
    assert.deepEqual([await statistic('Would create'), await statistic('Rows refused')], [4, 1]);
    const refused = page.getByRole('table', { name: 'Refused rows' });
    await refused.getByText('INVALID_PHONE').waitFor();
    assert.deepEqual((await refused.locator('tbody tr.ant-table-row').allInnerTexts()).map((r) => r.split('\t').slice(0, 4).map((c) => c.trim())), [['6', 'Mobile', 'phone1', 'INVALID_PHONE']]);
    assert.deepEqual(await accountsCalled(['XL-1']), []);

    await page.getByRole('button', { name: 'Import the good rows' }).click();
    await region.getByText('commit', { exact: true }).waitFor();
    await eventually(async () => (await runStatus()) === 'completed', 60_000, 'the commit completed');
    assert.deepEqual([await statistic('Created'), await statistic('Rows refused')], [4, 1]);
    const stored = (await accountsCalled(['XL-1', 'XL-2', 'XL-3', 'XL-4', 'XL-9'])) as Array<{ accountNumber: string; debtorLastName: string; balance: number | string }>;
    assert.deepEqual(stored.map((a) => [a.accountNumber, a.debtorLastName, Number(a.balance)]).sort(), [['XL-1', 'Sheet 1', 250.75], ['XL-2', 'Sheet 2', 251.75], ['XL-3', 'Sheet 3', 252.75], ['XL-4', 'Sheet 4', 253.75]]);
    // The mapping cms kept is the page's: every column named.
    const run = (await api(stack.info.supervisor.jwt, '/api/imports?pagination[pageSize]=1')).data[0];
    assert.deepEqual([run.fileName, run.mode, run.mapping], ['placement.xlsx', 'commit', { 'Acct No': 'accountNumber', Debtor: 'debtorLastName', 'Current Balance': 'balance', Mobile: 'phone1' }]);
  });

  for (const who of ['analyst', 'agent'] as const) {
    it(`keeps the ${who} out: no menu entry, and /imports sends them home`, async () => {
      const user = who === 'analyst' ? stack.info.analyst : stack.info.agents[0];
      const other = await launchChromium();
      try {
        const theirs = await signIn(other.context, stack.consoleUrl, user.username, stack.info.password);
        const home = who === 'analyst' ? '**/accounts' : '**/workspace';
        await theirs.waitForURL(home);
        assert.equal(await theirs.getByRole('menuitem', { name: 'Imports' }).count(), 0);
        await theirs.goto(`${stack.consoleUrl}/imports`);
        await theirs.waitForURL(home);
        assert.equal(await theirs.getByText('New import').count(), 0);
      } finally {
        await other.close();
      }
    });
  }
});
