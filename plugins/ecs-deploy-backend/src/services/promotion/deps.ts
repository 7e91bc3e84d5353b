import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { GuardResult } from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployConfig } from '../../config';
import type { PromotionRequestStore } from '../../database/PromotionRequestStore';
import type { EcsReader } from '../aws/types';
import type { PromotionGates } from '../gates/types';
import type { TargetPermissions } from '../permissions/TargetPermissions';
import type { PreflightChecks } from '../preflight/types';
import type { ServiceStateStore } from '../status/types';
import type { Side } from './guards';
import type { AuditTrail, DeploymentLock } from './types';

/**
 * What previews and writes share: settings, the state cache, the audit trail, the lock, the
 * policy's answers on targets (and the freeze override), the promotion gates, the pre-flight
 * checks.
 */
export interface PromotionDeps {
  settings: EcsDeployConfig;
  store: ServiceStateStore;
  reader: EcsReader;
  audit: AuditTrail;
  lock: DeploymentLock;
  permissions: PermissionsService;
  targets: TargetPermissions;
  gates: PromotionGates;
  requests: PromotionRequestStore;
  /** What the source's verification says against promoting it (a failed or unfinished one). */
  verificationBlocker: (source: Side) => Promise<GuardResult | undefined>;
  /** The pre-flight checks of a promotion's target. */
  preflight: PreflightChecks;
  now: () => Date;
}
