import fs from 'fs';
import type { Core } from '@strapi/strapi';
import { sharedConfig, type Compliance } from '../shared-config';
import { diffDocuments } from '../audit/document-diff';
import type { Actor } from '../audit/actor';
import type { AuditEvent } from '../api/audit-log/services/audit-log';
import { readAccountRow, type RowContext } from './account-row';
import { readDncRow } from './dnc-row';
import { readPaymentRow, paymentKey } from './payment-row';
import { mapColumns } from './column-mapping';
import { readFileTable, type FileRow } from './file-rows';
import { ImportErrorCode, ImportFileError, WARNING_CODES, type RowProblem } from './row-problem';
import type { Cell } from './cell-values';
import { importSettings } from './import-settings';
import { insertRows } from './bulk-insert';
import { newDocumentId } from './document-id';
import { writePayments } from './payment-writer';

export const IMPORT = 'api::import.import';
const IMPORT_ERROR = 'api::import-error.import-error';
const ACCOUNT = 'api::account.account';
const DNC = 'api::dnc-entry.dnc-entry';
const CLIENT = 'api::client.client';
const PAYMENT = 'api::payment.payment';

export type Job = {
  id: number; documentId: string; kind: 'accounts' | 'dnc' | 'payments'; mode: 'dry-run' | 'commit'; onDuplicate: 'skip' | 'update';
  filePath: string; fileName: string; fileSize: number; fileSha256: string; sheet: string | null; mapping: Record<string, string | null> | null;
  cursor: number; status: string; createdCount: number; updatedCount: number; skippedCount: number; errorCount: number; warningCount: number;
  client: { id: number; documentId: string; defaultCountry: string; defaultTimezone: string | null; currency: string | null } | null;
  startedBy: { id: number; username: string } | null;
};
type Counts = { createdCount: number; updatedCount: number; skippedCount: number; errorCount: number; warningCount: number };
export type ErrorRow = { row: number; severity: 'error' | 'warning'; column: string | null; field: string | null; code: string; message: string; rawValue: string | null; rawRow: Record<string, Cell> | null };
export type Good = { row: number; raw: Record<string, Cell>; data: Record<string, any>; notices: RowProblem[] };


/** Rows judged between two turns of the event loop while the previous batch's transaction runs. */
const JUDGE_SLICE = 100;

/** Thrown by a batch when the import was cancelled: what committed stays, the rest is not read. */
class Cancelled extends Error {}
/** Thrown when another run moved the cursor (this one's lease lapsed): the batch rolls back and this run ends. */
export class CursorMoved extends Error {}

/**
 * Runs one import from its committed cursor to the end. Every batch of rows
 * commits in one transaction with its accounts, its error rows, its audit
 * entries and the new cursor, so a process that dies mid-way leaves either a
 * whole batch or none, and the next run starts after the last whole one.
 * Rows before the cursor are read again (not written) so that duplicates
 * within the file are still found after a restart.
 */
