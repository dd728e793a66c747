import path from 'path';
import request from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';

const APP_DIR = path.resolve(__dirname, '..', '..');

/** Boots the compiled cms (global-setup compiled it) on the test database, with its HTTP server mounted but not listening. */
export async function startStrapi(): Promise<Core.Strapi> {
  const app = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  await app.server.mount();
  return app;
}

export async function stopStrapi(app: Core.Strapi | undefined): Promise<void> {
  if (!app) return;
  await app.destroy();
}

export function http(app: Core.Strapi) {
  return request(app.server.httpServer);
}
