import { canonicalJson, entryHash, GENESIS_HASH, verifyBatch, type ChainedEntry } from '../../src/audit/hash-chain';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  for (let i = 1; i <= n; i++) {
    const fields = {
      seq: i, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), actorType: 'user', actorId: '7', actorName: 'agent1',
      action: 'update', entity: 'api::account.account', entityDocumentId: `doc${i}`, clientDocumentId: 'client1',
      changes: { balance: { before: i, after: i + 1 } }, requestId: `req-${i}`, prevHash: out[i - 2]?.hash ?? GENESIS_HASH,
    };
    out.push({ ...fields, hash: entryHash(fields) });
  }
  return out;
}

describe('canonicalJson', () => {
  it('does not depend on key order at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
});

describe('verifyBatch', () => {
  const start = { seq: 0, hash: GENESIS_HASH };

  it('accepts an intact chain, also when checked in batches', () => {
    const entries = chain(6);
    expect(verifyBatch(entries, start).broken).toBeUndefined();
    const first = verifyBatch(entries.slice(0, 3), start);
    expect(verifyBatch(entries.slice(3), first.cursor).broken).toBeUndefined();
  });

  it('survives the round trip through a database: bigint seq as string, dates as Date, reordered json keys', () => {
    const entries = chain(3).map((e) => ({ ...e, seq: String(e.seq), at: new Date(e.at), changes: JSON.parse(canonicalJson(e.changes)) }));
    expect(verifyBatch(entries as any, start).broken).toBeUndefined();
  });

  it.each([
    ['an edited field', (c: ChainedEntry[]) => { c[2] = { ...c[2], actorName: 'mallory' }; }, 3, 'hash'],
    ['an edited diff', (c: ChainedEntry[]) => { c[3] = { ...c[3], changes: { balance: { before: 0, after: 0 } } }; }, 4, 'hash'],
    ['a deleted entry', (c: ChainedEntry[]) => { c.splice(2, 1); }, 4, 'sequence'],
    ['a re-hashed forgery', (c: ChainedEntry[]) => { const f = { ...c[1], actorName: 'mallory' }; c[1] = { ...f, hash: entryHash(f) }; }, 3, 'link'],
  ])('finds %s at the right entry', (_label, tamper, brokenAt, reason) => {
    const entries = chain(5);
    tamper(entries);
    expect(verifyBatch(entries, start).broken).toEqual({ seq: brokenAt, reason });
  });
});
