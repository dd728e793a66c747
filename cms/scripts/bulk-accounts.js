/**
 * Many accounts fast, for benchmarks and fixtures: raw inserts of accounts, one phone each,
 * their client and their agent (round robin), 1,000 a transaction. The seed is not what is
 * measured, so it skips the document service and the audit trail.
 */
const crypto = require('crypto');

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const STATUSES = ['open', 'open', 'open', 'promised', 'in_arrangement', 'dispute'];
const BATCH = 1000;

function bucketOf(dpd) {
  if (dpd === 0) return 'current';
  for (const [max, bucket] of [[30, 'dpd_1_30'], [60, 'dpd_31_60'], [90, 'dpd_61_90'], [120, 'dpd_91_120'], [180, 'dpd_121_180']]) if (dpd <= max) return bucket;
  return 'dpd_181_plus';
}

/** Inserts `count` accounts of `clientId`; numbers are `${prefix}${8 digits}`, phones +1312 from `firstPhone`. Returns each account's documentId and agent id. */
async function insertBulkAccounts(strapi, { count, clientId, agentIds, prefix = 'B', firstPhone = 2000000, zones = ZONES }) {
  const knex = strapi.db.connection;
  const meta = (uid) => strapi.db.metadata.get(uid);
  const account = meta('api::account.account');
  const clientLink = account.attributes.client.joinTable;
  const agentLink = account.attributes.assignedAgent.joinTable;
  const phonesLink = account.attributes.phones.joinTable;
  const phoneTable = meta('contact.phone').tableName;
  const docId = () => crypto.randomBytes(18).toString('base64').replace(/[^a-z0-9]/g, '').padEnd(24, 'x').slice(0, 24);
  const made = [];
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const now = new Date();
    await knex.transaction(async (trx) => {
      const rows = Array.from({ length: n }, (_, k) => {
        const i = start + k;
        const dpd = i % 360;
        return {
          document_id: docId(), account_number: `${prefix}${String(i).padStart(8, '0')}`, debtor_first_name: 'Bench', debtor_last_name: `Debtor${i}`,
          balance: 100 + (i % 9000), currency: 'USD', days_past_due: dpd, delinquency_bucket: bucketOf(dpd), status: STATUSES[i % STATUSES.length], timezone: zones[i % zones.length],
          created_at: now, updated_at: now, published_at: now,
        };
      });
      const inserted = await trx(account.tableName).insert(rows, ['id', 'document_id']);
      const phones = await trx(phoneTable).insert(
        inserted.map((_, k) => ({ number: `+1312${String(firstPhone + start + k).padStart(7, '0')}`, type: 'mobile', status: 'valid', is_primary: true, autodial_consent: false })),
        ['id'],
      );
      await trx(clientLink.name).insert(inserted.map((r) => ({ [clientLink.joinColumn.name]: r.id, [clientLink.inverseJoinColumn.name]: clientId })));
      await trx(agentLink.name).insert(inserted.map((r, k) => ({ [agentLink.joinColumn.name]: r.id, [agentLink.inverseJoinColumn.name]: agentIds[(start + k) % agentIds.length] })));
      await trx(phonesLink.name).insert(
        inserted.map((r, k) => ({ [phonesLink.joinColumn.name]: r.id, [phonesLink.inverseJoinColumn.name]: phones[k].id, component_type: 'contact.phone', field: 'phones', [phonesLink.orderColumnName]: 1 })),
      );
      inserted.forEach((r, k) => made.push({ documentId: r.document_id, agentId: agentIds[(start + k) % agentIds.length] }));
    });
  }
  await knex.raw('ANALYZE');
  return made;
}

module.exports = { insertBulkAccounts };
