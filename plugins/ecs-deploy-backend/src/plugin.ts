import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ecsDeployPermissions } from '@internal/plugin-ecs-deploy-common';
import { readEcsDeployConfig } from './config';
import { DatabaseEcsDeployStore } from './database/EcsDeployStore';
import { createRouter } from './router';
import { AwsClients } from './service/AwsClients';
import { EcsDeployApiService } from './service/EcsDeployApiService';
import { EcsReader } from './service/EcsReader';
import { PromotionService } from './service/PromotionService';
import { StatusService } from './service/StatusService';

/**
 * ECS deployments per entity and team, promotion and rollback.
 *
 * @public
 */
export const ecsDeployPlugin = createBackendPlugin({
  pluginId: 'ecs-deploy',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        cache: coreServices.cache,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        logger,
        config,
        database,
        cache,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
      }) {
        const settings = readEcsDeployConfig(config);
        const clients = new AwsClients(
          DefaultAwsCredentialsManager.fromConfig(config),
          settings,
        );
        const reader = new EcsReader(clients);
        const store = await DatabaseEcsDeployStore.create({ database });
        const status = new StatusService({
          config: settings,
          reader,
          cache,
          logger,
        });
        const promotions = new PromotionService({
          config: settings,
          status,
          reader,
          clients,
          store,
          permissions,
          auditor,
          logger,
        });
        permissionsRegistry.addPermissions(ecsDeployPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            logger,
            api: new EcsDeployApiService(settings, catalog, status, promotions),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
