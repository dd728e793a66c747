import type { FieldError } from '../../validation/record-rules';

/** More ids than this go as a filter: a list this long is a filter someone wrote out by hand. */
export const MAX_SELECTED_IDS = 10_000;

export type ReassignRequest = {
  /** The agent's documentId. */
  agent: string;
  selection: { documentIds: string[] } | { filters: Record<string, unknown> };
};

const problem = (path: Array<string | number>, message: string): FieldError => ({ path, message, name: 'ValidationError' });
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isDocumentId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9]{1,64}$/.test(v);

/**
 * The body of `POST /api/accounts/reassign`: `{ data: { agent, documentIds } }` or
 * `{ data: { agent, filters } }`, one selection or the other. Shape only: whether the
 * accounts and the agent exist for the writer is for the caller to find out.
 */
export function readReassignRequest(body: unknown): { request?: ReassignRequest; problems: FieldError[] } {
  const data = isObject(body) ? body.data : undefined;
  if (!isObject(data)) return { problems: [problem(['data'], 'data is required: { agent, documentIds } or { agent, filters }')] };
  const problems: FieldError[] = [];
  if (!isDocumentId(data.agent)) problems.push(problem(['agent'], 'agent is required: the documentId of the agent to assign'));

  const hasIds = data.documentIds !== undefined;
  const hasFilters = data.filters !== undefined;
  let selection: ReassignRequest['selection'] | undefined;
  if (hasIds && hasFilters) {
    problems.push(problem(['filters'], 'send documentIds or filters, not both'));
  } else if (hasIds) {
    const ids = data.documentIds;
    if (!Array.isArray(ids)) problems.push(problem(['documentIds'], 'documentIds must be a list of account documentIds'));
    else if (ids.length === 0) problems.push(problem(['documentIds'], 'documentIds is empty: select at least one account'));
    else if (ids.length > MAX_SELECTED_IDS) problems.push(problem(['documentIds'], `documentIds lists ${ids.length} accounts; at most ${MAX_SELECTED_IDS}, or send filters`));
    else {
      ids.forEach((id, i) => { if (!isDocumentId(id)) problems.push(problem(['documentIds', i], `documentIds[${i}] is not a documentId`)); });
      selection = { documentIds: [...new Set(ids as string[])] };
    }
  } else if (hasFilters) {
    // Every account of the writer's scope is a selection too, but one only a filter can say on purpose.
    if (!isObject(data.filters) || Object.keys(data.filters).length === 0) problems.push(problem(['filters'], 'filters must be a non-empty filter object, as a list takes'));
    else selection = { filters: data.filters };
  } else {
    problems.push(problem(['documentIds'], 'documentIds or filters is required: which accounts to reassign'));
  }
  if (problems.length || !selection) return { problems };
  return { request: { agent: data.agent as string, selection }, problems };
}
