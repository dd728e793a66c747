import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Access } from './access-context';
import { and, scopeFilter, writeScopeFilter } from './scope-rules';
import { plainRead } from '../scale/plain-reads';

/** 404 unless the document exists within the reader's scope: out of scope looks exactly like absent. */
export async function assertVisible(strapi: Core.Strapi, uid: string, documentId: string, access: Access, purpose: 'read' | 'write' = 'read'): Promise<void> {
  const scope = purpose === 'write' ? await writeScopeFilter(uid, access) : await scopeFilter(uid, access);
  const found = await plainRead(() => strapi.documents(uid as any).findFirst({ filters: and({ documentId }, scope), fields: ['documentId'] } as any));
  if (!found) throw new errors.NotFoundError('Not Found');
}
