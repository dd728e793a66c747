export default {
  routes: [
    {
      // `/api/exports/calls.csv`: the type and the format in the file name, so a browser saves it as such.
      method: 'GET',
      path: '/exports/:file',
      handler: 'api::export.export.download',
      config: {},
    },
  ],
};
