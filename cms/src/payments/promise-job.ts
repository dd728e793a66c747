import type { Core } from '@strapi/strapi';
import { sharedConfig, type PromiseRules } from '../shared-config';
import { addDays } from './promise-state';
import { evaluateAccountPromises } from './promise-evaluator';

/** Key of the PostgreSQL advisory lock one process holds while it runs the job. */
export const JOB_LOCK: [number, number] = [815_001, 1];

export type PromiseJobReport = { ran: boolean; accounts: number; changed: number; callbacks: number; failed: Array<{ accountId: number; error: string }> };

/**
 * The hourly pass over promises that may have come due: every account with a
 * pending promise due by tomorrow (UTC; the rule itself reads the client's
 * calendar) is evaluated in its own transaction, so one bad account does not
 * stop the others, and a pass cut short is finished by the next one (the rule
 * is idempotent). With several cms processes on PostgreSQL only the one that
 * takes the advisory lock runs; the others return at once.
 */
export async function runPromiseJob(strapi: Core.Strapi, now = new Date()): Promise<PromiseJobReport> {
  const report: PromiseJobReport = { ran: false, accounts: 0, changed: 0, callbacks: 0, failed: [] };
  const postgres = strapi.db.dialect.client === 'postgres';
  const knex = strapi.db.connection;
  // A session lock needs one connection for its whole life: take one from the pool and keep it.
  const conn = postgres ? await (knex.client as any).acquireConnection() : null;
  try {
    if (conn) {
      const got = await conn.query('SELECT pg_try_advisory_lock($1, $2) AS ok', JOB_LOCK);
      if (!got.rows[0].ok) return report;
    } else if (running) return report;
    running = true;
    report.ran = true;
    const meta = strapi.db.metadata.get('api::promise-to-pay.promise-to-pay' as any) as any;
    const link = meta.attributes.account.joinTable;
    const horizon = addDays(now.toISOString().slice(0, 10), 1);
    const rows: Array<{ account_id: number }> = await knex(meta.tableName)
      .join(link.name, `${link.name}.${link.joinColumn.name}`, `${meta.tableName}.id`)
      .where(`${meta.tableName}.state`, 'pending')
      .where(`${meta.tableName}.due_date`, '<=', horizon)
      .distinct({ account_id: `${link.name}.${link.inverseJoinColumn.name}` });
    for (const { account_id } of rows) {
      try {
        const r = await strapi.db.transaction(() => evaluateAccountPromises(strapi, account_id, now));
        report.accounts++;
        report.changed += r.changed;
        report.callbacks += r.callbacks;
      } catch (error: any) {
        report.failed.push({ accountId: account_id, error: String(error?.message ?? error) });
        strapi.log.error(`promise job: account ${account_id}: ${error?.message ?? error}`);
      }
    }
    return report;
  } finally {
    if (report.ran) running = false;
    if (conn) {
      if (report.ran) await conn.query('SELECT pg_advisory_unlock($1, $2)', JOB_LOCK).catch(() => undefined);
      await (knex.client as any).releaseConnection(conn);
    }
  }
}

let running = false;

/** Runs the job on the configured schedule (config/promises.json, hourly by default) in every process; the lock lets one run. */
export function schedulePromiseJob(strapi: Core.Strapi) {
  const rule = process.env.PROMISE_JOB_CRON || sharedConfig<PromiseRules>('promises').evaluateCron;
  (strapi as any).cron.add({
    promiseEvaluation: {
      task: async () => {
        const r = await runPromiseJob(strapi).catch((e) => (strapi.log.error(`promise job: ${e?.message ?? e}`), null));
        if (r?.ran && (r.changed || r.failed.length)) strapi.log.info(`promise job: ${r.accounts} accounts, ${r.changed} promises moved, ${r.callbacks} callbacks, ${r.failed.length} failed`);
      },
      options: { rule },
    },
  });
}
