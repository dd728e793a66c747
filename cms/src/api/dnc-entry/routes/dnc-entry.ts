import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::dnc-entry.dnc-entry');
