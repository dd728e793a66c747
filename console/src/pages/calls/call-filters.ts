import { listFilters } from '@/components/list-filters';

/** The filters of the calls list, each one control. */
export const CALL_FILTERS = listFilters({
  campaign: { field: 'campaign.documentId', operator: 'eq' },
  agent: { field: 'agent.id', operator: 'eq' },
  outcome: { field: 'outcome', operator: 'eq' },
  disposition: { field: 'disposition.documentId', operator: 'eq' },
  from: { field: 'queuedAt', operator: 'gte' },
  to: { field: 'queuedAt', operator: 'lte' },
});
