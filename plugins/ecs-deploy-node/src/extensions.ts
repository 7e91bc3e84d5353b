import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { PromotionGate } from './gates';
import type { EcsDeployNotifier } from './notifiers';

/** Adds promotion gates to the ECS deploy backend plugin. @public */
export interface EcsDeployGatesExtensionPoint {
  addGate(...gates: PromotionGate[]): void;
}

/**
 * Where a backend module adds promotion gates: checks every promotion must pass, shown in the
 * preview, evaluated on the write path and recorded in the audit trail.
 *
 * @public
 */
export const ecsDeployGatesExtensionPoint =
  createExtensionPoint<EcsDeployGatesExtensionPoint>({
    id: 'ecs-deploy.gates',
  });

/** Adds notifiers to the ECS deploy backend plugin. @public */
export interface EcsDeployNotifierExtensionPoint {
  addNotifier(...notifiers: EcsDeployNotifier[]): void;
}

/**
 * Where a backend module adds a notifier of deployment events, beside the Backstage
 * notifications the plugin sends.
 *
 * @public
 */
export const ecsDeployNotifierExtensionPoint =
  createExtensionPoint<EcsDeployNotifierExtensionPoint>({
    id: 'ecs-deploy.notifiers',
  });
