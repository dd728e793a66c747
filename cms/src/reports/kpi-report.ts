import type { Core } from '@strapi/strapi';
import { KPI_COUNT_FIELDS, KPI_DEFINITIONS, addCounts, emptyCounts, kpiRates, type KpiCounts, type KpiRates } from './kpi-formulas';
import type { GroupBy, KpiRequest } from './kpi-request';
import { ROLLUP, refreshCallRollup } from './kpi-call-rollup';

/** Whose figures a reader may see: everything (API tokens), some clients, or one agent's own. */
export type KpiScope = { kind: 'all' } | { kind: 'clients'; clientIds: number[] } | { kind: 'agent'; userId: number; clientIds: number[] };

/** The request's filters resolved to row ids. */
export type KpiFilters = { clientIds: number[] | null; campaignId: number | null; agentId: number | null };

export type KpiRow = { key: string | null; id: number | null; label: string } & KpiCounts & KpiRates;

export type KpiReport = {
  data: KpiRow[];
  totals: KpiCounts & KpiRates;
  /** For an agent only: their campaigns' average agent (kpi-peer-average.ts). */
  peerAverage?: Array<{ key: string | null; id: number; label: string; agents: number; average: (KpiCounts & KpiRates) | null }>;
  meta: { from: string; to: string; groupBy: GroupBy; timeZones: Record<string, string>; currencies: string[]; definitions: typeof KPI_DEFINITIONS & { peerAverage?: string }; notes: string[] };
};

type Link = { table: string; from: string; to: string };
type Part = Partial<Record<keyof KpiCounts, number>> & { k: string | number | null };

/**
 * The KPI report as a handful of set-based queries, one per source (calls,
 * promises made, promises due, payments, agent time), each grouped in the
 * database; Node only merges their few grouped rows by key. Times are read in
 * each client's time zone: PostgreSQL converts exactly (AT TIME ZONE); SQLite,
 * the demo database, has no time zones and uses each client's UTC offset at
 * the start of the period (a DST change inside the period shifts an hour there).
 */
