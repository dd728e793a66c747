import crypto from 'crypto';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';
import { xlsxFile } from '../helpers/xlsx-file';

// The job queue on the real Redis, under a prefix of this file's own; uploads in a directory of its own.
process.env.REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `imports-test-${crypto.randomBytes(4).toString('hex')}`;
process.env.IMPORT_DIR = path.join(os.tmpdir(), process.env.QUEUE_PREFIX);
process.env.IMPORT_BATCH_ROWS = '3';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'im');
});
afterAll(() => stopStrapi(strapi));

const auth = (who: string) => `Bearer ${w.tokens[who]}`;
function upload(who: string, file: Buffer | string, fields: Record<string, string> = {}, name = 'placement.csv', url = '/api/imports') {
  const req = http(strapi).post(url).set('Authorization', auth(who));
  for (const [k, v] of Object.entries({ client: w.clients.a.documentId, ...fields })) req.field(k, v);
  return req.attach('file', Buffer.isBuffer(file) ? file : Buffer.from(file, 'utf8'), name);
}
async function finished(documentId: string, who = 'supervisorA') {
  for (let i = 0; i < 600; i++) {
    const res = await http(strapi).get(`/api/imports/${documentId}`).set('Authorization', auth(who));
    if (['completed', 'failed', 'cancelled'].includes(res.body.data?.status)) return res.body.data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${documentId} did not finish`);
}
async function importFile(file: Buffer | string, fields: Record<string, string> = {}, name?: string) {
  const res = await upload('supervisorA', file, fields, name);
  expect(res.status).toBe(202);
  return finished(res.body.data.documentId);
}
const accountsOf = (numbers: string[]) =>
  strapi.db.query('api::account.account').findMany({ where: { accountNumber: { $in: numbers } }, populate: { phones: true, client: { select: ['documentId'] } }, orderBy: { accountNumber: 'asc' } } as any);
const errorsOf = async (documentId: string) => (await http(strapi).get(`/api/imports/${documentId}/errors?pagination[pageSize]=100`).set('Authorization', auth('supervisorA'))).body;

describe('an accounts file committed', () => {
  let result: any;
  let n: (k: string) => string;
  beforeAll(async () => {
    n = (k) => `${w.prefix}-${k}`;
    const csv = [
      'Account No.,First Name,Surname,Current Balance,Phone 1,Phone 1 Type,phone2,ZIP,Status',
      `${n('g1')},Ann,Lee,"1,234.50",(312) 555-0111,landline,+44 20 7946 0111,,open`,
      `${n('g2')},Bob,Ray,20,212-555-0112,,,94105,In Arrangement`,
      `${n('bad1')},Cy,Fox,12,555,,,,open`,
      `${n('g1')},Dup,Again,5,312-555-0119,,,,open`,
      `${w.accounts.a1.accountNumber},Pat,Existing,999,312-555-0120,,,,open`,
      `${n('bad2')},,,-3,312-555-0121,pager,,,happy`,
      `${n('g3')},Eve,"Kay, Jr",7.5,(312) 555-0101,,,,open`,
      '',
    ].join('\r\n');
    result = await importFile(csv);
  });

  it('completes with every count', () => {
    expect(result).toMatchObject({ status: 'completed', totalRows: 7, processedRows: 7, createdCount: 3, updatedCount: 0, skippedCount: 1, errorCount: 3, fileName: 'placement.csv', kind: 'accounts', mode: 'commit', startedBy: { username: w.users.supervisorA.username } });
    expect(result.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores the good rows with E.164 phones, the client, and the time zone inferred', async () => {
    const rows = await accountsOf([n('g1'), n('g2'), n('g3')]);
    expect(rows.map((r: any) => [r.accountNumber, r.debtorLastName, Number(r.balance), r.status, r.timezone, r.client.documentId, r.phones.map((p: any) => [p.number, p.type])])).toEqual([
      [n('g1'), 'Lee', 1234.5, 'open', 'America/Chicago', w.clients.a.documentId, [['+13125550111', 'landline'], ['+442079460111', 'mobile']]],
      [n('g2'), 'Ray', 20, 'in_arrangement', 'America/Los_Angeles', w.clients.a.documentId, [['+12125550112', 'mobile']]],
      [n('g3'), 'Kay, Jr', 7.5, 'open', 'America/Chicago', w.clients.a.documentId, [['+13125550101', 'mobile']]],
    ]);
  });

  it('explains each refused row by row, column, field and code, and notes what it assumed', async () => {
    const body = await errorsOf(result.documentId);
    const list = body.data.map((e: any) => [e.row, e.severity, e.column, e.field, e.code, e.rawValue]);
    expect(list).toEqual(expect.arrayContaining([
      [4, 'error', 'Phone 1', 'phone1', 'INVALID_PHONE', '555'],
      [5, 'error', 'Account No.', 'accountNumber', 'DUPLICATE_IN_FILE', n('g1')],
      [7, 'error', 'Surname', 'debtorLastName', 'REQUIRED', ''],
      [7, 'error', 'Current Balance', 'balance', 'INVALID_VALUE', '-3'],
      [7, 'error', 'Phone 1 Type', 'phone1Type', 'INVALID_ENUM', 'pager'],
      [7, 'error', 'Status', 'status', 'INVALID_ENUM', 'happy'],
      [2, 'warning', null, 'timezone', 'TIMEZONE_INFERRED', null],
      [8, 'warning', 'Phone 1', 'phone1', 'PHONE_ON_OTHER_ACCOUNT', '+13125550101'],
    ]));
    expect(body.data.find((e: any) => e.code === 'INVALID_PHONE').message).toBe('Row 4: phone1 "555" is not a valid phone number for US');
    expect(body.meta.byCode).toEqual(expect.arrayContaining([{ code: 'INVALID_ENUM', severity: 'error', count: 2 }]));
    expect(body.meta.byKind).toEqual(expect.arrayContaining([{ code: 'INVALID_ENUM', severity: 'error', field: 'status', count: 1 }, { code: 'INVALID_ENUM', severity: 'error', field: 'phone1Type', count: 1 }]));
  });

  it('lists the problems of one kind and field, and of refused rows only', async () => {
    const get = async (query: string) => (await http(strapi).get(`/api/imports/${result.documentId}/errors?${query}`).set('Authorization', auth('supervisorA'))).body;
    const cases: Array<[string, Array<[number, string, string | null]>]> = [
      ['code=INVALID_ENUM&field=status', [[7, 'INVALID_ENUM', 'status']]],
      ['code=INVALID_ENUM&field=phone1Type', [[7, 'INVALID_ENUM', 'phone1Type']]],
      ['severity=warning&code=PHONE_ON_OTHER_ACCOUNT', [[8, 'PHONE_ON_OTHER_ACCOUNT', 'phone1']]],
    ];
    for (const [query, rows] of cases) expect([query, (await get(query)).data.map((e: any) => [e.row, e.code, e.field])]).toEqual([query, rows]);
    const refused = await get('severity=error&pagination[pageSize]=100');
    expect(refused.data.every((e: any) => e.severity === 'error')).toBe(true);
    expect(refused.meta.pagination.total).toBe(refused.data.length);
    // The summary is the whole import's, whatever the filter.
    expect(refused.meta.byKind.some((k: any) => k.severity === 'warning')).toBe(true);
  });

  it('gives the refused rows as a CSV to fix and upload again', async () => {
    const res = await http(strapi).get(`/api/imports/${result.documentId}/errors.csv`).set('Authorization', auth('supervisorA'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Account No.,First Name,Surname,Current Balance,Phone 1,Phone 1 Type,phone2,ZIP,Status,row,field,error');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(new RegExp(`^${n('bad1')},Cy,Fox,12,555,,,,open,4,phone1,`));
  });

  it('audits the import once and each account created, with the chain intact', async () => {
    const entries = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { $or: [{ entityDocumentId: result.documentId }, { requestId: `import:${result.documentId}` }] }, orderBy: { seq: 'asc' } } as any);
    const importEntry = entries.find((e: any) => e.entity === 'api::import.import');
    expect(importEntry.changes).toMatchObject({ fileName: { after: 'placement.csv' }, fileSha256: { after: result.fileSha256 }, createdCount: { after: 3 }, errorCount: { after: 3 } });
    expect(importEntry.actorName).toBe(w.users.supervisorA.username);
    const accountEntries = entries.filter((e: any) => e.entity === 'api::account.account');
    expect(accountEntries).toHaveLength(3);
    expect(accountEntries[0].changes.accountNumber.after).toBe(n('g1'));
    const verify = await http(strapi).get('/api/audit-logs/verify').set('Authorization', auth('supervisorA'));
    expect(verify.body).toMatchObject({ ok: true, brokenAt: null });
  });

  it('lists the accounts to their supervisor at once', async () => {
    const res = await http(strapi).get(`/api/accounts?filters[accountNumber][$eq]=${n('g2')}`).set('Authorization', auth('supervisorA'));
    expect(res.body.data.map((a: any) => a.accountNumber)).toEqual([n('g2')]);
  });
});

describe('duplicates against the database', () => {
  it('updates an existing account when asked, audited as an update', async () => {
    const csv = `accountNumber,debtorLastName,balance,phone1\n${w.accounts.a1b.accountNumber},Debtor002,4321,312-555-0102\n`;
    const result = await importFile(csv, { onDuplicate: 'update' });
    expect(result).toMatchObject({ status: 'completed', createdCount: 0, updatedCount: 1, skippedCount: 0, errorCount: 0 });
    const [row] = await accountsOf([w.accounts.a1b.accountNumber]);
    expect(Number(row.balance)).toBe(4321);
    const [entry] = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { requestId: `import:${result.documentId}`, action: 'update' } } as any);
    // The stored phone keeps its consent and history: the file's same number changes nothing.
    expect(entry.changes).toEqual({ balance: { before: 1234.5, after: 4321 } });
    const added = await importFile(`accountNumber,debtorLastName,balance,phone1,phone2\n${w.accounts.a1b.accountNumber},Debtor002,4321,312-555-0102,312-555-0188\n`, { onDuplicate: 'update' });
    expect(added).toMatchObject({ updatedCount: 1 });
    const [after] = await accountsOf([w.accounts.a1b.accountNumber]);
    expect(after.phones.map((p: any) => [p.number, p.isPrimary])).toEqual([['+13125550102', false], ['+13125550188', false]]);
  });

  it('a dry run writes nothing and says what a commit would do', async () => {
    const csv = `accountNumber,debtorLastName,balance\n${w.prefix}-dry1,Dry,1\n${w.prefix}-dry2,,1\n`;
    const result = await importFile(csv, { mode: 'dry-run' });
    expect(result).toMatchObject({ status: 'completed', mode: 'dry-run', createdCount: 1, errorCount: 1 });
    expect(await accountsOf([`${w.prefix}-dry1`])).toEqual([]);
  });
});

describe('files as they come', () => {
  const header = 'accountNumber;debtorLastName;balance;notes;phone1';
  const rows = (p: string) => [`${p}-1;Müller;10;"two\nlines";312-555-0131`, `${p}-2;Ferrán;20;;312-555-0132`];
  const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  it.each([
    ['UTF-8 with BOM, semicolons, a quoted newline', (p: string) => Buffer.from(`\ufeff${header}\n${rows(p).join('\n')}\n\n`, 'utf8')],
    ['UTF-16 LE', (p: string) => utf16(`${header}\r\n${rows(p).join('\r\n')}`)],
    ['Windows-1252 with tabs', (p: string) => Buffer.from(`${header}\n${rows(p).join('\n')}`.replace(/;/g, '\t'), 'latin1')],
  ])('%s', async (label, make) => {
    const p = `${w.prefix}-${label.slice(0, 5).replace(/\W/g, '')}`;
    const result = await importFile(make(p));
    expect(result).toMatchObject({ status: 'completed', createdCount: 2, errorCount: 0 });
    expect((await accountsOf([`${p}-1`, `${p}-2`])).map((a: any) => [a.debtorLastName, a.notes])).toEqual([['Müller', 'two\nlines'], ['Ferrán', null]]);
  });

  it('reads the named sheet of a workbook, formulas as values and dates as Excel serials', async () => {
    const p = `${w.prefix}-x`;
    const book = xlsxFile({
      Cover: [['Bank placement']],
      Accounts: [
        ['accountNumber', 'debtorLastName', 'balance', 'chargeOffDate', 'phone1'],
        [`${p}-1`, 'Sheet', { formula: 'SUM(100,23.5)', value: 123.5 }, 46000, 3125550141],
      ],
    });
    const result = await importFile(book, { sheet: 'Accounts' }, 'placement.xlsx');
    expect(result).toMatchObject({ status: 'completed', createdCount: 1, errorCount: 0, sheet: 'Accounts' });
    const [row] = await accountsOf([`${p}-1`]);
    expect([Number(row.balance), row.chargeOffDate, row.phones[0].number]).toEqual([123.5, '2025-12-09', '+13125550141']);
  });

  it.each([
    ['an empty file', '', {}, /file is empty/],
    ['a header without rows', 'accountNumber,debtorLastName,balance\n\n', {}, /no data rows/],
    ['a missing required column', 'accountNumber,balance\nA,1\n', {}, /no column for debtorLastName \(required\)/],
    ['a mapping to an unknown field', 'ref,debtorLastName,balance\nA,B,1\n', { mapping: JSON.stringify({ ref: 'acctNo' }) }, /not a field of a accounts import/],
    ['a mapping that is not JSON', 'accountNumber,debtorLastName,balance\nA,B,1\n', { mapping: '{' }, /mapping must be a JSON object/],
    ['an unknown kind', 'accountNumber,debtorLastName,balance\nA,B,1\n', { kind: 'invoices' }, /kind must be one of: accounts, dnc, payments/],
    ['an unknown mode', 'accountNumber,debtorLastName,balance\nA,B,1\n', { mode: 'yolo' }, /mode must be one of/],
    ['a sheet that is not there', xlsxFile({ One: [['a']] }), { sheet: 'Two' }, /no sheet named "Two" \(it has: One\)/],
  ])('refuses %s with one clear 400', async (_label, file, fields, message) => {
    const res = await upload('supervisorA', file as any, fields as any, Buffer.isBuffer(file) ? 'f.xlsx' : 'f.csv');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('names a workbook\'s columns when a required one is missing, for the console to map them', async () => {
    const res = await upload('supervisorA', xlsxFile({ Sheet1: [['Ref', 'Surname, given', 'Balance'], ['X-1', 'Smith', 5]] }), {}, 'f.xlsx');
    expect([res.status, res.body.error.details.columns, res.body.error.details.errors[0].path]).toEqual([400, ['Ref', 'Surname, given', 'Balance'], ['file']]);
  });

  it('refuses a request without a file', async () => {
    const res = await http(strapi).post('/api/imports').set('Authorization', auth('supervisorA')).field('client', w.clients.a.documentId);
    expect([res.status, res.body.error.details.errors[0].path]).toEqual([400, ['file']]);
  });

  it('refuses a file over the limit with 413 naming the limit', async () => {
    process.env.IMPORT_MAX_BYTES = '1000';
    try {
      const big = `accountNumber,debtorLastName,balance\n${'A,B,1\n'.repeat(300)}`;
      const res = await upload('supervisorA', big);
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/import limit of 1000 bytes/);
      const huge = await upload('supervisorA', big.repeat(60));
      expect(huge.status).toBe(413);
      expect(huge.body.error.message).toMatch(/limit of 1000 bytes/);
    } finally {
      delete process.env.IMPORT_MAX_BYTES;
    }
  });
});

describe('do-not-call lists', () => {
  it('adds the client\'s numbers, once each', async () => {
    const csv = 'Phone Number,Reason\n(312) 555-0191,attorney\n312.555.0191,\n12,\n(312) 555-0192,\n';
    const result = await importFile(csv, { kind: 'dnc' });
    expect(result).toMatchObject({ status: 'completed', kind: 'dnc', createdCount: 2, errorCount: 2 });
    const rows = await strapi.db.query('api::dnc-entry.dnc-entry').findMany({ where: { phone: { $in: ['+13125550191', '+13125550192'] }, source: 'import', $or: [{ client: { documentId: w.clients.a.documentId } }, { client: { id: { $null: true } } }] }, populate: { client: { select: ['documentId'] } } } as any);
    // Other test files share this database: their entries for these numbers are neither imported nor this world's.
    expect(rows.map((r: any) => [r.phone, r.reason, r.source, r.scope, r.client?.documentId ?? null]).sort()).toEqual([
      ['+13125550191', 'attorney', 'import', 'client', w.clients.a.documentId],
      ['+13125550192', 'debtor_request', 'import', 'client', w.clients.a.documentId],
    ]);
    const again = await importFile(csv, { kind: 'dnc' });
    expect(again).toMatchObject({ createdCount: 0, skippedCount: 2 });
  });
});

describe('rights', () => {
  const csv = 'accountNumber,debtorLastName,balance\nR-1,B,1\n';
  it.each(['agentA1', 'analystA'])('%s may not import', async (who) => {
    expect((await upload(who, csv)).status).toBe(403);
    expect((await http(strapi).get('/api/imports').set('Authorization', auth(who))).status).toBe(403);
  });

  it('a supervisor imports only for their own clients, and sees only their imports', async () => {
    const other = await upload('supervisorB', csv);
    expect(other.status).toBe(400);
    expect(other.body.error.details.errors[0].path).toEqual(['client']);
    const mine = await upload('supervisorA', csv, { mode: 'dry-run' });
    expect((await http(strapi).get(`/api/imports/${mine.body.data.documentId}`).set('Authorization', auth('supervisorB'))).status).toBe(404);
    expect((await http(strapi).get(`/api/imports/${mine.body.data.documentId}/errors`).set('Authorization', auth('supervisorB'))).status).toBe(404);
    expect((await http(strapi).post(`/api/imports/${mine.body.data.documentId}/cancel`).set('Authorization', auth('supervisorB'))).status).toBe(404);
    const list = await http(strapi).get('/api/imports').set('Authorization', auth('supervisorB'));
    expect(list.body.data.map((i: any) => i.documentId)).not.toContain(mine.body.data.documentId);
    const own = await http(strapi).get('/api/imports?pagination[pageSize]=100').set('Authorization', auth('supervisorA'));
    expect(own.body.data.map((i: any) => i.documentId)).toContain(mine.body.data.documentId);
    expect(JSON.stringify(own.body)).not.toContain('filePath');
  });
});

describe('retry, cancel and templates', () => {
  it('retries with a corrected file as a new import of the same settings', async () => {
    const first = await importFile(`accountNumber,debtorLastName,balance\n${w.prefix}-r1,,5\n`, { mode: 'dry-run' });
    expect(first.errorCount).toBe(1);
    const res = await upload('supervisorA', `accountNumber,debtorLastName,balance\n${w.prefix}-r1,Fixed,5\n`, {}, 'fixed.csv', `/api/imports/${first.documentId}/retry`);
    expect(res.status).toBe(202);
    const second = await finished(res.body.data.documentId);
    expect(second).toMatchObject({ retryOf: first.documentId, mode: 'dry-run', createdCount: 1, errorCount: 0 });
  });

  it('cancels a queued import, and refuses to cancel a finished one', async () => {
    const done = await importFile(`accountNumber,debtorLastName,balance\n${w.prefix}-c1,C,5\n`, { mode: 'dry-run' });
    const res = await http(strapi).post(`/api/imports/${done.documentId}/cancel`).set('Authorization', auth('supervisorA'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('a completed import cannot be cancelled');
  });

  it('saves a mapping per client and applies it by name', async () => {
    const save = await http(strapi).post('/api/imports/templates').set('Authorization', auth('supervisorA'))
      .send({ data: { name: 'Bank A layout', client: w.clients.a.documentId, mapping: { Ref: 'accountNumber', Who: 'debtorLastName', Owed: 'balance' } } });
    expect(save.status).toBe(201);
    const list = await http(strapi).get(`/api/imports/templates?client=${w.clients.a.documentId}`).set('Authorization', auth('supervisorA'));
    expect(list.body.data.map((t: any) => t.name)).toEqual(['Bank A layout']);
    expect((await http(strapi).get('/api/imports/templates').set('Authorization', auth('supervisorB'))).body.data).toEqual([]);
    const result = await importFile(`Ref,Who,Owed\n${w.prefix}-t1,Mapped,9\n`, { template: save.body.data.documentId, mode: 'dry-run' });
    expect(result).toMatchObject({ status: 'completed', createdCount: 1, errorCount: 0 });
  });
});
