import type { Core } from '@strapi/strapi';

/**
 * Calls summed per client, local day, campaign and agent: what the KPI report
 * reads on PostgreSQL instead of a month of raw calls (a million rows and four
 * link tables take seconds to join; their sums by day take milliseconds).
 *
 * It never drifts from the calls: statement triggers on the calls table, its
 * link tables, the dispositions and the clients' time zones mark the UTC days
 * they touch, and every report first recomputes the marked days from the raw
 * calls, in one set-based statement, under an advisory lock. A mark committed
 * while a refresh runs stays for the next one.
 */
export const ROLLUP = 'kpi_call_rollup';
export const DIRTY = 'kpi_call_dirty_days';
const REFRESH_LOCK: [number, number] = [815_003, 1];
/** A mark meaning "every day": a disposition's right-party flag or a client's time zone changed. */
const EVERYTHING = '-infinity';

type Names = { calls: string; clients: string; dispositions: string; links: Record<'client' | 'agent' | 'campaign' | 'disposition', { table: string; from: string; to: string }> };

function names(strapi: Core.Strapi): Names {
  const meta = (uid: string) => strapi.db.metadata.get(uid as any) as any;
  const link = (field: string) => {
    const j = meta('api::call.call').attributes[field].joinTable;
    return { table: j.name, from: j.joinColumn.name, to: j.inverseJoinColumn.name };
  };
  return {
    calls: meta('api::call.call').tableName, clients: meta('api::client.client').tableName, dispositions: meta('api::disposition.disposition').tableName,
    links: { client: link('client'), agent: link('agent'), campaign: link('campaign'), disposition: link('disposition') },
  };
}

const callTime = (alias: string) => `coalesce(${alias}.queued_at, ${alias}.created_at)`;

/** Tables, trigger functions and triggers, created idempotently at every start (PostgreSQL only). */
export async function ensureCallRollup(strapi: Core.Strapi): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') return;
  const n = names(strapi);
  const knex = strapi.db.connection;
  const created = !(await knex.schema.hasTable(ROLLUP));
  await knex.raw(`CREATE TABLE IF NOT EXISTS ${ROLLUP} (
    client_id integer NOT NULL, day date NOT NULL, campaign_id integer NOT NULL, agent_id integer NOT NULL,
    dials integer NOT NULL, connects integer NOT NULL, rpc integer NOT NULL, live_answered integer NOT NULL, abandoned integer NOT NULL,
    talk_seconds numeric NOT NULL, wrap_seconds numeric NOT NULL,
    PRIMARY KEY (client_id, day, campaign_id, agent_id))`);
  await knex.raw(`CREATE TABLE IF NOT EXISTS ${DIRTY} (utc_day date PRIMARY KEY)`);
  if (created) await knex.raw(`INSERT INTO ${DIRTY} VALUES (?) ON CONFLICT DO NOTHING`, [EVERYTHING]);

  const mark = (fn: string, body: string) => knex.raw(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$`);
  const fromRows = (rows: string) => `INSERT INTO ${DIRTY} (utc_day) SELECT DISTINCT ${callTime(rows)}::date FROM ${rows} WHERE ${callTime(rows)} IS NOT NULL ON CONFLICT DO NOTHING`;
  await mark('kpi_mark_calls_new', fromRows('new_rows'));
  await mark('kpi_mark_calls_old', fromRows('old_rows'));
  await mark('kpi_mark_calls_both', `${fromRows('new_rows')}; ${fromRows('old_rows')}`);
  await mark('kpi_mark_everything', `INSERT INTO ${DIRTY} VALUES ('${EVERYTHING}') ON CONFLICT DO NOTHING`);
  const trigger = async (name: string, table: string, when: string, fn: string, referencing: string) => {
    await knex.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
    await knex.raw(`CREATE TRIGGER ${name} AFTER ${when} ON ${table} ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
  };
  await trigger('kpi_calls_ins', n.calls, 'INSERT', 'kpi_mark_calls_new', 'REFERENCING NEW TABLE AS new_rows');
  await trigger('kpi_calls_upd', n.calls, 'UPDATE', 'kpi_mark_calls_both', 'REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows');
  await trigger('kpi_calls_del', n.calls, 'DELETE', 'kpi_mark_calls_old', 'REFERENCING OLD TABLE AS old_rows');
  for (const [field, l] of Object.entries(n.links)) {
    const fromLinks = (rows: string) => `INSERT INTO ${DIRTY} (utc_day) SELECT DISTINCT ${callTime('c')}::date FROM ${rows} r JOIN ${n.calls} c ON c.id = r.${l.from} WHERE ${callTime('c')} IS NOT NULL ON CONFLICT DO NOTHING`;
    await mark(`kpi_mark_${field}_new`, fromLinks('new_rows'));
    await mark(`kpi_mark_${field}_old`, fromLinks('old_rows'));
    await mark(`kpi_mark_${field}_both`, `${fromLinks('new_rows')}; ${fromLinks('old_rows')}`);
    await trigger(`kpi_${field}_ins`, l.table, 'INSERT', `kpi_mark_${field}_new`, 'REFERENCING NEW TABLE AS new_rows');
    await trigger(`kpi_${field}_upd`, l.table, 'UPDATE', `kpi_mark_${field}_both`, 'REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows');
    await trigger(`kpi_${field}_del`, l.table, 'DELETE', `kpi_mark_${field}_old`, 'REFERENCING OLD TABLE AS old_rows');
  }
  await knex.raw(`DROP TRIGGER IF EXISTS kpi_dispositions_upd ON ${n.dispositions}`);
  await knex.raw(`CREATE TRIGGER kpi_dispositions_upd AFTER UPDATE OF right_party_contact ON ${n.dispositions} FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_everything()`);
  await knex.raw(`DROP TRIGGER IF EXISTS kpi_clients_upd ON ${n.clients}`);
  await knex.raw(`CREATE TRIGGER kpi_clients_upd AFTER UPDATE OF default_timezone ON ${n.clients} FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_everything()`);
}

