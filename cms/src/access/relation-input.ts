/**
 * Reads the relations of a write body the way Strapi 5's document service
 * links them (transform/relations/utils/map-relation.js): a bare id or
 * documentId, `{ id }`, `{ documentId }`, arrays of these, and
 * `{ connect, set, disconnect }` whose items may carry `position`
 * hints. Anything the document service would not link cleanly (an id that is
 * not an integer, `{ id: [1] }`, an empty object, nested arrays, `set` mixed
 * with `connect`) is a problem naming the field, so it answers 400 and never
 * reaches the database as a 500.
 *
 * It collects every document a write names, including `disconnect` targets
 * and `position.before/after` anchors, so that a scope check can ask about
 * each of them, and it says what an xToOne field links to afterwards.
 */

export type Ref = { id: number } | { documentId: string };
export type FieldPath = Array<string | number>;

export type RelationInput = {
  path: FieldPath;
  target: string;
  /** Every document the value names, whatever it does with it. */
  refs: Ref[];
  /** For an xToOne relation: what it links to after the write; `null` when cleared; absent when left as it was. */
  linksTo?: Ref | null;
};

export type RelationProblem = { path: FieldPath; message: string };

type Attribute = { type: string; relation?: string; target?: string; component?: string; components?: string[]; repeatable?: boolean };
type Attributes = Record<string, Attribute>;
export type ComponentLookup = (uid: string) => Attributes | undefined;

