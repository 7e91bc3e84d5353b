import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  ecsDeployPermissions,
  ecsDeployTargetPermissions,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  ecsDeployGatesExtensionPoint,
  ecsDeployNotifierExtensionPoint,
  ecsDeployTargetPermissionResourceRef,
  ecsDeployTargetPermissionRules,
  EcsDeployNotifier,
  PromotionGate,
} from '@deployment-portal/plugin-ecs-deploy-node';
import { readEcsDeployConfig } from './config';
import { createStores } from './database/stores';
import { createRouter } from './router';
import { CatalogEntityAccess } from './services/catalog/CatalogEntityAccess';
import { GateRunner } from './services/gates/GateRunner';
import { DefaultInfoService } from './services/InfoService';
import { CloudWatchLogReader } from './services/logs/CloudWatchLogReader';
import { DefaultLogsService } from './services/logs/DefaultLogsService';
import { createCallerRateLimit } from './services/logs/rateLimit';
import { DefaultServiceNameService } from './services/names/DefaultServiceNameService';
import { DefaultDeploymentNotifier } from './services/notify/DefaultDeploymentNotifier';
import { FanOutNotifier } from './services/notify/FanOutNotifier';
import { TargetPermissions } from './services/permissions/TargetPermissions';
import { AdoptionWrites } from './services/onboarding/adoptionWrites';
import { DefaultAdoptionJobService } from './services/onboarding/DefaultAdoptionJobService';
import { DefaultAdoptionService } from './services/onboarding/DefaultAdoptionService';
import { DefaultUnclaimedServicesService } from './services/onboarding/DefaultUnclaimedServicesService';
import { createReadPath } from './services/readPath';
import { createVerificationPath } from './services/verificationPath';
import { connectSharedRedis } from './services/sharedRedis';
import { startStatusUpdates } from './services/statusUpdates';
import { createWritePath } from './services/writePath';

/**
 * ECS deployments per entity and team, promotion and rollback. Modules add promotion gates
 * (`ecsDeployGatesExtensionPoint`) and notifiers (`ecsDeployNotifierExtensionPoint`).
 *
 * @public
 */
