import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsFault {
  /** `hang`: the connection is accepted and never answered (a frozen endpoint). */
  kind: 'throttle' | '5xx' | 'down' | 'hang';
  /** Share of the calls that fail, 0 to 1. */
  rate: number;
  /** Only this action (e.g. UpdateService); default every action. */
  action?: string;
  /**
   * `hang` only: the request still reaches AWS (the emulator applies it) and its answer is
   * dropped, as when a response is lost on the way back. Default: the request goes nowhere.
   */
  forward?: boolean;
}

export interface AwsProxy {
  endpoint: string;
  /** Calls by action (the X-Amz-Target's operation). */
  counts: Map<string, number>;
  total(): number;
  reset(): void;
  setFault(fault: AwsFault | null): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the AWS emulator that counts calls by action and can inject
 * faults: throttling (400 ThrottlingException), 503, a dropped connection, or a request that
 * never answers (sent on to the emulator or not).
 */
export async function startAwsProxy({
  target,
  port = 0,
}: {
  target: string;
  port?: number;
}): Promise<AwsProxy> {
  const counts = new Map<string, number>();
  let fault: AwsFault | null = null;
  const hung = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const action = String(req.headers['x-amz-target'] ?? 'other')
      .split('.')
      .pop()!;
    counts.set(action, (counts.get(action) ?? 0) + 1);
    if (
      fault &&
      (!fault.action || fault.action === action) &&
      Math.random() < fault.rate
    ) {
      if (fault.kind === 'down') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'hang') {
        hung.add(res);
        if (fault.forward) {
          const upstream = http.request(`${target}${req.url}`, {
            method: req.method,
            headers: req.headers,
          });
          upstream.on('response', up => up.resume()); // applied; its answer is lost
          upstream.on('error', () => {});
          req.pipe(upstream);
        }
        return;
      }
      const throttle = fault.kind === 'throttle';
      res.writeHead(throttle ? 400 : 503, {
        'content-type': 'application/x-amz-json-1.1',
      });
      res.end(
        JSON.stringify(
          throttle
            ? { __type: 'ThrottlingException', message: 'Rate exceeded' }
            : {
                __type: 'ServerException',
                message: 'Service unavailable (injected)',
              },
        ),
      );
      return;
    }
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
    setFault: f => {
      fault = f;
    },
    close: () =>
      new Promise(resolve => {
        for (const res of hung) res.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
