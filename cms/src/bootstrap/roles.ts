import type { Core } from '@strapi/strapi';
import { sharedConfig } from '../shared-config';

type RoleSpec = { name: string; description: string; grants: Record<string, string[]> };
type RolesFile = { roles: Record<string, RoleSpec> };

const ROLE_UID = 'plugin::users-permissions.role';
const PERMISSION_UID = 'plugin::users-permissions.permission';
const STORE_KEY = 'seeded-grants';

export function grantedActions(spec: RoleSpec): string[] {
  return Object.entries(spec.grants).flatMap(([uid, actions]) => actions.map((a) => `${uid}.${a}`));
}

/**
 * Creates the roles of config/roles.json and their grants, idempotently. A
 * grant seeded on an earlier start that is now missing was removed by an admin
 * in the panel: it stays removed, and the log says so, instead of a restart
 * silently undoing the admin's decision.
 */
export async function seedRoles(strapi: Core.Strapi): Promise<void> {
  const { roles } = sharedConfig<RolesFile>('roles');
  const store = strapi.store({ type: 'plugin', name: 'collections' });
  const seeded: Record<string, string[]> = ((await store.get({ key: STORE_KEY })) as any) ?? {};

  for (const [type, spec] of Object.entries(roles)) {
    let role = await strapi.db.query(ROLE_UID).findOne({ where: { type } });
    if (!role) {
      if (seeded[type]) strapi.log.warn(`Role "${type}" was deleted; recreating it from config/roles.json`);
      role = await strapi.db.query(ROLE_UID).create({ data: { type, name: spec.name, description: spec.description } });
    }
    const existing = new Set(
      (await strapi.db.query(PERMISSION_UID).findMany({ where: { role: role.id }, select: ['action'] })).map((p: any) => p.action),
    );
    const previouslySeeded = new Set(seeded[type] ?? []);
    for (const action of grantedActions(spec)) {
      if (existing.has(action)) continue;
      if (previouslySeeded.has(action)) {
        strapi.log.warn(`Role "${type}": grant ${action} was removed by an admin; leaving it removed`);
        continue;
      }
      await strapi.db.query(PERMISSION_UID).create({ data: { action, role: role.id } });
    }
    seeded[type] = [...new Set([...previouslySeeded, ...grantedActions(spec)])];
  }
  await store.set({ key: STORE_KEY, value: seeded });

  // Collections users are provisioned by the agency, never self-registered.
  const advanced = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const settings: any = (await advanced.get()) ?? {};
  if (settings.allow_register !== false || settings.default_role !== 'agent') {
    await advanced.set({ value: { ...settings, allow_register: false, default_role: 'agent' } });
  }
}
