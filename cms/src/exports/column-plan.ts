import { ExportError } from './export-error';
import { MAX_PHONE_COLUMNS, PHONE_PROPERTIES, USER_COLUMNS } from './export-types';

type Attribute = { type: string; relation?: string; target?: string; component?: string; repeatable?: boolean; enum?: string[] };
export type SchemaLookup = {
  attributes: (uid: string) => Record<string, Attribute> | undefined;
  isPrivate: (uid: string, attribute: string) => boolean;
};

export type Column =
  | { key: string; kind: 'field'; attribute: string; type: string; values?: string[] }
  | { key: string; kind: 'relation'; relation: string; target: string; attribute: string; type: string; values?: string[] }
  | { key: string; kind: 'phone'; index: number; property: string; type: string };

const SCALAR = new Set(['string', 'text', 'richtext', 'email', 'uid', 'enumeration', 'integer', 'biginteger', 'decimal', 'float', 'boolean', 'date', 'datetime', 'time', 'json']);
const TO_ONE = new Set(['manyToOne', 'oneToOne']);
const USER = 'plugin::users-permissions.user';
const PHONE_COLUMN = /^phone([1-9]\d?)([A-Za-z]*)$/;

// Column names come from the query string: `constructor` or `__proto__` must not find Object's own members.
const own = (attributes: Record<string, Attribute> | undefined, name: string): Attribute | undefined =>
  attributes && Object.hasOwn(attributes, name) ? attributes[name] : undefined;

/** A scalar attribute a reader may see: never a password, never one the model keeps private. An enumeration brings its values. */
function readable(uid: string, name: string, lookup: SchemaLookup): { type: string; values?: string[] } | null {
  if (name === 'id') return { type: 'integer' };
  const attr = own(lookup.attributes(uid), name);
  if (!attr || !SCALAR.has(attr.type) || lookup.isPrivate(uid, name)) return null;
  if (uid === USER && !USER_COLUMNS.has(name)) return null;
  return attr.type === 'enumeration' && Array.isArray(attr.enum) ? { type: attr.type, values: attr.enum } : { type: attr.type };
}

function phoneColumn(uid: string, key: string, lookup: SchemaLookup): Column | null {
  const match = PHONE_COLUMN.exec(key);
  const phones = own(lookup.attributes(uid), 'phones');
  if (!match || !phones || phones.type !== 'component' || !phones.repeatable || !phones.component) return null;
  const index = Number(match[1]);
  const property = Object.hasOwn(PHONE_PROPERTIES, match[2]) ? PHONE_PROPERTIES[match[2]] : undefined;
  if (index > MAX_PHONE_COLUMNS || !property) return null;
  const attr = own(lookup.attributes(phones.component), property);
  if (!attr) return null;
  return { key, kind: 'phone', index, property, type: attr.type };
}

/** One business column: a field of the type, `relation.field` of a to-one relation, or a flattened phone. */
export function planColumn(uid: string, key: string, lookup: SchemaLookup): Column {
  const unknown = () => new ExportError('UNKNOWN_COLUMN', `Unknown column "${key}"`, key);
  if (typeof key !== 'string' || key.length === 0 || key.length > 100) throw unknown();
  const phone = phoneColumn(uid, key, lookup);
  if (phone) return phone;
  const parts = key.split('.');
  if (parts.length === 1) {
    const field = readable(uid, key, lookup);
    if (!field) throw unknown();
    return { key, kind: 'field', attribute: key, ...field };
  }
  if (parts.length !== 2) throw unknown();
  const [relation, attribute] = parts;
  const attr = own(lookup.attributes(uid), relation);
  if (!attr || attr.type !== 'relation' || !TO_ONE.has(attr.relation ?? '') || !attr.target || attr.target.startsWith('admin::') || lookup.isPrivate(uid, relation)) throw unknown();
  const field = readable(attr.target, attribute, lookup);
  if (!field) throw unknown();
  return { key, kind: 'relation', relation, target: attr.target, attribute, ...field };
}

/** The columns asked for, in order, once each; the first unknown one is named in the error. */
export function planColumns(uid: string, keys: string[], lookup: SchemaLookup): Column[] {
  const seen = new Set<string>();
  const out: Column[] = [];
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(planColumn(uid, key, lookup));
  }
  return out;
}

/** `columns` as the list endpoints take `fields`: a comma-separated string, an array, or `columns[0]=…`. */
export function readColumnsParam(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (typeof value === 'object' && Object.values(value as object).every((v) => typeof v === 'string')) return readColumnsParam(Object.values(value as object));
  throw new ExportError('UNKNOWN_COLUMN', 'columns must be a list of column names', 'columns');
}
