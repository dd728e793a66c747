import crypto from 'crypto';
import { factories } from '@strapi/strapi';
import { entryHash, GENESIS_HASH, verifyBatch, type ChainBreak, type ChainCursor, type ChainedEntry } from '../../../audit/hash-chain';
import type { Actor } from '../../../audit/actor';
import type { Changes } from '../../../audit/document-diff';

const UID = 'api::audit-log.audit-log';
// Any constant works; it only has to be the same in every cms process sharing the database.
const CHAIN_LOCK_KEY = 72_635_240;
const VERIFY_BATCH = 1000;
const INSERT_BATCH = 500;

export type AuditEvent = {
  actor: Actor;
  action: 'create' | 'update' | 'delete' | 'export';
  entity: string;
  entityDocumentId: string | null;
  clientDocumentId: string | null;
  changes: Changes;
  requestId: string | null;
};

export type ChainReport = { ok: boolean; entries: number; brokenAt: number | null; reason?: ChainBreak['reason'] };

function newDocumentId(): string {
  // Same shape as Strapi's own document ids: 24 lowercase alphanumerics.
  let id = '';
  while (id.length < 24) id += crypto.randomBytes(16).toString('base64').replace(/[^a-z0-9]/g, '');
  return id.slice(0, 24);
}

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
        for (let i = 0; i < rows.length; i += INSERT_BATCH) await strapi.db.query(UID).createMany({ data: rows.slice(i, i + INSERT_BATCH) });
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
