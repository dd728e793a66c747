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

describe('a list page with its rows and its total asked together', () => {
  // The compiled module, as the booted cms runs it.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { findPage } = require('../../dist/src/scale/page-and-count');
  const bulk = { accountNumber: { $startsWith: 'lst-bulk' } };

  it.each<[string, Record<string, unknown>]>([
    ['page 2 of 10, filtered and sorted', { filters: bulk, sort: ['balance:desc'], pagination: { page: 2, pageSize: 10 } }],
    ['the last, partial page', { filters: bulk, sort: ['balance:asc'], pagination: { page: 14, pageSize: 10 } }],
    ['a page past the end', { filters: bulk, pagination: { page: 99, pageSize: 10 } }],
    ['no pagination at all', { filters: bulk, sort: ['accountNumber:asc'] }],
    ['start and limit', { filters: bulk, sort: ['accountNumber:asc'], pagination: { start: 5, limit: 7 } }],
    ['without the count', { filters: bulk, pagination: { page: 1, pageSize: 5, withCount: false } }],
    ['start and limit without the count', { filters: bulk, pagination: { start: 0, limit: 3, withCount: 'false' } }],
    ['a filter nothing matches', { filters: { accountNumber: { $eq: 'no-such-account' } }, pagination: { page: 1, pageSize: 10 } }],
    ['fields and a populate', { filters: bulk, fields: ['accountNumber'], populate: { client: { fields: ['name'] } }, sort: ['id:asc'], pagination: { page: 3, pageSize: 4 } }],
  ])('%s: the same answer as the service\'s own find', async (_label, params) => {
    const withPrefix = JSON.parse(JSON.stringify(params).replace(/lst-bulk/g, `${w.prefix}-bulk`));
    const ours = await findPage(strapi, 'api::account.account', withPrefix);
    const theirs = await strapi.service('api::account.account').find(withPrefix);
    expect(ours).toEqual(theirs);
  });

  it('the list and its total are both in flight before either answers', async () => {
    const events: string[] = [];
    const realDocuments = strapi.documents.bind(strapi);
    const spy = jest.spyOn(strapi as any, 'documents').mockImplementation((uid: any) => {
      const service: any = realDocuments(uid);
      const track = (name: string) => async (params: any) => {
        events.push(`${name} asked`);
        const result = await service[name](params);
        events.push(`${name} answered`);
        return result;
      };
      return { ...service, findMany: track('findMany'), count: track('count') };
    });
    try {
      await findPage(strapi, 'api::account.account', { filters: { accountNumber: { $startsWith: `${w.prefix}-bulk` } }, pagination: { page: 1, pageSize: 5 } });
    } finally {
      spy.mockRestore();
    }
    expect(events.slice(0, 2)).toEqual(['findMany asked', 'count asked']);
    expect(events).toHaveLength(4);
  });
});
