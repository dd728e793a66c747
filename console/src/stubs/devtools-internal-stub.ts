// Refine asks @refinedev/devtools-internal for call-site traces and a query-cache feed for its
// devtools, both of which it only runs in development; in a production build it answers as this
// does, and its stack parser stays out of the bundle.
export function getXRay(): { hookName: string; trace: never[]; resourcePath: null } {
  return { hookName: '', trace: [], resourcePath: null };
}

export function useQuerySubscription(): void {}
