import type { Access } from './access-context';
import { and, isScopedType, scopeFilter } from './scope-rules';

type Schema = { attributes: Record<string, any> };
type SchemaLookup = (uid: string) => Schema | undefined;
type PopulateNode = Record<string, any>;

const POPULATABLE = new Set(['relation', 'component', 'media', 'dynamiczone']);
// What Strapi's own `populate=*` leaves out: bookkeeping relations, not data.
const NOT_IN_WILDCARD = new Set(['localizations', 'createdBy', 'updatedBy']);

function fromPaths(paths: string[]): PopulateNode {
  const root: PopulateNode = {};
  for (const path of paths) {
    let node = root;
    for (const part of path.split('.').filter(Boolean)) {
      node[part] = node[part] && typeof node[part] === 'object' ? node[part] : {};
      node[part].populate = node[part].populate ?? {};
      node = node[part].populate;
    }
  }
  return root;
}

/** Any populate syntax Strapi accepts, as `{ attribute: { populate, filters, fields } }`. */
export function normalizePopulate(populate: unknown, schema: Schema): PopulateNode | undefined {
  if (populate === undefined || populate === null || populate === false) return undefined;
  if (populate === '*' || populate === true) {
    const all: PopulateNode = {};
    for (const [name, attr] of Object.entries(schema.attributes)) {
      if (POPULATABLE.has(attr.type) && !NOT_IN_WILDCARD.has(name) && !attr.private) all[name] = {};
    }
    return all;
  }
  if (typeof populate === 'string') return fromPaths(populate.split(','));
  if (Array.isArray(populate)) return fromPaths(populate.map(String));
  if (typeof populate === 'object') {
    const out: PopulateNode = {};
    for (const [name, value] of Object.entries(populate as PopulateNode)) {
      if (value === false) continue;
      if (value === true || value === '*') out[name] = {};
      else if (typeof value === 'object') out[name] = { ...value };
      else out[name] = {};
    }
    return out;
  }
  return undefined;
}

/**
 * Rewrites a populate tree so that every populated relation is filtered by
 * the reader's scope on its target type. Without this, `populate` would be a
 * way around row-level rules: an agent could reach another agent's account
 * through a call, or a supervisor another client's data through a relation.
 */
export async function scopePopulate(
  uid: string,
  populate: unknown,
  access: Access,
  schemaOf: SchemaLookup,
  depth = 0,
): Promise<PopulateNode | undefined> {
  const schema = schemaOf(uid);
  if (!schema || depth > 4) return undefined;
  const tree = normalizePopulate(populate, schema);
  if (!tree) return undefined;
  const out: PopulateNode = {};
  for (const [name, node] of Object.entries(tree)) {
    const attr = schema.attributes[name];
    if (!attr || !POPULATABLE.has(attr.type)) continue;
    const next: PopulateNode = { ...node };
    const target = attr.type === 'relation' ? attr.target : attr.type === 'component' ? attr.component : undefined;
    if (target && attr.type === 'relation' && isScopedType(target)) {
      next.filters = and(node.filters, await scopeFilter(target, access));
    }
    if (target && node.populate !== undefined) {
      next.populate = await scopePopulate(target, node.populate, access, schemaOf, depth + 1);
      if (next.populate === undefined) delete next.populate;
    }
    out[name] = next;
  }
  return out;
}
