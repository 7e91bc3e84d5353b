import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ecsDeployPermissions } from '@deployment-portal/plugin-ecs-deploy-common';
import { readEcsDeployConfig } from './config';
import { createStores } from './database/stores';
import { createRouter } from './router';
import { CatalogEntityAccess } from './services/catalog/CatalogEntityAccess';
import { DefaultInfoService } from './services/InfoService';
import { CloudWatchLogReader } from './services/logs/CloudWatchLogReader';
import { DefaultLogsService } from './services/logs/DefaultLogsService';
import { createCallerRateLimit } from './services/logs/rateLimit';
import { DefaultServiceNameService } from './services/names/DefaultServiceNameService';
import { DefaultDeploymentNotifier } from './services/notify/DefaultDeploymentNotifier';
import { createReadPath } from './services/readPath';
import { createWritePath } from './services/writePath';

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
        auth: coreServices.auth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        cache: coreServices.cache,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { httpRouter, httpAuth, logger, permissions, catalog } = deps;
        const { permissionsRegistry } = deps;
        const settings = readEcsDeployConfig(deps.config, { warnings: logger });
        const stores = await createStores(deps.database);
        const { cache, clients, reader, store, status } = createReadPath({
          settings,
          credentials: DefaultAwsCredentialsManager.fromConfig(deps.config),
          cache: deps.cache,
          locks: stores.locks,
          logger,
        });
        const entities = new CatalogEntityAccess(catalog, cache);
        const notifier = new DefaultDeploymentNotifier({
          notifications: deps.notifications,
          signals: deps.signals,
          logger,
        });
        const { promotions, requests, follower } = createWritePath({
          settings,
          stores,
          clients,
          reader,
          store,
          entities,
          permissions,
          auditor: deps.auditor,
          auth: deps.auth,
          notifier,
          logger,
        });
        // Promotions and rollbacks are followed to their outcome by one replica at a time.
        await deps.scheduler.scheduleTask({
          id: 'ecs-deploy-follow-rollouts',
          frequency: { milliseconds: settings.followThrough.checkIntervalMs },
          timeout: { milliseconds: follower.claimMs },
          scope: 'global',
          fn: signal => follower.check(signal),
        });
        if (settings.ownershipMappings.length > 0) {
          logger.info('ECS services mapped to entities by config', {
            mappings: settings.ownershipMappings
              .map(m => `${m.environment}/${m.serviceName}→${m.entityRef}`)
              .join(', '),
          });
        }
        permissionsRegistry.addPermissions(ecsDeployPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            entities,
            status,
            promotions,
            names: new DefaultServiceNameService({
              settings,
              catalog,
              auth: deps.auth,
              store,
            }),
            info: new DefaultInfoService(settings),
            logs: new DefaultLogsService({
              settings,
              store,
              reader,
              logs: new CloudWatchLogReader(clients, cache),
              permissions,
              auditor: deps.auditor,
              rate: createCallerRateLimit({
                settings: settings.logs,
                config: deps.config,
                logger,
                onClose: close => deps.lifecycle.addShutdownHook(close),
              }),
            }),
            requests,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
