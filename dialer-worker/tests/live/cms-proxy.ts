import http from 'http';
import type { AddressInfo } from 'net';

export type CmsProxy = {
  url: string;
  /** `METHOD /path?query` of every request the worker sent to cms, as it arrived. */
  requests: string[];
  /** While down, every connection is cut: what a cms outage looks like from the worker. */
  setDown(down: boolean): void;
  stop(): Promise<void>;
};

/**
 * A plain HTTP relay between the worker and a real cms: it records what the worker asks
 * (to prove no socket payload shaped a request) and can play an outage. Not a mock: cms
 * answers every request that gets through.
 */
export async function startCmsProxy(target: string): Promise<CmsProxy> {
  const requests: string[] = [];
  let down = false;
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (down) return req.socket.destroy();
    const forward = http.request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setDown: (d) => {
      down = d;
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
