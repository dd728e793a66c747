import type { Core } from '@strapi/strapi';
import { asSystem } from './audit/actor';
import { registerAuditTrail } from './audit/audit-recorder';
import { ensureIndexes } from './bootstrap/indexes';
import { ensureApiDocumentation } from './bootstrap/api-documentation';
import { seedRoles } from './bootstrap/roles';
import { seedDispositions } from './bootstrap/dispositions';
import { ensureDemoWorkerToken, printDemoLogins, seedDemo } from './bootstrap/demo-seed';
import { isDemoMode } from './security/secrets';
import { registerValidation } from './validation/validation-middleware';
import { registerWriteGuard } from './access/write-guard';
import { registerConsentRules } from './validation/consent-middleware';
import { registerDispositionEffects } from './dialing/disposition-middleware';
import { revokeSessionsOfBlockedUsers } from './extensions/users-permissions/session-lifecycle';
import { registerDataChanges } from './live/data-change-publisher';
import { registerPaymentEffects } from './payments/payment-effects';
import { schedulePromiseJob } from './payments/promise-job';
import { ensureCallRollup } from './reports/kpi-call-rollup';
import { ImportQueue } from './imports/import-queue';
import { authCacheOf } from './access/auth-cache';
import { invalidationBusOf } from './scale/invalidation-bus';
import { allowPlainReads } from './scale/plain-reads';
import { acquireBootLock } from './scale/boot-lock';
import { closeProviderPops } from './telephony/provider-pop-publisher';
import { cacheApiTokenLookups } from './extensions/users-permissions/cached-authentication';
import { skipUnheardEntryEvents } from './scale/unheard-entry-events';
import { cacheDefaultLocale } from './scale/default-locale-cache';
import { buildRequestMiddlewaresOnce } from './scale/request-middlewares';

// Per instance: a test may boot two in one process.
const stopDataChanges = new WeakMap<object, () => Promise<void>>();

const bootLocks = new WeakMap<object, () => Promise<void>>();
const importQueues = new WeakMap<object, ImportQueue>();

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // Before Strapi syncs the schema: one process boots at a time (several cms processes share a database).
    bootLocks.set(strapi, await acquireBootLock(strapi));
    // Before any repository is built and any webhook listens (the webhooks load at bootstrap).
    skipUnheardEntryEvents(strapi);
    // Rights first, then validation: a write that fails either never opens the audit transaction.
    registerWriteGuard(strapi);
    registerValidation(strapi);
    registerConsentRules(strapi);
    registerAuditTrail(strapi);
    registerDispositionEffects(strapi);
    registerPaymentEffects(strapi);
    revokeSessionsOfBlockedUsers(strapi);
    stopDataChanges.set(strapi, registerDataChanges(strapi));
    // Now, so that its lifecycle hook and its link to the other processes are up before the first request.
    authCacheOf(strapi);
    allowPlainReads(strapi);
    cacheDefaultLocale(strapi);
    buildRequestMiddlewaresOnce(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await importQueues.get(strapi)?.stop();
    await stopDataChanges.get(strapi)?.();
    await bootLocks.get(strapi)?.();
    await invalidationBusOf(strapi).close();
    (strapi.config.get('plugin::users-permissions.ratelimit') as any)?.store?.close?.();
    closeProviderPops();
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    try {
      await bootstrapOnce(strapi);
    } finally {
      await bootLocks.get(strapi)?.();
    }
    schedulePromiseJob(strapi);
    // Imports left queued or running by a stopped process resume from their committed cursor.
    const importQueue = new ImportQueue(strapi);
    importQueues.set(strapi, importQueue);
    (strapi as any).importQueue = importQueue;
    await importQueue.start();
  },
};

/** Indexes, roles, dispositions and the demo seed: idempotent, and run under the boot lock. */
async function bootstrapOnce(strapi: Core.Strapi) {
  cacheApiTokenLookups(strapi);
  await ensureIndexes(strapi);
  await ensureCallRollup(strapi);
  await ensureApiDocumentation(strapi);
  await asSystem('bootstrap', async () => {
    await seedRoles(strapi);
    await seedDispositions(strapi);
  });
  if (isDemoMode()) {
    const report = await asSystem('demo-seed', () => seedDemo(strapi));
    await ensureDemoWorkerToken(strapi);
    printDemoLogins(strapi, report);
    // Again once Strapi's own start-up banner has scrolled past, so the logins are the last thing on screen.
    strapi.server.httpServer.once('listening', () => setTimeout(() => printDemoLogins(strapi, report), 1000).unref());
  }
}
