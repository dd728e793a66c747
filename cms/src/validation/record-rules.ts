import type { Compliance } from '../shared-config';
import { isCountryCode, normalizePhone } from './phone-number';
import { isValidTimeZone } from './time-zone';
import { moneyProblem } from './money';

export type FieldError = { path: Array<string | number>; message: string; name: 'ValidationError'; value?: unknown };

export type RuleContext = {
  /** Country used to read national-format phone numbers (the client's). */
  defaultCountry: string;
  /** The stored record for an update, null for a create. */
  existing: Record<string, any> | null;
  compliance: Compliance;
};

type Data = Record<string, any>;
type Check = (data: Data, ctx: RuleContext, err: (path: Array<string | number>, message: string, value?: unknown) => void) => void;

const has = (data: Data, field: string) => Object.prototype.hasOwnProperty.call(data, field) && data[field] !== undefined;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function money(field: string, opts?: { positive?: boolean }): Check {
  return (data, _ctx, err) => {
    if (!has(data, field)) return;
    const problem = moneyProblem(data[field], opts);
    if (problem) err([field], `${field} ${problem}`, data[field]);
  };
}

function nonNegative(...fields: string[]): Check {
  return (data, _ctx, err) => {
    for (const f of fields) {
      if (!has(data, f) || data[f] === null) continue;
      const n = Number(data[f]);
      if (!Number.isFinite(n) || n < 0) err([f], `${f} must be a number of at least 0`, data[f]);
    }
  };
}

function timeZone(field: string): Check {
  return (data, _ctx, err) => {
    if (has(data, field) && data[field] !== null && !isValidTimeZone(data[field])) {
      err([field], `${field} must be an IANA time zone name such as America/Chicago`, data[field]);
    }
  };
}

function currency(field: string): Check {
  return (data, _ctx, err) => {
    if (has(data, field) && data[field] !== null && !/^[A-Z]{3}$/.test(String(data[field]))) {
      err([field], `${field} must be an ISO 4217 code such as USD`, data[field]);
    }
  };
}

function country(field: string): Check {
  return (data, _ctx, err) => {
    if (has(data, field) && data[field] !== null && !isCountryCode(data[field])) {
      err([field], `${field} must be an ISO 3166 two-letter country code such as US`, data[field]);
    }
  };
}

/** Normalises a single phone field in place to E.164. */
function phone(field: string, { required = false } = {}): Check {
  return (data, ctx, err) => {
    if (!has(data, field) || data[field] === null || data[field] === '') {
      if (required && (ctx.existing === null || has(data, field))) err([field], `${field} is required`, data[field]);
      return;
    }
    const result = normalizePhone(data[field], ctx.defaultCountry);
    if (result.ok === false) err([field], `${field} ${result.message}`, data[field]);
    else data[field] = result.e164;
  };
}

function requiredOnCreate(...fields: string[]): Check {
  return (data, ctx, err) => {
    if (ctx.existing) return;
    for (const f of fields) if (!has(data, f) || data[f] === null || data[f] === '') err([f], `${f} is required`);
  };
}

function validDate(...fields: string[]): Check {
  return (data, _ctx, err) => {
    for (const f of fields) {
      if (has(data, f) && data[f] !== null && Number.isNaN(new Date(data[f]).getTime())) err([f], `${f} must be a valid date`, data[f]);
    }
  };
}

const accountPhones: Check = (data, ctx, err) => {
  if (!has(data, 'phones')) return;
  if (!Array.isArray(data.phones)) return err(['phones'], 'phones must be a list', data.phones);
  const seen = new Map<string, number>();
  data.phones.forEach((p: Data, i: number) => {
    if (!p || typeof p !== 'object') return err(['phones', i], `phones[${i}] must be an object`, p);
    const result = normalizePhone(p.number, ctx.defaultCountry);
    if (result.ok === false) return err(['phones', i, 'number'], `phones[${i}].number ${result.message}`, p.number);
    p.number = result.e164;
    if (seen.has(p.number)) err(['phones', i, 'number'], `phones[${i}].number repeats phones[${seen.get(p.number)}]`, p.number);
    seen.set(p.number, i);
    if (p.autodialConsent === true && (!p.consentDate || !p.consentSource)) {
      err(['phones', i, 'autodialConsent'], `phones[${i}] autodial consent needs consentDate and consentSource`, p.autodialConsent);
    }
    if (p.consentDate && Number.isNaN(new Date(p.consentDate).getTime())) {
      err(['phones', i, 'consentDate'], `phones[${i}].consentDate must be a valid date`, p.consentDate);
    }
  });
};

