/*
 * The deployment portal's backend: catalog (with the organisation from a directory in
 * production), scaffolder (with our ECS service action), search, sign-in, permissions with our
 * policy, and the ECS deploy plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleEcsDeployFileLocations } from '@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy';
import { rootConfigWithProductionCheck } from './modules/productionSettings';
import { authModuleGithubSignIn, authModuleOidcSignIn } from './modules/signIn';

const backend = createBackend();

// The configuration; a production start (NODE_ENV=production) without the settings production
// needs stops as soon as it is read, naming the missing key.
backend.add(rootConfigWithProductionCheck);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: OpenID Connect and GitHub sign-in as a User of the catalog (production), the guest for
// the local default (app-config.yaml); each provider is live when it is configured.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(authModuleOidcSignIn);
backend.add(authModuleGithubSignIn);

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// The organisation's users and groups: from LDAP, GitHub or Microsoft Graph, whichever
// catalog.providers configures (ldapOrg, githubOrg, microsoftGraphOrg; none locally).
backend.add(import('@backstage/plugin-catalog-backend-module-ldap'));
backend.add(import('@backstage/plugin-catalog-backend-module-github-org'));
backend.add(import('@backstage/plugin-catalog-backend-module-msgraph'));

// scaffolder, with the action that renders a new ECS service from terraform-modules/
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(
  import('@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy'),
);
// Local publishing registers `file` locations; allowed only with
// ecsDeploy.scaffolder.allowFileLocations (the local default).
backend.add(catalogModuleEcsDeployFileLocations);

// permissions: the ECS deploy policy (owners and admins write, scoped per environment: ecsDeploy.permissions)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@deployment-portal/plugin-permission-backend-module-ecs-deploy-policy'),
);

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
