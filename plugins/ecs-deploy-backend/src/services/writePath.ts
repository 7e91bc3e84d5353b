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
import { RolloutFollower } from './followThrough/RolloutFollower';
import type { DeploymentNotifier } from './notify/types';
import { DatabaseAuditTrail } from './promotion/DatabaseAuditTrail';
import { DatabaseDeploymentLock } from './promotion/DatabaseDeploymentLock';
import { DefaultPromotionRequestService } from './promotion/DefaultPromotionRequestService';
import { DefaultPromotionService } from './promotion/DefaultPromotionService';
import { DefaultTaskDefinitionRollout } from './promotion/DefaultTaskDefinitionRollout';
import type { ServiceStateStore } from './status/types';

/**
 * The write path as one piece, beside createReadPath: the audit trail and the lock on the
 * plugin's stores, promotions and rollbacks, promotion requests, and the follower that takes
 * each rollout to its outcome. plugin.ts and the tests build it the same way.
 */
export function createWritePath(options: {
  settings: EcsDeployConfig;
  stores: Stores;
  clients: AwsClients;
  reader: EcsReader;
  store: ServiceStateStore;
  entities: EntityAccess;
  permissions: PermissionsService;
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
    requests: stores.requests,
    now: options.now ?? (() => new Date()),
  };
  const promotions = new DefaultPromotionService({
    ...deps,
    rollout: new DefaultTaskDefinitionRollout(options.clients, logger),
    notifier,
    logger,
  });
  const requests = new DefaultPromotionRequestService({
    deps,
    promotions,
    notifier,
  });
  const follower = new RolloutFollower({
    settings,
    stores,
    store: options.store,
    entities: options.entities,
    auth: options.auth,
    promotions,
    notifier,
    logger,
  });
  return { audit: deps.audit, lock: deps.lock, promotions, requests, follower };
}
