/**
 * Many calls fast, set-based, for benchmarks and tests: one INSERT … SELECT
 * over generate_series per chunk, links included (data-modifying CTEs), so a
 * million calls take seconds and no row passes through Node. PostgreSQL only.
 * The seed is not what is measured: it skips the document service and the audit trail.
 */
const OUTCOMES = ['connected', 'no_answer', 'busy', 'machine', 'connected', 'abandoned', 'failed', 'connected'];

/** Inserts `count` calls of `clientId` over `accountIds`, `agentIds` and `dispositionIds` (round robin). */
async function insertBulkCalls(strapi, { count, clientId, accountIds, agentIds, campaignId = null, dispositionIds = [], prefix = 'BC', chunk = 250000 }) {
  if (!/^[A-Za-z0-9_]{1,20}$/.test(prefix)) throw new Error(`prefix must be letters, digits or _: ${prefix}`);
  const knex = strapi.db.connection;
  const meta = strapi.db.metadata.get('api::call.call');
  const col = (name) => meta.attributes[name].columnName || name;
  const link = (name) => meta.attributes[name].joinTable;
  const links = [
    ['client', `?::int`, [clientId]],
    ['account', `(?::int[])[1 + (g % ?)]`, [accountIds, accountIds.length]],
    ['agent', `(?::int[])[1 + (g % ?)]`, [agentIds, agentIds.length]],
    ...(campaignId ? [['campaign', `?::int`, [campaignId]]] : []),
    ...(dispositionIds.length ? [['disposition', `(?::int[])[1 + (g % ?)]`, [dispositionIds, dispositionIds.length]]] : []),
  ];
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const bindings = [];
    const ctes = links.map(([name, expr, values], i) => {
      const jt = link(name);
      bindings.push(...values);
      return `l${i} as (insert into ${jt.name} (${jt.joinColumn.name}, ${jt.inverseJoinColumn.name}) select id, ${expr} from made)`;
    });
    const sql = `
      with made as (
        insert into ${meta.tableName} (document_id, ${col('attemptId')}, ${col('recordedBy')}, ${col('phone')}, ${col('direction')}, ${col('dialMode')},
          ${col('queuedAt')}, ${col('answeredAt')}, ${col('endedAt')}, ${col('ringSeconds')}, ${col('talkSeconds')}, ${col('wrapSeconds')}, ${col('outcome')}, ${col('notes')},
          created_at, updated_at, published_at)
        select substr(md5(g::text || '${prefix}'), 1, 24), '${prefix}-' || g, 'dialer', '+1312' || lpad((g % 10000000)::text, 7, '0'), 'outbound', 'predictive',
          timestamp '2026-01-01' + g * interval '1 second', timestamp '2026-01-01' + g * interval '1 second' + interval '12 seconds',
          timestamp '2026-01-01' + g * interval '1 second' + interval '200 seconds', 12, 188 + (g % 120), 15 + (g % 40),
          (array[${OUTCOMES.map((o) => `'${o}'`).join(',')}])[1 + (g % ${OUTCOMES.length})],
          case when g % 10 = 0 then 'Promised Friday, "call back" after 5, wife answered' else null end,
          now(), now(), now()
        from generate_series(${start + 1}, ${end}) as g
        returning id, substring(${col('attemptId')} from ${prefix.length + 2})::int as g
      )${ctes.length ? ',\n' + ctes.join(',\n') : ''}
      select count(*)::int as n from made`;
    // The CTEs name `g` from the returned rows, so the round robin is the same as in the insert.
    await knex.raw(sql, bindings);
  }
  await knex.raw(`analyze ${meta.tableName}`);
  for (const [name] of links) await knex.raw(`analyze ${link(name).name}`);
}

module.exports = { insertBulkCalls };
