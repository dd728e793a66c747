// One action, two methods: the same permission (api::campaign.campaign.dialable) grants both.
export default {
  routes: [
    { method: 'POST', path: '/campaigns/:id/dialable', handler: 'api::campaign.campaign.dialable', config: {} },
    { method: 'GET', path: '/campaigns/:id/dialable', handler: 'api::campaign.campaign.dialable', config: {} },
  ],
};
