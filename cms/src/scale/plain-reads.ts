import { AsyncLocalStorage } from 'async_hooks';
import type { Core } from '@strapi/strapi';

const plain = new AsyncLocalStorage<true>();

/**
 * Strapi's document service wraps every read in a transaction: BEGIN and
 * COMMIT around one SELECT, two round trips and a pinned connection for
 * nothing, since PostgreSQL's READ COMMITTED gives each statement its own
 * snapshot inside a transaction or out of it. Reads run through `plainRead`
 * skip that wrapper; only the document service's own (argument-less)
 * callback is let through, and only outside any transaction, so a read inside
 * a write still joins the write's transaction.
 */
export function allowPlainReads(strapi: Core.Strapi): void {
  const db: any = strapi.db;
  if (db.__plainReads) return;
  const transaction = db.transaction.bind(db);
  db.transaction = (cb?: (...args: any[]) => unknown) => {
    if (cb && cb.length === 0 && plain.getStore() && !db.inTransaction()) return Promise.resolve().then(() => cb());
    return transaction(cb);
  };
  db.__plainReads = true;
}

/** Runs a read (and only a read) of the document service without its transaction. */
export function plainRead<T>(work: () => Promise<T>): Promise<T> {
  return plain.run(true, work);
}
