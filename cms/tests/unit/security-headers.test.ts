import http from 'http';
import net from 'net';
import security from '../../src/scale/security-middleware';
import middlewares from '../../config/middlewares';
import { requireFromStrapiCore } from '../../src/scale/strapi-core';

// Strapi's own strapi::security, which security-middleware.ts stands in for.
const { security: strapiSecurity } = requireFromStrapiCore('./middlewares/security.js');

type Middleware = (ctx: any, next: () => Promise<void>) => Promise<void>;

const ourConfig = (middlewares({ env: Object.assign(() => undefined, { array: (_k: string, d: unknown) => d, int: (_k: string, d: unknown) => d }) } as any) as any[]).find(
  (m) => typeof m === 'object' && m.name === 'strapi::security',
)?.config;

/** A Strapi with or without GraphQL's playground, as the middleware asks it. */
const strapiWith = (playground: boolean): any => ({
  plugin: (name: string) =>
    name === 'graphql' && playground ? { service: () => ({ playground: { isEnabled: () => true } }), config: () => '/graphql' } : undefined,
  config: { get: (key: string) => (key === 'admin.path' ? '/admin' : undefined) },
});

/** The headers a middleware sets on a real Node response before it hands the request on. */
async function headersOf(middleware: Middleware, method: string, path: string) {
  const req = new http.IncomingMessage(new net.Socket());
  req.method = method;
  req.url = path;
  const res = new http.ServerResponse(req);
  let nextCalled = false;
  await middleware({ method, path, req, res }, async () => {
    nextCalled = true;
  });
  return { nextCalled, headers: res.getHeaders() };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'];
const PATHS = ['/api/accounts/abc', '/', '/documentation', '/documentation/v1.0.0', '/documentationx', '/admin', '/admin/auth/login', '/administrator', '/graphql', '/graphql/x'];
const CONFIGS: Array<[string, object | undefined]> = [
  ['config/middlewares.ts', ourConfig],
  ['no configuration', undefined],
  ['a CSP directive added', { contentSecurityPolicy: { directives: { 'script-src': ["'self'", 'example.com'] } } }],
];

describe('strapi::security as this cms builds it (security-middleware.ts) sets the headers Strapi\'s own sets', () => {
  const env = process.env.NODE_ENV;
  afterAll(() => {
    process.env.NODE_ENV = env;
  });

  it('has read this repository\'s configuration', () => {
    expect(ourConfig).toMatchObject({ frameguard: { action: 'deny' } });
  });

  const cases: Array<[string, string, string, boolean, string, string]> = [];
  for (const nodeEnv of ['production', 'development', 'test'])
    for (const playground of [false, true])
      for (const [configName] of CONFIGS)
        cases.push([nodeEnv, configName, playground ? 'with' : 'without', playground, nodeEnv, configName]);

  it.each(cases)('NODE_ENV=%s, %s, %s a GraphQL playground: every method and path', async (_e, _c, _p, playground, nodeEnv, configName) => {
    process.env.NODE_ENV = nodeEnv;
    const config = CONFIGS.find(([name]) => name === configName)![1];
    const strapi = strapiWith(playground);
    const theirs: Middleware = strapiSecurity(config, { strapi });
    const ours: Middleware = security(config as object, { strapi });
    let compared = 0;
    // Twice over, so that the second round is served by the helmet middleware built in the first.
    for (let round = 0; round < 2; round++)
      for (const method of METHODS)
        for (const path of PATHS) {
          const expected = await headersOf(theirs, method, path);
          const actual = await headersOf(ours, method, path);
          expect({ method, path, ...actual }).toEqual({ method, path, ...expected });
          expect(actual.nextCalled).toBe(true);
          compared++;
        }
    expect(compared).toBe(2 * METHODS.length * PATHS.length);
  });

  it('tells the kinds apart (the cache is keyed by what changes the headers)', async () => {
    process.env.NODE_ENV = 'development';
    const ours: Middleware = security(ourConfig, { strapi: strapiWith(true) });
    const csp = async (method: string, path: string) => (await headersOf(ours, method, path)).headers['content-security-policy'];
    const api = await csp('GET', '/api/accounts/abc');
    const docs = await csp('GET', '/documentation');
    const admin = await csp('GET', '/admin');
    const playground = await csp('GET', '/graphql');
    expect(new Set([api, docs, admin]).size).toBe(3);
    expect(docs).toContain('cdn.jsdelivr.net');
    expect(admin).toContain('ws:');
    expect(playground).toBe(docs);
    expect(await csp('POST', '/documentation')).toBe(api);
  });
});
