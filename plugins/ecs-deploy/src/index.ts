/**
 * ECS deployments on entity and team pages, with promotion and rollback.
 *
 * The default export of `@deployment-portal/plugin-ecs-deploy/alpha` is the plugin for the new frontend
 * system; this entry point keeps the legacy extensions, the API and its client.
 *
 * @packageDocumentation
 */
export {
  ecsDeployPlugin,
  EcsDeploymentsPage,
  EcsUnclaimedServicesPage,
  EcsServiceNameFieldExtension,
  EntityEcsDeploymentsCard,
  EntityEcsDeploymentsContent,
  EntityEcsTeamDeploymentsContent,
} from './plugin';
export { EcsDeployClient, ecsDeployApiRef } from './api';
export type { EcsDeployApi } from './api';
export type {
  Adopter,
  AdoptionRequest,
  AdoptionResult,
  EcsDeployInfo,
  EntityDeploymentStatus,
  EnvironmentStatus,
  TeamStatus,
  UnclaimedService,
  UnclaimedServices,
  UnclaimedServicesQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
export { isEcsDeployAvailable } from '@deployment-portal/plugin-ecs-deploy-common';
