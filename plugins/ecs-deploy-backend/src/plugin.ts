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
import { DatabaseEcsDeployStore } from './database/EcsDeployStore';
import { DatabasePromotionRequestStore } from './database/PromotionRequestStore';
import { DatabaseRolloutStore } from './database/RolloutStore';
import { createRouter } from './router';
import { DefaultPromotionRequestService } from './services/approvals/DefaultPromotionRequestService';
import { CatalogEntityAccess } from './services/catalog/CatalogEntityAccess';
import { RolloutFollower } from './services/followThrough/RolloutFollower';
import { DefaultInfoService } from './services/InfoService';
import { CloudWatchLogReader } from './services/logs/CloudWatchLogReader';
import { DefaultLogsService } from './services/logs/DefaultLogsService';
import { DefaultServiceNameService } from './services/names/DefaultServiceNameService';
import { DefaultDeploymentNotifier } from './services/notify/DefaultDeploymentNotifier';
import { DatabaseAuditTrail } from './services/promotion/DatabaseAuditTrail';
import { DatabaseDeploymentLock } from './services/promotion/DatabaseDeploymentLock';
import { DefaultPromotionService } from './services/promotion/DefaultPromotionService';
import { DefaultTaskDefinitionRollout } from './services/promotion/DefaultTaskDefinitionRollout';
import { createReadPath } from './services/readPath';

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
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { httpRouter, httpAuth, logger, permissions, catalog } = deps;
        const { permissionsRegistry } = deps;
        const settings = readEcsDeployConfig(deps.config);
        const { cache, clients, reader, store, status } = createReadPath({
          settings,
          credentials: DefaultAwsCredentialsManager.fromConfig(deps.config),
          cache: deps.cache,
          logger,
        });
        const db = await DatabaseEcsDeployStore.create({
          database: deps.database,
        });
        const knex = await deps.database.getClient();
        const entities = new CatalogEntityAccess(catalog, cache);
        const notifier = new DefaultDeploymentNotifier({
          notifications: deps.notifications,
          signals: deps.signals,
          logger,
        });
        const promotionDeps = {
          settings,
          store,
          reader,
          audit: new DatabaseAuditTrail({
            store: db,
            auditor: deps.auditor,
            logger,
          }),
          lock: new DatabaseDeploymentLock(db, settings.lockTimeoutMs),
          permissions,
          requests: new DatabasePromotionRequestStore(knex),
          now: () => new Date(),
        };
        const promotions = new DefaultPromotionService({
          ...promotionDeps,
          rollout: new DefaultTaskDefinitionRollout(clients, logger),
          notifier,
          logger,
        });
        // Promotions and rollbacks are followed to their outcome by one replica at a time.
        const follower = new RolloutFollower({
          settings,
          rollouts: new DatabaseRolloutStore(knex),
          audit: db,
          store,
          entities,
          auth: deps.auth,
          promotions,
          notifier,
          logger,
        });
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
            }),
            requests: new DefaultPromotionRequestService({
              deps: promotionDeps,
              promotions,
              notifier,
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
