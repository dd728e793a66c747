import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::export-definition.export-definition');
