import type { Compliance } from '../shared-config';
import { isCountryCode, normalizePhone } from './phone-number';
import { isValidTimeZone } from './time-zone';
import { moneyProblem } from './money';
import { DATE_WINDOWS, dateWindowProblem } from './date-windows';

export type FieldError = { path: Array<string | number>; message: string; name: 'ValidationError'; value?: unknown };

export type RuleContext = {
  /** Country used to read national-format phone numbers (the client's). */
  defaultCountry: string;
  /** The stored record for an update, null for a create. */
  existing: Record<string, any> | null;
  compliance: Compliance;
  /** The clock: date windows are relative to it. */
  now: Date;
};

type Data = Record<string, any>;
type Check = (data: Data, ctx: RuleContext & { attributes: Record<string, any> }, err: (path: Array<string | number>, message: string, value?: unknown) => void) => void;

const has = (data: Data, field: string) => Object.prototype.hasOwnProperty.call(data, field) && data[field] !== undefined;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** An account's phones: more is a broken import or a paste, not a debtor. */
export const MAX_PHONES = 20;
const DAY_SECONDS = 86_400;
/** JSON fields hold small documents (filters, receipts); anything bigger is not one of those. */
const MAX_JSON_CHARS = 16_384;
/** Call timestamps come from the worker and the PBX: allow rounding between them. */
const CLOCK_SLACK_MS = 2_000;

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

/** A call is about an account, except an inbound one from a caller nobody knows yet (the agent links one later). */
const callAccount: Check = (data, ctx, err) => {
  if (ctx.existing || data.direction === 'inbound') return;
  if (!has(data, 'account') || data.account === null || data.account === '') err(['account'], 'account is required');
};

/** Each date the writer sends: a real date, within the field's window (date-windows.ts). */
function dates(windows: Record<string, any>): Check {
  return (data, ctx, err) => {
    for (const [f, window] of Object.entries(windows)) {
      if (!has(data, f) || data[f] === null) continue;
      const problem = dateWindowProblem(ctx.attributes[f]?.type ?? 'datetime', data[f], window, ctx.now);
      if (problem) err([f], `${f} ${problem}`, data[f]);
    }
  };
}

/** Durations within a day, and no longer than the timestamps they are measured between. */
const callTimeline: Check = (data, ctx, err) => {
  for (const f of ['ringSeconds', 'talkSeconds', 'wrapSeconds']) {
    if (!has(data, f) || data[f] === null) continue;
    const n = Number(data[f]);
    if (!Number.isFinite(n) || n < 0 || n > DAY_SECONDS) err([f], `${f} must be between 0 and ${DAY_SECONDS} seconds`, data[f]);
  }
  const merged = { ...(ctx.existing ?? {}), ...data };
  const at = (f: string) => {
    const t = merged[f] === null || merged[f] === undefined ? NaN : new Date(merged[f]).getTime();
    return Number.isNaN(t) ? null : t;
  };
  // Only pairs the writer touched: a stored record is not re-judged by an unrelated update.
  const touched = (...fields: string[]) => fields.some((f) => has(data, f));
  const order: Array<[string, string]> = [
    ['queuedAt', 'dialedAt'], ['dialedAt', 'answeredAt'], ['queuedAt', 'endedAt'], ['dialedAt', 'endedAt'],
    ['answeredAt', 'endedAt'], ['bridgedAt', 'endedAt'], ['endedAt', 'wrapEndedAt'],
  ];
  for (const [first, then] of order) {
    const a = at(first), b = at(then);
    if (a === null || b === null || !touched(first, then) || b >= a - CLOCK_SLACK_MS) continue;
    const field = has(data, then) ? then : first;
    err([field], `${then} must not be before ${first}`, merged[field]);
  }
  const spans: Array<[string, string, string[]]> = [
    ['ringSeconds', 'dialedAt', ['answeredAt', 'endedAt']], ['talkSeconds', 'bridgedAt', ['endedAt']], ['wrapSeconds', 'endedAt', ['wrapEndedAt']],
  ];
  for (const [duration, from, tos] of spans) {
    const to = tos.find((f) => at(f) !== null);
    const start = at(from), end = to ? at(to) : null;
    const n = Number(merged[duration]);
    if (start === null || end === null || merged[duration] === null || merged[duration] === undefined || !Number.isFinite(n) || !touched(duration, from, to!)) continue;
    if (n * 1000 > end - start + CLOCK_SLACK_MS) err([duration], `${duration} is longer than the time from ${from} to ${to}`, merged[duration]);
  }
};

