import { Entity } from '@backstage/catalog-model';
import {
  TEST_ACCOUNT as ACCOUNT,
  TEST_CREDENTIALS as credentials,
  TEST_REGION as REGION,
} from '@internal/dev-kit';

import { seedService } from '@internal/dev-kit';

export { ecsClient, seedService, ssmClient } from '@internal/dev-kit';

/** A service whose staging (`ghcr.io/acme/<name>:2.0.0`) is ahead of prod (`:1.0.0`). */
export async function seedStagingAhead(endpoint: string, name: string) {
  await seedService(endpoint, 'staging', name, `ghcr.io/acme/${name}:2.0.0`);
  await seedService(endpoint, 'prod', name, `ghcr.io/acme/${name}:1.0.0`);
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
