/*
 * What changed, and who is told: the notifier interface every channel implements (Backstage
 * notifications and signals built in; the notifiers modules add through
 * ecsDeployNotifierExtensionPoint beside them). The events are the -node package's.
 */
import type { EcsDeployEvent } from '@deployment-portal/plugin-ecs-deploy-node';

/** A promotion, rollback or promotion request that changed state. */
export type DeploymentEvent = EcsDeployEvent;

/** Tells the people concerned (notifications) and open pages (signals) what changed. */
export interface DeploymentNotifier {
  publish(event: DeploymentEvent): Promise<void>;
}
