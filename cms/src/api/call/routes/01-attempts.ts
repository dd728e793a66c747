export default {
  routes: [
    {
      method: 'PUT',
      path: '/calls/attempts/:attemptId',
      handler: 'api::call.call.recordAttempt',
      config: {},
    },
    {
      method: 'POST',
      path: '/calls/inbound-lookup',
      handler: 'api::call.call.inboundLookup',
      config: {},
    },
    {
      method: 'GET',
      path: '/calls/attempts/:attemptId/account-search',
      handler: 'api::call.call.inboundAccountSearch',
      config: {},
    },
    {
      method: 'POST',
      path: '/calls/attempts/:attemptId/linked-account',
      handler: 'api::call.call.linkInboundAccount',
      config: {},
    },
  ],
};
