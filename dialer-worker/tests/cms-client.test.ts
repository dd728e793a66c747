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
const bodies: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  seen.length = 0;
  bodies.length = 0;
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

describe('HttpCmsClient hopper', () => {
  it('sends the attempts it holds in a POST body, however many, never in the URL', async () => {
    body = JSON.stringify({ data: { campaign: {}, items: [], refusals: {}, nothingToDial: null } });
    const phones = Array.from({ length: 2000 }, (_, i) => `+1212${String(5_000_000 + i)}`);
    const accounts = Array.from({ length: 2000 }, (_, i) => `acc${String(i).padStart(21, '0')}`);
    await expect(new HttpCmsClient(base, 'token').dialable('camp1', 60, phones, undefined, accounts)).resolves.toEqual({ items: [], nothingToDial: null });
    expect(seen).toEqual(['POST /api/campaigns/camp1/dialable']);
    expect(JSON.parse(bodies[0])).toEqual({ limit: 60, exclude: phones, excludeAccounts: accounts });
  });

  it.each([
    [0, 1],
    [12.7, 12],
    [500, 200],
  ])('asks for a limit cms takes (%p becomes %p), and for one account when told', async (asked, sent) => {
    body = JSON.stringify({ data: { campaign: {}, items: [], refusals: {}, nothingToDial: null } });
    await new HttpCmsClient(base, 'token').dialable('camp1', asked, [], 'acc1');
    expect(JSON.parse(bodies[0])).toEqual({ limit: sent, exclude: [], excludeAccounts: [], account: 'acc1' });
  });
});

describe('HttpCmsClient campaigns', () => {
  it('reads every running campaign of the list (what a worker starts with when Redis holds none)', async () => {
    body = JSON.stringify({
      data: [
        { documentId: 'camp1aaaaaaaaaaaaaaaaaaa', name: 'One', state: 'running', dialMode: 'predictive', abandonTarget: 0.5, agents: [{ id: 3 }], client: { documentId: 'client1' } },
        { documentId: 'camp2aaaaaaaaaaaaaaaaaaa', name: 'Two', state: 'running', dialMode: 'progressive', complianceProfile: 'uk', agents: [] },
      ],
    });
    const campaigns = await new HttpCmsClient(base, 'token').runningCampaigns();
    expect(campaigns.map((c) => [c.documentId, c.dialMode, c.agentIds])).toEqual([
      ['camp1aaaaaaaaaaaaaaaaaaa', 'predictive', [3]],
      ['camp2aaaaaaaaaaaaaaaaaaa', 'progressive', []],
    ]);
    // The legal bounds apply to each, the first as much as the second.
    expect(campaigns.map((c) => c.abandonTarget)).toEqual([0.03, 0.03]);
    expect(campaigns[1].abandonWindowHours).toBe(24);
  });
});
