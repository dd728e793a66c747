import type { Core } from '@strapi/strapi';

/**
 * Indexes for the hot reads. Strapi keeps relations in link tables, so
 * "account by client" is an index on the link table, not a column. Created
 * with IF NOT EXISTS at every start: Strapi's schema sync may drop indexes it
 * does not know about when the content types change.
 */
type IndexSpec = { name: string; table: string; columns: string[]; unique?: boolean };

function indexesFor(strapi: Core.Strapi): IndexSpec[] {
  const meta = (uid: string) => strapi.db.metadata.get(uid as any) as any;
  const link = (uid: string, field: string) => meta(uid).attributes[field].joinTable;
  const list: IndexSpec[] = [];
  const add = (name: string, table: string, columns: string[], unique = false) => list.push({ name, table, columns, unique });

  const account = meta('api::account.account');
  add('ix_accounts_account_number', account.tableName, ['account_number']);
  const accountClient = link('api::account.account', 'client');
  add('ix_accounts_client_lnk_client', accountClient.name, [accountClient.inverseJoinColumn.name, accountClient.joinColumn.name]);
  const accountAgent = link('api::account.account', 'assignedAgent');
  add('ix_accounts_agent_lnk_agent', accountAgent.name, [accountAgent.inverseJoinColumn.name, accountAgent.joinColumn.name]);
  // The supervisors' list filters and sorts on these; on 100,000 accounts each turns a sequential scan into an
  // index scan (a page sorted by balance walks the balance index) or a bitmap AND of two filters.
  for (const column of ['status', 'balance', 'days_past_due', 'timezone', 'delinquency_bucket']) add(`ix_accounts_${column}`, account.tableName, [column]);
  add('ix_phones_number', meta('contact.phone').tableName, ['number']);
  // From a phone to its account (an import's "phone already on another account"): Strapi indexes only the entity side.
  const phones = account.attributes.phones.joinTable;
  add('ix_accounts_cmps_cmp', phones.name, [phones.inverseJoinColumn.name]);

  const call = meta('api::call.call');
  add('ix_calls_queued_at', call.tableName, ['queued_at']);
  add('ix_calls_ended_at', call.tableName, ['ended_at']);
  // The dialer's idempotency key: a retried or racing write of one attempt can never make two calls.
  add('ux_calls_attempt_id', call.tableName, ['attempt_id'], true);
  add('ix_accounts_last_attempt', account.tableName, ['last_attempt_at']);
  for (const field of ['account', 'campaign', 'agent', 'client']) {
    const l = link('api::call.call', field);
    add(`ix_calls_${field}_lnk_${field}`, l.name, [l.inverseJoinColumn.name, l.joinColumn.name]);
  }
  // An import's errors are paged and grouped by import, in row order.
  add('ix_import_errors_import_row', meta('api::import-error.import-error').tableName, ['import_id', 'row']);
  add('ix_dnc_entries_phone', meta('api::dnc-entry.dnc-entry').tableName, ['phone']);
  add('ix_callbacks_due_at', meta('api::callback.callback').tableName, ['due_at', 'state']);
  add('ix_promises_due_date', meta('api::promise-to-pay.promise-to-pay').tableName, ['due_date', 'state']);
  const audit = meta('api::audit-log.audit-log').tableName;
  // The chain's order is its sequence number; two entries may never share one.
  add('ux_audit_logs_seq', audit, ['seq'], true);
  add('ix_audit_logs_client', audit, ['client_document_id', 'seq']);
  const sessions = meta('admin::session').tableName;
  // Every authenticated request reads its session row by id; logout and a replayed refresh token end a login by user and device.
  add('ix_sessions_session_id', sessions, ['session_id']);
  add('ix_sessions_user_device', sessions, ['user_id', 'origin', 'device_id']);
  return list;
}

export async function ensureIndexes(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  for (const { name, table, columns, unique } of indexesFor(strapi)) {
    const kind = unique ? 'UNIQUE INDEX' : 'INDEX';
    await knex.raw(`CREATE ${kind} IF NOT EXISTS ?? ON ?? (${columns.map(() => '??').join(', ')})`, [name, table, ...columns]);
  }
}