const accountPhones: Check = (data, ctx, err) => {
  if (!has(data, 'phones')) return;
  if (!Array.isArray(data.phones)) return err(['phones'], 'phones must be a list', data.phones);
  if (data.phones.length > MAX_PHONES) return err(['phones'], `phones must hold at most ${MAX_PHONES} numbers`, data.phones.length);
  const seen = new Map<string, number>();
  data.phones.forEach((p: Data, i: number) => {
    if (!p || typeof p !== 'object') return err(['phones', i], `phones[${i}] must be an object`, p);
    const result = normalizePhone(p.number, ctx.defaultCountry);
    if (result.ok === false) return err(['phones', i, 'number'], `phones[${i}].number ${result.message}`, p.number);
    p.number = result.e164;
    if (seen.has(p.number)) err(['phones', i, 'number'], `phones[${i}].number repeats phones[${seen.get(p.number)}]`, p.number);
    seen.set(p.number, i);
    for (const [f, window] of Object.entries(DATE_WINDOWS['contact.phone'])) {
      if (!has(p, f) || p[f] === null) continue;
      const problem = dateWindowProblem('datetime', p[f], window, ctx.now);
      if (problem) err(['phones', i, f], `phones[${i}].${f} ${problem}`, p[f]);
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

const dncExpiry: Check = (data, ctx, err) => {
  const merged = { ...(ctx.existing ?? {}), ...data };
  // A create without addedAt is stamped now, after validation.
  const addedAt = merged.addedAt ?? (ctx.existing ? null : ctx.now);
  if (!has(data, 'expiresAt') || !merged.expiresAt || !addedAt) return;
  if (new Date(merged.expiresAt).getTime() <= new Date(addedAt).getTime()) err(['expiresAt'], 'expiresAt must be after addedAt', data.expiresAt);
};

const campaignPeriod: Check = (data, ctx, err) => {
  const merged = { ...(ctx.existing ?? {}), ...data };
  if (!(has(data, 'startedAt') || has(data, 'finishedAt')) || !merged.startedAt || !merged.finishedAt) return;
  if (new Date(merged.finishedAt).getTime() < new Date(merged.startedAt).getTime()) err(['finishedAt'], 'finishedAt must not be before startedAt', merged.finishedAt);
};

const RULES: Record<string, Check[]> = {
  'api::client.client': [requiredOnCreate('name', 'code'), nonNegative('promiseGraceDays'), country('defaultCountry'), timeZone('defaultTimezone'), currency('currency'), phone('callerId'), phone('callbackNumber')],
  'api::account.account': [
    requiredOnCreate('accountNumber', 'client', 'debtorLastName', 'balance', 'timezone'),
    money('balance'), money('originalBalance'), nonNegative('daysPastDue'), timeZone('timezone'), currency('currency'), country('country'),
    dates(DATE_WINDOWS['api::account.account']), accountPhones,
  ],
  'api::campaign.campaign': [requiredOnCreate('name', 'client'), campaignCompliance, phone('callerId'), dates(DATE_WINDOWS['api::campaign.campaign']), campaignPeriod],
  'api::call.call': [
    callAccount, phone('phone'), dates(DATE_WINDOWS['api::call.call']), callTimeline,
  ],
  'api::promise-to-pay.promise-to-pay': [requiredOnCreate('account', 'amount', 'dueDate'), money('amount', { positive: true }), money('paidAmount'), currency('currency'), dates(DATE_WINDOWS['api::promise-to-pay.promise-to-pay'])],
  'api::payment.payment': [requiredOnCreate('account', 'amount', 'paidDate'), money('amount', { positive: true }), currency('currency'), dates(DATE_WINDOWS['api::payment.payment'])],
  'api::callback.callback': [requiredOnCreate('account', 'dueAt'), phone('phone'), dates(DATE_WINDOWS['api::callback.callback'])],
  'api::dnc-entry.dnc-entry': [phone('phone', { required: true }), dncScope, dates(DATE_WINDOWS['api::dnc-entry.dnc-entry']), dncExpiry],
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
    for (const [field, attr] of shapeOf(attrs).enumerations) {
      if (has(values, field) && values[field] !== null && !attr.enum.includes(values[field])) {
        const label = prefix.length ? `${prefix[0]}[${prefix[1]}].${field}` : field;
        err([...prefix, field], `${label} must be one of: ${attr.enum.join(', ')}`, values[field]);
      }
    }
  };
  checkEnums(attributes, data, []);
  const shape = shapeOf(attributes);
  for (const [field, attr] of shape.components) {
    if (!attr.repeatable || !Array.isArray(data[field])) continue;
    data[field].forEach((item: Data, i: number) => item && typeof item === 'object' && checkEnums(componentAttributes(attr.component), item, [field, i]));
  }
  for (const check of RULES[uid] ?? []) check(data, { ...ctx, attributes }, err);
  // The schema's own bounds last, and only where no rule above already named the field.
  const named = new Set(errors.map((e) => e.path.join('.')));
  const boundErr = (path: Array<string | number>, message: string, value?: unknown) => {
    if (!named.has(path.join('.'))) err(path, message, value);
  };
  schemaBounds(attributes, data, [], boundErr);
  for (const [field, attr] of shape.components) {
    if (!Array.isArray(data[field])) continue;
    data[field].forEach((item: Data, i: number) => item && typeof item === 'object' && schemaBounds(componentAttributes(attr.component), item, [field, i], boundErr));
  }
  return errors;
}

type AttributeShape = { enumerations: Array<[string, any]>; components: Array<[string, any]>; bounded: Array<[string, any]> };
const shapes = new WeakMap<object, AttributeShape>();
/**
 * The attributes each walk above looks at, listed once per schema object: an
 * import judges every row against the same attributes, and walking all of them
 * (Object.entries anew) for each row and phone was a good part of its cost.
 */
function shapeOf(attributes: Record<string, any>): AttributeShape {
  let shape = shapes.get(attributes);
  if (!shape) {
    const entries = Object.entries(attributes);
    shape = {
      enumerations: entries.filter(([, a]) => a.type === 'enumeration'),
      components: entries.filter(([, a]) => a.type === 'component'),
      bounded: entries.filter(([, a]) => TEXT_TYPES.has(a.type) || NUMBER_TYPES.has(a.type) || a.type === 'json'),
    };
    shapes.set(attributes, shape);
  }
  return shape;
}

const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid']);
const NUMBER_TYPES = new Set(['integer', 'biginteger', 'decimal', 'float']);
/** What PostgreSQL's `integer` column holds: beyond it the database, not the request, would fail. */
const INT_LIMIT = 2_147_483_647;

/**
 * The lengths and numeric ranges the schema declares, checked here so that
 * every refusal names its field the same way (Strapi's own checks run later
 * and would catch the same values, with other wording). A `string` without a
 * maxLength is a varchar(255) column, as Strapi makes it.
 */
function schemaBounds(attributes: Record<string, any>, data: Data, prefix: Array<string | number>, err: (path: Array<string | number>, message: string, value?: unknown) => void) {
  const label = (f: string) => (prefix.length ? `${prefix[0]}[${prefix[1]}].${f}` : f);
  for (const [f, attr] of shapeOf(attributes).bounded) {
    if (!has(data, f) || data[f] === null) continue;
    const v = data[f];
    if (TEXT_TYPES.has(attr.type)) {
      const max = attr.maxLength ?? (attr.type === 'string' || attr.type === 'email' || attr.type === 'uid' ? 255 : undefined);
      if (typeof v === 'string' && max !== undefined && v.length > max) err([...prefix, f], `${label(f)} must be at most ${max} characters`, `${v.slice(0, 32)}…`);
    } else if (NUMBER_TYPES.has(attr.type)) {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      const integer = attr.type === 'integer' || attr.type === 'biginteger';
      const min = attr.min ?? (attr.type === 'integer' ? -INT_LIMIT : undefined);
      const max = attr.max ?? (attr.type === 'integer' ? INT_LIMIT : undefined);
      if (!Number.isFinite(n)) err([...prefix, f], `${label(f)} must be a number`, v);
      else if (integer && !Number.isInteger(n)) err([...prefix, f], `${label(f)} must be a whole number`, v);
      else if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        err([...prefix, f], `${label(f)} must be ${min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`}`, v);
      }
    } else if (attr.type === 'json') {
      const size = JSON.stringify(v)?.length ?? 0;
      if (size > MAX_JSON_CHARS) err([...prefix, f], `${label(f)} must be at most ${MAX_JSON_CHARS} characters of JSON`, size);
    }
  }
}