const campaignCompliance: Check = (data, ctx, err) => {
  const { compliance } = ctx;
  const merged = { ...(ctx.existing ?? {}), ...data };
  if (has(data, 'abandonTarget') && data.abandonTarget !== null) {
    const t = Number(data.abandonTarget);
    if (!(t > 0 && t <= compliance.abandon.maxRate)) {
      err(['abandonTarget'], `abandonTarget must be above 0 and at most ${compliance.abandon.maxRate}`, data.abandonTarget);
    }
  }
  if (has(data, 'ringTimeoutSec') && Number(data.ringTimeoutSec) < compliance.ringTimeoutSecMin) {
    err(['ringTimeoutSec'], `ringTimeoutSec must be at least ${compliance.ringTimeoutSecMin} seconds`, data.ringTimeoutSec);
  }
  if (has(data, 'dropWindowSec') && !(Number(data.dropWindowSec) > 0 && Number(data.dropWindowSec) <= compliance.abandon.dropWindowSecMax)) {
    err(['dropWindowSec'], `dropWindowSec must be above 0 and at most ${compliance.abandon.dropWindowSecMax} seconds`, data.dropWindowSec);
  }
  const { start, end } = compliance.callingHours;
  for (const field of ['callWindowStart', 'callWindowEnd']) {
    if (!has(data, field) || data[field] === null) continue;
    const v = String(data[field]);
    if (!HHMM.test(v)) err([field], `${field} must be a time HH:MM`, v);
    else if (minutes(v) < minutes(start) || minutes(v) > minutes(end)) {
      err([field], `${field} must be within the legal calling hours ${start}-${end}`, v);
    }
  }
  const s = merged.callWindowStart, e = merged.callWindowEnd;
  if ((has(data, 'callWindowStart') || has(data, 'callWindowEnd')) && HHMM.test(String(s)) && HHMM.test(String(e)) && minutes(s) >= minutes(e)) {
    err(['callWindowEnd'], 'callWindowEnd must be after callWindowStart', e);
  }
  if (has(data, 'maxDialRatio') && Number(data.maxDialRatio) < 1) err(['maxDialRatio'], 'maxDialRatio must be at least 1', data.maxDialRatio);
};

const dncScope: Check = (data, ctx, err) => {
  const merged = { ...(ctx.existing ?? {}), ...data };
  const hasClient = merged.client !== null && merged.client !== undefined && !(Array.isArray(merged.client?.set) && merged.client.set.length === 0);
  if (merged.scope === 'client' && !hasClient) err(['client'], 'client is required when scope is client');
};

const RULES: Record<string, Check[]> = {
  'api::client.client': [requiredOnCreate('name', 'code'), country('defaultCountry'), timeZone('defaultTimezone'), currency('currency'), phone('callerId'), phone('callbackNumber')],
  'api::account.account': [
    requiredOnCreate('accountNumber', 'client', 'debtorLastName', 'balance', 'timezone'),
    money('balance'), money('originalBalance'), nonNegative('daysPastDue'), timeZone('timezone'), currency('currency'), country('country'),
    validDate('chargeOffDate', 'lastPaymentDate', 'lastContactAt', 'nextActionDate'), accountPhones,
  ],
  'api::campaign.campaign': [requiredOnCreate('name', 'client'), campaignCompliance, phone('callerId')],
  'api::call.call': [
    requiredOnCreate('account'), phone('phone'), nonNegative('ringSeconds', 'talkSeconds', 'wrapSeconds'),
    validDate('queuedAt', 'dialedAt', 'answeredAt', 'bridgedAt', 'endedAt', 'wrapEndedAt'),
  ],
  'api::promise-to-pay.promise-to-pay': [requiredOnCreate('account', 'amount', 'dueDate'), money('amount', { positive: true }), money('paidAmount'), currency('currency'), validDate('dueDate', 'resolvedAt')],
  'api::callback.callback': [requiredOnCreate('account', 'dueAt'), phone('phone'), validDate('dueAt')],
  'api::dnc-entry.dnc-entry': [phone('phone', { required: true }), dncScope, validDate('addedAt', 'expiresAt')],
  'api::disposition.disposition': [requiredOnCreate('code', 'label')],
};

export function hasRules(uid: string): boolean {
  return uid in RULES;
}

/**
 * Checks a write's data against the type's enumerations and business rules,
 * normalising phone numbers in place. Returns every problem at once, each
 * naming its field, so a form or an import row can show them all.
 */
export function validateRecord(
  uid: string,
  attributes: Record<string, any>,
  data: Data,
  ctx: RuleContext,
  componentAttributes: (component: string) => Record<string, any> = () => ({}),
): FieldError[] {
  const errors: FieldError[] = [];
  const err = (path: Array<string | number>, message: string, value?: unknown) => errors.push({ path, message, name: 'ValidationError', value });
  const checkEnums = (attrs: Record<string, any>, values: Data, prefix: Array<string | number>) => {
    for (const [field, attr] of Object.entries(attrs)) {
      if (attr.type === 'enumeration' && has(values, field) && values[field] !== null && !attr.enum.includes(values[field])) {
        const label = prefix.length ? `${prefix[0]}[${prefix[1]}].${field}` : field;
        err([...prefix, field], `${label} must be one of: ${attr.enum.join(', ')}`, values[field]);
      }
    }
  };
  checkEnums(attributes, data, []);
  for (const [field, attr] of Object.entries(attributes)) {
    if (attr.type !== 'component' || !attr.repeatable || !Array.isArray(data[field])) continue;
    data[field].forEach((item: Data, i: number) => item && typeof item === 'object' && checkEnums(componentAttributes(attr.component), item, [field, i]));
  }
  for (const check of RULES[uid] ?? []) check(data, ctx, err);
  return errors;
}
