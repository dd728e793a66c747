/**
 * cms's import endpoints as the Imports page calls them: uploads are multipart (the data
 * provider speaks JSON only), the error file is fetched with the session's token and handed to
 * the browser's downloads, as the Exports page does.
 */
import type { HttpError } from '@refinedev/core';
import { toHttpError } from '@/providers/strapi-errors';
import type { ImportKind } from './import-mapping';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type ImportRun = {
  documentId: string;
  status: ImportStatus;
  kind: ImportKind;
  mode: 'dry-run' | 'commit';
  onDuplicate: 'skip' | 'update';
  client: { documentId: string; name: string } | null;
  startedBy: { username: string } | null;
  retryOf: string | null;
  fileName: string;
  fileSize: number;
  mapping: Record<string, string | null> | null;
  columns: Array<{ header: string; field: string | null }> | null;
  totalRows: number;
  processedRows: number;
  progress: number;
  createdCount: number;
  updatedCount: number;
  skippedCount: number;
  errorCount: number;
  warningCount: number;
  cancelRequested: boolean;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};
export type ImportProblem = { row: number; severity: 'error' | 'warning'; column: string | null; field: string | null; code: string; message: string; rawValue: string | null };
/** How many problems of one code on one field (null: the row's, not a field's). */
export type ProblemKind = { code: string; severity: 'error' | 'warning'; field: string | null; count: number };
/** `field: null` asks for the problems of no field; absent, any field. */
export type ProblemFilter = { severity?: 'error' | 'warning'; code?: string; field?: string | null };
export type ImportTemplate = { documentId: string; name: string; kind: ImportKind; mapping: Record<string, string | null>; client: { documentId: string; name: string } | null };

/** cms's refusal of an upload; `columns`: the file's headers, when a required one is missing. */
export type ImportRefusal = HttpError & { columns?: string[] };

export const isRunning = (status: ImportStatus | undefined) => status === 'queued' || status === 'running';

export type ImportUpload = {
  file: File;
  client?: string;
  kind?: ImportKind;
  mode: 'dry-run' | 'commit';
  onDuplicate?: 'skip' | 'update';
  mapping?: Record<string, string | null> | null;
  template?: string | null;
};

export function importsApi(cmsUrl: string, token: () => string | null) {
  const api = `${cmsUrl.replace(/\/$/, '')}/api/imports`;
  const headers = () => ({ Accept: 'application/json', Authorization: `Bearer ${token()}` });

  async function send<T>(url: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { ...headers(), ...(init.headers ?? {}) } });
    } catch {
      throw { message: 'cms is not reachable', statusCode: 0 } satisfies HttpError;
    }
    const json = await res.json().catch(() => null);
    if (!res.ok) {
      const refusal: ImportRefusal = toHttpError(res.status, json);
      // A file missing a required column: cms names its columns, for the page to map a workbook it cannot read.
      const columns = json?.error?.details?.columns;
      if (Array.isArray(columns)) refusal.columns = columns.map(String);
      throw refusal;
    }
    return json as T;
  }

  function form(upload: ImportUpload): FormData {
    const body = new FormData();
    for (const key of ['client', 'kind', 'mode', 'onDuplicate', 'template'] as const) {
      const value = upload[key];
      if (value) body.set(key, value);
    }
    if (upload.mapping && Object.keys(upload.mapping).length) body.set('mapping', JSON.stringify(upload.mapping));
    body.set('file', upload.file, upload.file.name);
    return body;
  }

  return {
    start: async (upload: ImportUpload) => (await send<{ data: ImportRun }>(api, { method: 'POST', body: form(upload) })).data,
    /** A corrected file as a new import of the same client and settings (those given here win). */
    retry: async (id: string, upload: ImportUpload) => (await send<{ data: ImportRun }>(`${api}/${encodeURIComponent(id)}/retry`, { method: 'POST', body: form(upload) })).data,
    get: async (id: string) => (await send<{ data: ImportRun }>(`${api}/${encodeURIComponent(id)}`)).data,
    cancel: async (id: string) => (await send<{ data: ImportRun }>(`${api}/${encodeURIComponent(id)}/cancel`, { method: 'POST' })).data,
    /** One page of an import's problems, filtered; `meta.byKind` counts all of them by code, severity and field. */
    problems: async (id: string, page: number, pageSize: number, filter: ProblemFilter = {}) => {
      const q = new URLSearchParams({ 'pagination[page]': String(page), 'pagination[pageSize]': String(pageSize) });
      if (filter.severity) q.set('severity', filter.severity);
      if (filter.code) q.set('code', filter.code);
      if (filter.field !== undefined) q.set('field', filter.field ?? '');
      return send<{ data: ImportProblem[]; meta: { pagination: { total: number }; byKind: ProblemKind[] } }>(`${api}/${encodeURIComponent(id)}/errors?${q}`);
    },
    templates: async (client: string) => (await send<{ data: ImportTemplate[] }>(`${api}/templates?${new URLSearchParams({ client })}`)).data,
    saveTemplate: async (template: { name: string; client: string; kind: ImportKind; mapping: Record<string, string | null> }) =>
      (await send<{ data: ImportTemplate }>(`${api}/templates`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ data: template }) })).data,
    /** The refused rows as cms writes them, saved by the browser under cms's file name. */
    async downloadErrors(id: string): Promise<number> {
      const res = await fetch(`${api}/${encodeURIComponent(id)}/errors.csv`, { headers: headers() });
      if (!res.ok) throw toHttpError(res.status, await res.json().catch(() => null));
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `import-${id}-errors.csv`;
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return blob.size;
    },
  };
}

export type ImportsApi = ReturnType<typeof importsApi>;