export async function runImport(strapi: Core.Strapi, importId: number, shouldStop: () => boolean = () => false): Promise<void> {
  const settings = importSettings();
  const job = (await strapi.db.query(IMPORT as any).findOne({
    where: { id: importId },
    populate: { client: { select: ['id', 'documentId', 'defaultCountry', 'defaultTimezone', 'currency'] }, startedBy: { select: ['id', 'username'] } },
  } as any)) as Job | null;
  if (!job || !['queued', 'running'].includes(job.status)) return;
  const update = (data: Record<string, unknown>) => strapi.db.query(IMPORT as any).update({ where: { id: importId }, data } as any);
  const fail = async (code: string, message: string) => update({ status: 'failed', failureCode: code, failureMessage: message, finishedAt: new Date() });
  if (!job.client) return void (await fail('CLIENT_GONE', 'The client of this import no longer exists'));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(job.filePath);
  } catch {
    return void (await fail('FILE_GONE', `The uploaded file ${job.fileName} is no longer stored on this server`));
  }
  let headers: string[];
  let fields: Array<string | null>;
  let total = 0;
  try {
    const table = readFileTable(bytes, job.sheet);
    headers = table.headers;
    const mapping = mapColumns(headers, job.kind, job.mapping ?? {});
    if (mapping.problems.length) throw new ImportFileError('BAD_MAPPING', mapping.problems.join('; '));
    if (mapping.missing.length) throw new ImportFileError('MISSING_COLUMNS', `The file has no column for ${mapping.missing.join(', ')} (required); nothing was imported`);
    fields = mapping.fields;
    for (const _ of table.rows) total++;
    if (total === 0) throw new ImportFileError('EMPTY_FILE', 'The file has a header row but no data rows');
  } catch (error) {
    if (error instanceof ImportFileError) return void (await fail(error.code, error.message));
    throw error;
  }
  await update({ status: 'running', totalRows: total, ...(job.cursor === 0 ? { startedAt: new Date() } : {}) });

  const compliance = sharedConfig<Compliance>('compliance');
  const accountAttributes = strapi.contentTypes[ACCOUNT].attributes as Record<string, any>;
  const ctx: RowContext = {
    defaultCountry: job.client.defaultCountry || 'US', defaultTimezone: job.client.defaultTimezone || 'America/New_York', currency: job.client.currency || 'USD',
    compliance, now: new Date(), attributes: accountAttributes, phoneAttributes: (strapi.components as any)['contact.phone'].attributes,
  };
  const dncReasons = (strapi.contentTypes[DNC].attributes as any).reason.enum as string[];
  const paymentMethods = (strapi.contentTypes[PAYMENT].attributes as any).method.enum as string[];
  const columnOf = new Map<string, string>();
  fields.forEach((f, i) => f && !columnOf.has(f) && columnOf.set(f, headers[i]));
  const seenKeys = new Map<string, number>();
  const seenPhones = new Map<string, string>();
  const counts: Counts = { createdCount: job.createdCount, updatedCount: job.updatedCount, skippedCount: job.skippedCount, errorCount: job.errorCount, warningCount: job.warningCount };
  const actor: Actor = job.startedBy ? { type: 'user', id: String(job.startedBy.id), name: job.startedBy.username } : { type: 'system', id: null, name: 'import' };

  /** Judges a batch of rows alone (no I/O): good rows, and the problems of the others. */
  const judge = (rows: FileRow[], errors: ErrorRow[]): Good[] => {
    const good: Good[] = [];
    for (const { row, cells } of rows) {
      const raw: Record<string, Cell> = {};
      headers.forEach((h, i) => (raw[h || `column${i + 1}`] = cells[i] ?? null));
      const byField: Record<string, Cell> = {};
      fields.forEach((f, i) => f && (byField[f] = cells[i] ?? null));
      const problem = (p: RowProblem): ErrorRow => ({ row, severity: WARNING_CODES.has(p.code) ? 'warning' : 'error', column: columnOf.get(p.field) ?? null, field: p.field, code: p.code, message: `Row ${row}: ${p.message}`, rawValue: p.value, rawRow: raw });
      if (cells.length > headers.length && cells.slice(headers.length).some((c) => c !== null && String(c).trim() !== '')) {
        errors.push(problem({ field: null as any, code: ImportErrorCode.TOO_MANY_COLUMNS, message: `has ${cells.length} cells but the header has ${headers.length} columns (a delimiter inside an unquoted value?)`, value: null }));
        continue;
      }
      const read = job.kind === 'accounts' ? readAccountRow(byField, ctx)
        : job.kind === 'payments' ? readPaymentRow(byField, { defaultCountry: ctx.defaultCountry, methods: paymentMethods, now: ctx.now })
        : readDncRow(byField, { defaultCountry: ctx.defaultCountry, reasons: dncReasons, now: ctx.now });
      if (!('data' in read)) {
        for (const p of read.problems) errors.push(problem(p));
        continue;
      }
      const data: Record<string, any> = read.data;
      const key = job.kind === 'accounts' ? String(data.accountNumber) : job.kind === 'payments' ? paymentKey(data as any) : String(data.phone);
      const first = seenKeys.get(key);
      if (first !== undefined) {
        const field = job.kind === 'dnc' ? 'phone' : 'accountNumber';
        const what = job.kind === 'payments' ? `payment (accountNumber ${data.accountNumber}, reference ${data.reference ?? '(none)'}, paidDate ${data.paidDate}, amount ${data.amount})` : `${field} ${key}`;
        errors.push(problem({ field, code: ImportErrorCode.DUPLICATE_IN_FILE, message: `${what} repeats row ${first}`, value: String(data[field]) }));
        continue;
      }
      seenKeys.set(key, row);
      const notices = 'notices' in read ? [...read.notices] : [];
      if (job.kind === 'accounts') {
        (data.phones ?? []).forEach((p: any, i: number) => {
          const other = seenPhones.get(p.number);
          if (other && other !== key) notices.push({ field: `phone${i + 1}`, code: ImportErrorCode.PHONE_ON_OTHER_ACCOUNT, message: `phone${i + 1} ${p.number} is also on account ${other} in this file`, value: p.number });
          else seenPhones.set(p.number, key);
        });
      }
      for (const n of notices) errors.push(problem(n));
      good.push({ row, raw, data, notices });
    }
    return good;
  };

  const table = readFileTable(bytes, job.sheet);
  let index = 0;
  let flushed = 0;
  let batch: FileRow[] = [];
  // The previous batch's transaction, still running while the next batch is judged.
  let inFlight: Promise<void> | null = null;
  const settle = async () => {
    const write = inFlight;
    inFlight = null;
    if (write) await write;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    // Judged in slices while the previous batch commits: the database works on that one (the other core)
    // while this process reads and judges this one, and each slice lets that transaction's next query go.
    const errors: ErrorRow[] = [];
    const good: Good[] = [];
    for (let i = 0; i < rows.length; i += JUDGE_SLICE) {
      if (i > 0 && inFlight) await new Promise((resolve) => setImmediate(resolve));
      good.push(...judge(rows.slice(i, i + JUDGE_SLICE), errors));
    }
    // One transaction at a time, in order: a batch starts from the cursor its predecessor committed.
    await settle();
    const fresh = await strapi.db.query(IMPORT as any).findOne({ where: { id: importId }, select: ['cancelRequested', 'status'] } as any);
    if (fresh?.cancelRequested || fresh?.status === 'cancelled') throw new Cancelled();
    const write = writeBatch(rows, good, errors);
    // Awaited by the next flush or settle(); until then a failure must not count as unhandled.
    write.catch(() => undefined);
    inFlight = write;
  };
  const writeBatch = async (rows: FileRow[], good: Good[], errors: ErrorRow[]): Promise<void> => {
    await strapi.db.transaction(async ({ trx }) => {
      // The cursor row locked and checked first: two runs of one import can never both commit the same rows.
      const importTable = (strapi.db.metadata.get(IMPORT as any) as any).tableName;
      const locked = strapi.db.dialect.client === 'postgres' ? await trx(importTable).where({ id: job.id }).forUpdate().first('cursor') : await trx(importTable).where({ id: job.id }).first('cursor');
      if (Number(locked?.cursor ?? -1) !== index) throw new CursorMoved(`import ${job.id}: cursor at ${locked?.cursor}, this run at ${index}`);
      const delta = job.kind === 'accounts'
        ? await writeAccounts(strapi, trx, job, good, errors, actor, columnOf)
        : job.kind === 'payments' ? await writePayments(strapi, trx, job, good, errors, columnOf, actor)
        : await writeDnc(strapi, trx, job, good, errors, actor);
      const errorRows = new Set(errors.filter((e) => e.severity === 'error').map((e) => e.row));
      counts.createdCount += delta.created;
      counts.updatedCount += delta.updated;
      counts.skippedCount += delta.skipped;
      counts.errorCount += errorRows.size;
      counts.warningCount += errors.filter((e) => e.severity === 'warning').length;
      const meta = strapi.db.metadata.get(IMPORT_ERROR as any) as any;
      const col = (f: string) => meta.attributes[f].columnName;
      const now = new Date();
      const pg = strapi.db.dialect.client === 'postgres';
      const records = errors.map((e) => ({
        [col('importId')]: job.id, [col('row')]: e.row, [col('severity')]: e.severity, [col('column')]: e.column, [col('field')]: e.field, [col('code')]: e.code,
        [col('message')]: e.message, [col('rawValue')]: e.rawValue, [col('rawRow')]: e.rawRow ? (pg ? e.rawRow : JSON.stringify(e.rawRow)) : null,
        document_id: newDocumentId(), created_at: now, updated_at: now, published_at: now,
      }));
      await insertRows(trx, strapi.db.dialect.client, meta.tableName, records);
      index += rows.length;
      await trx((strapi.db.metadata.get(IMPORT as any) as any).tableName).where({ id: job.id }).update({ cursor: index, processed_rows: index, created_count: counts.createdCount, updated_count: counts.updatedCount, skipped_count: counts.skippedCount, error_count: counts.errorCount, warning_count: counts.warningCount, updated_at: now });
    });
  };

  try {
    for (const r of table.rows) {
      if (index < job.cursor) {
        // Already committed: only remembered, for duplicates within the file.
        judge([r], []);
        index++;
        continue;
      }
      batch.push(r);
      if (batch.length >= settings.batchRows) {
        if (shouldStop()) return void (await settle());
        await flush();
        flushed++;
        // The planner's statistics of the tables this import grows, refreshed as they grow (autovacuum lags a bulk load).
        if (strapi.db.dialect.client === 'postgres' && job.mode === 'commit' && (flushed & (flushed - 1)) === 0 && flushed >= 4) await analyzeGrowingTables(strapi, job.kind);
      }
    }
    if (shouldStop()) return void (await settle());
    await flush();
    await settle();
  } catch (error) {
    // A write still running when the next batch failed (cancelled) ends before the import's state is set.
    await settle().catch(() => undefined);
    if (error instanceof Cancelled) {
      await strapi.db.transaction(async () => {
        await update({ status: 'cancelled', finishedAt: new Date() });
        await recordImportAudit(strapi, job, actor, counts, 'cancelled', index);
      });
      fs.rm(job.filePath, { force: true }, () => undefined);
      return;
    }
    if (error instanceof CursorMoved) return void strapi.log.warn(`${error.message}; another run has it`);
    throw error;
  }
  await strapi.db.transaction(async () => {
    await update({ status: 'completed', finishedAt: new Date(), cursor: index, processedRows: index });
    await recordImportAudit(strapi, job, actor, counts, 'completed', index);
  });
  // The file was only kept to resume; its refused rows are in the error table, its hash in the audit trail.
  fs.rm(job.filePath, { force: true }, () => undefined);
}