const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const LEAF_KEYS = new Set(['id', 'documentId', 'locale', 'status', 'position', 'isTemporary']);
const POSITION_KEYS = new Set(['before', 'after', 'start', 'end', 'locale', 'status']);
const OPERATIONS = ['connect', 'set', 'disconnect'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isToOne = (attr: Attribute) => ['oneToOne', 'manyToOne', 'morphToOne'].includes(attr.relation ?? '');
export const refKey = (ref: Ref) => ('id' in ref ? `id:${ref.id}` : `doc:${ref.documentId}`);

class ShapeError extends Error {}

/** Strapi treats any value `parseInt` reads as a number as an entity id; we accept only plain positive integers. */
function idFrom(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : null;
  if (text === null || !/^[1-9]\d{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ShapeError(`has an id that is not a positive integer (${JSON.stringify(value)})`);
  }
  return Number(text);
}

function documentIdFrom(value: unknown): string {
  if (typeof value !== 'string' || !DOCUMENT_ID.test(value)) throw new ShapeError(`has a documentId that is not one (${JSON.stringify(value)})`);
  return value;
}

/**
 * One item: what map-relation hands to its callback. Strapi links by a
 * non-empty documentId when there is one and by id otherwise; the admin panel
 * sends both, plus `isTemporary` and a null locale. Both are named as refs, so
 * an id smuggled beside a documentId is checked too.
 */
function leaf(item: unknown, refs: Ref[]): Ref {
  if (typeof item === 'number') return push(refs, { id: idFrom(item) });
  if (typeof item === 'string') {
    // map-relation's own test: anything parseInt reads is an id ("12abc" too), the rest a documentId.
    return push(refs, Number.isNaN(parseInt(item, 10)) ? { documentId: documentIdFrom(item) } : { id: idFrom(item) });
  }
  if (!isPlainObject(item)) throw new ShapeError(`must name a record by documentId or id, not ${describe(item)}`);
  const unknown = Object.keys(item).filter((k) => !LEAF_KEYS.has(k));
  if (unknown.length) throw new ShapeError(`has an entry with keys Strapi does not link by (${unknown.join(', ')})`);
  const byDocument = item.documentId !== undefined && item.documentId !== null && item.documentId !== '';
  const byId = item.id !== undefined && item.id !== null;
  if (!byDocument && !byId) throw new ShapeError('has an entry that gives neither a documentId nor an id');
  for (const key of ['locale', 'status'] as const) {
    if (item[key] !== undefined && item[key] !== null && typeof item[key] !== 'string') throw new ShapeError(`has a ${key} that is not text`);
  }
  if (item.isTemporary !== undefined && item.isTemporary !== null && typeof item.isTemporary !== 'boolean') throw new ShapeError('has an isTemporary that is not true or false');
  if (item.position !== undefined) position(item.position, refs);
  const id = byId ? push(refs, { id: idFrom(item.id) }) : null;
  return byDocument ? push(refs, { documentId: documentIdFrom(item.documentId) }) : (id as Ref);
}

function position(value: unknown, refs: Ref[]): void {
  if (!isPlainObject(value)) throw new ShapeError('has a position that is not an object');
  const unknown = Object.keys(value).filter((k) => !POSITION_KEYS.has(k));
  if (unknown.length) throw new ShapeError(`has a position with unknown keys (${unknown.join(', ')})`);
  for (const key of ['before', 'after'] as const) if (value[key] !== undefined) push(refs, { documentId: documentIdFrom(value[key]) });
  for (const key of ['start', 'end'] as const) if (value[key] !== undefined && typeof value[key] !== 'boolean') throw new ShapeError(`has a position.${key} that is not true or false`);
}

function push(refs: Ref[], ref: Ref): Ref {
  refs.push(ref);
  return ref;
}

/** A list in connect/set/disconnect, or a single item there (map-relation wraps it). */
function items(value: unknown, refs: Ref[]): Ref[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (Array.isArray(item)) throw new ShapeError('has a list inside a list');
    return leaf(item, refs);
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** One relation field's value. Throws ShapeError with the reason. */
export function readRelation(attr: Attribute, value: unknown): { refs: Ref[]; linksTo?: Ref | null } {
  const refs: Ref[] = [];
  const toOne = isToOne(attr);
  const single = (linked: Ref[]): Ref | null => {
    if (linked.length > 1) throw new ShapeError(`takes one record, not ${linked.length}`);
    return linked[0] ?? null;
  };
  if (value === null) return { refs, linksTo: toOne ? null : undefined };
  if (Array.isArray(value)) {
    const linked = items(value, refs);
    return { refs, linksTo: toOne ? single(linked) : undefined };
  }
  if (isPlainObject(value) && value.id === undefined && value.documentId === undefined) {
    const keys = Object.keys(value);
    const unknown = keys.filter((k) => !(OPERATIONS as readonly string[]).includes(k));
    if (unknown.length) throw new ShapeError(`has keys Strapi does not link by (${unknown.join(', ')}); use connect, set or disconnect`);
    if (keys.length === 0) throw new ShapeError('is an empty object: name a record, or use connect, set or disconnect');
    if (value.set !== undefined && (value.connect !== undefined || value.disconnect !== undefined)) {
      throw new ShapeError('mixes set with connect or disconnect: use one or the other');
    }
    const set = value.set !== undefined && value.set !== null ? items(value.set, refs) : undefined;
    const connect = value.connect !== undefined && value.connect !== null ? items(value.connect, refs) : undefined;
    if (value.disconnect !== undefined && value.disconnect !== null) items(value.disconnect, refs);
    if (!toOne) return { refs };
    if (set) return { refs, linksTo: single(set) };
    if (connect?.length) return { refs, linksTo: single(connect) };
    // A disconnect alone: what it leaves depends on what is stored, which the caller knows.
    return { refs };
  }
  const linked = leaf(value, refs);
  return { refs, linksTo: toOne ? linked : undefined };
}

/**
 * Every relation in a write's data, components and dynamic zones included,
 * with the problems of shape found on the way. Pure: the schemas are given.
 */
export function readRelations(attributes: Attributes, data: Record<string, unknown>, componentOf: ComponentLookup, prefix: FieldPath = []): { relations: RelationInput[]; problems: RelationProblem[] } {
  const relations: RelationInput[] = [];
  const problems: RelationProblem[] = [];
  for (const [field, value] of Object.entries(data)) {
    const attr = attributes[field];
    if (!attr || value === undefined) continue;
    const path = [...prefix, field];
    if (attr.type === 'relation' && attr.target) {
      try {
        const { refs, linksTo } = readRelation(attr, value);
        relations.push({ path, target: attr.target, refs, ...(linksTo !== undefined ? { linksTo } : {}) });
      } catch (error) {
        if (!(error instanceof ShapeError)) throw error;
        problems.push({ path, message: `${label(path)} ${error.message}` });
      }
    } else if (attr.type === 'component' && attr.component && value !== null) {
      const inner = componentOf(attr.component) ?? {};
      const list = attr.repeatable ? (Array.isArray(value) ? value : null) : [value];
      if (!list) continue; // record-rules names a non-list repeatable component
      list.forEach((item, i) => {
        if (!isPlainObject(item)) return;
        const found = readRelations(inner, item, componentOf, attr.repeatable ? [...path, i] : path);
        relations.push(...found.relations);
        problems.push(...found.problems);
      });
    } else if (attr.type === 'dynamiczone' && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (!isPlainObject(item) || typeof item.__component !== 'string' || !(attr.components ?? []).includes(item.__component)) {
          problems.push({ path: [...path, i], message: `${label([...path, i])} must name one of its components in __component` });
          return;
        }
        const found = readRelations(componentOf(item.__component) ?? {}, item, componentOf, [...path, i]);
        relations.push(...found.relations);
        problems.push(...found.problems);
      });
    }
  }
  return { relations, problems };
}

export function label(path: FieldPath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}
