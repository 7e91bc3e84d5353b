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
  /**
   * Calls by IAM action (`ecs:DescribeServices`, `sts:AssumeRole`, `cloudwatch:GetMetricData`):
   * the signing service of the request's credential scope and its operation, whatever the
   * protocol (JSON, query, Smithy RPC v2 CBOR).
   */
  actions: Map<string, number>;
  total(): number;
  reset(): void;
  setFault(fault: AwsFault | null): void;
  close(): Promise<void>;
}

/** Signing names whose IAM action prefix differs. */
const IAM_PREFIX: Record<string, string> = {
  monitoring: 'cloudwatch',
  tagging: 'tag',
};

/** The IAM action of a signed AWS request, e.g. ecs:UpdateService; undefined if unsigned. */
export function iamActionOf(
  headers: http.IncomingHttpHeaders,
  url: string,
  body: Buffer,
): string | undefined {
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(
    String(headers.authorization ?? ''),
  )?.[1];
  if (!service) return undefined;
  const target = headers['x-amz-target'];
  const operation = target
    ? String(target).split('.').pop()
    : /\/operation\/([A-Za-z]+)/.exec(url)?.[1] ??
      new URLSearchParams(
        String(headers['content-type'] ?? '').startsWith(
          'application/x-www-form-urlencoded',
        )
          ? body.toString('utf8')
          : url.split('?')[1] ?? '',
      ).get('Action') ??
      undefined;
  return operation && `${IAM_PREFIX[service] ?? service}:${operation}`;
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
  const actions = new Map<string, number>();
  let fault: AwsFault | null = null;
  const hung = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const action = String(req.headers['x-amz-target'] ?? 'other')
      .split('.')
      .pop()!;
    counts.set(action, (counts.get(action) ?? 0) + 1);
    const iamAction = iamActionOf(req.headers, req.url ?? '/', body);
    if (iamAction) actions.set(iamAction, (actions.get(iamAction) ?? 0) + 1);
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
          upstream.end(body);
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
    upstream.end(body);
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    counts,
    actions,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => {
      counts.clear();
      actions.clear();
    },
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
