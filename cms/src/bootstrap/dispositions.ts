import type { Core } from '@strapi/strapi';
import { sharedConfig } from '../shared-config';

type DispositionSpec = { code: string; label: string } & Record<string, boolean | string>;

/** Seeds the default dispositions once, into an empty table; after that they are the admin's to edit. */
export async function seedDispositions(strapi: Core.Strapi): Promise<number> {
  if ((await strapi.documents('api::disposition.disposition').count({})) > 0) return 0;
  const { dispositions } = sharedConfig<{ dispositions: DispositionSpec[] }>('dispositions');
  for (const [i, d] of dispositions.entries()) {
    await strapi.documents('api::disposition.disposition').create({ data: { ...d, sortOrder: i * 10, active: true } as any });
  }
  return dispositions.length;
}
