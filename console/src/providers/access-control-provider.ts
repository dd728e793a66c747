import type { AccessControlProvider } from '@refinedev/core';
import type { SessionStore } from './session-store';

/** Which roles may open each resource (route and menu entry). A resource not listed is closed to everyone. */
export const RESOURCE_ROLES: Record<string, readonly string[]> = {
  workspace: ['agent'],
  accounts: ['agent', 'supervisor', 'analyst'],
  callbacks: ['agent', 'supervisor'],
  wallboard: ['supervisor', 'analyst'],
  campaigns: ['supervisor', 'analyst'],
  calls: ['supervisor', 'analyst'],
  'audit-logs': ['supervisor', 'analyst'],
  dispositions: ['supervisor', 'analyst'],
  'dnc-entries': ['supervisor', 'analyst'],
  reports: ['agent', 'supervisor', 'analyst'],
  exports: ['supervisor', 'analyst'],
  // Loading a client's files writes its accounts: supervisors only (cms refuses analysts and agents too).
  imports: ['supervisor'],
};

/** Who may change a resource's records, where fewer roles write than read (cms enforces it; the console hides the controls). */
export const WRITE_ROLES: Record<string, readonly string[]> = {
  accounts: ['agent', 'supervisor'],
  campaigns: ['supervisor'],
  // Calls are written by the dialer and by agents at wrap-up; the back office reads them.
  calls: [],
  'audit-logs': [],
  // Reference data: admins edit it in the Strapi panel.
  dispositions: [],
  'dnc-entries': ['supervisor'],
  // The history is written by the downloads themselves.
  exports: [],
};

/** Actions beyond create, edit and delete, and the only roles that may take them. */
export const ACTION_ROLES: Record<string, Record<string, readonly string[]>> = {
  accounts: { reassign: ['supervisor'] },
};

const WRITE_ACTIONS = new Set(['create', 'edit', 'delete']);

const HOME_ROUTES: Record<string, string> = { agent: '/workspace', supervisor: '/wallboard', analyst: '/accounts' };

export function homeRouteOf(role: string | null | undefined): string {
  return (role && HOME_ROUTES[role]) || '/accounts';
}

export function roleMay(role: string | null | undefined, resource: string | undefined, action = 'list'): boolean {
  if (!role || !resource) return false;
  if (!(RESOURCE_ROLES[resource]?.includes(role) ?? false)) return false;
  const only = ACTION_ROLES[resource]?.[action];
  if (only) return only.includes(role);
  const writers = WRITE_ROLES[resource];
  return !WRITE_ACTIONS.has(action) || !writers || writers.includes(role);
}

export function roleAccessControl(store: SessionStore): AccessControlProvider {
  return {
    can: async ({ resource, action }) => {
      const role = store.get()?.user.role;
      return roleMay(role, resource, action) ? { can: true } : { can: false, reason: 'Your role does not open this page' };
    },
    options: { buttons: { enableAccessControl: true, hideIfUnauthorized: true } },
  };
}
