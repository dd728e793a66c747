import type { Core } from '@strapi/strapi';
import { resolveAccess } from '../access/access-context';
import { consentProblems, type ConsentCall, type ConsentWriter } from './consent-rules';
import { throwValidation } from './validation-middleware';

const ACCOUNT = 'api::account.account';
const CALL = 'api::call.call';

/** The writer of the current request; work outside a request (seeds, jobs) is the back office. */
function writerOf(strapi: Core.Strapi): ConsentWriter {
  const ctx = strapi.requestContext.get() as any;
  if (!ctx?.state) return { kind: 'back-office' };
  const access = resolveAccess(strapi, ctx);
  if (access.kind === 'unrestricted' || access.role === 'supervisor') return { kind: 'back-office' };
  // An analyst or a role-less user never gets here through the REST permissions; if one did, the narrowest rule holds.
  return { kind: 'agent', userId: access.userId };
}

async function loadCalls(strapi: Core.Strapi, documentIds: string[]): Promise<Map<string, ConsentCall>> {
  if (!documentIds.length) return new Map();
  const rows = await strapi.db.query(CALL).findMany({
    where: { documentId: { $in: documentIds } },
    select: ['documentId', 'outcome', 'queuedAt', 'dialedAt', 'createdAt'],
    populate: { account: { select: ['documentId'] }, agent: { select: ['id'] } },
  });
  return new Map(rows.map((c: any) => {
    const starts = [c.queuedAt, c.dialedAt, c.createdAt].filter(Boolean).map((d: any) => new Date(d).getTime());
    return [c.documentId, {
      documentId: c.documentId,
      accountDocumentId: c.account?.documentId ?? null,
      agentId: c.agent?.id ?? null,
      outcome: c.outcome,
      startedAt: starts.length ? new Date(Math.min(...starts)) : null,
    }];
  }));
}

/**
 * Applies consent-rules.ts to every write of an account's phones, whichever
 * path it takes (REST, admin panel, document service). Registered after the
 * record validation, which has already put the numbers in E.164: phones are
 * matched by number.
 */
export function registerConsentRules(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== ACCOUNT || (ctx.action !== 'create' && ctx.action !== 'update')) return next();
    const params = ctx.params as any;
    const phones = params.data?.phones;
    if (!Array.isArray(phones)) return next();

    const stored = ctx.action === 'update'
      ? await strapi.db.query(ACCOUNT).findOne({ where: { documentId: params.documentId }, select: ['documentId'], populate: { phones: true } })
      : null;
    const callIds = [...new Set(phones.map((p: any) => p?.consentCallId).filter((id: unknown): id is string => typeof id === 'string' && id !== ''))];
    const problems = consentProblems({
      before: stored?.phones ?? [],
      after: phones,
      accountDocumentId: stored?.documentId ?? null,
      writer: writerOf(strapi),
      calls: await loadCalls(strapi, callIds as string[]),
      now: new Date(),
    });
    if (problems.length) throwValidation(problems);
    return next();
  });
}
