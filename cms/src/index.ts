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
import { closeProviderPops } from './telephony/provider-pop-publisher';

let stopDataChanges: () => Promise<void> = async () => undefined;

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // Rights first, then validation: a write that fails either never opens the audit transaction.
    registerWriteGuard(strapi);
    registerValidation(strapi);
    registerConsentRules(strapi);
    registerAuditTrail(strapi);
    registerDispositionEffects(strapi);
    revokeSessionsOfBlockedUsers(strapi);
    stopDataChanges = registerDataChanges(strapi);
  },

  async destroy() {
    await stopDataChanges();
    closeProviderPops();
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureIndexes(strapi);
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
  },
};
