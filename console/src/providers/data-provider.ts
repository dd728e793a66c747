import type { BaseRecord, DataProvider, HttpError } from '@refinedev/core';
import { toHttpError } from './strapi-errors';
import { listQueryString, recordQueryString } from './strapi-query';

/** Strapi's largest page: getMany asks for ids in chunks of this many. */
const MAX_PAGE_SIZE = 100;

export type StrapiDataProviderOptions = {
  /** cms's address, without `/api`. */
  cmsUrl: string;
  /** The current access token, or null when signed out. */
  token: () => string | null;
  fetch?: typeof fetch;
};

type StrapiRecord = BaseRecord & { documentId?: string };

/** A Strapi 5 record as Refine addresses it: by `documentId`; the numeric row id stays as `entryId`. */
export function toRefineRecord(record: StrapiRecord): BaseRecord {
  if (!record || typeof record !== 'object' || !record.documentId) return record;
  return { ...record, entryId: record.id, id: record.documentId };
}

/**
 * Refine over Strapi 5's REST API: records by documentId, lists with Strapi's pagination, sort
 * and filters, responses unwrapped from `{ data, meta }`, and errors as HttpError with field errors.
 */
export function strapiDataProvider({ cmsUrl, token, fetch: fetchImpl = (...a) => fetch(...a) }: StrapiDataProviderOptions): DataProvider {
  const apiUrl = `${cmsUrl.replace(/\/$/, '')}/api`;

  async function request<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const jwt = token();
    if (jwt) headers.Authorization = `Bearer ${jwt}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`${apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw { message: 'cms is not reachable', statusCode: 0 } satisfies HttpError;
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw toHttpError(res.status, json);
    return json as T;
  }

  const path = (resource: string, id?: string | number) => `/${resource}${id === undefined ? '' : `/${encodeURIComponent(String(id))}`}`;
  const withQuery = (p: string, q: string) => (q ? `${p}?${q}` : p);

  return {
    getApiUrl: () => apiUrl,

    async getList({ resource, pagination, sorters, filters, meta }) {
      const json = await request('GET', withQuery(path(resource), listQueryString({ pagination, sorters, filters, meta })));
      return { data: (json.data ?? []).map(toRefineRecord) as any, total: json.meta?.pagination?.total ?? json.data?.length ?? 0 };
    },

    async getOne({ resource, id, meta }) {
      const json = await request('GET', withQuery(path(resource, id), recordQueryString(meta)));
      return { data: toRefineRecord(json.data) as any };
    },

    async getMany({ resource, ids, meta }) {
      const out: BaseRecord[] = [];
      for (let i = 0; i < ids.length; i += MAX_PAGE_SIZE) {
        const chunk = ids.slice(i, i + MAX_PAGE_SIZE);
        const q = listQueryString({ pagination: { currentPage: 1, pageSize: chunk.length }, filters: [{ field: 'documentId', operator: 'in', value: chunk }], meta });
        const json = await request('GET', withQuery(path(resource), q));
        out.push(...(json.data ?? []).map(toRefineRecord));
      }
      return { data: out as any };
    },

    async create({ resource, variables, meta }) {
      const json = await request('POST', withQuery(path(resource), recordQueryString(meta)), { data: variables });
      return { data: toRefineRecord(json.data) as any };
    },

    async update({ resource, id, variables, meta }) {
      const json = await request('PUT', withQuery(path(resource, id), recordQueryString(meta)), { data: variables });
      return { data: toRefineRecord(json.data) as any };
    },

    async deleteOne({ resource, id }) {
      // Strapi 5 answers 204 without a body.
      await request('DELETE', path(resource, id));
      return { data: { id } as any };
    },

    async custom({ url, method, payload, query }) {
      const q = query ? new URLSearchParams(query as Record<string, string>).toString() : '';
      const target = url.startsWith('http') ? url.replace(apiUrl, '') : url;
      const json = await request(method.toUpperCase(), withQuery(target, q), payload);
      return { data: json };
    },
  };
}
