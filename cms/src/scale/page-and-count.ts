import type { Core } from '@strapi/strapi';
import { requireFromStrapiCore } from './strapi-core';

// Strapi's own collection-type service and pagination helpers (not exported by @strapi/core).
const { CollectionTypeService } = requireFromStrapiCore('./core-api/service/collection-type.js');
const pagination = requireFromStrapiCore('./core-api/service/pagination.js');

/**
 * A list page as the service's `find` answers it, with the page's rows and the total asked of
 * PostgreSQL together rather than one after the other: on a supervisor's filtered accounts list
 * (100,000 accounts) each takes 20–30 ms, and the second waited for the first. Both are reads on
 * their own connections; under READ COMMITTED each already had its own snapshot. A service whose
 * `find` is its own keeps it.
 */
export async function findPage(strapi: Core.Strapi, uid: string, params: Record<string, unknown>): Promise<{ results: any[]; pagination: unknown }> {
  const service: any = strapi.service(uid as any);
  if (service.find !== CollectionTypeService.prototype.find) return service.find(params);
  const fetchParams = service.getFetchParams(params);
  const paginationInfo = pagination.getPaginationInfo(fetchParams);
  const isPaged = pagination.isPagedPagination(fetchParams.pagination);
  const documents: any = strapi.documents(uid as any);
  const [results, count] = await Promise.all([
    documents.findMany({ ...fetchParams, ...paginationInfo }),
    pagination.shouldCount(fetchParams) ? documents.count({ ...fetchParams, ...paginationInfo }) : undefined,
  ]);
  if (count !== undefined && typeof count !== 'number') throw new Error('Count should be a number');
  return { results, pagination: pagination.transformPaginationResponse(paginationInfo, count, isPaged) };
}
