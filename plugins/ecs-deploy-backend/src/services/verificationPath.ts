import {
  AuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { EcsDeployConfig } from '../config';
import type { Stores } from '../database/stores';
import type { AwsClients } from './aws/AwsClients';
import type { EcsReader } from './aws/types';
import type { EntityAccess } from './catalog/types';
import type { AutomaticRollback } from './followThrough/AutomaticRollback';
import type { DeploymentNotifier } from './notify/types';
import type { AuditTrail, PromotionService } from './promotion/types';
import type { ServiceStateStore } from './status/types';
import { DefaultVerificationService } from './verification/DefaultVerificationService';
import { DeploymentWatcher } from './verification/DeploymentWatcher';
import { VerificationRunner } from './verification/VerificationRunner';

/**
 * Verification as one piece, beside the read and write paths: the runner that measures
 * verifications and rolls failed promotions back, the watcher that notices deployments the
 * portal did not make, and the service the router calls. plugin.ts and the tests build it the
 * same way.
 */
export function createVerificationPath(options: {
  settings: EcsDeployConfig;
  stores: Stores;
  clients: AwsClients;
  reader: EcsReader;
  store: ServiceStateStore;
  entities: EntityAccess;
  permissions: PermissionsService;
  audit: AuditTrail;
  promotions: PromotionService;
  rollbacks: AutomaticRollback;
  auth: AuthService;
  notifier: DeploymentNotifier;
  logger: LoggerService;
  now?: () => Date;
}) {
  const { settings, stores, store, entities, auth, notifier, logger } = options;
  const runner = new VerificationRunner({
    settings,
    stores,
    store,
    reader: options.reader,
    clients: options.clients,
    entities,
    auth,
    rollbacks: options.rollbacks,
    notifier,
    logger,
    now: options.now,
  });
  const watcher = new DeploymentWatcher({
    settings,
    verifications: stores.verifications,
    store,
    entities,
    auth,
    logger,
    now: options.now,
  });
  const verifications = new DefaultVerificationService({
    settings,
    verifications: stores.verifications,
    locks: stores.locks,
    audit: options.audit,
    permissions: options.permissions,
    promotions: options.promotions,
    store,
    notifier,
    now: options.now,
  });
  return { runner, watcher, verifications };
}
