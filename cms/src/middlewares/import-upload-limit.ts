import { errors } from '@strapi/utils';
import { formatBytes, importSettings } from '../imports/import-settings';

const UPLOAD_PATH = /^\/api\/imports(\/[^/]+\/retry)?\/?$/;
/** Multipart framing and the form's other fields around the file. */
const FORM_SLACK = 64 * 1024;

/**
 * Refuses an import upload larger than the limit before its body is read,
 * naming the limit (Strapi's body parser would answer a bare "FileTooBig").
 */
export default () => async (ctx: any, next: () => Promise<void>) => {
  if (ctx.method === 'POST' && UPLOAD_PATH.test(ctx.path)) {
    const { maxBytes } = importSettings();
    const length = Number(ctx.get('content-length'));
    if (Number.isFinite(length) && length > maxBytes + FORM_SLACK) {
      throw new errors.PayloadTooLargeError(`The file is larger than the import limit of ${formatBytes(maxBytes)} (${maxBytes} bytes)`, { limit: maxBytes });
    }
  }
  await next();
};
