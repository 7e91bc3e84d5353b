/*
 * The deployment portal's backend: catalog, scaffolder (with our ECS service action), search,
 * permissions with our policy, and the ECS deploy plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleEcsDeployFileLocations } from '@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: guest sign-in for the local default (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder, with the action that renders a new ECS service from terraform-modules/
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy'));
// Local publishing registers `file` locations; allowed only with
// ecsDeploy.scaffolder.allowFileLocations (the local default).
backend.add(catalogModuleEcsDeployFileLocations);

// permissions: our policy (entity owners and admins may promote and roll back)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// search: PostgreSQL engine when the database is PostgreSQL, in-memory otherwise
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// ECS deployments: status, promotion, rollback
backend.add(import('@deployment-portal/plugin-ecs-deploy-backend'));

backend.start();
