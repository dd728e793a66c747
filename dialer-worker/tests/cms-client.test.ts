/**
 * HttpCmsClient against a local HTTP server that answers as told and records what it was
 * asked: how cms's answers become errors, and that an id never reshapes a request.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { CmsError, HttpCmsClient } from '../src/cms/cms-client';

let server: http.Server;
let base: string;
let status = 200;
let body = '{"data":{}}';
const seen: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  seen.length = 0;
  status = 200;
  body = '{"data":{}}';
});

describe('HttpCmsClient errors', () => {
  it.each([
    [408, 'THROTTLED', true],
    [429, 'THROTTLED', true],
    [500, 'SERVER_ERROR', true],
    [503, 'SERVER_ERROR', true],
    [400, 'REJECTED', false],
    [401, 'UNAUTHORIZED', false],
    [404, 'NOT_FOUND', false],
  ])('a call record answered %i is %s, transient: %s', async (code, expected, transient) => {
    status = code;
    body = JSON.stringify({ error: { message: 'no' } });
    const error = await new HttpCmsClient(base, 'token').recordAttempt('a-12345678', { outcome: 'busy' }).catch((e) => e);
    expect(error).toBeInstanceOf(CmsError);
    expect([error.code, error.transient]).toEqual([expected, transient]);
  });

  it('a proxy\'s HTML error page is still read by its status, not thrown as a SyntaxError', async () => {
    status = 502;
    body = '<html>Bad gateway</html>';
    const error = await new HttpCmsClient(base, 'token').recordAttempt('a-12345678', { outcome: 'busy' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'SERVER_ERROR', transient: true });
  });
});

describe('HttpCmsClient ids', () => {
  it.each([
    ['a query and a fragment', 'x?filters[name][$eq]=secret#'],
    ['a path', 'x/dialable'],
    ['an encoded slash', 'x%2Fdialable'],
  ])('an id with %s stays one path segment', async (_what, id) => {
    await new HttpCmsClient(base, 'token').campaignAs(id, 'jwt').catch(() => undefined);
    expect(seen).toEqual([`GET /api/campaigns/${encodeURIComponent(id)}`]);
  });

  it.each(['.', '..'])('the id %p is refused before any request', async (id) => {
    await expect(new HttpCmsClient(base, 'token').campaign(id)).rejects.toMatchObject({ code: 'REJECTED' });
    expect(seen).toEqual([]);
  });
});
