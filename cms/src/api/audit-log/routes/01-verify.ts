export default {
  routes: [
    {
      method: 'GET',
      path: '/audit-logs/verify',
      handler: 'api::audit-log.audit-log.verify',
      config: {},
    },
  ],
};
