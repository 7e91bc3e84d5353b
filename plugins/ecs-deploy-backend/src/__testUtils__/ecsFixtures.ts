import { Entity } from '@backstage/catalog-model';
import { seedService } from '@internal/dev-kit';

export {
  ecsClient,
  ecsDeployTestConfig,
  seedService,
  ssmClient,
} from '@internal/dev-kit';

/** A service whose staging (`ghcr.io/acme/<name>:2.0.0`) is ahead of prod (`:1.0.0`). */
export async function seedStagingAhead(endpoint: string, name: string) {
  await seedService(endpoint, 'staging', name, `ghcr.io/acme/${name}:2.0.0`);
  await seedService(endpoint, 'prod', name, `ghcr.io/acme/${name}:1.0.0`);
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
