export default {
  routes: [
    {
      method: 'GET',
      path: '/campaigns/:id/dialable',
      handler: 'api::campaign.campaign.dialable',
      config: {},
    },
  ],
};
