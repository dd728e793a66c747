import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { readRelation } from '../access/relation-input';
import { sharedConfig, type Compliance } from '../shared-config';
import { passwordProblem } from './password-policy';
import { hasRules, validateRecord, type FieldError } from './record-rules';

const USER_UID = 'plugin::users-permissions.user';
const FALLBACK_COUNTRY = process.env.DEFAULT_PHONE_COUNTRY || 'US';

export function throwValidation(list: FieldError[]): never {
  const message = list.length === 1 ? list[0].message : `${list.length} errors occurred: ${list.map((e) => e.message).join('; ')}`;
  throw new errors.ValidationError(message, { errors: list });
}

export function registerValidation(strapi: Core.Strapi) {
  const compliance = () => sharedConfig<Compliance>('compliance');

  /** The client a write links to; write-guard.ts has already refused any shape it could not read. */
  async function resolveClient(value: unknown): Promise<any | null> {
    const ref = readRelation({ type: 'relation', relation: 'manyToOne' }, value).linksTo;
    if (!ref) return null;
    return strapi.db.query('api::client.client').findOne({ where: 'id' in ref ? { id: ref.id } : { documentId: ref.documentId } });
  }

  async function checkPassword(data: Record<string, any>, documentId?: string) {
    if (typeof data.password !== 'string') return;
    const existing = documentId ? await strapi.db.query(USER_UID).findOne({ where: { documentId } }) : null;
    const problem = passwordProblem(data.password, { username: data.username ?? existing?.username, email: data.email ?? existing?.email });
    if (problem) throwValidation([{ path: ['password'], message: `password ${problem}`, name: 'ValidationError' }]);
  }

  strapi.documents.use(async (ctx, next) => {
    if (ctx.action !== 'create' && ctx.action !== 'update') return next();
    const params = ctx.params as any;
    const data = params.data;
    if (!data || typeof data !== 'object') return next();
    const uid = ctx.uid as string;
    if (uid === USER_UID) {
      await checkPassword(data, params.documentId);
      return next();
    }
    if (!hasRules(uid)) return next();

    const existing = ctx.action === 'update'
      ? await strapi.db.query(uid as any).findOne({ where: { documentId: params.documentId }, populate: uid === 'api::client.client' ? {} : { client: true } as any })
      : null;

    const client = uid === 'api::client.client'
      ? { ...(existing ?? {}), ...data }
      : data.client !== undefined ? await resolveClient(data.client) : existing?.client;
    const defaultCountry = client?.defaultCountry || FALLBACK_COUNTRY;

    const attributes = strapi.contentTypes[uid].attributes as Record<string, any>;
    const problems = validateRecord(uid, attributes, data, { defaultCountry, existing, compliance: compliance(), now: new Date() }, (c) => (strapi.components[c]?.attributes ?? {}) as any);

    if (uid === 'api::account.account' && (data.accountNumber !== undefined || data.client !== undefined) && client?.id) {
      const accountNumber = data.accountNumber ?? existing?.accountNumber;
      const clash = await strapi.db.query(uid).findOne({
        where: { accountNumber, client: { id: client.id }, ...(existing ? { documentId: { $ne: existing.documentId } } : {}) },
        select: ['documentId'],
      });
      if (clash) problems.push({ path: ['accountNumber'], message: `accountNumber ${accountNumber} already exists for this client`, name: 'ValidationError', value: accountNumber });
    }
    if ((data.client !== undefined && data.client !== null) && !client && uid !== 'api::client.client') {
      problems.push({ path: ['client'], message: 'client refers to a record that does not exist', name: 'ValidationError' });
    }
    if (problems.length) throwValidation(problems);

    if (uid === 'api::dnc-entry.dnc-entry' && ctx.action === 'create' && !data.addedAt) data.addedAt = new Date().toISOString();
    return next();
  });
}