/**
 * Recomputes the marked days. A UTC day touches the local days before and
 * after it in some zone, so those three local days are recomputed, for every
 * client, from every call in the UTC span that can fall on them.
 */
export async function refreshCallRollup(strapi: Core.Strapi): Promise<{ days: number; everything: boolean }> {
  if (strapi.db.dialect.client !== 'postgres') return { days: 0, everything: false };
  const n = names(strapi);
  const l = n.links;
  return strapi.db.connection.transaction(async (trx) => {
    // One refresher at a time; the others wait and then find nothing left to do.
    await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', REFRESH_LOCK);
    const taken: Array<{ utc_day: any }> = (await trx.raw(`DELETE FROM ${DIRTY} RETURNING utc_day::text AS utc_day`)).rows;
    if (!taken.length) return { days: 0, everything: false };
    const everything = taken.some((r) => r.utc_day === EVERYTHING);
    const utcDays = taken.map((r) => String(r.utc_day)).filter((d) => d !== EVERYTHING);
    const localDays = everything ? null : [...new Set(utcDays.flatMap((d) => [-1, 0, 1].map((k) => new Date(Date.parse(`${d}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10))))];
    const local = `((${callTime('c')} AT TIME ZONE 'UTC') AT TIME ZONE coalesce(z.default_timezone, 'UTC'))::date`;
    const span = everything ? { sql: 'TRUE', bindings: [] as unknown[] } : {
      // Local days D-1..D+1 hold calls from UTC D-2 to D+3 at the widest zones (UTC-12 to UTC+14).
      sql: `${callTime('c')} >= ?::date - 2 AND ${callTime('c')} < ?::date + 3 AND ${local} = ANY(?::date[])`,
      bindings: [localDays!.reduce((a, b) => (a < b ? a : b)), localDays!.reduce((a, b) => (a > b ? a : b)), localDays],
    };
    if (everything) await trx.raw(`DELETE FROM ${ROLLUP}`);
    else await trx.raw(`DELETE FROM ${ROLLUP} WHERE day = ANY(?::date[])`, [localDays]);
    await trx.raw(`INSERT INTO ${ROLLUP}
      SELECT ccl.${l.client.to}, ${local}, coalesce(ccp.${l.campaign.to}, 0), coalesce(cal.${l.agent.to}, 0),
        count(*) FILTER (WHERE c.direction = 'outbound'),
        count(*) FILTER (WHERE c.outcome = 'connected'),
        count(*) FILTER (WHERE d.right_party_contact),
        count(*) FILTER (WHERE c.outcome IN ('connected', 'abandoned')),
        count(*) FILTER (WHERE c.outcome = 'abandoned'),
        coalesce(sum(c.talk_seconds), 0), coalesce(sum(c.wrap_seconds), 0)
      FROM ${n.calls} c
      JOIN ${l.client.table} ccl ON ccl.${l.client.from} = c.id
      JOIN ${n.clients} z ON z.id = ccl.${l.client.to}
      LEFT JOIN ${l.agent.table} cal ON cal.${l.agent.from} = c.id
      LEFT JOIN ${l.campaign.table} ccp ON ccp.${l.campaign.from} = c.id
      LEFT JOIN ${l.disposition.table} cdl ON cdl.${l.disposition.from} = c.id
      LEFT JOIN ${n.dispositions} d ON d.id = cdl.${l.disposition.to}
      WHERE ${callTime('c')} IS NOT NULL AND ${span.sql}
      GROUP BY 1, 2, 3, 4`, span.bindings as any);
    return { days: localDays?.length ?? 0, everything };
  });
}
