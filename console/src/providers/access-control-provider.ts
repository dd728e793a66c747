import type { AccessControlProvider } from '@refinedev/core';
import type { SessionStore } from './session-store';

/** Which roles may open each resource (route and menu entry). A resource not listed is closed to everyone. */
export const RESOURCE_ROLES: Record<string, readonly string[]> = {
  workspace: ['agent'],
  accounts: ['agent', 'supervisor', 'analyst'],
  wallboard: ['supervisor'],
};

const HOME_ROUTES: Record<string, string> = { agent: '/workspace', supervisor: '/wallboard', analyst: '/accounts' };

export function homeRouteOf(role: string | null | undefined): string {
  return (role && HOME_ROUTES[role]) || '/accounts';
}

export function roleMay(role: string | null | undefined, resource: string | undefined): boolean {
  if (!role || !resource) return false;
  return RESOURCE_ROLES[resource]?.includes(role) ?? false;
}

export function roleAccessControl(store: SessionStore): AccessControlProvider {
  return {
    can: async ({ resource }) => {
      const role = store.get()?.user.role;
      return roleMay(role, resource) ? { can: true } : { can: false, reason: 'Your role does not open this page' };
    },
    options: { buttons: { enableAccessControl: true, hideIfUnauthorized: true } },
  };
}
