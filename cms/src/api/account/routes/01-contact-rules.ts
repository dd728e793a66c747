export default {
  routes: [
    {
      method: 'GET',
      path: '/accounts/:id/contact-rules',
      handler: 'api::account.account.contactRules',
      config: {},
    },
  ],
};
