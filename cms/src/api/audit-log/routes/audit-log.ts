import { factories } from '@strapi/strapi';

// Read-only over REST: the chain only grows through the audit service.
export default factories.createCoreRouter('api::audit-log.audit-log', {
  only: ['find', 'findOne'],
});
