import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';

// `npm start` (scripts/start.js) runs cms with NODE_ENV=production on a fresh `strapi build`; so does this file.
const APP_DIR = path.resolve(__dirname, '..', '..');
const saved = process.env.NODE_ENV;
let strapi: Core.Strapi;

beforeAll(async () => {
  process.env.NODE_ENV = 'production';
  // What `strapi build` leaves: no OpenAPI document under dist/ (one from an earlier start would hide the break).
  fs.rmSync(path.join(APP_DIR, 'dist', 'src', 'extensions', 'documentation'), { recursive: true, force: true });
  strapi = await startStrapi();
});
afterAll(async () => {
  await stopStrapi(strapi);
  process.env.NODE_ENV = saved;
});

describe('/documentation as npm start serves it', () => {
  it('runs in production, as the start script does', () => {
    expect(strapi.config.environment).toBe('production');
    expect(fs.readFileSync(path.join(APP_DIR, '..', 'scripts', 'start.js'), 'utf8')).toMatch(/NODE_ENV: process\.env\.NODE_ENV \|\| 'production'/);
  });

  it('serves the OpenAPI document of this API without a login', async () => {
    const res = await http(strapi).get('/documentation');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const spec = JSON.parse(/spec: (\{.*\}),\n/.exec(res.text)![1]);
    expect(spec).toMatchObject({ openapi: '3.0.0', info: { title: 'Collections CRM API' } });
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/accounts', '/accounts/{id}', '/campaigns', '/calls', '/auth/local']));
  });

  it('lets a browser run the page: its inline bootstrap script is allowed by the CSP, and only there', async () => {
    const page = await http(strapi).get('/documentation');
    const scriptSrc = (policy: string) => /(?:^|;)\s*script-src ([^;]*)/.exec(policy)?.[1];
    expect(scriptSrc(page.headers['content-security-policy'])).toMatch(/'unsafe-inline'/);
    const api = await http(strapi).get('/api/dispositions');
    expect(scriptSrc(api.headers['content-security-policy'])).toBe("'self'");
    const asset = await http(strapi).get('/plugins/documentation/swagger-ui-bundle.js');
    expect([asset.status, asset.headers['content-type']]).toEqual([200, expect.stringMatching(/javascript/)]);
  });
});
