export default {
  routes: [
    {
      method: 'GET',
      path: '/accounts/agents',
      handler: 'api::account.account.agents',
      config: {},
    },
    {
      method: 'POST',
      path: '/accounts/reassign',
      handler: 'api::account.account.reassign',
      config: {},
    },
  ],
};
