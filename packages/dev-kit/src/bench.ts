// What the benchmarks (plugins/ecs-deploy-backend/bench) share. They run as the product does by
// default: staging and prod in their own accounts (LOCAL_ACCOUNTS), reached through the portal
// role app-config.yaml's aws.accounts name (createLocalAccounts creates it in a fresh emulator).
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { LOCAL_ACCOUNTS, type LocalEnvironment } from './accounts.ts';
import { TEST_REGION } from './aws.ts';
import type { Backend } from './backend.ts';
import { withoutThrottling } from './emulator.ts';
import { eventually } from './poll.ts';
import { seedService } from './seed.ts';

/** The `p`-th percentile of `xs` (0 for none). */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : 0;
}

/** Waits (by default up to 150 s) until `backend`'s catalog holds at least `count` components. */
export async function catalogHolds(
  backend: Pick<Backend, 'request'>,
  count: number,
  { timeoutMs = 150_000, intervalMs = 200 } = {},
): Promise<void> {
  await eventually(
    `the catalog with ${count} components`,
    async () =>
      (
        await backend.request(
          '/api/catalog/entities/by-query?filter=kind=component&limit=1&totalItems=include',
        )
      ).json?.totalItems >= count,
    { timeoutMs, intervalMs },
  );
}

/**
 * `ecsDeploy.environments` for staging and prod, clusters `<clusterPrefix>-<env>`, on one
 * endpoint, each in its account of `accounts` (default its own: LOCAL_ACCOUNTS).
 */
export function benchEnvironments(
  endpoint: string,
  clusterPrefix: string,
  accounts: Record<LocalEnvironment, string> = LOCAL_ACCOUNTS,
) {
  return (['staging', 'prod'] as const).map(env => ({
    name: env,
    region: TEST_REGION,
    cluster: `${clusterPrefix}-${env}`,
    accountId: accounts[env],
    endpoint,
  }));
}

/**
 * Seeds each of `names` in staging and prod (clusters `<clusterPrefix>-<env>`), 20 at a time,
 * directly on the emulator with its throttling off (on again for what is measured): in each
 * environment's account with `accounts` (createLocalAccounts' administrators), else in the main account. Every third
 * service runs 1.0.0 in prod and 1.1.0 in staging, the others 1.1.0 in both.
 */
export async function seedBenchServices(
  endpoint: string,
  names: string[],
  clusterPrefix: string,
  accounts?: Record<LocalEnvironment, AwsCredentialIdentity>,
): Promise<void> {
  await withoutThrottling(endpoint, async () => {
    for (const env of ['staging', 'prod'] as const) {
      for (let i = 0; i < names.length; i += 20) {
        await Promise.all(
          names.slice(i, i + 20).map((name, j) =>
            seedService(
              endpoint,
              env,
              name,
              `ghcr.io/acme/${name}:${
                env === 'prod' && (i + j) % 3 === 0 ? '1.0.0' : '1.1.0'
              }`,
              {
                cluster: `${clusterPrefix}-${env}`,
                credentials: accounts?.[env],
              },
            ),
          ),
        );
      }
    }
  });
}
