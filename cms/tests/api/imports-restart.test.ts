import crypto from 'crypto';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

process.env.REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `imports-restart-${crypto.randomBytes(4).toString('hex')}`;
process.env.IMPORT_DIR = path.join(os.tmpdir(), process.env.QUEUE_PREFIX);
process.env.IMPORT_BATCH_ROWS = '500';

const ROWS = 50_000;
let strapi: Core.Strapi | undefined;
let w: World;

afterAll(() => stopStrapi(strapi));

async function importState(app: Core.Strapi, documentId: string) {
  return (await http(app).get(`/api/imports/${documentId}`).set('Authorization', `Bearer ${w.tokens.supervisorA}`)).body.data;
}

it('a cms restart in the middle of a 50,000-row import resumes and ends with every good row once', async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'ir');
  const lines = ['accountNumber,debtorLastName,balance,phone1'];
  const good = new Set<string>();
  for (let i = 0; i < ROWS; i++) {
    const number = `${w.prefix}-${i}`;
    if (i % 50 === 7) lines.push(`${number},Bad,lots,3125550100`);
    else if (i % 97 === 3 && i > 0) {
      // Refused as a repeat, unless the row it repeats was itself refused: then it is the first good one.
      lines.push(`${w.prefix}-${i - 1},Again,1,3125550100`);
      good.add(`${w.prefix}-${i - 1}`);
    }
    else {
      lines.push(`${number},Debtor${i},${(i % 500) + 1},${3122000000 + i}`);
      good.add(number);
    }
  }
  const res = await http(strapi).post('/api/imports').set('Authorization', `Bearer ${w.tokens.supervisorA}`)
    .field('client', w.clients.a.documentId).attach('file', Buffer.from(lines.join('\n')), 'big.csv');
  expect(res.status).toBe(202);
  const id = res.body.data.documentId;

  let before: any;
  for (let i = 0; i < 1200; i++) {
    before = await importState(strapi, id);
    if (before.processedRows >= 5000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopStrapi(strapi);
  strapi = undefined;
  const stopped = await (async () => {
    const { Client } = require('pg');
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query('SELECT status, processed_rows FROM imports WHERE document_id = $1', [id]);
    await db.end();
    return rows[0];
  })();
  // Stopped mid-way: some batches committed, not all.
  expect(stopped.status).toBe('running');
  expect(stopped.processed_rows).toBeGreaterThan(0);
  expect(stopped.processed_rows).toBeLessThan(ROWS);

  strapi = await startStrapi();
  let after: any;
  for (let i = 0; i < 3000; i++) {
    after = await importState(strapi, id);
    if (['completed', 'failed', 'cancelled'].includes(after.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(after).toMatchObject({ status: 'completed', totalRows: ROWS, processedRows: ROWS, createdCount: good.size, errorCount: ROWS - good.size });

  const knex = strapi.db.connection;
  const [{ count, distinct }]: any[] = await knex('accounts').where('account_number', 'like', `${w.prefix}-%`).select(knex.raw('count(*)::int as count'), knex.raw('count(distinct account_number)::int as distinct'));
  // The world's own four accounts share the prefix.
  expect([count, distinct]).toEqual([good.size + 4, good.size + 4]);
  const audited = await strapi.db.query('api::audit-log.audit-log').count({ where: { requestId: `import:${id}` } } as any);
  expect(audited).toBe(good.size);
  const errorRows = await knex('import_errors').where({ import_id: (await knex('imports').where({ document_id: id }).first('id')).id, severity: 'error' }).countDistinct({ n: 'row' });
  expect(Number(errorRows[0].n)).toBe(ROWS - good.size);
  const verify = await http(strapi).get('/api/audit-logs/verify').set('Authorization', `Bearer ${w.tokens.supervisorA}`);
  expect(verify.body).toMatchObject({ ok: true });
}, 600_000);
