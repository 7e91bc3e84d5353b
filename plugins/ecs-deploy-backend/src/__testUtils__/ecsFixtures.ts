import { Entity } from '@backstage/catalog-model';
import {
  TEST_ACCOUNT as ACCOUNT,
  TEST_CREDENTIALS as credentials,
  TEST_REGION as REGION,
} from '@internal/dev-kit';

import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { seedService, ssmClient } from '@internal/dev-kit';

export { ecsClient, seedService, ssmClient } from '@internal/dev-kit';

/**
 * The deployment strategy parameter as terraform-modules/ecs-service writes it (here without a
 * load balancer: the emulator shifts its traffic weights without one).
 */
export async function seedStrategy(
  endpoint: string,
  env: string,
  name: string,
  deploymentConfiguration: object,
  loadBalancers: object[] = [],
) {
  const strategy = (deploymentConfiguration as { strategy: string }).strategy;
  await ssmClient(endpoint).send(
    new PutParameterCommand({
      Name: `/ecs-deploy/${env}/${name}/deployment-strategy`,
      Value: JSON.stringify({
        version: 1,
        type: strategy.toLowerCase(),
        deploymentConfiguration,
        loadBalancers,
      }),
      Type: 'String',
      Overwrite: true,
    }),
  );
}

/** A service whose staging (`ghcr.io/acme/<name>:2.0.0`) is ahead of prod (`:1.0.0`). */
export async function seedStagingAhead(
  endpoint: string,
  name: string,
  prod: { desiredCount?: number } = {},
) {
  await seedService(endpoint, 'staging', name, `ghcr.io/acme/${name}:2.0.0`);
  await seedService(endpoint, 'prod', name, `ghcr.io/acme/${name}:1.0.0`, prod);
}

/** Backend config for two environments on one endpoint (the emulator). */
export function ecsDeployTestConfig(endpoint: string, extra: object = {}) {
  return {
    aws: { accounts: [{ accountId: ACCOUNT, ...credentials }] },
    ecsDeploy: {
      environments: [
        {
          name: 'staging',
          title: 'Staging',
          region: REGION,
          cluster: 'test-staging',
          accountId: ACCOUNT,
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
          region: REGION,
          cluster: 'test-prod',
          accountId: ACCOUNT,
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

export function component(
  name: string,
  owner = 'group:default/team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'ecs-deploy.io/service-name': name },
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}
