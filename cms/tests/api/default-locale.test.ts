/**
 * Strapi's i18n default locale, read from the core store table on every document write that
 * carries relations, is kept in memory until an admin sets another. A booted cms on PostgreSQL,
 * the dialer's record PUT over HTTP, the statements PostgreSQL is sent.
 */
import type { Core } from '@strapi/strapi';
import { http as api, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let token: string;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'locale');
  token = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
});
afterAll(() => stopStrapi(strapi));

it('reads the default locale once for many writes, and anew when an admin sets another', async () => {
  const reads: unknown[] = [];
  const watch = (q: { sql: string; bindings?: unknown[] }) => {
    if (q.sql.includes('strapi_core_store_settings') && (q.bindings ?? []).includes('plugin_i18n_default_locale')) reads.push(q.bindings);
  };
  strapi.db.connection.on('query', watch);
  try {
    for (let i = 0; i < 5; i++) {
      const res = await api(strapi)
        .put(`/api/calls/attempts/${w.prefix}-locale-${i}`)
        .set({ Authorization: `Bearer ${token}` })
        .send({ data: { account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, phone: w.accounts.a1.phones[0].number, direction: 'outbound', outcome: 'no_answer' } });
      expect(res.status).toBe(201);
    }
    // Five calls with their links and audit entries: Strapi asked for the default locale several times for each.
    expect(reads.length).toBeLessThanOrEqual(1);

    const locales = strapi.plugin('i18n').service('locales') as any;
    const before = await locales.getDefaultLocale();
    if (!(await locales.findByCode('fr'))) await locales.create({ code: 'fr', name: 'French (fr)' });
    await locales.setDefaultLocale({ code: 'fr' });
    expect(await locales.getDefaultLocale()).toBe('fr');
    await locales.setDefaultLocale({ code: before });
    expect(await locales.getDefaultLocale()).toBe(before);
  } finally {
    strapi.db.connection.off('query', watch);
  }
});
