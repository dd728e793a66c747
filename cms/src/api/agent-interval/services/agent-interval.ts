import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::agent-interval.agent-interval');
