/*
 * A local ITSM standing for ServiceNow, Jira Service Management and the like: change tickets with
 * a state (approved, pending, rejected), read over HTTP with a bearer token. For the change-ticket
 * gate's tests and the local portal (scripts/itsm-stub.sh).
 *
 *   GET /api/changes/:id            → 200 { id, state, title } | 404 | 401 without the token
 *   PUT /api/changes/:id {state, title?} → 200 (sets a ticket: tests, and a person trying it)
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** @public */
export type ChangeState = 'approved' | 'pending' | 'rejected';

/** @public */
export interface ChangeTicket {
  id: string;
  state: ChangeState;
  title: string;
}

/** @public */
export interface ItsmStub {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The bearer token callers must send. */
  token: string;
  /** Sets (or adds) a ticket. */
  set(id: string, state: ChangeState, title?: string): void;
  /** Ticket lookups so far (their ids), in order. */
  lookups: string[];
  stop(): Promise<void>;
}

const STATES: ChangeState[] = ['approved', 'pending', 'rejected'];
const PATH = /^\/api\/changes\/([A-Za-z0-9._:-]{1,64})$/;

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<any> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}');
}

/** Starts the stub on loopback (`port` 0: a free one). */
export async function startItsmStub(
  options: {
    port?: number;
    token?: string;
    tickets?: Array<Pick<ChangeTicket, 'id' | 'state'> & { title?: string }>;
  } = {},
): Promise<ItsmStub> {
  const token = options.token ?? 'local-itsm-token';
  const tickets = new Map<string, ChangeTicket>();
  const set = (id: string, state: ChangeState, title = `Change ${id}`) => {
    tickets.set(id, { id, state, title });
  };
  for (const t of options.tickets ?? []) set(t.id, t.state, t.title);
  const lookups: string[] = [];

  const server = createServer(async (req, res) => {
    const id = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(res, 401, { error: 'missing or wrong bearer token' });
      return;
    }
    if (!id) {
      send(res, 404, { error: `no route ${req.method} ${req.url}` });
      return;
    }
    if (req.method === 'GET') {
      lookups.push(id);
      const ticket = tickets.get(id);
      if (ticket) send(res, 200, ticket);
      else send(res, 404, { error: `no change ${id}` });
      return;
    }
    if (req.method === 'PUT') {
      try {
        const body = await readJson(req);
        if (!STATES.includes(body.state)) {
          send(res, 400, { error: `state must be one of ${STATES.join(', ')}` });
          return;
        }
        set(id, body.state, body.title);
        send(res, 200, tickets.get(id));
      } catch (e) {
        send(res, 400, { error: (e as Error).message });
      }
      return;
    }
    send(res, 405, { error: `${req.method} not allowed` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    set,
    lookups,
    stop: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
