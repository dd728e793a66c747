export default {
  routes: [
    {
      method: 'PUT',
      path: '/calls/attempts/:attemptId',
      handler: 'api::call.call.recordAttempt',
      config: {},
    },
  ],
};
