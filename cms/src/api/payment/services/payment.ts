import { factories } from '@strapi/strapi';
import { runPromiseJob } from '../../../payments/promise-job';

export default factories.createCoreService('api::payment.payment', ({ strapi }) => ({
  /** The hourly promise job, run now (what the schedule calls; tests and operators call it too). */
  evaluatePromises(now?: Date) {
    return runPromiseJob(strapi, now);
  },
}));
