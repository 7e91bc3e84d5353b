import {
  AuditorService,
  AuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { EcsDeployConfig } from '../config';
import type { Stores } from '../database/stores';
import type { AwsClients } from './aws/AwsClients';
import type { EcsReader } from './aws/types';
import type { EntityAccess } from './catalog/types';
import { AutomaticRollback } from './followThrough/AutomaticRollback';
import { RolloutFollower } from './followThrough/RolloutFollower';
import type { DeploymentNotifier } from './notify/types';
import type { PromotionGates } from './gates/types';
import type { TargetPermissions } from './permissions/TargetPermissions';
import { DatabaseAuditTrail } from './promotion/DatabaseAuditTrail';
import { DatabaseDeploymentLock } from './promotion/DatabaseDeploymentLock';
import { DefaultPromotionRequestService } from './promotion/DefaultPromotionRequestService';
import { DefaultPromotionService } from './promotion/DefaultPromotionService';
import { DefaultTaskDefinitionRollout } from './promotion/DefaultTaskDefinitionRollout';
import type { Side } from './promotion/guards';
import type { PreflightChecks } from './preflight/types';
import type { ServiceStateStore } from './status/types';
import { DefaultDeploymentControlService } from './strategies/DefaultDeploymentControlService';
import { GateController } from './strategies/GateController';
import { ParameterStrategyApplier } from './strategies/ParameterStrategyApplier';
import type { DeploymentReader } from './strategies/types';
import { sourceVerificationBlocker } from './verification/sourceBlocker';

/**
 * The write path as one piece, beside createReadPath: the audit trail and the lock on the
 * plugin's stores, promotions and rollbacks (with the services' deployment strategies),
 * promotion requests, the follower that takes each rollout to its outcome, the automatic
 * rollback it shares with the verifications, and the controls and gate controller of
 * deployments in progress. plugin.ts and the tests build it the same way.
 */
export function createWritePath(options: {
  settings: EcsDeployConfig;
  stores: Stores;
  clients: AwsClients;
  reader: EcsReader;
  store: ServiceStateStore;
  deployments: DeploymentReader;
  preflight: PreflightChecks;
  entities: EntityAccess;
  permissions: PermissionsService;
  targets: TargetPermissions;
  gates: PromotionGates;
  auditor: AuditorService;
  auth: AuthService;
  notifier: DeploymentNotifier;
  logger: LoggerService;
  now?: () => Date;
}) {
  const { settings, stores, logger, notifier } = options;
  const deps = {
    settings,
    store: options.store,
    reader: options.reader,
    audit: new DatabaseAuditTrail({
      stores,
      auditor: options.auditor,
      logger,
      now: options.now,
    }),
    lock: new DatabaseDeploymentLock(stores.locks, settings.lockTimeoutMs),
    permissions: options.permissions,
    targets: options.targets,
    gates: options.gates,
    requests: stores.requests,
    verificationBlocker: (source: Side) =>
      sourceVerificationBlocker(stores.verifications, source),
    preflight: options.preflight,
    now: options.now ?? (() => new Date()),
  };
  const promotions = new DefaultPromotionService({
    ...deps,
    rollout: new DefaultTaskDefinitionRollout(
      options.clients,
      logger,
      new ParameterStrategyApplier({
        clients: options.clients,
        gates: stores.gates,
        settings: settings.strategies,
        now: options.now,
      }),
    ),
    notifier,
    logger,
  });
  const requests = new DefaultPromotionRequestService({
    deps,
    promotions,
    notifier,
  });
  const rollbacks = new AutomaticRollback({
    locks: stores.locks,
    audit: stores.audit,
    promotions,
    lockMs: settings.writeDeadlineMs * 2,
  });
  const follower = new RolloutFollower({
    settings,
    stores,
    store: options.store,
    entities: options.entities,
    auth: options.auth,
    rollbacks,
    notifier,
    logger,
  });
  const controls = new DefaultDeploymentControlService({
    ...deps,
    gates: stores.gates,
    deployments: options.deployments,
    clients: options.clients,
    notifier,
  });
  const deploymentGates = new GateController({
    settings,
    gates: stores.gates,
    store: options.store,
    deployments: options.deployments,
    clients: options.clients,
    logger,
  });
  return {
    audit: deps.audit,
    lock: deps.lock,
    promotions,
    requests,
    follower,
    rollbacks,
    controls,
    deploymentGates,
  };
}
