import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::promise-to-pay.promise-to-pay');
