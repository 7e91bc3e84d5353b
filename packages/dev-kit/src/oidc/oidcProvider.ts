import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { assertPortFree, freePort } from '../ports.ts';
import { startProcess, waitUntilReady } from '../processes.ts';
import { repoRoot } from '../repo.ts';

export interface OidcProviderOptions {
  /** Default: a free loopback port. */
  port?: number;
  /**
   * The portal's OIDC callbacks (`<backend>/api/auth/oidc/handler/frame`), registered for the
   * one client this provider knows.
   */
  redirectUris: string[];
  clientId?: string;
  /** Default: a random one. */
  clientSecret?: string;
  logFile?: string;
  pidFile?: string;
}

export interface OidcProvider {
  issuer: string;
  /** What auth.providers.oidc.<env>.metadataUrl points at. */
  metadataUrl: string;
  clientId: string;
  clientSecret: string;
  /** auth.providers.oidc.<env> for the portal (prompt: auto unless given, as in production). */
  portalConfig(prompt?: string): Record<string, string>;
  stop(): Promise<void>;
}

/** The local OpenID provider's entry point (server.ts), for scripts/oidc-provider.sh too. */
export function oidcProviderServer(): string {
  return path.join(repoRoot(), 'packages/dev-kit/src/oidc/server.ts');
}

/**
 * Starts the local OpenID provider (server.ts: oidc-provider with the demo organisation's
 * people and a login form) on loopback and waits for its discovery document.
 */
export async function startOidcProvider(
  options: OidcProviderOptions,
): Promise<OidcProvider> {
  const port = options.port ?? (await freePort());
  if (options.port) await assertPortFree(port);
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = options.clientId ?? 'portal';
  const clientSecret = options.clientSecret ?? randomBytes(16).toString('hex');
  const clients = [
    { clientId, clientSecret, redirectUris: options.redirectUris },
  ];
  const child = startProcess(
    process.execPath,
    [
      oidcProviderServer(),
      '--port',
      String(port),
      '--clients',
      JSON.stringify(clients),
    ],
    { logFile: options.logFile, pidFile: options.pidFile },
  );
  const metadataUrl = `${issuer}/.well-known/openid-configuration`;
  await waitUntilReady(
    child,
    `the OpenID provider on ${issuer}`,
    async () => (await fetch(metadataUrl)).ok,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return {
    issuer,
    metadataUrl,
    clientId,
    clientSecret,
    portalConfig: (prompt = 'auto') => ({
      metadataUrl,
      clientId,
      clientSecret,
      prompt,
    }),
    stop: () => child.stop(3000),
  };
}
