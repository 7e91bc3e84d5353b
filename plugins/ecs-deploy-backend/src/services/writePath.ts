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
import { DatabaseAuditTrail } from './promotion/DatabaseAuditTrail';
import { DatabaseDeploymentLock } from './promotion/DatabaseDeploymentLock';
import { DefaultPromotionRequestService } from './promotion/DefaultPromotionRequestService';
import { DefaultPromotionService } from './promotion/DefaultPromotionService';
import { DefaultTaskDefinitionRollout } from './promotion/DefaultTaskDefinitionRollout';
import type { Side } from './promotion/guards';
import type { ServiceStateStore } from './status/types';
import { sourceVerificationBlocker } from './verification/sourceBlocker';

/**
 * The write path as one piece, beside createReadPath: the audit trail and the lock on the
 * plugin's stores, promotions and rollbacks, promotion requests, the follower that takes each
 * rollout to its outcome, and the automatic rollback it shares with the verifications.
 * plugin.ts and the tests build it the same way.
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
    verificationBlocker: (source: Side) =>
      sourceVerificationBlocker(stores.verifications, source),
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
  return {
    audit: deps.audit,
    lock: deps.lock,
    promotions,
    requests,
    follower,
    rollbacks,
  };
}
