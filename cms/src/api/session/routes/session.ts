export default {
  routes: [
    {
      method: 'GET',
      path: '/session',
      handler: 'api::session.session.find',
      config: {},
    },
  ],
};
