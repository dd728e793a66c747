import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::dnc-entry.dnc-entry');
