import { Entity } from '@backstage/catalog-model';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { seedService, ssmClient } from '@internal/dev-kit';

export {
  ecsClient,
  ecsDeployTestConfig,
  seedService,
  ssmClient,
} from '@internal/dev-kit';

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
