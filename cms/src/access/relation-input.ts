export type RelationRefs = { documentIds: string[]; ids: number[] };

function collect(item: unknown, refs: RelationRefs): void {
  if (item === null || item === undefined) return;
  if (typeof item === 'string') {
    if (/^\d+$/.test(item)) refs.ids.push(Number(item));
    else refs.documentIds.push(item);
  } else if (typeof item === 'number') refs.ids.push(item);
  else if (Array.isArray(item)) item.forEach((i) => collect(i, refs));
  else if (typeof item === 'object') {
    const o = item as Record<string, unknown>;
    if (typeof o.documentId === 'string') refs.documentIds.push(o.documentId);
    else if (typeof o.id === 'number' || typeof o.id === 'string') collect(o.id, refs);
    // `disconnect` only removes links; what a write adds is in connect and set.
    collect(o.connect, refs);
    collect(o.set, refs);
  }
}

/** The documents a relation input in a write body points at, in any syntax Strapi accepts. */
export function referencedDocuments(value: unknown): RelationRefs {
  const refs: RelationRefs = { documentIds: [], ids: [] };
  collect(value, refs);
  return refs;
}
