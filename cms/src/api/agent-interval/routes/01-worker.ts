/** The dialer-worker's only door: no list or read routes, the KPI report aggregates these rows. */
export default {
  routes: [
    {
      method: 'PUT',
      path: '/agent-intervals/:intervalId',
      handler: 'api::agent-interval.agent-interval.record',
      config: {},
    },
  ],
};
