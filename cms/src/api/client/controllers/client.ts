import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { assertVisible } from '../../../access/visibility';

/** What a campaign's agent picker needs of a user; nothing else of them leaves. */
const AGENT_FIELDS = ['id', 'documentId', 'username'];

export default scopedController('api::client.client', ({ strapi }) => ({
  /**
   * The agents who work a client the reader may open, by name: a supervisor
   * reads users but not their roles (strapi#22539), so `/api/users` cannot
   * tell an agent from a colleague supervisor.
   */
  async agents(ctx) {
    await assertVisible(strapi, 'api::client.client', ctx.params.id, resolveAccess(strapi, ctx));
    const agents = await strapi.db.query('plugin::users-permissions.user').findMany({
      where: { clients: { documentId: ctx.params.id }, role: { type: 'agent' }, blocked: false },
      select: AGENT_FIELDS,
      orderBy: { username: 'asc' },
    });
    ctx.body = { data: agents };
  },
}));
