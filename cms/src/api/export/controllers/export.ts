import { errors } from '@strapi/utils';
import { resolveAccess } from '../../../access/access-context';
import { and, scopeFilter } from '../../../access/scope-rules';
import { scopedController } from '../../../access/scoped-controller';
import { actorOf } from '../../../audit/actor';
import { ExportError } from '../../../exports/export-error';
import { planExport, type SavedDefinition } from '../../../exports/export-request';
import { startExport } from '../../../exports/export-runner';

const DEFINITION_UID = 'api::export-definition.export-definition';

// `find` is the owner-scoped history; `download` streams a file.
export default scopedController('api::export.export', ({ strapi }) => ({
  async download(ctx) {
    const access = resolveAccess(strapi, ctx);
    try {
      let definition: SavedDefinition | null = null;
      const definitionId = ctx.query?.definition;
      if (definitionId !== undefined) {
        if (typeof definitionId !== 'string') throw new ExportError('BAD_DEFINITION', 'definition is the documentId of a saved export definition', 'definition');
        definition = await strapi.documents(DEFINITION_UID).findFirst({ filters: and({ documentId: definitionId }, await scopeFilter(DEFINITION_UID, access)) } as any);
        if (!definition) throw new errors.NotFoundError('Export definition not found');
      }
      const plan = await planExport(strapi, ctx, access, definition);
      const started = await startExport(strapi, plan, access, actorOf(ctx), ctx.state?.requestId ?? null, new Date());
      ctx.set('Content-Disposition', `attachment; filename="${started.fileName}"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.type = started.contentType;
      ctx.body = started.body;
    } catch (error: any) {
      if (error instanceof ExportError) throw new errors.ValidationError(error.message, { code: error.code, name: error.subject, errors: [{ path: [error.subject ?? 'file'], message: error.message, name: 'ValidationError' }] });
      throw error;
    }
  },
}));
