export default {
  routes: [
    {
      method: 'GET',
      path: '/accounts/:id/calls',
      handler: 'api::account.account.calls',
      config: {},
    },
  ],
};
