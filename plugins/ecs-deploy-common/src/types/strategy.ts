/*
 * Deployment strategies: a deployment in progress under ECS's native strategy (steps, traffic
 * shares, bakes), the portal's hold on it, and the answers of hold, continue and skip-bake.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`;
 * every date is an ISO-8601 string.
 */
import type { AuditRecord } from './audit';

/** ECS's deployment strategies (`deploymentConfiguration.strategy`). @public */
export type DeploymentStrategyType =
  | 'ROLLING'
  | 'BLUE_GREEN'
  | 'LINEAR'
  | 'CANARY';

/** One production traffic step of a traffic-shifting deployment. @public */
export interface TrafficStep {
  /** The new revision's share of production traffic once the step is applied, in percent. */
  percent: number;
  /** Minutes the deployment bakes after this step before the next one (the last: the deployment bake). */
  bakeMinutes: number;
  state: 'done' | 'current' | 'pending';
}

/** A bake under way: ECS continues by itself at `endsAt` (an admin may skip it). @public */
export interface BakeStatus {
  /** `step`: between traffic steps (canary, linear); `deployment`: after all traffic moved. */
  kind: 'step' | 'deployment';
  minutes: number;
  endsAt: string;
}

/** The portal's hold on a deployment: it does not move to its next step until continued. @public */
export interface DeploymentHold {
  by: string;
  at: string;
  reason?: string;
}

/**
 * A deployment in progress in one environment, as ECS's service deployment shows it
 * (`DescribeServiceDeployments`), with the portal's hold. Present in the status only while a
 * deployment is in progress.
 *
 * @public
 */
export interface DeploymentProgress {
  serviceDeploymentArn: string;
  strategy: DeploymentStrategyType;
  /** ECS's service deployment status (IN_PROGRESS, ROLLBACK_IN_PROGRESS, …). */
  status: string;
  /** ECS's lifecycle stage (SCALE_UP, PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, …). */
  lifecycleStage?: string;
  /** The new revision's share of production traffic now, in percent. */
  trafficPercent: number;
  /** The production traffic steps (traffic-shifting strategies; empty for ROLLING). */
  steps: TrafficStep[];
  /** The bake under way, if any. */
  bake?: BakeStatus;
  /** The portal holds the deployment before its next step. */
  hold?: DeploymentHold;
  /**
   * What the deployment waits for now: its bake, the hold of a person, the portal (it continues
   * the deployment within seconds), or nothing (ECS is moving it).
   */
  waitingFor?: 'bake' | 'hold' | 'portal';
  /** When ECS rolls the deployment back if it still waits at a hold (the hold limit). */
  holdExpiresAt?: string;
  /**
   * The deployment carries the portal's lifecycle hooks, so it can be held and its bakes
   * skipped (deployments the portal started with the service's strategy).
   */
  controllable: boolean;
}

/** `POST …/deployment/hold|continue|skip-bake` answer. @public */
export interface DeploymentControlOutcome {
  environment: string;
  audit: AuditRecord;
  /** The deployment as it is after the action. */
  progress?: DeploymentProgress;
}

/** `GET …/deployment/controls?environment=`: what the caller may do to the deployment now. @public */
export interface DeploymentControls {
  environment: string;
  progress?: DeploymentProgress;
  /** The caller may hold or continue it (its owners and the admin groups). */
  canHold: boolean;
  /** The caller may skip a bake (the admin groups). */
  canSkipBake: boolean;
}
