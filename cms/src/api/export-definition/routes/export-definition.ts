import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::export-definition.export-definition');
