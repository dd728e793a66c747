import crypto from 'crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
// Random bytes drawn a pool at a time: an import batch makes 2,000 ids (accounts and audit entries), one syscall each was ~6 µs.
const pool = Buffer.alloc(4096);
let next = pool.length;
/** A uniform index below n (n ≤ 36): bytes at or above the largest multiple of n are drawn again. */
function randomIndex(n: number): number {
  const limit = 256 - (256 % n);
  for (;;) {
    if (next === pool.length) {
      crypto.randomFillSync(pool);
      next = 0;
    }
    const b = pool[next++];
    if (b < limit) return b % n;
  }
}

/**
 * A 24-character documentId of Strapi's own shape (cuid2: lower-case letters
 * and digits, a letter first), for rows written without the document
 * service. The letter first matters: a relation given as a string that
 * parseInt reads ("70t1…") is taken as a row id, not a documentId, so an
 * account created by an import with such an id could not be linked by it.
 */
export function newDocumentId(): string {
  let id = ALPHABET[randomIndex(26)];
  for (let i = 1; i < 24; i++) id += ALPHABET[randomIndex(36)];
  return id;
}
