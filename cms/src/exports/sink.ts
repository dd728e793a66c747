import type { Writable } from 'stream';

/** Writes a chunk and waits when the reader is slower than the database: memory stays flat. */
export function writeTo(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('output closed'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('output closed'));
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', done);
  });
}
