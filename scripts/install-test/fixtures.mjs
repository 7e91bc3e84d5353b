// What the install test adds to the fresh app besides the READMEs' steps: a service of its own in
// the catalog, and the settings that point the app at this machine (ports, the emulator, Terraform).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_ACCOUNT, TEST_CREDENTIALS } from '@internal/dev-kit';

/** The catalog entity (and ECS service) the test reads and promotes. */
export const SERVICE = 'shop-api';

/** Writes the service's catalog file into the app; the config that registers it. */
export function serviceCatalog(appDir) {
  writeFileSync(
    path.join(appDir, 'examples/ecs-deploy.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${SERVICE}
  annotations:
    ecs-deploy.io/service-name: ${SERVICE}
spec:
  type: service
  lifecycle: production
  owner: group:default/guests
`,
  );
  return {
    catalog: {
      locations: [{ type: 'file', target: '../../examples/ecs-deploy.yaml' }],
    },
  };
}

/**
 * Layered after the app's app-config.yaml (READMEs' blocks merged in): a throwaway PostgreSQL
 * (`database`, a connection string) instead of SQLite in memory, the READMEs' environments
 * on the emulator (region, cluster, account and endpoint replaced), the emulator's account instead
 * of the example roles, no freeze window (the README's weekend window would refuse the promotion
 * on a weekend), the guest signed in as create-app's catalog user, and Terraform through the
 * repository's wrapper (the local provider mirror).
 */
export function emulatorConfig({
  appConfig,
  baseUrl,
  port,
  endpoint,
  database,
  root,
}) {
  const environments = appConfig.ecsDeploy.environments.map(env => ({
    ...env,
    region: 'us-east-1',
    cluster: `test-${env.name}`,
    accountId: TEST_ACCOUNT,
    endpoint,
  }));
  return {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: baseUrl },
      database: { client: 'pg', connection: database },
    },
    auth: { providers: { guest: { userEntityRef: 'user:default/guest' } } },
    aws: { accounts: [{ accountId: TEST_ACCOUNT, ...TEST_CREDENTIALS }] },
    ecsDeploy: {
      environments,
      freezeWindows: [],
      scaffolder: {
        terraform: { command: path.join(root, 'scripts/terraform.sh') },
      },
    },
  };
}
