import crypto from 'crypto';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,64}$/;

/** Gives every request an id: the caller's X-Request-Id when sane (a proxy's or the console's), otherwise a new one. */
export default () => async (ctx: any, next: () => Promise<void>) => {
  const incoming = ctx.get('x-request-id');
  const id = ACCEPTABLE.test(incoming) ? incoming : crypto.randomUUID();
  ctx.state.requestId = id;
  ctx.set('X-Request-Id', id);
  await next();
};
