import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { assertVisible } from '../../../access/visibility';
import { nextDialable } from '../../../dialing/hopper';
import { readHopperBody, readHopperQuery } from '../../../dialing/hopper-request';
import { throwValidation } from '../../../validation/validation-middleware';

export default scopedController('api::campaign.campaign', ({ strapi }) => ({
  /**
   * The hopper. POST carries the attempts the worker holds in its body (a query string of a few
   * hundred of them is past the server's limit); GET takes the same fields for small requests.
   */
  async dialable(ctx) {
    const { value, problems } = ctx.method === 'POST' ? readHopperBody(ctx.request.body) : readHopperQuery(ctx.query ?? {});
    if (!value) throwValidation(problems);
    await assertVisible(strapi, 'api::campaign.campaign', ctx.params.id, resolveAccess(strapi, ctx));
    ctx.body = { data: await nextDialable(strapi, ctx.params.id, value) };
  },
}));
