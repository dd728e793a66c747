export default {
  routes: [
    {
      method: 'POST',
      path: '/telephony/events',
      handler: 'api::telephony.telephony.events',
      // Providers hold no Strapi token: the HMAC signature over the raw body is the authentication.
      config: { auth: false },
    },
  ],
};
