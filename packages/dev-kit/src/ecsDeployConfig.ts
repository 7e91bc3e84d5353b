/*
 * The ECS deploy plugin's configuration for two environments (staging, prod) on one endpoint (the
 * emulator), with the clusters seedService and seedEnvironment create: what backend tests start on.
 */
import { TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION } from './aws.ts';

/** Backend config (`aws`, `ecsDeploy`) for staging and prod on `endpoint`; `extra` goes into `ecsDeploy`. */
export function ecsDeployTestConfig(endpoint: string, extra: object = {}) {
  return {
    aws: { accounts: [{ accountId: TEST_ACCOUNT, ...TEST_CREDENTIALS }] },
    ecsDeploy: {
      environments: [
        {
          name: 'staging',
          title: 'Staging',
          region: TEST_REGION,
          cluster: 'test-staging',
          accountId: TEST_ACCOUNT,
          endpoint,
          logLinks: [
            {
              title: 'Log search',
              urlTemplate:
                'https://logs.example.com/?q={service}&env={environment}&group={logGroup}',
            },
          ],
        },
        {
          name: 'prod',
          title: 'Production',
          region: TEST_REGION,
          cluster: 'test-prod',
          accountId: TEST_ACCOUNT,
          endpoint,
        },
      ],
      promotionPaths: [
        { from: 'staging', to: 'prod', requireHealthySource: false },
      ],
      // Most tests promote from sources whose tasks never run (rollouts that outlast the test);
      // the pre-flight and strategy tests check the digest as production does.
      preflight: { requireDigest: false },
      ...extra,
    },
  };
}
