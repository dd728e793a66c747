import { factories } from '@strapi/strapi';

// The history is read-only: rows are written by the download itself.
export default factories.createCoreRouter('api::export.export', { only: ['find'] });
