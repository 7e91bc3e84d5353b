/*
 * The strategies domain: applying a service's deployment strategy when the portal deploys it,
 * reading a deployment's progress, and the people's controls on it (hold, continue, skip a bake).
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { Entity } from '@backstage/catalog-model';
import type {
  DeploymentControlOutcome,
  DeploymentControls,
  DeploymentHoldRequest,
  DeploymentProgress,
  ServiceSummary,
  SkipBakeRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import type { Caller } from '../catalog/types';
import type { StrategyUpdate } from './document';

/** The service's strategy as UpdateService fields, from its SSM parameter. */
export interface StrategyApplier {
  /**
   * The fields that apply the service's strategy (with the portal's hooks for traffic-shifting
   * ones); undefined when the service has no strategy parameter (ECS's rolling update as it is).
   * Throws a 503 naming the parameter when it cannot be read or is not valid. For a rollback,
   * the strategy without its bakes and the portal's hooks: traffic moves back at once.
   */
  updateFields(
    env: EnvironmentConfig,
    serviceName: string,
    imageParameterPrefix: string | undefined,
    signal: AbortSignal,
    options: { rollback: boolean },
  ): Promise<StrategyUpdate | undefined>;
}

/** A service's deployment in progress, from ECS's service deployments. */
export interface DeploymentReader {
  /** The service deployment in progress now, read from ECS (undefined: none). */
  current(
    env: EnvironmentConfig,
    serviceName: string,
    signal?: AbortSignal,
  ): Promise<ServiceDeployment | undefined>;
  /**
   * The progress the status shows: read only when the summary shows a deployment in progress,
   * cached briefly; undefined when none (or ECS's service deployments cannot be read).
   */
  progress(
    env: EnvironmentConfig,
    serviceName: string,
    summary: ServiceSummary | undefined,
  ): Promise<DeploymentProgress | undefined>;
  /** Drops the cached progress (after a hold, continue or skip). */
  invalidate(env: EnvironmentConfig, serviceName: string): Promise<void>;
}

/** Hold, continue, abort and skip a bake: owners and admins, audited, signalled. */
export interface DeploymentControlService {
  controls(
    entity: Entity,
    environment: string,
    caller: Caller,
  ): Promise<DeploymentControls>;
  hold(
    entity: Entity,
    request: DeploymentHoldRequest,
    caller: Caller,
  ): Promise<DeploymentControlOutcome>;
  continue(
    entity: Entity,
    request: DeploymentHoldRequest,
    caller: Caller,
  ): Promise<DeploymentControlOutcome>;
  /** Stops the deployment with ECS's rollback (held or not). */
  abort(
    entity: Entity,
    request: DeploymentHoldRequest,
    caller: Caller,
  ): Promise<DeploymentControlOutcome>;
  skipBake(
    entity: Entity,
    request: SkipBakeRequest,
    caller: Caller,
  ): Promise<DeploymentControlOutcome>;
}
