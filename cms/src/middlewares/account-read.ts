import type { Core } from '@strapi/strapi';
import { resolveAccess } from '../access/access-context';
import { readAccount } from '../api/account/account-fast-read';

/**
 * An agent's console reads the account on screen again and again
 * (GET /api/accounts/:documentId, alone or with `populate=phones`): the most
 * frequent request of a busy floor. Through Strapi that read cost ~3 ms of CPU
 * (route matching, query validation and sanitising, the document service's
 * query building, two or three statements, the output sanitiser). Here it is
 * one SQL statement, with the same authentication (Strapi's own, for the same
 * route), the same scope rules (scopeFilter) and the same JSON
 * (tests/api/account-fast-read.test.ts compares both paths request by request).
 *
 * Measured in-process (2,000 sequential keep-alive reads, process.cpuUsage of
 * the server alone, log level warn) on 2 cores under a concurrent full test
 * run (load average 6-20): 2.7-4.2 ms of CPU a read here against 7.4-9.2 ms
 * through Strapi in the same run. An agent's live-call accounts (which the
 * rules open to the agent on the call) are a subquery of that statement, not a
 * statement before it: one round trip to PostgreSQL a read.
 *
 * Anything else goes on to the generic path untouched: another query string,
 * another token kind, a refused permission, an unknown or unseen account (its
 * 404 is Strapi's), a scope or model this reader does not spell out.
 */

const QUERIES = new Map<string, boolean>([
  ['', false],
  ['populate=phones', true],
]);
/** users-permissions' JWTs; API tokens (hex) and anonymous requests keep the generic path. */
const JWT_BEARER = /^bearer\s+[\w-]+\.[\w-]+\.[\w-]+\s*$/i;
const HANDLER = 'api::account.account.findOne';

type Layer = { path: string; methods: string[]; stack: Array<(...args: any[]) => unknown>; match(path: string): boolean };

/** koa-router's answer to a wrong method: it acts only on a request no route answered (status 404). */
const onlyAllowedMethods = (layer: Layer) => layer.stack.every((fn) => fn.name === 'allowedMethods');
type Setup = { route: any; path: RegExp; earlier: Layer[] } | null;

const enabled = new WeakMap<object, boolean>();
const counters = new WeakMap<object, { fast: number; generic: number }>();

/** Tests send the same request down both paths. */
export function setAccountFastPath(strapi: Core.Strapi, on: boolean): void {
  enabled.set(strapi, on);
}

/** How many account reads each path answered (or took over, for `generic`). */
export function accountReadCounters(strapi: Core.Strapi): { fast: number; generic: number } {
  let c = counters.get(strapi);
  if (!c) counters.set(strapi, (c = { fast: 0, generic: 0 }));
  return c;
}

/**
 * The core findOne route of accounts as Strapi registered it, and the
 * content-API layers registered before it that a GET could match first (a
 * custom route such as /accounts/agents): a path one of them matches is not a
 * read of an account. Null (no fast path at all) when the route carries
 * policies or middlewares, the database is not PostgreSQL, or a router-level middleware precedes it (other
 * than koa-router's allowedMethods, which leaves an answered request alone).
 */
function setupOf(strapi: Core.Strapi): Setup {
  // The reader's SQL is PostgreSQL's: on SQLite (the demo's) every read is Strapi's, without authenticating twice.
  if ((strapi.db as any).dialect?.client !== 'postgres') return null;
  const routers: Record<string, any> = (strapi as any).api('account')?.routes ?? {};
  const route = Object.values(routers)
    .flatMap((router: any) => router?.routes ?? [])
    .find((r: any) => r.method === 'GET' && r.path === '/accounts/:id' && r.handler === HANDLER);
  if (!route || route.config?.policies?.length || route.config?.middlewares?.length || route.config?.auth === false) return null;
  const prefix = String(strapi.config.get('api.rest.prefix', '/api'));
  const layers: Layer[] = (strapi.server as any).api('content-api').listRoutes();
  const index = layers.findIndex((l) => l.path === `${prefix}/accounts/:id` && l.methods.includes('GET'));
  if (index < 0) return null;
  const before = layers.slice(0, index);
  if (before.some((l) => l.methods.length === 0 && !onlyAllowedMethods(l))) return null;
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { route, path: new RegExp(`^${escaped}/accounts/([a-z0-9]{1,64})$`), earlier: before.filter((l) => l.methods.includes('GET')) };
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let setup: Setup | undefined;
  return async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method !== 'GET' || !QUERIES.has(ctx.querystring) || enabled.get(strapi) === false) return next();
    if (setup === undefined) setup = setupOf(strapi);
    const match = setup?.path.exec(ctx.path);
    if (!setup || !match || !JWT_BEARER.test(ctx.request.header.authorization ?? '')) return next();
    if (setup.earlier.some((layer) => layer.match(ctx.path))) return next();

    const stateBefore = new Set(Reflect.ownKeys(ctx.state));
    const generic = () => {
      // As the router would find it: nothing of this attempt left on the request.
      for (const key of Reflect.ownKeys(ctx.state)) if (!stateBefore.has(key)) delete ctx.state[key];
      accountReadCounters(strapi).generic++;
      return next();
    };

    // What Strapi's route does first: route info, then its authentication.
    ctx.state.route = { ...setup.route, config: setup.route.config || {} };
    const auth: any = strapi.get('auth');
    let authenticated = false;
    await auth.authenticate(ctx, async () => {
      authenticated = true;
    });
    // Refused: the answer authenticate() gave is the one the route gives.
    if (!authenticated) return;
    if (ctx.state.auth?.strategy?.name !== 'users-permissions') return generic();
    try {
      await auth.verify(ctx.state.auth, ctx.state.route.config.auth);
    } catch {
      return generic();
    }
    const access = resolveAccess(strapi, ctx);
    if (access.kind !== 'scoped' || access.role === 'none') return generic();
    const read = await readAccount(strapi, match[1], QUERIES.get(ctx.querystring)!, access);
    if ('unsupported' in read || !read.found) return generic();
    accountReadCounters(strapi).fast++;
    ctx.body = { data: read.data, meta: {} };
  };
};
