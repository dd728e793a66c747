/** Imports have no core CRUD: they are created by upload and changed only by their job, cancel and retry. */
const route = (method: string, path: string, handler: string) => ({ method, path, handler: `api::import.import.${handler}`, config: {} });

export default {
  type: 'content-api',
  routes: [
    route('GET', '/imports', 'find'),
    route('POST', '/imports', 'create'),
    route('GET', '/imports/templates', 'templates'),
    route('POST', '/imports/templates', 'saveTemplate'),
    route('GET', '/imports/:id', 'findOne'),
    route('GET', '/imports/:id/errors', 'errors'),
    route('GET', '/imports/:id/errors.csv', 'errorsCsv'),
    route('POST', '/imports/:id/cancel', 'cancel'),
    route('POST', '/imports/:id/retry', 'retry'),
  ],
};