async function analyzeGrowingTables(strapi: Core.Strapi, kind: string) {
  const meta = (uid: string) => strapi.db.metadata.get(uid as any) as any;
  const account = meta(ACCOUNT);
  const payment = meta(PAYMENT);
  const tables = kind === 'accounts'
    ? [account.tableName, meta('contact.phone').tableName, account.attributes.phones.joinTable.name, account.attributes.client.joinTable.name, meta('api::audit-log.audit-log').tableName]
    : kind === 'payments' ? [payment.tableName, payment.attributes.account.joinTable.name, payment.attributes.client.joinTable.name, meta('api::audit-log.audit-log').tableName]
    : [meta(DNC).tableName, meta(DNC).attributes.client.joinTable.name, meta('api::audit-log.audit-log').tableName];
  await strapi.db.connection.raw(`ANALYZE ${tables.map(() => '??').join(', ')}`, tables);
}

/** The import as one audit entry: who, which file (name, size, SHA-256), and what it did. */
async function recordImportAudit(strapi: Core.Strapi, job: Job, actor: Actor, counts: Counts, status: string, processedRows: number) {
  const value = { status, mode: job.mode, kind: job.kind, onDuplicate: job.onDuplicate, fileName: job.fileName, fileSize: Number(job.fileSize), fileSha256: job.fileSha256, processedRows, ...counts };
  await (strapi.service('api::audit-log.audit-log') as any).append({
    actor, action: 'create', entity: IMPORT, entityDocumentId: job.documentId, clientDocumentId: job.client?.documentId ?? null,
    changes: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, { before: null, after: v }])), requestId: null,
  } as AuditEvent);
}

