// The maximum page size is enforced again in the scoped controllers, because an
// over-limit pageSize otherwise produces wrong offsets (strapi#22483).
export const MAX_PAGE_SIZE = 100;

export default {
  rest: {
    defaultLimit: 25,
    maxLimit: MAX_PAGE_SIZE,
    withCount: true,
  },
};
