import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::promise-to-pay.promise-to-pay');