export const ecsDeployPlugin = createBackendPlugin({
  pluginId: 'ecs-deploy',
  register(env) {
    const gates: PromotionGate[] = [];
    env.registerExtensionPoint(ecsDeployGatesExtensionPoint, {
      addGate: (...added) => gates.push(...added),
    });
    const notifiers: EcsDeployNotifier[] = [];
    env.registerExtensionPoint(ecsDeployNotifierExtensionPoint, {
      addNotifier: (...added) => notifiers.push(...added),
    });
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
        const redis = connectSharedRedis({
          config: deps.config,
          logger,
          onClose: close => deps.lifecycle.addShutdownHook(close),
        });
        const read = createReadPath({
          settings,
          credentials: DefaultAwsCredentialsManager.fromConfig(deps.config),
          cache: deps.cache,
          locks: stores.locks,
          gates: stores.gates,
          logger,
          redis,
        });
        const { cache, clients, reader, store, status } = read;
        // ECS events, the warm index, and every change announced to open pages and replicas.
        await startStatusUpdates({
          settings,
          read,
          locks: stores.locks,
          scheduler: deps.scheduler,
          catalog,
          auth: deps.auth,
          signals: deps.signals,
          logger,
          redis,
          onShutdown: hook => deps.lifecycle.addShutdownHook(hook),
        });
        const entities = new CatalogEntityAccess(catalog, cache);
        const notifier = new FanOutNotifier(
          new DefaultDeploymentNotifier({
            notifications: deps.notifications,
            signals: deps.signals,
            logger,
          }),
          notifiers,
          logger,
        );
        // Writes are decided on promotion targets, whose conditions this plugin applies.
        permissionsRegistry.addPermissions(ecsDeployPermissions);
        const targets = new TargetPermissions({
          permissions,
          catalog,
          auth: deps.auth,
          ruleset: {
            getRuleByName: name =>
              permissionsRegistry
                .getPermissionRuleset(ecsDeployTargetPermissionResourceRef)
                .getRuleByName(name),
          },
        });
        permissionsRegistry.addResourceType({
          resourceRef: ecsDeployTargetPermissionResourceRef,
          permissions: ecsDeployTargetPermissions,
          rules: Object.values(ecsDeployTargetPermissionRules),
          getResources: refs => targets.resources(refs),
        });
        if (gates.length > 0 || notifiers.length > 0) {
          logger.info('ECS deploy extensions', {
            gates: gates.map(g => g.name).join(', '),
            notifiers: notifiers.map(n => n.name).join(', '),
          });
        }
        const {
          audit,
          promotions,
          requests,
          follower,
          rollbacks,
          controls,
          deploymentGates,
        } = createWritePath({
          settings,
          stores,
          clients,
          reader,
          store,
          deployments: read.deployments,
          preflight: read.preflight,
          entities,
          permissions,
          targets,
          gates: new GateRunner(gates, {
            timeoutMs: settings.gateTimeoutMs,
            logger,
          }),
          auditor: deps.auditor,
          auth: deps.auth,
          notifier,
          logger,
        });
        const { runner, watcher, verifications } = createVerificationPath({
          settings,
          stores,
          clients,
          reader,
          store,
          entities,
          permissions,
          audit,
          promotions,
          rollbacks,
          auth: deps.auth,
          notifier,
          logger,
        });
        // Promotions and rollbacks are followed to their outcome, verifications measured and
        // deployments noticed, each by one replica at a time.
        const every = (ms: number) => ({ milliseconds: ms });
        await deps.scheduler.scheduleTask({
          id: 'ecs-deploy-follow-rollouts',
          frequency: every(settings.followThrough.checkIntervalMs),
          timeout: every(follower.claimMs),
          scope: 'global',
          fn: signal => follower.check(signal),
        });
        await deps.scheduler.scheduleTask({
          id: 'ecs-deploy-verify',
          frequency: every(settings.followThrough.checkIntervalMs),
          timeout: every(runner.claimMs),
          scope: 'global',
          fn: signal => runner.check(signal),
        });
        await deps.scheduler.scheduleTask({
          id: 'ecs-deploy-watch-deployments',
          frequency: every(settings.verification.watch.intervalMs),
          timeout: every(settings.readDeadlineMs * 4),
          scope: 'global',
          fn: async () => {
            await watcher.check();
          },
        });
        // The portal's gates of deployments in progress are opened by one replica at a time.
        await deps.scheduler.scheduleTask({
          id: 'ecs-deploy-deployment-gates',
          frequency: { milliseconds: settings.followThrough.checkIntervalMs },
          timeout: { milliseconds: settings.readDeadlineMs * 4 },
          scope: 'global',
          fn: signal => deploymentGates.check(signal),
        });
        const adoptions = new DefaultAdoptionService({
          settings,
          reader,
          writes: new AdoptionWrites(clients),
          catalog,
          auth: deps.auth,
          auditor: deps.auditor,
          cache,
          store: stores.adoptions,
        });
        // Bulk adoption jobs: their pending services, by one replica at a time; a start runs it now.
        const ADOPTION_JOBS_TASK = 'ecs-deploy-adoption-jobs';
        const adoptionJobs = new DefaultAdoptionJobService({
          adoptions,
          jobs: stores.adoptionJobs,
          adopted: stores.adoptions,
          catalog,
          auth: deps.auth,
          auditor: deps.auditor,
          adminGroups: settings.onboarding.adminGroups,
          trigger: () => deps.scheduler.triggerTask(ADOPTION_JOBS_TASK),
        });
        await deps.scheduler.scheduleTask({
          id: ADOPTION_JOBS_TASK,
          frequency: every(settings.followThrough.checkIntervalMs),
          timeout: { minutes: 30 },
          scope: 'global',
          fn: async signal => {
            await adoptionJobs.runPending(signal);
          },
        });
        if (settings.ownershipMappings.length > 0) {
          logger.info('ECS services mapped to entities by config', {
            mappings: settings.ownershipMappings
              .map(m => `${m.environment}/${m.serviceName}→${m.entityRef}`)
              .join(', '),
          });
        }
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
              rate: createCallerRateLimit({ settings: settings.logs, redis }),
            }),
            requests,
            unclaimed: new DefaultUnclaimedServicesService({
              settings,
              reader,
              catalog,
              auth: deps.auth,
              permissions,
              cache,
            }),
            adoptions,
            adoptionJobs,
            verifications,
            updates: read.updates,
            controls,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
