export default {
  routes: [
    {
      method: 'GET',
      path: '/clients/:id/agents',
      handler: 'api::client.client.agents',
      config: {},
    },
  ],
};
