// Refine's useImport and useExport are the only users of papaparse; the console imports through
// cms's import jobs and exports through cms's streamed endpoints, so the CSV parser stays out.
const unavailable = (): never => {
  throw new Error('CSV in the browser is not part of this console: use the imports and exports pages');
};
export default { parse: unavailable, unparse: unavailable };