export async function kpiReport(strapi: Core.Strapi, req: KpiRequest, filters: KpiFilters): Promise<KpiReport> {
  const knex = strapi.db.connection;
  const pg = strapi.db.dialect.client === 'postgres';
  const meta = (uid: string) => strapi.db.metadata.get(uid as any) as any;
  const table = (uid: string) => meta(uid).tableName as string;
  const link = (uid: string, field: string): Link => {
    const j = meta(uid).attributes[field].joinTable;
    return { table: j.name, from: j.joinColumn.name, to: j.inverseJoinColumn.name };
  };
  const CALL = 'api::call.call', PROMISE = 'api::promise-to-pay.promise-to-pay', PAYMENT = 'api::payment.payment';

  const clientRows: Array<{ id: number; name: string; tz: string | null; currency: string | null }> = await knex(table('api::client.client'))
    .select('id', 'name', { tz: 'default_timezone' }, 'currency')
    .modify((q: any) => (filters.clientIds ? q.whereIn('id', filters.clientIds.length ? filters.clientIds : [-1]) : q));
  const tzOf = new Map(clientRows.map((c) => [c.id, c.tz || 'UTC']));
  const clientIds = clientRows.map((c) => c.id);
  const inList = (ids: number[]) => (ids.length ? ids.map(() => '?').join(',') : 'NULL');

  // Local time of a timestamp column, for the client in `clientCol`.
  const offsets = new Map(clientRows.map((c) => [c.id, utcOffsetMinutes(c.tz || 'UTC', new Date(`${req.from}T12:00:00Z`))]));
  // Each query joins the client as `<alias>` so its zone is read once per row, with no subquery.
  const tzExpr = (clientCol: string) => `coalesce(${clientCol.split('.')[0]}z.default_timezone, 'UTC')`;
  const local = (ts: string, clientCol: string): { sql: string; bindings: unknown[] } => {
    // Strapi keeps UTC in timestamp-without-zone columns: read as UTC, then shown in the client's zone.
    if (pg) return { sql: `((${ts} AT TIME ZONE 'UTC') AT TIME ZONE ${tzExpr(clientCol)})`, bindings: [] };
    const cases = clientRows.map(() => 'WHEN ? THEN ?').join(' ');
    const julian = `(CASE WHEN typeof(${ts}) IN ('integer','real') THEN ${ts} / 86400000.0 + 2440587.5 ELSE julianday(${ts}) END)`;
    return { sql: `(${julian} + (CASE ${clientCol} ${cases} ELSE 0 END) / 1440.0)`, bindings: clientRows.flatMap((c) => [c.id, offsets.get(c.id)]) };
  };
  const localDay = (ts: string, clientCol: string) => {
    const l = local(ts, clientCol);
    return { sql: pg ? `to_char(${l.sql}, 'YYYY-MM-DD')` : `date(${l.sql})`, bindings: l.bindings };
  };
  // The period in each client's calendar as UTC instants, worked out here: the database compares plain
  // timestamps (an index can serve them, and no zone conversion runs per row to filter).
  const bounds = clientRows.map((cl) => ({ id: cl.id, lo: localMidnightUtc(req.from, cl.tz || 'UTC'), hi: localMidnightUtc(nextDay(req.to), cl.tz || 'UTC') }));
  const inPeriod = (ts: string, clientCol: string) => {
    if (!bounds.length) return { sql: 'FALSE', bindings: [] as unknown[] };
    if (pg) return { sql: bounds.map(() => `(${clientCol} = ? AND ${ts} >= ? AND ${ts} < ?)`).join(' OR '), bindings: bounds.flatMap((b) => [b.id, b.lo, b.hi]) };
    const julian = `(CASE WHEN typeof(${ts}) IN ('integer','real') THEN ${ts} / 86400000.0 + 2440587.5 ELSE julianday(${ts}) END)`;
    const j = (d: Date) => d.getTime() / 86400000 + 2440587.5;
    return { sql: bounds.map(() => `(${clientCol} = ? AND ${julian} >= ? AND ${julian} < ?)`).join(' OR '), bindings: bounds.flatMap((b) => [b.id, j(b.lo), j(b.hi)]) };
  };
  const dateBetween = (col: string) => ({ sql: `${col} >= ? AND ${col} <= ?`, bindings: [req.from, req.to] });

  const run = async (sql: string, bindings: unknown[]): Promise<Part[]> => {
    const res: any = await knex.raw(sql, bindings as any);
    const rows: any[] = pg ? res.rows : res;
    return rows.map((r) => {
      const out: any = { k: r.k === undefined ? null : r.k };
      for (const [f, v] of Object.entries(r)) if (f !== 'k') out[f] = v === null ? 0 : Number(v);
      return out;
    });
  };
  const ids = filters;
  const keyOf = (g: GroupBy, cols: { day: { sql: string; bindings: unknown[] }; agent: string; campaign: string; client: string }) =>
    g === 'day' ? cols.day : { sql: cols[g], bindings: [] as unknown[] };
  const where = (parts: Array<{ sql: string; bindings: unknown[] } | null>) => {
    const present = parts.filter(Boolean) as Array<{ sql: string; bindings: unknown[] }>;
    return { sql: present.map((p) => `(${p.sql})`).join(' AND ') || 'TRUE', bindings: present.flatMap((p) => p.bindings) };
  };
  const eq = (col: string, v: number | null) => (v === null ? null : { sql: `${col} = ?`, bindings: [v] });
  const clientIn = (col: string) => ({ sql: `${col} IN (${inList(clientIds)})`, bindings: clientIds });
  const sum = (expr: string) => `coalesce(sum(${expr}), 0)`;
  const countIf = (cond: string) => `${sum(`CASE WHEN ${cond} THEN 1 ELSE 0 END`)}`;

  // Calls.
  const c = { client: link(CALL, 'client'), agent: link(CALL, 'agent'), campaign: link(CALL, 'campaign'), disposition: link(CALL, 'disposition') };
  const callTs = 'coalesce(c.queued_at, c.created_at)';
  const callKey = keyOf(req.groupBy, { day: localDay(callTs, 'ccl.' + c.client.to), agent: `cal.${c.agent.to}`, campaign: `ccp.${c.campaign.to}`, client: `ccl.${c.client.to}` });
  const callWhere = where([inPeriod(callTs, 'ccl.' + c.client.to), clientIn('ccl.' + c.client.to), eq(`cal.${c.agent.to}`, ids.agentId), eq(`ccp.${c.campaign.to}`, ids.campaignId)]);
  const rawCallsSql = `SELECT ${callKey.sql} AS k,
      ${countIf("c.direction = 'outbound'")} AS dials,
      ${countIf("c.outcome = 'connected'")} AS connects,
      ${countIf(`d.right_party_contact = ${pg ? 'TRUE' : '1'}`)} AS "rightPartyContacts",
      ${countIf("c.outcome IN ('connected', 'abandoned')")} AS "liveAnswered",
      ${countIf("c.outcome = 'abandoned'")} AS abandoned,
      ${sum('c.talk_seconds')} AS "talkSeconds",
      ${sum('c.wrap_seconds')} AS "wrapSeconds"
    FROM ${table(CALL)} c
    JOIN ${c.client.table} ccl ON ccl.${c.client.from} = c.id
    JOIN ${table('api::client.client')} cclz ON cclz.id = ccl.${c.client.to}
    LEFT JOIN ${c.agent.table} cal ON cal.${c.agent.from} = c.id
    LEFT JOIN ${c.campaign.table} ccp ON ccp.${c.campaign.from} = c.id
    LEFT JOIN ${c.disposition.table} cdl ON cdl.${c.disposition.from} = c.id
    LEFT JOIN ${table('api::disposition.disposition')} d ON d.id = cdl.${c.disposition.to}
    WHERE ${callWhere.sql}
    GROUP BY 1`;
  // PostgreSQL reads the calls' daily sums (kpi-call-rollup.ts), brought up to date first; the same sums as the raw query.
  const rollupKey = { day: "to_char(r.day, 'YYYY-MM-DD')", agent: 'nullif(r.agent_id, 0)', campaign: 'nullif(r.campaign_id, 0)', client: 'r.client_id' }[req.groupBy];
  const rollupWhere = where([{ sql: 'r.day >= ?::date AND r.day <= ?::date', bindings: [req.from, req.to] }, clientIn('r.client_id'), eq('r.agent_id', ids.agentId), eq('r.campaign_id', ids.campaignId)]);
  const rollupSql = `SELECT ${rollupKey} AS k, sum(r.dials) AS dials, sum(r.connects) AS connects, sum(r.rpc) AS "rightPartyContacts",
      sum(r.live_answered) AS "liveAnswered", sum(r.abandoned) AS abandoned, sum(r.talk_seconds) AS "talkSeconds", sum(r.wrap_seconds) AS "wrapSeconds"
    FROM ${ROLLUP} r WHERE ${rollupWhere.sql} GROUP BY 1`;
  if (pg) await refreshCallRollup(strapi);

  // Promises: made in the period (by creation), and due in it (by due date).
  const p = { client: link(PROMISE, 'client'), agent: link(PROMISE, 'agent'), call: link(PROMISE, 'call') };
  // The agent and campaign links are joined only when the grouping or a filter reads them: a campaign is two
  // link tables away from a promise (through its call), the costliest join of the report.
  const needAgent = req.groupBy === 'agent' || ids.agentId !== null;
  const needCampaign = req.groupBy === 'campaign' || ids.campaignId !== null;
  const agentJoin = (on: string) => (needAgent ? `LEFT JOIN ${p.agent.table} pal ON pal.${p.agent.from} = ${on}` : '');
  const campaignJoin = (on: string) => (needCampaign ? `LEFT JOIN ${p.call.table} pcall ON pcall.${p.call.from} = ${on}
    LEFT JOIN ${c.campaign.table} pcp ON pcp.${c.campaign.from} = pcall.${p.call.to}` : '');
  const promiseJoins = `FROM ${table(PROMISE)} p
    JOIN ${p.client.table} pcl ON pcl.${p.client.from} = p.id
    JOIN ${table('api::client.client')} pclz ON pclz.id = pcl.${p.client.to}
    ${agentJoin('p.id')}
    ${campaignJoin('p.id')}`;
  const promiseFilter = [clientIn('pcl.' + p.client.to), eq(`pal.${p.agent.to}`, ids.agentId), eq(`pcp.${c.campaign.to}`, ids.campaignId), { sql: "p.state <> 'cancelled'", bindings: [] }];
  const promiseCols = { agent: `pal.${p.agent.to}`, campaign: `pcp.${c.campaign.to}`, client: `pcl.${p.client.to}` };
  const madeKey = keyOf(req.groupBy, { day: localDay('p.created_at', 'pcl.' + p.client.to), ...promiseCols });
  const madeWhere = where([inPeriod('p.created_at', 'pcl.' + p.client.to), ...promiseFilter]);
  const madeSql = `SELECT ${madeKey.sql} AS k, count(*) AS promises, ${sum('p.amount')} AS "promisedAmount" ${promiseJoins} WHERE ${madeWhere.sql} GROUP BY 1`;
  const dueKey = keyOf(req.groupBy, { day: { sql: pg ? "to_char(p.due_date, 'YYYY-MM-DD')" : 'p.due_date', bindings: [] }, ...promiseCols });
  const dueWhere = where([dateBetween('p.due_date'), ...promiseFilter]);
  const dueSql = `SELECT ${dueKey.sql} AS k, count(*) AS "promisesDue",
      ${countIf("p.state = 'kept'")} AS "promisesKept",
      ${countIf("p.state = 'partially_kept'")} AS "promisesPartiallyKept",
      ${countIf("p.state = 'broken'")} AS "promisesBroken"
    ${promiseJoins} WHERE ${dueWhere.sql} GROUP BY 1`;

  // Payments: by paid date; to an agent and a campaign through the promise they settle.
  const y = { client: link(PAYMENT, 'client'), promise: link(PAYMENT, 'promise') };
  const payKey = keyOf(req.groupBy, {
    day: { sql: pg ? "to_char(y.paid_date, 'YYYY-MM-DD')" : 'y.paid_date', bindings: [] },
    agent: `pal.${p.agent.to}`, campaign: `pcp.${c.campaign.to}`, client: `ycl.${y.client.to}`,
  });
  const payWhere = where([dateBetween('y.paid_date'), clientIn('ycl.' + y.client.to), eq(`pal.${p.agent.to}`, ids.agentId), eq(`pcp.${c.campaign.to}`, ids.campaignId)]);
  const paySql = `SELECT ${payKey.sql} AS k, ${sum('y.amount')} AS "collectedAmount"
    FROM ${table(PAYMENT)} y
    JOIN ${y.client.table} ycl ON ycl.${y.client.from} = y.id
    ${needAgent || needCampaign ? `LEFT JOIN ${y.promise.table} ypl ON ypl.${y.promise.from} = y.id` : ''}
    ${agentJoin(`ypl.${y.promise.to}`)}
    ${campaignJoin(`ypl.${y.promise.to}`)}
    WHERE ${payWhere.sql} GROUP BY 1`;

  // Agent time: plain columns, written only by the dialer-worker.
  const iKey = keyOf(req.groupBy, { day: localDay('i.started_at', 'i.client_id'), agent: 'i.agent_id', campaign: 'i.campaign_id', client: 'i.client_id' });
  const iWhere = where([inPeriod('i.started_at', 'i.client_id'), clientIn('i.client_id'), eq('i.agent_id', ids.agentId), eq('i.campaign_id', ids.campaignId)]);
  const intervalSql = `SELECT ${iKey.sql} AS k, ${sum('i.seconds')} AS "loggedInSeconds", ${sum("CASE WHEN i.status = 'paused' THEN i.seconds ELSE 0 END")} AS "pausedSeconds"
    FROM ${table('api::agent-interval.agent-interval')} i LEFT JOIN ${table('api::client.client')} iz ON iz.id = i.client_id WHERE ${iWhere.sql} GROUP BY 1`;

  const parts = await Promise.all([
    pg ? run(rollupSql, rollupWhere.bindings) : run(rawCallsSql, [...callKey.bindings, ...callWhere.bindings]),
    run(madeSql, [...madeKey.bindings, ...madeWhere.bindings]),
    run(dueSql, [...dueKey.bindings, ...dueWhere.bindings]),
    run(paySql, [...payKey.bindings, ...payWhere.bindings]),
    run(intervalSql, [...iKey.bindings, ...iWhere.bindings]),
  ]);

  const byKey = new Map<string, KpiCounts>();
  const keyText = (k: unknown) => (k === null || k === undefined ? '' : String(k));
  for (const part of parts) {
    for (const row of part) {
      const key = keyText(row.k);
      const counts = byKey.get(key) ?? emptyCounts();
      for (const f of KPI_COUNT_FIELDS) if (row[f] !== undefined) (counts as any)[f] = ((counts as any)[f] ?? 0) + row[f]!;
      byKey.set(key, counts);
    }
  }
  const labels = await labelsFor(strapi, req.groupBy, [...byKey.keys()].filter(Boolean));
  const data: KpiRow[] = [...byKey.entries()]
    .map(([key, counts]) => {
      const rounded = addCounts(counts, emptyCounts());
      const label = key === '' ? NO_KEY[req.groupBy] : req.groupBy === 'day' ? key : labels.get(key)?.label ?? key;
      const out: KpiRow = { key: key === '' ? null : req.groupBy === 'day' ? key : labels.get(key)?.documentId ?? key, id: req.groupBy === 'day' || key === '' ? null : Number(key), label, ...rounded, ...kpiRates(rounded) };
      return out;
    })
    .sort((a, b) => (req.groupBy === 'day' ? String(a.key).localeCompare(String(b.key)) : a.key === null ? 1 : b.key === null ? -1 : a.label.localeCompare(b.label)));
  const total = data.reduce((acc, r) => addCounts(acc, r), emptyCounts());
  return {
    data,
    totals: { ...total, ...kpiRates(total) },
    meta: {
      from: req.from, to: req.to, groupBy: req.groupBy,
      timeZones: Object.fromEntries(clientRows.map((c) => [c.name, tzOf.get(c.id)!])),
      currencies: [...new Set(clientRows.map((c) => c.currency || 'USD'))],
      definitions: KPI_DEFINITIONS,
      notes: [
        'Dates are read in each client\'s time zone (its defaultTimezone).',
        'Calls, promises and payments with no agent or campaign (a dial no agent took, a payment settling no promise) are in the row whose key is null.',
        ...(pg ? [] : ['SQLite: each client\'s UTC offset at the start of the period is used for the whole period.']),
      ],
    },
  };
}