export type Delta = { created: number; updated: number; skipped: number };

async function writeAccounts(strapi: Core.Strapi, trx: any, job: Job, good: Good[], errors: ErrorRow[], actor: Actor, columnOf: Map<string, string>): Promise<Delta> {
  const delta: Delta = { created: 0, updated: 0, skipped: 0 };
  if (good.length === 0) return delta;
  const meta = strapi.db.metadata.get(ACCOUNT as any) as any;
  const phoneMeta = strapi.db.metadata.get('contact.phone' as any) as any;
  const clientLink = meta.attributes.client.joinTable;
  const phonesLink = meta.attributes.phones.joinTable;
  const attributes = strapi.contentTypes[ACCOUNT].attributes as Record<string, any>;
  const col = (f: string) => meta.attributes[f].columnName;
  const numbers = good.map((g) => g.data.accountNumber);
  // Step by step on indexed columns: a join planned on the stale statistics of tables this import is growing
  // went quadratic (minutes a batch at 10,000 rows).
  const clientId = job.client!.id;
  const ofClient = async (accountIds: number[]) => new Set<number>(accountIds.length ? (await trx(clientLink.name).whereIn(clientLink.joinColumn.name, accountIds).where(clientLink.inverseJoinColumn.name, clientId).select(clientLink.joinColumn.name)).map((r: any) => r[clientLink.joinColumn.name]) : []);
  // On PostgreSQL a batch's 1,000 numbers (2,000 phones) are one array parameter, not one placeholder each.
  const anyOf = (q: any, column: string, values: unknown[]) => (strapi.db.dialect.client === 'postgres' ? q.whereRaw('?? = ANY(?)', [column, values]) : q.whereIn(column, values));
  const sameNumber = await anyOf(trx(meta.tableName), col('accountNumber'), numbers).select('*');
  const mine = await ofClient(sameNumber.map((r: any) => r.id));
  const existing = new Map<string, any>(sameNumber.filter((r: any) => mine.has(r.id)).map((r: any) => [r[col('accountNumber')], r]));
  // Phones of this batch already on another account of the client: reported, not refused (a shared family line is real).
  const phoneNumbers = [...new Set(good.flatMap((g) => (g.data.phones ?? []).map((p: any) => p.number)))];
  const taken = new Map<string, string>();
  if (phoneNumbers.length) {
    const numberCol = phoneMeta.attributes.number.columnName;
    const phoneRows = await anyOf(trx(phoneMeta.tableName), numberCol, phoneNumbers).select('id', `${numberCol} as number`);
    if (phoneRows.length) {
      const owners = await trx(phonesLink.name).whereIn(phonesLink.inverseJoinColumn.name, phoneRows.map((r: any) => r.id)).where('component_type', 'contact.phone').select(`${phonesLink.joinColumn.name} as account`, `${phonesLink.inverseJoinColumn.name} as phone`);
      const accountIds = [...new Set<number>(owners.map((o: any) => o.account))];
      const clients = await ofClient(accountIds);
      const numbersOf = new Map<number, string>((accountIds.length ? await trx(meta.tableName).whereIn('id', accountIds.filter((a) => clients.has(a))).select('id', col('accountNumber')) : []).map((r: any) => [r.id, r[col('accountNumber')]]));
      const numberOfPhone = new Map<number, string>(phoneRows.map((r: any) => [r.id, r.number]));
      for (const o of owners) {
        const accountNumber = numbersOf.get(o.account);
        const number = numberOfPhone.get(o.phone);
        if (accountNumber && number && !taken.has(number)) taken.set(number, accountNumber);
      }
    }
  }
  const creates: Good[] = [];
  const updates: Array<{ g: Good; before: any }> = [];
  for (const g of good) {
    (g.data.phones ?? []).forEach((p: any, i: number) => {
      const other = taken.get(p.number);
      if (other && other !== g.data.accountNumber) {
        errors.push({ row: g.row, severity: 'warning', column: columnOf.get(`phone${i + 1}`) ?? null, field: `phone${i + 1}`, code: ImportErrorCode.PHONE_ON_OTHER_ACCOUNT, message: `Row ${g.row}: phone${i + 1} ${p.number} is already on account ${other}`, rawValue: p.number, rawRow: g.raw });
      }
    });
    const before = existing.get(g.data.accountNumber);
    if (!before) creates.push(g);
    else if (job.onDuplicate === 'update') updates.push({ g, before });
    else delta.skipped++;
  }
  delta.created = creates.length;
  delta.updated = updates.length;
  if (job.mode === 'dry-run') return delta;

  const now = new Date();
  const defaults = { status: 'open', daysPastDue: 0 };
  const rowOf = (data: Record<string, any>) => {
    const row: Record<string, any> = {};
    for (const [f, v] of Object.entries({ ...defaults, ...data })) if (f !== 'phones' && meta.attributes[f]?.columnName) row[col(f)] = v;
    return row;
  };
  const phoneRow = (p: any) => {
    const row: Record<string, any> = {};
    for (const [f, v] of Object.entries(p)) row[phoneMeta.attributes[f].columnName] = v;
    return row;
  };
  const insertPhones = async (pairs: Array<{ accountId: number; phones: any[]; startOrder?: number }>) => {
    const flat = pairs.flatMap((pair) => pair.phones.map((p, k) => ({ accountId: pair.accountId, p, order: (pair.startOrder ?? 0) + k })));
    if (!flat.length) return;
    const inserted = (await insertRows(trx, strapi.db.dialect.client, phoneMeta.tableName, flat.map((x) => phoneRow(x.p)), ['id'])).map((r: any) => (typeof r === 'object' ? r.id : r));
    // SQLite answers only the last id of a multi-row insert: the rows are consecutive.
    const ids = inserted.length === flat.length ? inserted : Array.from({ length: flat.length }, (_, k) => inserted[inserted.length - 1] - flat.length + 1 + k);
    const links = flat.map((x, k) => ({ [phonesLink.joinColumn.name]: x.accountId, [phonesLink.inverseJoinColumn.name]: ids[k], component_type: 'contact.phone', field: 'phones', [phonesLink.orderColumnName]: x.order + 1 }));
    await insertRows(trx, strapi.db.dialect.client, phonesLink.name, links);
  };

  const events: AuditEvent[] = [];
  if (creates.length) {
    const docIds = creates.map(() => newDocumentId());
    const rows = creates.map((g, k) => ({ ...rowOf(g.data), document_id: docIds[k], created_at: now, updated_at: now, published_at: now }));
    const inserted = await insertRows(trx, strapi.db.dialect.client, meta.tableName, rows, ['id', 'document_id']);
    const ids = new Map<string, number>((inserted.length === rows.length ? inserted : await trx(meta.tableName).whereIn('document_id', docIds).select('id', 'document_id')).map((r: any) => [r.document_id, r.id]));
    const links = docIds.map((d) => ({ [clientLink.joinColumn.name]: ids.get(d), [clientLink.inverseJoinColumn.name]: job.client!.id }));
    await insertRows(trx, strapi.db.dialect.client, clientLink.name, links);
    await insertPhones(creates.map((g, k) => ({ accountId: ids.get(docIds[k])!, phones: g.data.phones ?? [] })));
    creates.forEach((g, k) => {
      const after = { ...defaults, ...g.data, client: { documentId: job.client!.documentId }, phones: g.data.phones ?? [] };
      events.push({ actor, action: 'create', entity: ACCOUNT, entityDocumentId: docIds[k], clientDocumentId: job.client!.documentId, changes: diffDocuments(attributes, null, after), requestId: `import:${job.documentId}` });
    });
  }
  if (updates.length) {
    const ids = updates.map((u) => u.before.id);
    if (strapi.db.dialect.client === 'postgres') await trx.raw('SELECT id FROM ?? WHERE id = ANY(?) FOR UPDATE', [meta.tableName, ids]);
    const oldPhones = await trx(phoneMeta.tableName)
      .join(phonesLink.name, `${phonesLink.name}.${phonesLink.inverseJoinColumn.name}`, `${phoneMeta.tableName}.id`)
      .whereIn(`${phonesLink.name}.${phonesLink.joinColumn.name}`, ids).where(`${phonesLink.name}.component_type`, 'contact.phone')
      .orderBy(`${phonesLink.name}.${phonesLink.orderColumnName}`)
      .select(`${phoneMeta.tableName}.*`, `${phonesLink.name}.${phonesLink.joinColumn.name} as owner`);
    const phonesOf = new Map<number, any[]>();
    for (const p of oldPhones) {
      const { id: _id, owner, ...rest } = p;
      const phone: Record<string, any> = {};
      for (const [f, a] of Object.entries(phoneMeta.attributes as Record<string, any>)) if (a.columnName && a.columnName in rest && f !== 'id') phone[f] = rest[a.columnName];
      if (!phonesOf.has(owner)) phonesOf.set(owner, []);
      phonesOf.get(owner)!.push(phone);
    }
    // Stored phones stay as they are (their consent and dial history are the record); the file only adds numbers.
    const additions: Array<{ accountId: number; phones: any[]; startOrder: number }> = [];
    for (const { g, before } of updates) {
      const beforeDoc: Record<string, any> = {};
      for (const f of Object.keys(attributes)) if (meta.attributes[f]?.columnName && meta.attributes[f].columnName in before) beforeDoc[f] = before[meta.attributes[f].columnName];
      const stored = phonesOf.get(before.id) ?? [];
      beforeDoc.phones = stored;
      const storedNumbers = new Set(stored.map((p) => p.number));
      const added = (g.data.phones ?? []).filter((p: any) => !storedNumbers.has(p.number)).map((p: any, k: number) => ({ ...p, isPrimary: stored.length === 0 && k === 0 }));
      const { accountNumber: _n, phones: _p, ...fieldsOnly } = g.data;
      const afterDoc = { ...beforeDoc, ...fieldsOnly, phones: [...stored, ...added] };
      const changes = diffDocuments(attributes, beforeDoc, afterDoc);
      if (Object.keys(changes).length === 0) continue;
      await trx(meta.tableName).where({ id: before.id }).update({ ...rowOf(fieldsOnly), [col('status')]: fieldsOnly.status ?? before[col('status')], [col('daysPastDue')]: fieldsOnly.daysPastDue ?? before[col('daysPastDue')], updated_at: now });
      if (added.length) additions.push({ accountId: before.id, phones: added, startOrder: stored.length });
      events.push({ actor, action: 'update', entity: ACCOUNT, entityDocumentId: before.document_id, clientDocumentId: job.client!.documentId, changes, requestId: `import:${job.documentId}` });
    }
    await insertPhones(additions);
    // A row that changes nothing is counted as skipped: nothing was written for it.
    const changed = events.filter((e) => e.action === 'update').length;
    delta.skipped += delta.updated - changed;
    delta.updated = changed;
  }
  await (strapi.service('api::audit-log.audit-log') as any).appendMany(events);
  return delta;
}

