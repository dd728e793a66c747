export default ({ env }) => [
  // First, so that every response (errors included) carries X-Request-Id and
  // every log line can be matched to the response a user reports.
  'global::request-id',
  'global::request-log',
  'strapi::errors',
  // Inside strapi::errors, so the 400 it turns bad input into is shaped like every other error.
  'global::client-input-errors',
  {
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'connect-src': ["'self'", 'https:'],
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'data:', 'blob:'],
          upgradeInsecureRequests: null,
        },
      },
      hsts: { maxAge: 31536000, includeSubDomains: true },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    },
  },
  {
    name: 'strapi::cors',
    config: {
      origin: env.array('CORS_ORIGINS', ['http://localhost:8080', 'http://localhost:1337']),
      headers: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'X-Request-Id', 'X-Strapi-Refresh-Cookie'],
      expose: ['X-Request-Id'],
      credentials: true,
    },
  },
  'strapi::query',
  // Before the body is read: an import file over the limit is refused with the limit named.
  'global::import-upload-limit',
  {
    name: 'strapi::body',
    // includeUnparsed: the telephony webhook checks its signature over the exact bytes received.
    config: { jsonLimit: '1mb', formLimit: '1mb', textLimit: '1mb', includeUnparsed: true, formidable: { maxFileSize: env.int('IMPORT_MAX_BYTES', 256 * 1024 * 1024) + 1024 * 1024 } },
  },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  // Last, so that an account read answered here carries every header above (see the file).
  'global::account-read',
];
