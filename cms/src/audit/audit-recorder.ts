import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { actorOf } from './actor';
import { diffDocuments } from './document-diff';
import { AUDIT_LOG_UID, DOCUMENT_AUDITED, ROW_AUDITED } from './audited-types';

const WRITE_ACTIONS: Record<string, 'create' | 'update' | 'delete'> = { create: 'create', clone: 'create', update: 'update', delete: 'delete' };

/** Populate (the query engine's) that loads every relation as its documentId and every component in full. */
function snapshotPopulate(attributes: Record<string, any>) {
  const populate: Record<string, any> = {};
  for (const [name, attr] of Object.entries(attributes)) {
    if (attr.type === 'relation') populate[name] = { select: ['documentId'] };
    else if (attr.type === 'component' || attr.type === 'dynamiczone' || attr.type === 'media') populate[name] = true;
  }
  return populate;
}

function clientOf(uid: string, doc: any): string | null {
  if (!doc) return null;
  if (uid === 'api::client.client') return doc.documentId ?? null;
  return doc.client?.documentId ?? null;
}

export function registerAuditTrail(strapi: Core.Strapi) {
  const audit = () => strapi.service(AUDIT_LOG_UID) as any;
  const requestCtx = () => strapi.requestContext.get() as any;

  // The chain only grows through the audit service; no API, panel or service may rewrite it.
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid === AUDIT_LOG_UID && ['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft'].includes(ctx.action)) {
      throw new errors.PolicyError('The audit log is append-only');
    }
    return next();
  });
  strapi.db.lifecycles.subscribe({
    models: [AUDIT_LOG_UID],
    beforeUpdate() { throw new errors.PolicyError('The audit log is append-only'); },
    beforeUpdateMany() { throw new errors.PolicyError('The audit log is append-only'); },
    beforeDelete() { throw new errors.PolicyError('The audit log is append-only'); },
    beforeDeleteMany() { throw new errors.PolicyError('The audit log is append-only'); },
  });

  strapi.documents.use(async (ctx, next) => {
    const action = WRITE_ACTIONS[ctx.action];
    if (!action || !DOCUMENT_AUDITED.has(ctx.uid)) return next();
    const uid = ctx.uid;
    const attributes = strapi.contentTypes[uid].attributes as Record<string, any>;
    const populate = snapshotPopulate(attributes);
    // Through the query engine, not the document service: no audited type has drafts or locales, so it is the
    // same row, without the service's middlewares and parameter transforms twice per write.
    const load = (documentId: string) => strapi.db.query(uid as any).findOne({ where: { documentId }, populate } as any);
    const params = ctx.params as any;

    return strapi.db.transaction(async () => {
      const before = action === 'create' ? null : await load(params.documentId);
      const result: any = await next();
      if (action !== 'create' && !before) return result;
      const documentId = action === 'create' ? result?.documentId : params.documentId;
      const after = action === 'delete' ? null : documentId ? await load(documentId) : null;
      const changes = diffDocuments(attributes, before, after);
      if (action === 'update' && Object.keys(changes).length === 0) return result;
      const rc = requestCtx();
      await audit().append({
        actor: actorOf(rc),
        action,
        entity: uid,
        entityDocumentId: documentId ?? null,
        clientDocumentId: clientOf(uid, after ?? before),
        changes,
        requestId: rc?.state?.requestId ?? null,
      });
      return result;
    });
  });

  const rowQuery = (uid: string) => strapi.db.query(uid as any);
  const rowPopulate = (uid: string) => {
    const attributes = strapi.getModel(uid as any).attributes as Record<string, any>;
    const populate: Record<string, any> = {};
    for (const [name, attr] of Object.entries(attributes)) {
      if (attr.type === 'relation' && !name.startsWith('created') && !name.startsWith('updated')) populate[name] = { select: ['id', 'documentId'] };
    }
    return populate;
  };
  const record = async (uid: string, action: 'create' | 'update' | 'delete', before: any, after: any) => {
    const attributes = strapi.getModel(uid as any).attributes as Record<string, any>;
    const changes = diffDocuments(attributes, before, after);
    if (action === 'update' && Object.keys(changes).length === 0) return;
    const rc = requestCtx();
    await audit().append({
      actor: actorOf(rc),
      action,
      entity: uid,
      entityDocumentId: (after ?? before)?.documentId ?? String((after ?? before)?.id ?? ''),
      clientDocumentId: null,
      changes,
      requestId: rc?.state?.requestId ?? null,
    });
  };
  const fetchRows = (uid: string, where: any) => rowQuery(uid).findMany({ where, populate: rowPopulate(uid) });

  // One or many rows alike: the rows a where clause matches are read before the write and compared after it.
  async function rememberBefore(event: any) {
    event.state.before = await fetchRows(event.model.uid, event.params.where);
  }
  async function recordUpdates(event: any) {
    for (const before of event.state.before ?? []) {
      const after = await rowQuery(event.model.uid).findOne({ where: { id: before.id }, populate: rowPopulate(event.model.uid) });
      await record(event.model.uid, 'update', before, after);
    }
  }
  async function recordDeletes(event: any) {
    for (const before of event.state.before ?? []) await record(event.model.uid, 'delete', before, null);
  }

  strapi.db.lifecycles.subscribe({
    models: ROW_AUDITED,
    async afterCreate(event: any) {
      const row = await rowQuery(event.model.uid).findOne({ where: { id: event.result.id }, populate: rowPopulate(event.model.uid) });
      await record(event.model.uid, 'create', null, row);
    },
    async afterCreateMany(event: any) {
      const ids = event.result?.ids ?? [];
      if (!ids.length) return;
      for (const row of await fetchRows(event.model.uid, { id: { $in: ids } })) await record(event.model.uid, 'create', null, row);
    },
    beforeUpdate: rememberBefore,
    beforeUpdateMany: rememberBefore,
    afterUpdate: recordUpdates,
    afterUpdateMany: recordUpdates,
    beforeDelete: rememberBefore,
    beforeDeleteMany: rememberBefore,
    afterDelete: recordDeletes,
    afterDeleteMany: recordDeletes,
  });
}
