import type { HopperRequest } from '../../../protocol/hopper-item';
import type { FieldError } from '../validation/record-rules';

export const HOPPER_MAX = 200;
/**
 * Attempts a worker may list as held. Far above what one worker carries (a few hundred lines), and
 * low enough that both lists at their longest stay inside the JSON body limit (1 MB): a request
 * over it is refused here, naming the field, not by the body parser.
 */
export const EXCLUDE_MAX = 10_000;
/** A phone in E.164 is at most 16 characters, a documentId 24: room for either, nothing more. */
export const ID_MAX_CHARS = 32;

export type HopperOptions = { limit: number; excludePhones: string[]; excludeAccounts: string[]; accountDocumentId?: string };

const FIELDS = new Set(['limit', 'exclude', 'excludeAccounts', 'account']);

function readList(value: unknown, field: string, problems: FieldError[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: [field], message: `${field} must be an array of strings`, name: 'ValidationError' });
    return [];
  }
  if (value.length > EXCLUDE_MAX) {
    problems.push({ path: [field], message: `${field} holds ${value.length} entries, at most ${EXCLUDE_MAX} are allowed`, name: 'ValidationError' });
    return [];
  }
  const bad = value.findIndex((v) => typeof v !== 'string' || v.length === 0 || v.length > ID_MAX_CHARS);
  if (bad >= 0) {
    problems.push({ path: [field, bad], message: `${field}[${bad}] must be a non-empty string of at most ${ID_MAX_CHARS} characters`, name: 'ValidationError' });
    return [];
  }
  return value as string[];
}

function readLimit(value: unknown, problems: FieldError[]): number {
  if (value === undefined || value === null) return 20;
  const n = value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > HOPPER_MAX) {
    problems.push({ path: ['limit'], message: `limit must be an integer from 1 to ${HOPPER_MAX}`, name: 'ValidationError' });
    return 20;
  }
  return n;
}

function readAccount(value: unknown, problems: FieldError[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > ID_MAX_CHARS) {
    problems.push({ path: ['account'], message: `account must be a documentId of at most ${ID_MAX_CHARS} characters`, name: 'ValidationError' });
    return undefined;
  }
  return value;
}

/** The hopper's parameters from a POST body (`HopperRequest`), or the problems that name each bad field. Pure. */
export function readHopperBody(body: unknown): { value: HopperOptions | null; problems: FieldError[] } {
  const problems: FieldError[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { value: null, problems: [{ path: [], message: 'the body must be a JSON object: { limit, exclude, excludeAccounts, account }', name: 'ValidationError' }] };
  }
  const b = body as Partial<Record<keyof HopperRequest, unknown>> & Record<string, unknown>;
  // A misspelt list (excludePhones) would silently exclude nothing: refused, so a worker never dials a held phone twice.
  for (const key of Object.keys(b)) if (!FIELDS.has(key)) problems.push({ path: [key], message: `${key} is not a field of the hopper request (limit, exclude, excludeAccounts, account)`, name: 'ValidationError' });
  const value = { limit: readLimit(b.limit, problems), excludePhones: readList(b.exclude, 'exclude', problems), excludeAccounts: readList(b.excludeAccounts, 'excludeAccounts', problems), accountDocumentId: readAccount(b.account, problems) };
  return problems.length ? { value: null, problems } : { value, problems };
}

/** The same from a GET query string (comma-separated lists), kept for small requests: a console page, a look by hand. Pure. */
export function readHopperQuery(query: Record<string, unknown>): { value: HopperOptions | null; problems: FieldError[] } {
  const list = (v: unknown, field: string) => (v === undefined ? undefined : typeof v === 'string' ? v.split(',').filter(Boolean) : field);
  const problems: FieldError[] = [];
  const fields = { exclude: list(query.exclude, 'exclude'), excludeAccounts: list(query.excludeAccounts, 'excludeAccounts') };
  for (const [field, v] of Object.entries(fields)) if (typeof v === 'string') problems.push({ path: [field], message: `${field} must be a comma-separated list`, name: 'ValidationError' });
  if (problems.length) return { value: null, problems };
  const limit = query.limit === '' ? undefined : typeof query.limit === 'string' && /^\d+$/.test(query.limit) ? Number(query.limit) : query.limit;
  return readHopperBody({ limit, exclude: fields.exclude, excludeAccounts: fields.excludeAccounts, account: query.account });
}
