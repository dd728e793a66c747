import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'lst');
  for (let i = 0; i < 130; i++) {
    await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-bulk-${String(i).padStart(3, '0')}`, client: w.clients.a.documentId, debtorLastName: `Bulk${i}`, balance: i * 10, timezone: 'America/Chicago', daysPastDue: i },
    } as any);
  }
});
afterAll(() => stopStrapi(strapi));

const get = (url: string) => http(strapi).get(url).set('Authorization', `Bearer ${w.tokens.analystA}`);

describe('lists for analysts', () => {
  it('filter, sort, select fields and paginate', async () => {
    const res = await get(`/api/accounts?filters[accountNumber][$startsWith]=${w.prefix}-bulk&filters[daysPastDue][$gte]=100&sort[0]=balance:desc&fields[0]=accountNumber&fields[1]=balance&pagination[page]=2&pagination[pageSize]=10`);
    expect(res.status).toBe(200);
    expect(res.body.meta.pagination).toMatchObject({ page: 2, pageSize: 10, total: 30, pageCount: 3 });
    expect(res.body.data.map((a: any) => a.balance)).toEqual([1190, 1180, 1170, 1160, 1150, 1140, 1130, 1120, 1110, 1100]);
    expect(Object.keys(res.body.data[0]).sort()).toEqual(['accountNumber', 'balance', 'documentId', 'id']);
  });

  it('caps the page size at 100 with correct offsets', async () => {
    const base = `/api/accounts?filters[accountNumber][$startsWith]=${w.prefix}-bulk&sort=accountNumber:asc&fields[0]=accountNumber`;
    const big = await get(`${base}&pagination[pageSize]=1000`);
    expect(big.body.meta.pagination).toMatchObject({ pageSize: 100, total: 130 });
    expect(big.body.data).toHaveLength(100);
    const second = await get(`${base}&pagination[pageSize]=1000&pagination[page]=2`);
    expect(second.body.data.map((a: any) => a.accountNumber)[0]).toBe(`${w.prefix}-bulk-100`);
    expect(second.body.data).toHaveLength(30);
  });

  it('serves the OpenAPI document of the REST API', async () => {
    expect((await http(strapi).get('/documentation/v1.0.0')).status).toBe(200);
    const spec = JSON.parse(fs.readFileSync(path.join(strapi.dirs.app.extensions, 'documentation', 'documentation', '1.0.0', 'full_documentation.json'), 'utf8'));
    for (const p of ['/accounts', '/accounts/{id}', '/calls', '/campaigns', '/promises-to-pay', '/dnc-entries', '/audit-logs']) {
      expect([p, Object.keys(spec.paths).includes(p)]).toEqual([p, true]);
    }
  });
});
