import type { HttpError } from '@refinedev/core';

/** What the campaign pages read with a campaign: its client, agents and dispositions by name. */
export const CAMPAIGN_META = {
  populate: {
    client: { fields: ['name'] },
    agents: { fields: ['username'] },
    allowedDispositions: { fields: ['code', 'label'] },
    defaultDisposition: { fields: ['code', 'label'] },
  },
};

// Refine's antd notifications show the description as the title.
export const notSaved = (error?: HttpError) => ({ type: 'error' as const, description: 'The campaign was not saved', message: error?.message ?? '' });