const NO_KEY: Record<GroupBy, string> = { day: '(no day)', agent: '(no agent)', campaign: '(no campaign)', client: '(no client)' };

async function labelsFor(strapi: Core.Strapi, groupBy: GroupBy, keys: string[]): Promise<Map<string, { label: string; documentId: string }>> {
  const out = new Map<string, { label: string; documentId: string }>();
  if (groupBy === 'day' || !keys.length) return out;
  const uid = { agent: 'plugin::users-permissions.user', campaign: 'api::campaign.campaign', client: 'api::client.client' }[groupBy];
  const field = groupBy === 'agent' ? 'username' : 'name';
  const rows = await strapi.db.query(uid as any).findMany({ where: { id: { $in: keys.map(Number) } }, select: ['id', 'documentId', field] } as any);
  for (const r of rows) out.set(String(r.id), { label: r[field], documentId: r.documentId });
  return out;
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The instant a local day begins in a zone (twice corrected, for the day a DST change happens on). */
export function localMidnightUtc(date: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let t = wall - utcOffsetMinutes(timeZone, new Date(wall)) * 60_000;
  t = wall - utcOffsetMinutes(timeZone, new Date(t)) * 60_000;
  return new Date(t);
}

/** Minutes east of UTC of a zone at an instant (for SQLite, which has no zones). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}
