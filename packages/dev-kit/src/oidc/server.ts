/*
 * A local OpenID provider for tests and the local portal: panva's oidc-provider (OpenID
 * Certified) with the demo organisation's people (catalog/demo/org.yaml) and an outsider the
 * catalog does not know, each with a password, and a login form that checks it. The
 * authorization code flow with refresh tokens, as Okta, Entra ID or Keycloak serve it; clients
 * are first-party (no consent screen). Loopback only; state in memory.
 *
 *   node packages/dev-kit/src/oidc/server.ts --port 5556 \
 *     --clients '[{"clientId":"portal","clientSecret":"…","redirectUris":["http://…/api/auth/oidc/handler/frame"]}]'
 *
 * Prints "ready <issuer>" when it listens. startOidcProvider() (oidcProvider.ts) and
 * scripts/oidc-provider.sh start it.
 */
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { parseArgs } from 'node:util';
import Provider, { type Configuration } from 'oidc-provider';
import { demoOrg, OUTSIDER, type Person } from '../people.ts';
import { loginPage } from './loginPage.ts';

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    clients: { type: 'string' },
  },
});
if (!args.port || !args.clients) {
  console.error('usage: server.ts --port <port> --clients <json>');
  process.exit(2);
}
const issuer = `http://${args.host}:${args.port}`;
const clients = JSON.parse(args.clients) as OidcClient[];
const people: Person[] = [...demoOrg().people, OUTSIDER];

function samePassword(given: string, expected: string) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const signingKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
}).privateKey.export({ format: 'jwk' });

const configuration: Configuration = {
  clients: clients.map(c => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: c.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys: [{ ...signingKey, kid: 'dev-kit', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  async findAccount(_ctx, sub) {
    const person = people.find(p => p.username === sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: person.email,
          email_verified: true,
          name: person.displayName,
          preferred_username: person.username,
        };
      },
    };
  },
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
  },
  // Refresh tokens for the code flow, as Keycloak issues them (Backstage keeps the session
  // with them): not only when offline_access was asked for with prompt=consent.
  issueRefreshToken: async (_ctx, client) =>
    client.grantTypeAllowed('refresh_token'),
  // First-party clients: what they ask for is granted, no consent screen.
  async loadExistingGrant(ctx) {
    const { client, session, params } = ctx.oidc;
    if (!client || !session?.accountId) return undefined;
    const grantId =
      ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: client.clientId,
      accountId: session.accountId,
    });
    grant.addOIDCScope(String(params?.scope ?? 'openid'));
    await grant.save();
    return grant;
  },
  interactions: {
    url: (_ctx, { uid }) => `/interaction/${uid}`,
  },
  // Seconds. A sign-in session of a working day; access and ID tokens of an hour, like most
  // providers.
  ttl: {
    Interaction: 600,
    Session: 8 * 3600,
    Grant: 8 * 3600,
    AuthorizationCode: 60,
    AccessToken: 3600,
    IdToken: 3600,
    RefreshToken: 24 * 3600,
  },
};

const provider = new Provider(issuer, configuration);
const providerCallback = provider.callback();

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      body += chunk;
      if (body.length > 10_000) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function html(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** The login prompt: GET shows the form, POST checks the password and finishes the login. */
async function interaction(
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  action?: string,
) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid || details.prompt.name !== 'login') {
    html(
      res,
      400,
      loginPage({
        uid,
        error: 'This sign-in has expired; start again from the portal.',
      }),
    );
    return;
  }
  if (req.method === 'GET' && !action) {
    html(
      res,
      200,
      loginPage({ uid, clientId: String(details.params.client_id) }),
    );
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const username = form.get('username')?.trim() ?? '';
    const person = people.find(p => p.username === username);
    if (!person || !samePassword(form.get('password') ?? '', person.password)) {
      html(
        res,
        401,
        loginPage({ uid, username, error: 'Wrong user name or password.' }),
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: person.username } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (action === 'abort') {
    await provider.interactionFinished(
      req,
      res,
      {
        error: 'access_denied',
        error_description: 'The user cancelled the sign-in',
      },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  html(res, 405, loginPage({ uid, error: 'Not allowed.' }));
}

const server = createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?\/?$/.exec(
    new URL(req.url ?? '/', issuer).pathname,
  );
  if (!match) {
    providerCallback(req, res);
    return;
  }
  interaction(req, res, match[1], match[2]).catch(error => {
    html(
      res,
      400,
      loginPage({
        uid: match[1],
        error: `This sign-in cannot go on: ${(error as Error).message}`,
      }),
    );
  });
});

server.listen(Number(args.port), args.host, () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
