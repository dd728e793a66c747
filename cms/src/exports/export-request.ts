import type { Core } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';
import type { Access } from '../access/access-context';
import { and, scopeFilter } from '../access/scope-rules';
import { planColumns, readColumnsParam, type Column, type SchemaLookup } from './column-plan';
import { ExportError } from './export-error';
import { EXPORT_TYPES } from './export-types';
import { FORMATS, type ExportFormat } from './format-writers';

const FILE_NAME = /^([a-z-]{1,40})\.([a-z]{1,10})$/;

export type SavedDefinition = { documentId: string; type: string; columns?: unknown; filters?: unknown; sort?: unknown };

/** Everything a download needs, checked before the first byte leaves. */
export type ExportPlan = {
  typeName: string;
  uid: string;
  format: ExportFormat;
  columns: Column[];
  /** What the reader asked for, as recorded in the history and the audit (their scope is not theirs to record). */
  requested: { filters: unknown; sort: unknown; columns: string[]; definition: string | null };
  where: unknown;
  orderBy: Array<Record<string, any>>;
};

export function parseFileName(file: string): { typeName: string; format: ExportFormat } {
  const match = FILE_NAME.exec(String(file ?? ''));
  if (!match) throw new ExportError('BAD_FILE_NAME', `An export is asked for as <type>.<format>, not "${file}"`, String(file));
  const [, typeName, format] = match;
  if (!EXPORT_TYPES[typeName]) throw new ExportError('UNKNOWN_TYPE', `Unknown export type "${typeName}" (one of ${Object.keys(EXPORT_TYPES).join(', ')})`, typeName);
  if (!(FORMATS as readonly string[]).includes(format)) throw new ExportError('UNKNOWN_FORMAT', `Unknown export format "${format}" (one of ${FORMATS.join(', ')})`, format);
  return { typeName, format: format as ExportFormat };
}

export function schemaLookup(strapi: Core.Strapi): SchemaLookup {
  const model = (uid: string) => ((strapi as any).contentTypes[uid] ?? (strapi as any).components[uid]) as any;
  return {
    attributes: (uid) => model(uid)?.attributes,
    isPrivate: (uid, name) => !model(uid) || contentTypes.isPrivateAttribute(model(uid), name),
  };
}

/**
 * Reads an export request the way a list request is read: Strapi validates
 * and sanitises `filters`, `sort` and `fields` for the reader with the type's
 * own controller (every operator, nesting and array shape, private fields
 * refused), then the reader's scope is AND-ed on, exactly as the scoped list
 * does, and Strapi turns the result into a database `where`.
 */
export async function planExport(strapi: Core.Strapi, ctx: any, access: Access, definition: SavedDefinition | null): Promise<ExportPlan> {
  const { typeName, format } = parseFileName(ctx.params.file);
  const { uid, defaultColumns } = EXPORT_TYPES[typeName];
  if (definition && definition.type !== typeName) {
    throw new ExportError('BAD_DEFINITION', `Export definition ${definition.documentId} is for ${definition.type}, not ${typeName}`, 'definition');
  }
  // Reading a type's export is reading its list: the same grant.
  await strapi.get('auth').verify(ctx.state.auth, { scope: [`${uid}.find`] });

  const raw = ctx.query ?? {};
  const listQuery: Record<string, unknown> = {};
  const filters = raw.filters ?? definition?.filters;
  const sort = raw.sort ?? definition?.sort;
  if (filters !== undefined && filters !== null) listQuery.filters = filters;
  if (sort !== undefined && sort !== null && sort !== '') listQuery.sort = sort;
  if (raw.fields !== undefined) listQuery.fields = raw.fields;
  const listCtx = { query: listQuery, state: ctx.state, request: { query: listQuery } };
  const controller: any = strapi.controller(uid as any);
  await controller.validateQuery(listCtx);
  const sanitized = await controller.sanitizeQuery(listCtx);

  const asked = readColumnsParam(raw.columns) ?? readColumnsParam(definition?.columns) ?? (Array.isArray(sanitized.fields) && raw.fields !== undefined ? sanitized.fields : undefined) ?? defaultColumns;
  const columns = planColumns(uid, asked, schemaLookup(strapi));

  const scoped = and(sanitized.filters, await scopeFilter(uid, access));
  const { where, orderBy } = (strapi.get('query-params') as any).transform(uid, { filters: scoped, sort: sanitized.sort });
  return {
    typeName,
    uid,
    format,
    columns,
    requested: { filters: sanitized.filters ?? null, sort: sanitized.sort ?? null, columns: columns.map((c) => c.key), definition: definition?.documentId ?? null },
    where,
    orderBy: Array.isArray(orderBy) ? orderBy : orderBy ? [orderBy] : [],
  };
}
