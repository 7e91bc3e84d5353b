// The production test's stack (scripts/test-production.mjs): the unpacked bundle, the emulator
// standing for AWS (an account and region of its own, the demo's services seeded), the local
// OpenID provider and LDAP directory, and everything production reads from the environment.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  freePort,
  repoRoot,
  seedService,
  startDirectory,
  startEmulator,
  startOidcProvider,
  unpackBundle,
} from '@internal/dev-kit';

const root = repoRoot();
export const work = path.join(root, '.run/production');
// Not the emulator's default account nor the demo's region: nothing of app-config.yaml fits.
export const ACCOUNT = '210987654321';
export const REGION = 'eu-west-1';
export const CLUSTERS = { staging: 'acme-staging', prod: 'acme-prod' };
const SERVICES = {
  'payments-api': [
    'ghcr.io/acme/payments-api:1.4.0',
    'ghcr.io/acme/payments-api:1.3.2',
  ],
  'search-indexer': [
    'ghcr.io/acme/search-indexer:3.0.0',
    'ghcr.io/acme/search-indexer:2.8.5',
  ],
};

/** Everything production reads from the environment; the company's part as APP_CONFIG_ variables. */
function productionEnv({ emulator, provider, directory, port }) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const pg = new URL(process.env.PRODUCTION_PG_URL);
  const environment = (name, extra) => ({
    name,
    region: REGION,
    accountId: ACCOUNT,
    ...extra,
  });
  return {
    NODE_ENV: 'production',
    APP_BASE_URL: baseUrl,
    APP_CONFIG_backend_listen: JSON.stringify({ host: '127.0.0.1', port }),
    POSTGRES_HOST: pg.hostname,
    POSTGRES_PORT: pg.port,
    POSTGRES_USER: decodeURIComponent(pg.username),
    REDIS_URL: process.env.PRODUCTION_REDIS_URL,
    AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
    OIDC_METADATA_URL: provider.metadataUrl,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    TERRAFORM_STATE_BUCKET: 'acme-terraform-state',
    // The emulator stands for AWS in staging and prod, named explicitly; dr names no endpoint.
    APP_CONFIG_ecsDeploy_environments: JSON.stringify([
      environment('staging', {
        title: 'Staging',
        cluster: CLUSTERS.staging,
        endpoint: emulator.endpoint,
      }),
      environment('prod', {
        title: 'Production',
        cluster: CLUSTERS.prod,
        endpoint: emulator.endpoint,
      }),
      environment('dr', {
        title: 'Disaster recovery',
        region: 'eu-central-1',
        cluster: 'acme-dr',
      }),
    ]),
    APP_CONFIG_aws_accounts: JSON.stringify([
      { accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' },
    ]),
    APP_CONFIG_catalog_locations: JSON.stringify([
      { type: 'file', target: path.join(root, 'catalog/demo/components.yaml') },
    ]),
    APP_CONFIG_catalog_providers_ldapOrg: JSON.stringify({
      default: directory.providerConfig(),
    }),
  };
}

/**
 * Starts what the portal runs on besides PostgreSQL and Redis; `started` collects what to stop.
 * Returns the bundle's folder, the servers, the backend's port and its environment.
 */
export async function startStack(started) {
  const bundleDir = unpackBundle(path.join(root, '.run/production-bundle'));
  const port = Number(process.env.PRODUCTION_PORT || (await freePort()));
  const [emulator, provider, directory] = await Promise.all([
    startEmulator({
      rolloutSeconds: 1,
      env: { MOTO_ACCOUNT_ID: ACCOUNT },
      logFile: path.join(work, 'emulator.log'),
    }),
    startOidcProvider({
      redirectUris: [`http://127.0.0.1:${port}/api/auth/oidc/handler/frame`],
      logFile: path.join(work, 'oidc-provider.log'),
    }),
    startDirectory({
      dir: path.join(work, 'directory'),
      logFile: path.join(work, 'directory.log'),
    }),
  ]);
  started.push(emulator, provider, directory);
  for (const [name, images] of Object.entries(SERVICES)) {
    for (const [i, env] of ['staging', 'prod'].entries()) {
      await seedService(emulator.endpoint, env, name, images[i], {
        cluster: CLUSTERS[env],
        region: REGION,
      });
    }
  }
  const env = productionEnv({ emulator, provider, directory, port });
  return { bundleDir, port, emulator, provider, directory, env };
}
