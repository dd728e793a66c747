import type { Core } from '@strapi/strapi';

/**
 * The signed-in user as the console needs it: role and clients in one call
 * (`/users/me?populate=role` is refused to non-admins, strapi#22539).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: any) {
    const user = ctx.state.user;
    if (!user) return ctx.unauthorized();
    const clients = await strapi.db.query('api::client.client').findMany({
      where: { members: { id: user.id } },
      select: ['documentId', 'name', 'code'],
      orderBy: { name: 'asc' },
    });
    ctx.body = {
      data: {
        id: user.id,
        documentId: user.documentId,
        username: user.username,
        email: user.email,
        role: user.role ? { type: user.role.type, name: user.role.name } : null,
        clients: clients.map((c: any) => ({ documentId: c.documentId, name: c.name, code: c.code })),
      },
    };
  },
});
