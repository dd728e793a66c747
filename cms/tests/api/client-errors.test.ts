import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'err');
});
afterAll(() => stopStrapi(strapi));

/** What a response body must never show a client: where the code lives, how it failed inside, what the database said. */
const INTERNALS: Array<[string, RegExp]> = [
  ['a filesystem path', /(^|[\s"'(=])\/(work|home|usr|opt|tmp|var|app|srv|root)\/|[A-Z]:\\\\/],
  ['node_modules', /node_modules/],
  ['a stack frame', /\bat [^\s]+ \(|\.(js|ts|mjs|cjs):\d+:\d+/],
  ['SQL text', /\b(select|insert into|update|delete from)\b[^"]*\b(from|where|set|values)\b|"?\bwhere\b "?\w+"?\."?\w+"?\s*=/i],
  ['a knex or driver message', /knex|invalid input syntax|syntax error at|violates|relation "|column "|undefined_column|SQLITE_|\bpg\b|ECONNREFUSED/i],
  ['a stack property', /"stack"\s*:/],
];

const TYPES = ['accounts', 'campaigns', 'calls', 'clients', 'dispositions', 'promises-to-pay', 'callbacks', 'dnc-entries', 'audit-logs'] as const;

/** Query strings a client may send by mistake or on purpose: unknown operators and fields, wrong types, garbage pagination. */
const QUERIES: Array<[string, string]> = [
  ['unknown operator at the top', 'filters[$foo]=1'],
  ['unknown operator on a field', 'filters[createdAt][$foo]=1'],
  ['unknown field in a filter', 'filters[nope][$eq]=1'],
  ['text for the integer id', 'filters[id][$eq]=abc'],
  ['text for a number in $in', 'filters[id][$in][0]=x&filters[id][$in][1]=1'],
  ['a date that is not one', 'filters[createdAt][$gt]=not-a-date'],
  ['$between with one bound', 'filters[id][$between]=1'],
  ['$and as a string', 'filters[$and]=oops'],
  ['$or nested as an object of strings', 'filters[$or][0]=a&filters[$or][1]=b'],
  ['deep nesting', `filters${'[$and][0]'.repeat(40)}[id][$eq]=1`],
  ['sort on an unknown field', 'sort=nope:asc'],
  ['sort with an operator', 'sort[0][$foo]=asc'],
  ['sort with a bad direction', 'sort=createdAt:sideways'],
  ['populate of an unknown attribute', 'populate=nope'],
  ['populate object of an unknown attribute', 'populate[nope][populate]=*'],
  ['fields of an unknown attribute', 'fields[0]=nope'],
  ['negative page', 'pagination[page]=-1'],
  ['page size as text', 'pagination[pageSize]=abc'],
  ['page beyond any number', 'pagination[page]=1e309'],
  ['start as text', 'pagination[start]=x&pagination[limit]=2'],
  ['page and start mixed', 'pagination[page]=1&pagination[start]=0'],
  ['an odd locale', 'locale=..%2F..%2Fetc'],
  ['an odd status', 'status=everything'],
  ['a huge query string', `filters[$or][0][id][$eq]=1&${Array.from({ length: 600 }, (_, i) => `filters[$or][${i + 1}][documentId][$eq]=${'x'.repeat(20)}${i}`).join('&')}`],
  ['a parameter repeated as array and object', 'filters[id]=1&filters[id][$eq]=2'],
];

const IDS: Array<[string, string]> = [
  ['a path traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['a NUL byte', '%00'],
  ['an SQL fragment', "'%20OR%201%3D1--"],
  ['a 5000-character id', 'a'.repeat(5000)],
];

const BODIES: Array<[string, string | object]> = [
  ['malformed JSON', '{"data": {"name": '],
  ['data as a string', { data: 'oops' }],
  ['data as an array', { data: [1, 2] }],
  ['no data', { nope: 1 }],
  ['an unknown field', { data: { nope: 1 } }],
  ['wrong types', { data: { name: { $gt: 1 }, balance: 'abc', notes: 12, state: ['x'] } }],
  ['a relation as garbage', { data: { client: { connect: 'x' }, account: [[['x']]] } }],
];

function leaks(body: string): string[] {
  return INTERNALS.filter(([, pattern]) => pattern.test(body)).map(([what]) => what);
}

type Probe = { status: number; leaks: string[] };
const probe = (res: { status: number; text: string }): Probe => ({ status: res.status < 500 ? res.status : 500, leaks: leaks(res.text ?? '') });

describe.each(TYPES)('/api/%s never shows its internals to a client', (type) => {
  const auth = () => ({ Authorization: `Bearer ${w.tokens.supervisorA}` });

  it.each(QUERIES)('list with %s', async (_what, query) => {
    const res = await http(strapi).get(`/api/${type}?${query}`).set(auth());
    expect(probe(res)).toEqual({ status: expect.any(Number), leaks: [] });
    expect(res.status).toBeLessThan(500);
  });

  it.each(IDS)('one record by %s', async (_what, id) => {
    for (const method of ['get', 'put', 'delete'] as const) {
      const res = await http(strapi)[method](`/api/${type}/${id}`).set(auth()).send(method === 'put' ? { data: {} } : undefined as any);
      expect([method, probe(res)]).toEqual([method, { status: expect.any(Number), leaks: [] }]);
      expect([method, res.status < 500]).toEqual([method, true]);
    }
  });

  it.each(BODIES)('create and update with %s', async (_what, body) => {
    for (const [method, url] of [['post', `/api/${type}`], ['put', `/api/${type}/nonexistent000000000000`]] as const) {
      const req = http(strapi)[method](url).set(auth()).set('Content-Type', 'application/json');
      const res = await req.send(typeof body === 'string' ? body : JSON.stringify(body));
      expect([method, probe(res)]).toEqual([method, { status: expect.any(Number), leaks: [] }]);
      expect([method, res.status < 500]).toEqual([method, true]);
    }
  });
});

describe('the session and user endpoints never show their internals', () => {
  it.each([
    ['GET', '/api/session?populate=nope'],
    ['GET', '/api/users?filters[$foo]=1'],
    ['GET', '/api/users?filters[id][$eq]=abc'],
    ['GET', '/api/users?sort=password:asc'],
    ['GET', '/api/users/..%2F..%2Fetc'],
    ['GET', '/api/users/abc'],
    ['POST', '/api/auth/local'],
    ['POST', '/api/auth/refresh'],
    ['POST', '/api/auth/forgot-password'],
  ])('%s %s with odd input', async (method, url) => {
    const req = method === 'GET' ? http(strapi).get(url) : http(strapi).post(url);
    const res = await req.set('Authorization', `Bearer ${w.tokens.supervisorA}`).set('Content-Type', 'application/json').send(method === 'GET' ? undefined as any : '{"identifier": [');
    expect(probe(res)).toEqual({ status: expect.any(Number), leaks: [] });
    expect(res.status).toBeLessThan(500);
  });
});
