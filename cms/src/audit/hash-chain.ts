import crypto from 'crypto';

export type ChainedFields = {
  seq: number | string;
  at: string | Date;
  actorType: string;
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  entity: string;
  entityDocumentId?: string | null;
  clientDocumentId?: string | null;
  changes?: unknown;
  requestId?: string | null;
  prevHash?: string | null;
};

export type ChainedEntry = ChainedFields & { hash: string };

export const GENESIS_HASH = '';

/** JSON with keys sorted at every depth, so the database's key order (jsonb) cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  // Built by appending rather than map/filter/join: every audited write hashes one of these, an import 1,000 a batch.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  const keys = Object.keys(value as object).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = (value as any)[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
    first = false;
  }
  return out + '}';
}

/** The fields a hash covers, in the form they have after a round trip through either database. */
function hashedForm(e: ChainedFields) {
  return {
    seq: String(e.seq),
    at: new Date(e.at).toISOString(),
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    actorName: e.actorName ?? null,
    action: e.action,
    entity: e.entity,
    entityDocumentId: e.entityDocumentId ?? null,
    clientDocumentId: e.clientDocumentId ?? null,
    changes: e.changes ?? null,
    requestId: e.requestId ?? null,
    prevHash: e.prevHash ?? GENESIS_HASH,
  };
}

export function entryHash(e: ChainedFields): string {
  return crypto.createHash('sha256').update(canonicalJson(hashedForm(e))).digest('hex');
}

export type ChainCursor = { seq: number; hash: string };
export type ChainBreak = { seq: number; reason: 'sequence' | 'link' | 'hash' };

/**
 * Checks one batch of entries (in seq order) against the cursor left by the
 * previous batch. A hand-edited entry fails its own hash; a deleted or
 * inserted entry breaks the sequence or the link of the entry after it.
 */
export function verifyBatch(entries: ChainedEntry[], cursor: ChainCursor): { cursor: ChainCursor; broken?: ChainBreak } {
  let { seq, hash } = cursor;
  for (const e of entries) {
    const n = Number(e.seq);
    if (n !== seq + 1) return { cursor: { seq, hash }, broken: { seq: n, reason: 'sequence' } };
    if ((e.prevHash ?? GENESIS_HASH) !== hash) return { cursor: { seq, hash }, broken: { seq: n, reason: 'link' } };
    if (entryHash(e) !== e.hash) return { cursor: { seq, hash }, broken: { seq: n, reason: 'hash' } };
    seq = n;
    hash = e.hash;
  }
  return { cursor: { seq, hash } };
}
