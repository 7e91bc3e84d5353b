import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_ACCOUNT } from './aws.ts';

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
  /**
   * Signed calls by caller and IAM action: an assumed role's account and name (learnt from the
   * AssumeRole answers that passed through this proxy), else the main account (static keys).
   */
  calls(): AwsCall[];
  total(): number;
  reset(): void;
  setFault(fault: AwsFault | null): void;
  close(): Promise<void>;
}

/** Calls of one IAM action by one caller. */
export interface AwsCall {
  account: string;
  /** The assumed role's name; none for the main account's own keys. */
  role?: string;
  action: string;
  count: number;
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

/** The access key of a signed request. */
const accessKeyOf = (headers: http.IncomingHttpHeaders) =>
  /Credential=([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1];

/** The access key an AssumeRole answer hands out, and the account and name of its role. */
function assumedRoleOf(
  xml: string,
): { accessKeyId: string; account: string; role: string } | undefined {
  const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1];
  const arn = /<Arn>arn:aws:sts::(\d+):assumed-role\/([^/<]+)\//.exec(xml);
  return accessKeyId && arn
    ? { accessKeyId, account: arn[1], role: arn[2] }
    : undefined;
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
  const calls = new Map<string, AwsCall>();
  const assumed = new Map<string, { account: string; role: string }>();
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
    if (iamAction) {
      actions.set(iamAction, (actions.get(iamAction) ?? 0) + 1);
      const caller: Pick<AwsCall, 'account' | 'role'> = assumed.get(
        accessKeyOf(req.headers) ?? '',
      ) ?? { account: TEST_ACCOUNT };
      const key = `${caller.account} ${caller.role ?? ''} ${iamAction}`;
      const call = calls.get(key) ?? { ...caller, action: iamAction, count: 0 };
      calls.set(key, { ...call, count: call.count + 1 });
    }
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
      async up => {
        if (iamAction !== 'sts:AssumeRole') {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        // Which role the credentials it hands out belong to, for calls().
        const answer: Buffer[] = [];
        for await (const chunk of up) answer.push(chunk as Buffer);
        const role = assumedRoleOf(Buffer.concat(answer).toString('utf8'));
        if (role) {
          const { accessKeyId, ...caller } = role;
          assumed.set(accessKeyId, caller);
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.end(Buffer.concat(answer));
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
    calls: () => [...calls.values()],
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => {
      counts.clear();
      actions.clear();
      calls.clear();
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
