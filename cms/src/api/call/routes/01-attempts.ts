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
  ],
};
