import { planColumn, readColumnsParam, type SchemaLookup } from '../../src/exports/column-plan';
import { ExportError } from '../../src/exports/export-error';
import account from '../../src/api/account/content-types/account/schema.json';
import call from '../../src/api/call/content-types/call/schema.json';
import client from '../../src/api/client/content-types/client/schema.json';
import disposition from '../../src/api/disposition/content-types/disposition/schema.json';
import phone from '../../src/components/contact/phone.json';

const users = { attributes: { username: { type: 'string' }, email: { type: 'email' }, password: { type: 'password', private: true }, resetPasswordToken: { type: 'string', private: true }, blocked: { type: 'boolean' }, role: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.role' } } };
const models: Record<string, any> = {
  'api::account.account': account,
  'api::call.call': call,
  'api::client.client': client,
  'api::disposition.disposition': disposition,
  'contact.phone': phone,
  'plugin::users-permissions.user': users,
};
const lookup: SchemaLookup = {
  attributes: (uid) => models[uid]?.attributes,
  isPrivate: (uid, name) => !!models[uid]?.attributes?.[name]?.private,
};

describe('export columns', () => {
  it.each([
    ['api::account.account', 'accountNumber', { kind: 'field', attribute: 'accountNumber', type: 'string' }],
    ['api::account.account', 'balance', { kind: 'field', type: 'decimal' }],
    ['api::account.account', 'client.name', { kind: 'relation', relation: 'client', target: 'api::client.client', attribute: 'name' }],
    ['api::account.account', 'assignedAgent.username', { kind: 'relation', relation: 'assignedAgent', attribute: 'username' }],
    ['api::account.account', 'phone1', { kind: 'phone', index: 1, property: 'number' }],
    ['api::account.account', 'phone2Type', { kind: 'phone', index: 2, property: 'type', type: 'enumeration' }],
    ['api::account.account', 'phone20Consent', { kind: 'phone', index: 20, property: 'autodialConsent', type: 'boolean' }],
    ['api::account.account', 'phone3ConsentDate', { kind: 'phone', index: 3, property: 'consentDate', type: 'datetime' }],
    ['api::call.call', 'disposition.label', { kind: 'relation', relation: 'disposition', attribute: 'label' }],
    ['api::call.call', 'account.accountNumber', { kind: 'relation', relation: 'account', attribute: 'accountNumber' }],
    ['api::call.call', 'id', { kind: 'field', type: 'integer' }],
  ])('%s: %s', (uid, key, expected) => {
    expect(planColumn(uid, key, lookup)).toMatchObject({ key, ...expected });
  });

  it.each([
    ['api::account.account', 'assignedAgent.password'],
    ['api::account.account', 'assignedAgent.resetPasswordToken'],
    ['api::account.account', 'assignedAgent.blocked'],
    ['api::account.account', 'assignedAgent.role'],
    ['api::account.account', 'client.members'],
    ['api::account.account', 'client.members.username'],
    ['api::account.account', 'phones'],
    ['api::account.account', 'phone0'],
    ['api::account.account', 'phone21'],
    ['api::account.account', 'phone1Colour'],
    ['api::call.call', 'phone1'],
    ['api::call.call', 'account.phones'],
    ['api::account.account', ''],
    ['api::account.account', 'constructor'],
    ['api::account.account', '__proto__.x'],
  ])('%s: %s is refused, named', (uid, key) => {
    let error: unknown;
    try {
      planColumn(uid, key, lookup);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExportError);
    expect((error as ExportError).code).toBe('UNKNOWN_COLUMN');
    expect((error as ExportError).message).toContain(key);
  });

  it.each([
    ['a,b, c', ['a', 'b', 'c']],
    [['a', 'b,c'], ['a', 'b', 'c']],
    [{ 0: 'a', 1: 'b' }, ['a', 'b']],
    ['', undefined],
    [undefined, undefined],
  ])('reads columns=%j', (value, expected) => {
    expect(readColumnsParam(value)).toEqual(expected);
  });

  it('refuses columns that are not names', () => {
    expect(() => readColumnsParam({ a: { b: 'c' } })).toThrow(ExportError);
  });
});
