// What the benchmarks (plugins/ecs-deploy-backend/bench) share.
import { TEST_ACCOUNT, TEST_REGION } from './aws.ts';
import { withoutThrottling } from './emulator.ts';
import { seedService } from './seed.ts';

/** The `p`-th percentile of `xs` (0 for none). */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : 0;
}

/** `ecsDeploy.environments` for staging and prod, clusters `<clusterPrefix>-<env>`, on one endpoint. */
export function benchEnvironments(endpoint: string, clusterPrefix: string) {
  return ['staging', 'prod'].map(env => ({
    name: env,
    region: TEST_REGION,
    cluster: `${clusterPrefix}-${env}`,
    accountId: TEST_ACCOUNT,
    endpoint,
  }));
}

/**
 * Seeds each of `names` in staging and prod (clusters `<clusterPrefix>-<env>`), 20 at a time,
 * directly on the emulator with its throttling off (on again for what is measured). Every third
 * service runs 1.0.0 in prod and 1.1.0 in staging, the others 1.1.0 in both.
 */
export async function seedBenchServices(
  endpoint: string,
  names: string[],
  clusterPrefix: string,
): Promise<void> {
  await withoutThrottling(endpoint, async () => {
    for (const env of ['staging', 'prod']) {
      for (let i = 0; i < names.length; i += 20) {
        await Promise.all(
          names
            .slice(i, i + 20)
            .map((name, j) =>
              seedService(
                endpoint,
                env,
                name,
                `ghcr.io/acme/${name}:${
                  env === 'prod' && (i + j) % 3 === 0 ? '1.0.0' : '1.1.0'
                }`,
                { cluster: `${clusterPrefix}-${env}` },
              ),
            ),
        );
      }
    }
  });
}
