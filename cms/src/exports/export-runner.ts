import { PassThrough } from 'stream';
import type { Core } from '@strapi/strapi';
import type { Access } from '../access/access-context';
import type { Actor } from '../audit/actor';
import { ExportQuery } from './export-query';
import type { ExportPlan } from './export-request';
import { CONTENT_TYPES, formatWriter } from './format-writers';

const EXPORT_UID = 'api::export.export';

/** node-postgres sends an array as a PostgreSQL array and a string as is: a JSON column gets JSON text. */
const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export type ExportOutcome = { status: 'completed' | 'failed' | 'aborted'; rowCount: number; error: string | null };

export type StartedExport = { body: PassThrough; contentType: string; fileName: string; done: Promise<ExportOutcome> };

/**
 * Starts a download: the first batch is read before answering, so a query
 * the database refuses is still an HTTP error; the rest streams batch by
 * batch behind the reader's pace. When the file ends (or the reader hangs
 * up) the history row and the audit entry record how many rows left.
 */
export async function startExport(strapi: Core.Strapi, plan: ExportPlan, access: Access, actor: Actor, requestId: string | null, now: Date): Promise<StartedExport> {
  const query = new ExportQuery(strapi, plan.uid, plan.columns, access, plan.format);
  const batches = query.batches(plan.where, plan.orderBy);
  const first = await batches.next();

  const owner = access.kind === 'scoped' ? access.userId : null;
  let run: { id: number; documentId: string };
  try {
    run = await strapi.db.query(EXPORT_UID as any).create({
      data: {
        owner,
        ownerName: actor.name,
        type: plan.typeName,
        format: plan.format,
        columns: json(plan.requested.columns),
        filters: json(plan.requested.filters),
        sort: json(plan.requested.sort),
        definition: plan.requested.definition,
        status: 'running',
        rowCount: 0,
        startedAt: now.toISOString(),
      },
    } as any);
  } catch (error) {
    // The cursor's transaction holds a pooled connection until the generator is closed.
    await batches.return(undefined as any);
    throw error;
  }

  const body = new PassThrough();
  const writer = formatWriter(plan.format, body);

  /** History row and audit entry: written before the file's last byte, so a complete download is always on record. */
  const record = async (outcome: ExportOutcome) => {
    await strapi.db.query(EXPORT_UID as any).update({
      where: { id: run.id },
      data: { status: outcome.status, rowCount: outcome.rowCount, finishedAt: new Date().toISOString(), error: outcome.error },
    } as any);
    await (strapi.service('api::audit-log.audit-log') as any).append({
      actor,
      action: 'export',
      entity: plan.uid,
      entityDocumentId: run.documentId,
      clientDocumentId: null,
      changes: {
        type: plan.typeName,
        format: plan.format,
        filters: plan.requested.filters,
        sort: plan.requested.sort,
        columns: plan.requested.columns,
        definition: plan.requested.definition,
        status: outcome.status,
        rowCount: outcome.rowCount,
      },
      requestId,
    });
  };

  const pump = async (): Promise<ExportOutcome> => {
    let rowCount = 0;
    let outcome: ExportOutcome;
    try {
      await writer.begin(plan.columns.map((c) => c.key));
      if (!first.done) {
        await writer.rows(first.value);
        rowCount += first.value.rows;
        for await (const batch of batches) {
          await writer.rows(batch);
          rowCount += batch.rows;
        }
      }
      await writer.finish();
      outcome = { status: 'completed', rowCount, error: null };
    } catch (error: any) {
      await batches.return(undefined as any).catch(() => undefined);
      const aborted = body.destroyed || /output closed/.test(String(error?.message));
      if (!aborted) strapi.log.error(`export ${run.documentId} failed: ${error?.stack ?? error}`);
      outcome = { status: aborted ? 'aborted' : 'failed', rowCount, error: String(error?.message ?? error).slice(0, 500) };
    }
    try {
      await record(outcome);
    } catch (error: any) {
      // A file whose export cannot be put on record is not handed over whole.
      strapi.log.error(`export ${run.documentId}: history or audit not written: ${error?.stack ?? error}`);
      body.destroy(error);
      return outcome;
    }
    if (outcome.status === 'completed') body.end();
    else body.destroy(outcome.status === 'failed' ? new Error(outcome.error ?? 'export failed') : undefined);
    return outcome;
  };

  const done = pump();

  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return { body, contentType: CONTENT_TYPES[plan.format], fileName: `${plan.typeName}-${stamp}.${plan.format}`, done };
}
