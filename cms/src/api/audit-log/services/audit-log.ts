import { factories } from '@strapi/strapi';
import { entryHash, GENESIS_HASH, verifyBatch, type ChainBreak, type ChainCursor, type ChainedEntry } from '../../../audit/hash-chain';
import type { Actor } from '../../../audit/actor';
import type { Changes } from '../../../audit/document-diff';
import { insertRows } from '../../../imports/bulk-insert';
import { newDocumentId } from '../../../imports/document-id';

const UID = 'api::audit-log.audit-log';
// Any constant works; it only has to be the same in every cms process sharing the database.
const CHAIN_LOCK_KEY = 72_635_240;
const VERIFY_BATCH = 1000;
const INSERT_BATCH = 500;

export type AuditEvent = {
  actor: Actor;
  /** `search`: an agent searched accounts beyond their own (an inbound caller nobody knows): what they asked and what came back. */
  action: 'create' | 'update' | 'delete' | 'export' | 'search';
  entity: string;
  entityDocumentId: string | null;
  clientDocumentId: string | null;
  changes: Changes;
  requestId: string | null;
};

export type ChainReport = { ok: boolean; entries: number; brokenAt: number | null; reason?: ChainBreak['reason'] };

export default factories.createCoreService(UID, ({ strapi }) => ({
  /**
   * Appends one entry to the chain. Callers run it inside the transaction of
   * the write it records, so a write and its audit entry commit together.
   * On PostgreSQL a transaction-scoped advisory lock keeps concurrent writers
   * from linking two entries to the same predecessor; it is re-entrant, so a
   * transaction that records two writes (a call and its account) takes it
   * twice without waiting on itself. (An in-process queue here deadlocked
   * against that lock.) SQLite runs one transaction at a time anyway.
   */
  async append(event: AuditEvent): Promise<void> {
    await this.appendMany([event]);
  },

  /**
   * Appends entries in order under one lock: a set-based write (a bulk
   * reassignment) records each row it changed without a round trip per entry.
   */
  async appendMany(events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await strapi.db.transaction(async ({ trx }) => {
        if (strapi.db.dialect.client === 'postgres') await trx.raw('select pg_advisory_xact_lock(?)', [CHAIN_LOCK_KEY]);
        const last = await strapi.db.query(UID).findOne({ select: ['seq', 'hash'], orderBy: { seq: 'desc' } });
        let seq = Number(last?.seq ?? 0);
        let prevHash: string = last?.hash ?? GENESIS_HASH;
        const at = new Date().toISOString();
        const rows = events.map((event) => {
          const fields = {
            seq: ++seq,
            at,
            actorType: event.actor.type,
            actorId: event.actor.id,
            actorName: event.actor.name,
            action: event.action,
            entity: event.entity,
            entityDocumentId: event.entityDocumentId,
            clientDocumentId: event.clientDocumentId,
            changes: event.changes,
            requestId: event.requestId,
            prevHash,
          };
          prevHash = entryHash(fields);
          return { ...fields, hash: prevHash, documentId: newDocumentId() };
        });
        if (strapi.db.dialect.client === 'postgres') {
          // The rows as the query layer would store them (createMany's processData: bigint as text, the date
          // as a Date, JSON as JSON), in one statement: the trail of a 1,000-row import batch no longer costs
          // more than the batch's own writes. No lifecycle watches audit-log creates.
          const meta = strapi.db.metadata.get(UID as any) as any;
          const col = (f: string) => meta.attributes[f].columnName;
          const at = new Date(rows[0].at);
          await insertRows(trx, 'postgres', meta.tableName, rows.map((r) => ({
            [col('seq')]: String(r.seq), [col('at')]: at, [col('actorType')]: r.actorType, [col('actorId')]: r.actorId ?? null, [col('actorName')]: r.actorName ?? null,
            [col('action')]: r.action, [col('entity')]: r.entity, [col('entityDocumentId')]: r.entityDocumentId ?? null, [col('clientDocumentId')]: r.clientDocumentId ?? null,
            [col('changes')]: r.changes ?? null, [col('requestId')]: r.requestId ?? null, [col('prevHash')]: r.prevHash, [col('hash')]: r.hash, [col('documentId')]: r.documentId,
          })));
        } else {
          for (let i = 0; i < rows.length; i += INSERT_BATCH) await strapi.db.query(UID).createMany({ data: rows.slice(i, i + INSERT_BATCH) });
        }
    });
  },

  /** Walks the whole chain in seq order and reports the first entry that does not check out. */
  async verifyChain(): Promise<ChainReport> {
    let cursor: ChainCursor = { seq: 0, hash: GENESIS_HASH };
    let entries = 0;
    for (;;) {
      const batch = (await strapi.db.query(UID).findMany({
        where: { seq: { $gt: cursor.seq } },
        orderBy: { seq: 'asc' },
        limit: VERIFY_BATCH,
      })) as ChainedEntry[];
      if (batch.length === 0) return { ok: true, entries, brokenAt: null };
      const result = verifyBatch(batch, cursor);
      if (result.broken) {
        return { ok: false, entries: entries + (result.broken.seq - cursor.seq) - 1, brokenAt: result.broken.seq, reason: result.broken.reason };
      }
      entries += batch.length;
      cursor = result.cursor;
    }
  },
}));
