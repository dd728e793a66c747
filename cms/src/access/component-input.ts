/**
 * The `id` a write may carry on a component entry: Strapi updates the
 * component row of that id in place (document-service/components.js), so an
 * id names a stored row just as a relation does. Strapi 5.54 refuses an id
 * that is not one of the record's own with a bare ApplicationError, and one
 * that is not a number with a ValidationError that names no field; here each
 * answers 400 naming the entry (`phones[1].id`), as every other shape does.
 *
 * Only top-level component and dynamic-zone fields are read: no component of
 * this schema nests another.
 */
import { label, type FieldPath } from './relation-input';

type Attribute = { type: string; repeatable?: boolean };
export type ComponentIdProblem = { path: FieldPath; message: string };

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The component fields of a write whose entries carry an id: those whose stored ids must be known. */
export function componentFieldsWithIds(attributes: Record<string, Attribute>, data: Record<string, unknown>): string[] {
  return Object.keys(data).filter((field) => {
    const attr = attributes[field];
    if (!attr || (attr.type !== 'component' && attr.type !== 'dynamiczone')) return false;
    const value = data[field];
    const entries = Array.isArray(value) ? value : [value];
    return entries.some((e) => isPlainObject(e) && e.id !== undefined && e.id !== null);
  });
}

/**
 * Problems with the ids of component entries in an update. `stored` holds,
 * per field, the ids of the component rows the record links to now; on a
 * create Strapi ignores ids (it always inserts), so there is nothing to check.
 */
export function componentIdProblems(attributes: Record<string, Attribute>, data: Record<string, unknown>, stored: Record<string, number[]>): ComponentIdProblem[] {
  const problems: ComponentIdProblem[] = [];
  for (const field of componentFieldsWithIds(attributes, data)) {
    const attr = attributes[field];
    const value = data[field];
    const list = attr.type === 'dynamiczone' || attr.repeatable ? (Array.isArray(value) ? value : []) : [value];
    const own = new Set(stored[field] ?? []);
    list.forEach((entry, i) => {
      if (!isPlainObject(entry) || entry.id === undefined || entry.id === null) return;
      const path = attr.type === 'dynamiczone' || attr.repeatable ? [field, i, 'id'] : [field, 'id'];
      const id = entry.id;
      const text = typeof id === 'number' ? String(id) : typeof id === 'string' ? id : null;
      if (text === null || !/^[1-9]\d{0,15}$/.test(text)) {
        problems.push({ path, message: `${label(path)} must be the id of one of this record's ${field}, a positive integer (got ${JSON.stringify(id)})` });
      } else if (!own.has(Number(text))) {
        problems.push({ path, message: `${label(path)} is not one of this record's ${field}: leave the id out to add a new entry` });
      }
    });
  }
  return problems;
}
