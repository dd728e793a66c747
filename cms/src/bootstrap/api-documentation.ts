import type { Core } from '@strapi/strapi';

/**
 * The documentation plugin writes the OpenAPI document at start-up only
 * outside production; in production it expects a document generated during
 * development and shipped under dist/, which `strapi build` does not produce.
 * `npm start` runs in production, so /documentation answered 404. Generating
 * it at every production start also keeps it true to the running code.
 */
export async function ensureApiDocumentation(strapi: Core.Strapi): Promise<void> {
  if (strapi.config.environment !== 'production') return;
  const documentation = strapi.plugin('documentation')?.service('documentation') as any;
  if (documentation) await documentation.generateFullDoc();
}