async function writeDnc(strapi: Core.Strapi, trx: any, job: Job, good: Good[], _errors: ErrorRow[], actor: Actor): Promise<Delta> {
  const delta: Delta = { created: 0, updated: 0, skipped: 0 };
  if (good.length === 0) return delta;
  const meta = strapi.db.metadata.get(DNC as any) as any;
  const clientLink = meta.attributes.client.joinTable;
  const col = (f: string) => meta.attributes[f].columnName;
  const phones = good.map((g) => g.data.phone);
  const present = new Set<string>((await trx(meta.tableName)
    .join(clientLink.name, `${clientLink.name}.${clientLink.joinColumn.name}`, `${meta.tableName}.id`)
    .where(`${clientLink.name}.${clientLink.inverseJoinColumn.name}`, job.client!.id)
    .whereIn(`${meta.tableName}.${col('phone')}`, phones)
    .select(`${meta.tableName}.${col('phone')} as phone`)).map((r: any) => r.phone));
  // A number already on the client's list stays as listed: the list only grows from a file.
  const creates = good.filter((g) => !present.has(g.data.phone));
  delta.skipped = good.length - creates.length;
  delta.created = creates.length;
  if (job.mode === 'dry-run' || creates.length === 0) return delta;
  const now = new Date();
  const docIds = creates.map(() => newDocumentId());
  const rows = creates.map((g, k) => ({
    [col('phone')]: g.data.phone, [col('scope')]: 'client', [col('reason')]: g.data.reason, [col('source')]: 'import', [col('addedAt')]: now,
    [col('expiresAt')]: g.data.expiresAt ?? null, [col('notes')]: g.data.notes ?? null, document_id: docIds[k], created_at: now, updated_at: now, published_at: now,
  }));
  for (let i = 0; i < rows.length; i += 500) await trx(meta.tableName).insert(rows.slice(i, i + 500));
  const ids = new Map<string, number>((await trx(meta.tableName).whereIn('document_id', docIds).select('id', 'document_id')).map((r: any) => [r.document_id, r.id]));
  await trx(clientLink.name).insert(docIds.map((d) => ({ [clientLink.joinColumn.name]: ids.get(d), [clientLink.inverseJoinColumn.name]: job.client!.id })));
  const attributes = strapi.contentTypes[DNC].attributes as Record<string, any>;
  await (strapi.service('api::audit-log.audit-log') as any).appendMany(creates.map((g, k): AuditEvent => ({
    actor, action: 'create', entity: DNC, entityDocumentId: docIds[k], clientDocumentId: job.client!.documentId, requestId: `import:${job.documentId}`,
    changes: diffDocuments(attributes, null, { scope: 'client', source: 'import', addedAt: now, ...g.data, client: { documentId: job.client!.documentId } }),
  })));
  return delta;
}

export { CLIENT };
