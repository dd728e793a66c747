/** Content types whose every write (REST, admin panel, services) is recorded by the document middleware. */
export const DOCUMENT_AUDITED = new Set([
  'api::client.client',
  'api::account.account',
  'api::campaign.campaign',
  'api::call.call',
  'api::disposition.disposition',
  'api::promise-to-pay.promise-to-pay',
  'api::callback.callback',
  'api::payment.payment',
  'api::dnc-entry.dnc-entry',
]);

/**
 * Users, roles and permissions are also written with raw queries by the
 * users-permissions and admin plugins, so they are recorded by database
 * lifecycles, which see every path.
 */
export const ROW_AUDITED = [
  'plugin::users-permissions.user',
  'plugin::users-permissions.role',
  'plugin::users-permissions.permission',
  'admin::user',
  'admin::role',
  'admin::permission',
];

export const AUDIT_LOG_UID = 'api::audit-log.audit-log';
