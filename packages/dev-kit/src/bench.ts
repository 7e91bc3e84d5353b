// What the benchmarks (plugins/ecs-deploy-backend/bench) share.
import { TEST_ACCOUNT, TEST_REGION } from './aws.ts';

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
