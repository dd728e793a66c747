import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { resolveAccess } from '../../../access/access-context';
import { and, scopeFilter } from '../../../access/scope-rules';
import { throwValidation } from '../../../validation/validation-middleware';
import { MAX_PAGE_SIZE } from '../../../../config/api';
import { readImportRequest, type ImportRequest } from '../../../imports/import-request';
import { readFileTable } from '../../../imports/file-rows';
import { mapColumns } from '../../../imports/column-mapping';
import { ImportFileError } from '../../../imports/row-problem';
import { formatBytes, importSettings } from '../../../imports/import-settings';
import { csvCell, importView } from '../../../imports/import-view';
import { IMPORT_KINDS } from '../../../imports/import-kinds';
import { newDocumentId } from '../../../imports/document-id';

const UID = 'api::import.import';
const ERROR_UID = 'api::import-error.import-error';
const TEMPLATE_UID = 'api::import-template.import-template';
const CLIENT = 'api::client.client';
const POPULATE = { client: { select: ['documentId', 'name'] }, startedBy: { select: ['username'] } };

const pageParam = (value: unknown, fallback: number, max: number) => {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : fallback;
};
const fileProblem = (message: string) => throwValidation([{ path: ['file'], message, name: 'ValidationError' }]);

export default factories.createCoreController(UID as any, ({ strapi }) => {
  const imports = () => strapi.db.query(UID as any);

  /** The import named in the URL, if the reader's clients include its client; 404 as if absent otherwise. */
  async function visibleImport(ctx: any) {
    const access = resolveAccess(strapi, ctx);
    const row = await imports().findOne({ where: and({ documentId: String(ctx.params.id) }, await scopeFilter(UID, access)), populate: POPULATE } as any);
    if (!row) throw new errors.NotFoundError('Not Found');
    return row;
  }

  /** Checks the upload and its header at once (a bad file is a 400 now, not a failed job later), stores it, and queues its job. */
  async function startImport(ctx: any, request: ImportRequest, retryOf: string | null) {
    const access = resolveAccess(strapi, ctx);
    const client = await strapi.db.query(CLIENT as any).findOne({ where: and({ documentId: request.client }, await scopeFilter(CLIENT, access)), select: ['id', 'documentId'] } as any);
    if (!client) throwValidation([{ path: ['client'], message: 'client refers to a record that does not exist', name: 'ValidationError' }]);
    if (request.template) {
      const template = await strapi.db.query(TEMPLATE_UID as any).findOne({ where: { documentId: request.template, client: { id: client.id } } } as any);
      if (!template) throwValidation([{ path: ['template'], message: 'template refers to a record that does not exist', name: 'ValidationError' }]);
      request.mapping = { ...(template.mapping ?? {}), ...(request.mapping ?? {}) };
      request.kind = template.kind;
    }
    const upload = ctx.request.files?.file;
    if (!upload) fileProblem('file is required (a CSV, TSV or XLSX file sent as multipart form field "file")');
    if (Array.isArray(upload)) fileProblem('send one file per import');
    const settings = importSettings();
    if (upload.size > settings.maxBytes) {
      throw new errors.PayloadTooLargeError(`The file is larger than the import limit of ${formatBytes(settings.maxBytes)} (${settings.maxBytes} bytes)`, { limit: settings.maxBytes });
    }
    const bytes = fs.readFileSync(upload.filepath);
    let columns: Array<{ header: string; field: string | null }>;
    try {
      const table = readFileTable(bytes, request.sheet);
      const mapping = mapColumns(table.headers, request.kind, request.mapping ?? {});
      if (mapping.problems.length) throwValidation(mapping.problems.map((message) => ({ path: ['mapping'], message, name: 'ValidationError' as const })));
      if (mapping.missing.length) {
        const message = `The file has no column for ${mapping.missing.join(', ')} (required); nothing was imported. Its columns: ${table.headers.join(', ')}`;
        // The headers as a list too: the console cannot read a workbook, and maps its columns from these.
        throw new errors.ValidationError(message, { errors: [{ path: ['file'], message, name: 'ValidationError' }], columns: table.headers });
      }
      const first = (table.rows as Iterable<unknown>)[Symbol.iterator]().next();
      if (first.done) throw new ImportFileError('EMPTY_FILE', 'The file has a header row but no data rows');
      columns = table.headers.map((header, i) => ({ header, field: mapping.fields[i] }));
    } catch (error) {
      if (error instanceof ImportFileError) fileProblem(error.message);
      throw error;
    }
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    fs.mkdirSync(settings.dir, { recursive: true });
    const stored = path.join(settings.dir, `${Date.now()}-${crypto.randomBytes(6).toString('hex')}`);
    fs.copyFileSync(upload.filepath, stored);
    fs.rm(upload.filepath, () => undefined);
    const row = await imports().create({
      data: {
        documentId: newDocumentId(), status: 'queued', kind: request.kind, mode: request.mode, onDuplicate: request.onDuplicate, client: client.id,
        startedBy: access.kind === 'scoped' ? access.userId : null, retryOf, fileName: String(upload.originalFilename ?? 'upload').slice(0, 255),
        fileSize: bytes.length, fileSha256: sha256, filePath: stored, sheet: request.sheet, mapping: request.mapping, columns,
        totalRows: 0, processedRows: 0, createdCount: 0, updatedCount: 0, skippedCount: 0, errorCount: 0, warningCount: 0, cursor: 0, cancelRequested: false,
      },
      populate: POPULATE,
    } as any);
    await (strapi as any).importQueue.enqueue(row.id);
    ctx.status = 202;
    ctx.body = { data: importView(row) };
  }

  return {
    async find(ctx: any) {
      const access = resolveAccess(strapi, ctx);
      const q = ctx.query ?? {};
      const page = pageParam(q.pagination?.page, 1, Number.MAX_SAFE_INTEGER);
      const pageSize = pageParam(q.pagination?.pageSize, 25, MAX_PAGE_SIZE);
      const filters: Record<string, unknown>[] = [];
      if (typeof q.client === 'string') filters.push({ client: { documentId: q.client } });
      if (typeof q.status === 'string') filters.push({ status: q.status });
      const where = and(...filters, await scopeFilter(UID, access));
      const [rows, total] = await Promise.all([
        imports().findMany({ where, populate: POPULATE, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], offset: (page - 1) * pageSize, limit: pageSize } as any),
        imports().count({ where } as any),
      ]);
      ctx.body = { data: rows.map(importView), meta: { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } } };
    },

    async findOne(ctx: any) {
      ctx.body = { data: importView(await visibleImport(ctx)) };
    },

    async create(ctx: any) {
      const { request, problems } = readImportRequest(ctx.request.body ?? {});
      if (!request) return throwValidation(problems);
      await startImport(ctx, request, null);
    },

    /** Corrected rows of an import as a new import of the same client and settings; without a file, a failed import resumes. */
    async retry(ctx: any) {
      const original = await visibleImport(ctx);
      if (!ctx.request.files?.file) {
        if (original.status !== 'failed') throwValidation([{ path: ['file'], message: `file is required: a ${original.status} import is retried with a corrected file`, name: 'ValidationError' }]);
        await imports().update({ where: { id: original.id }, data: { status: 'queued', failureCode: null, failureMessage: null, finishedAt: null } } as any);
        await (strapi as any).importQueue.enqueue(original.id);
        ctx.status = 202;
        ctx.body = { data: importView({ ...original, status: 'queued', failureCode: null, failureMessage: null, finishedAt: null }) };
        return;
      }
      const defaults = { client: original.client?.documentId, kind: original.kind, mode: original.mode, onDuplicate: original.onDuplicate, mapping: original.mapping, sheet: original.sheet };
      const { request, problems } = readImportRequest(ctx.request.body ?? {}, defaults);
      if (!request) return throwValidation(problems);
      await startImport(ctx, request, original.documentId);
    },

    async cancel(ctx: any) {
      const row = await visibleImport(ctx);
      if (!['queued', 'running'].includes(row.status)) throwValidation([{ path: ['status'], message: `a ${row.status} import cannot be cancelled`, name: 'ValidationError' }]);
      // A queued import stops here; a running one at its next batch, keeping what it committed.
      const data = row.status === 'queued' ? { cancelRequested: true, status: 'cancelled', finishedAt: new Date() } : { cancelRequested: true };
      await imports().update({ where: { id: row.id }, data } as any);
      ctx.body = { data: importView({ ...row, ...data }) };
    },

    async errors(ctx: any) {
      const row = await visibleImport(ctx);
      const q = ctx.query ?? {};
      const page = pageParam(q.pagination?.page, 1, Number.MAX_SAFE_INTEGER);
      const pageSize = pageParam(q.pagination?.pageSize, 100, MAX_PAGE_SIZE);
      const where: Record<string, unknown> = { importId: row.id };
      if (q.severity === 'error' || q.severity === 'warning') where.severity = q.severity;
      if (typeof q.code === 'string') where.code = q.code;
      // `field=` (empty) asks for the problems of no one field (a row's, such as too many cells).
      if (typeof q.field === 'string') where.field = q.field === '' ? null : q.field;
      const query = strapi.db.query(ERROR_UID as any);
      const [list, total, byKind] = await Promise.all([
        query.findMany({ where, select: ['row', 'severity', 'column', 'field', 'code', 'message', 'rawValue'], orderBy: [{ row: 'asc' }, { id: 'asc' }], offset: (page - 1) * pageSize, limit: pageSize } as any),
        query.count({ where } as any),
        strapi.db.connection((strapi.db.metadata.get(ERROR_UID as any) as any).tableName).where({ import_id: row.id }).groupBy('code', 'severity', 'field').select('code', 'severity', 'field').count({ count: '*' }),
      ]);
      const byCode = new Map<string, { code: string; severity: string; count: number }>();
      for (const r of byKind) {
        const key = `${r.severity}\u0000${r.code}`;
        const sum = byCode.get(key) ?? byCode.set(key, { code: r.code, severity: r.severity, count: 0 }).get(key)!;
        sum.count += Number(r.count);
      }
      ctx.body = {
        data: list,
        meta: {
          pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
          byCode: [...byCode.values()],
          // Whole import, whatever the filters: the page's summary of its problems by kind and field.
          byKind: byKind.map((r: any) => ({ code: r.code, severity: r.severity, field: r.field ?? null, count: Number(r.count) })),
        },
      };
    },

    /** The refused rows as they came, with row, field and error columns: fixed and uploaded again with retry. */
    async errorsCsv(ctx: any) {
      const row = await visibleImport(ctx);
      const headers: string[] = (row.columns ?? []).map((c: any) => c.header);
      const list = await strapi.db.query(ERROR_UID as any).findMany({ where: { importId: row.id, severity: 'error' }, select: ['row', 'field', 'message', 'rawRow'], orderBy: [{ row: 'asc' }, { id: 'asc' }] } as any);
      const byRow = new Map<number, any[]>();
      for (const e of list) (byRow.get(e.row) ?? byRow.set(e.row, []).get(e.row)!).push(e);
      const lines = [[...headers, 'row', 'field', 'error'].map(csvCell).join(',')];
      for (const [n, rowErrors] of byRow) {
        const raw = typeof rowErrors[0].rawRow === 'string' ? JSON.parse(rowErrors[0].rawRow) : rowErrors[0].rawRow ?? {};
        const cells = headers.map((h, i) => raw[h || `column${i + 1}`]);
        lines.push([...cells, n, rowErrors.map((e) => e.field).join('; '), rowErrors.map((e) => e.message).join('; ')].map(csvCell).join(','));
      }
      ctx.set('Content-Disposition', `attachment; filename="import-${row.documentId}-errors.csv"`);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = '\ufeff' + lines.join('\r\n') + '\r\n';
    },

    async templates(ctx: any) {
      const access = resolveAccess(strapi, ctx);
      const filters = typeof ctx.query?.client === 'string' ? { client: { documentId: ctx.query.client } } : null;
      const rows = await strapi.db.query(TEMPLATE_UID as any).findMany({ where: and(filters, await scopeFilter(TEMPLATE_UID, access)), populate: { client: { select: ['documentId', 'name'] } }, orderBy: { name: 'asc' } } as any);
      ctx.body = { data: rows.map((t: any) => ({ documentId: t.documentId, name: t.name, kind: t.kind, mapping: t.mapping, client: t.client ? { documentId: t.client.documentId, name: t.client.name } : null })) };
    },

    /** Saves (or replaces, by name) a client's column mapping for its next files. */
    async saveTemplate(ctx: any) {
      const body = ctx.request.body?.data ?? {};
      const problems: any[] = [];
      if (typeof body.name !== 'string' || !body.name.trim() || body.name.length > 100) problems.push({ path: ['name'], message: 'name is required (at most 100 characters)', name: 'ValidationError' });
      const kind = body.kind ?? 'accounts';
      if (!IMPORT_KINDS.includes(kind)) problems.push({ path: ['kind'], message: `kind must be one of: ${IMPORT_KINDS.join(', ')}`, name: 'ValidationError' });
      const mapping = body.mapping;
      if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping) || Object.values(mapping).some((v) => v !== null && typeof v !== 'string')) {
        problems.push({ path: ['mapping'], message: 'mapping must be an object from a column header to a field name (or null)', name: 'ValidationError' });
      }
      if (problems.length) throwValidation(problems);
      const access = resolveAccess(strapi, ctx);
      const client = typeof body.client === 'string' ? await strapi.db.query(CLIENT as any).findOne({ where: and({ documentId: body.client }, await scopeFilter(CLIENT, access)), select: ['id', 'documentId', 'name'] } as any) : null;
      if (!client) throwValidation([{ path: ['client'], message: 'client refers to a record that does not exist', name: 'ValidationError' }]);
      const query = strapi.db.query(TEMPLATE_UID as any);
      const existing = await query.findOne({ where: { name: body.name.trim(), client: { id: client.id } } } as any);
      const data = { name: body.name.trim(), kind, mapping, client: client.id };
      const saved = existing ? await query.update({ where: { id: existing.id }, data } as any) : await query.create({ data: { ...data, documentId: newDocumentId() } } as any);
      ctx.status = existing ? 200 : 201;
      ctx.body = { data: { documentId: saved.documentId, name: saved.name, kind: saved.kind, mapping: saved.mapping, client: { documentId: client.documentId, name: client.name } } };
    },
  };
});
