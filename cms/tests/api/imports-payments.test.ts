import crypto from 'crypto';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';
import { localClock } from '../../src/compliance/local-time';
import { addDays } from '../../src/payments/promise-state';

// The job queue on the real Redis under a prefix of this file's own; small batches so a file spans several.
process.env.REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `imports-pay-test-${crypto.randomBytes(4).toString('hex')}`;
process.env.IMPORT_DIR = path.join(os.tmpdir(), process.env.QUEUE_PREFIX);
process.env.IMPORT_BATCH_ROWS = '3';

let strapi: Core.Strapi;
let w: World;
beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'ip');
});
afterAll(() => stopStrapi(strapi));

const auth = (who: string) => `Bearer ${w.tokens[who]}`;
// Days on client A's calendar (New York, the default zone), the one its payments count by.
const day = (n: number) => addDays(localClock(new Date(), 'America/New_York').date, n);
function upload(who: string, csv: string, fields: Record<string, string> = {}) {
  const req = http(strapi).post('/api/imports').set('Authorization', auth(who));
  for (const [k, v] of Object.entries({ client: w.clients.a.documentId, kind: 'payments', ...fields })) req.field(k, v);
  return req.attach('file', Buffer.from(csv, 'utf8'), 'payments.csv');
}
async function importFile(csv: string, fields: Record<string, string> = {}) {
  const res = await upload('supervisorA', csv, fields);
  expect(res.status).toBe(202);
  for (let i = 0; i < 600; i++) {
    const got = await http(strapi).get(`/api/imports/${res.body.data.documentId}`).set('Authorization', auth('supervisorA'));
    if (['completed', 'failed', 'cancelled'].includes(got.body.data?.status)) return got.body.data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}
const errorsOf = async (documentId: string) =>
  (await http(strapi).get(`/api/imports/${documentId}/errors?pagination[pageSize]=100`).set('Authorization', auth('supervisorA'))).body.data.map((e: any) => [e.row, e.severity, e.field, e.code]);
const account = (documentId: string) => strapi.db.query('api::account.account').findOne({ where: { documentId } } as any);
const paymentsOf = (documentId: string) => strapi.db.query('api::payment.payment').findMany({ where: { account: { documentId } }, orderBy: { paidDate: 'asc' } } as any);
let seq = 0;
const newAccount = (balance = 500) => strapi.documents('api::account.account').create({
  data: { accountNumber: `${w.prefix}-pay${seq++}`, client: w.clients.a.documentId, debtorLastName: 'Payer', balance, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id },
} as any);

describe('a payments file', () => {
  let acc1: any, acc2: any, ptp: any, first: any, csv: string;
  beforeAll(async () => {
    acc1 = await newAccount(500);
    acc2 = await newAccount(500);
    ptp = await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: acc2.documentId, amount: 80, dueDate: day(5), agent: w.users.agentA1.id } } as any);
    // Already stored (as REST stores it): the same payment in the file is skipped, not paid twice.
    await strapi.documents('api::payment.payment').create({ data: { account: acc1.documentId, amount: 25, paidDate: day(-3), reference: 'PRE' } } as any);
    csv = [
      'Account No.,Payment Amount,Payment Date,CCY,Payment Method,Transaction ID',
      `${acc1.accountNumber},"$100.00",${day(-2)},usd,Card,R1`,
      `${acc1.accountNumber},50,${day(-1)},,Bank Transfer,R2`,
      `${acc2.accountNumber},80,${day(0)},,,R3`,
      `${acc1.accountNumber},100,${day(-2)},,card,R1`,
      `${w.prefix}-nosuch,10,${day(0)},,,R4`,
      `${w.accounts.b1.accountNumber},10,${day(0)},,,R5`,
      `${acc1.accountNumber},10,${day(0)},EUR,,R6`,
      `${acc1.accountNumber},-5,${day(5)},XX,pigeon,R7`,
      ',,,,,',
      `${acc1.accountNumber},25,${day(-3)},,,PRE`,
    ].join('\n');
    first = await importFile(csv);
  });

  it('completes with every count', () => {
    expect(first).toMatchObject({ status: 'completed', kind: 'payments', totalRows: 10, processedRows: 10, createdCount: 3, skippedCount: 1, errorCount: 6, warningCount: 1 });
  });

  it.each([
    [5, 'error', 'accountNumber', 'DUPLICATE_IN_FILE'],
    [6, 'error', 'accountNumber', 'UNKNOWN_ACCOUNT'],
    [7, 'error', 'accountNumber', 'UNKNOWN_ACCOUNT'], // another client's account number is not this client's
    [8, 'error', 'currency', 'CURRENCY_MISMATCH'],
    [9, 'error', 'amount', 'INVALID_VALUE'],
    [9, 'error', 'paidDate', 'INVALID_DATE'],
    [9, 'error', 'currency', 'INVALID_VALUE'],
    [9, 'error', 'method', 'INVALID_ENUM'],
    [10, 'error', 'accountNumber', 'REQUIRED'],
    [10, 'error', 'amount', 'REQUIRED'],
    [10, 'error', 'paidDate', 'REQUIRED'],
    [11, 'warning', 'accountNumber', 'DUPLICATE_IN_DATABASE'],
  ])('row %i: %s on %s (%s)', async (row, severity, field, code) => {
    expect(await errorsOf(first.documentId)).toContainEqual([row, severity, field, code]);
  });

  it('names the row and the field in each message', async () => {
    const body = (await http(strapi).get(`/api/imports/${first.documentId}/errors?pagination[pageSize]=100`).set('Authorization', auth('supervisorA'))).body.data;
    for (const e of body) expect(e.message).toMatch(new RegExp(`^Row ${e.row}: .*${e.field}`));
    expect(body.find((e: any) => e.code === 'CURRENCY_MISMATCH').message).toBe("Row 8: currency must be the account's, USD");
  });

  it('stores the good rows as import payments and moves the balances and last payment date', async () => {
    const p1 = await paymentsOf(acc1.documentId);
    expect(p1.map((p: any) => [Number(p.amount), String(p.paidDate).slice(0, 10), p.reference, p.source, p.currency, p.method])).toEqual([
      [25, day(-3), 'PRE', 'api', 'USD', null],
      [100, day(-2), 'R1', 'import', 'USD', 'card'],
      [50, day(-1), 'R2', 'import', 'USD', 'bank_transfer'],
    ]);
    const a1 = await account(acc1.documentId);
    expect(Number(a1.balance)).toBe(325);
    expect(String(a1.lastPaymentDate).slice(0, 10)).toBe(day(-1));
    expect(Number((await account(acc2.documentId)).balance)).toBe(420);
  });

  it('keeps the promise the imported payment reaches', async () => {
    const row = await strapi.db.query('api::promise-to-pay.promise-to-pay').findOne({ where: { documentId: ptp.documentId } } as any);
    expect(row.state).toBe('kept');
    expect(Number(row.paidAmount)).toBe(80);
  });

  it('audits each imported payment', async () => {
    const ids = (await paymentsOf(acc1.documentId)).filter((p: any) => p.source === 'import').map((p: any) => p.documentId);
    const audited = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { entity: 'api::payment.payment', entityDocumentId: { $in: ids }, action: 'create' } } as any);
    expect(audited.map((a: any) => a.entityDocumentId).sort()).toEqual([...ids].sort());
  });

  it("names the supervisor who started the import in the payments' audit entries, not the server", async () => {
    const ids = (await paymentsOf(acc1.documentId)).filter((p: any) => p.source === 'import').map((p: any) => p.documentId);
    const audited = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { entity: 'api::payment.payment', entityDocumentId: { $in: ids }, action: 'create' } } as any);
    expect(audited.length).toBe(ids.length);
    for (const a of audited) expect([a.actorType, a.actorId, a.actorName]).toEqual(['user', String(w.users.supervisorA.id), w.users.supervisorA.username]);
  });

  it('the same file again pays nothing twice', async () => {
    const again = await importFile(csv);
    expect(again).toMatchObject({ status: 'completed', createdCount: 0, skippedCount: 4, errorCount: 6 });
    expect((await paymentsOf(acc1.documentId))).toHaveLength(3);
    expect(Number((await account(acc1.documentId)).balance)).toBe(325);
    expect(Number((await account(acc2.documentId)).balance)).toBe(420);
  });

  it('a dry run writes nothing', async () => {
    const acc = await newAccount(200);
    const dry = await importFile(`accountNumber,amount,paidDate\n${acc.accountNumber},20,${day(0)}\n`, { mode: 'dry-run' });
    expect(dry).toMatchObject({ status: 'completed', createdCount: 1 });
    expect(await paymentsOf(acc.documentId)).toHaveLength(0);
    expect(Number((await account(acc.documentId)).balance)).toBe(200);
  });
});

describe('who may import payments', () => {
  const csv = () => `accountNumber,amount,paidDate\n${w.accounts.a1.accountNumber},1,${day(0)}\n`;
  it.each([['agentA1', 403], ['analystA', 403], ['supervisorB', 400]])('%s for client A answers %i', async (who, status) => {
    const res = await upload(who, csv());
    expect(res.status).toBe(status);
  });
  it('a file without the required columns is refused whole, naming them', async () => {
    const res = await upload('supervisorA', `account,amount\n${w.accounts.a1.accountNumber},1\n`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('paidDate');
  });
});
