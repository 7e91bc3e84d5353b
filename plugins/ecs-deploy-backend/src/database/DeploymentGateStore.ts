import type { DeploymentHold } from '@deployment-portal/plugin-ecs-deploy-common';
import { Knex } from 'knex';
import { isUniqueViolation, toIso } from './auditRows';

const SERVICES = 'ecs_deploy_gated_services';
const HOLDS = 'ecs_deploy_deployment_holds';

/** One ECS service by environment and name. */
export interface GatedService {
  environment: string;
  serviceName: string;
}

/**
 * The one writer of `ecs_deploy_gated_services` and `ecs_deploy_deployment_holds`: which
 * services deploy with the portal's gates (the gate controller watches them), and the holds on
 * their deployments in progress, one per service deployment.
 */
export class DeploymentGateStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Records that the service deploys with the portal's gates (again: no change). */
  async watch(service: GatedService, now: Date): Promise<void> {
    await this.db(SERVICES)
      .insert({
        environment: service.environment,
        service_name: service.serviceName,
        since: now,
      })
      .onConflict(['environment', 'service_name'])
      .ignore();
  }

  /** Stops watching the service (its strategy no longer has gates). */
  async unwatch(service: GatedService): Promise<void> {
    await this.db(SERVICES)
      .where({
        environment: service.environment,
        service_name: service.serviceName,
      })
      .delete();
  }

  async watched(): Promise<GatedService[]> {
    const rows = await this.db(SERVICES)
      .select('environment', 'service_name')
      .orderBy(['environment', 'service_name']);
    return rows.map(r => ({
      environment: r.environment,
      serviceName: r.service_name,
    }));
  }

  /** Holds the deployment; false when it is held already. */
  async hold(
    serviceDeploymentArn: string,
    service: GatedService,
    hold: DeploymentHold,
  ): Promise<boolean> {
    try {
      // The primary key makes it atomic: of holders racing on any replica, one inserts.
      await this.db(HOLDS).insert({
        service_deployment_arn: serviceDeploymentArn,
        environment: service.environment,
        service_name: service.serviceName,
        held_by: hold.by,
        held_at: new Date(hold.at),
        reason: hold.reason ?? null,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Releases the deployment's hold; false when it was not held. */
  async release(serviceDeploymentArn: string): Promise<boolean> {
    const deleted = await this.db(HOLDS)
      .where({ service_deployment_arn: serviceDeploymentArn })
      .delete();
    return deleted > 0;
  }

  async holdOf(
    serviceDeploymentArn: string,
  ): Promise<DeploymentHold | undefined> {
    const row = await this.db(HOLDS)
      .where({ service_deployment_arn: serviceDeploymentArn })
      .first();
    return row
      ? {
          by: row.held_by,
          at: toIso(row.held_at)!,
          ...(row.reason && { reason: row.reason }),
        }
      : undefined;
  }

  /** Forgets the service's holds but the one on `current` (deployments that ended). */
  async releaseEnded(service: GatedService, current?: string): Promise<void> {
    const query = this.db(HOLDS).where({
      environment: service.environment,
      service_name: service.serviceName,
    });
    if (current) query.whereNot({ service_deployment_arn: current });
    await query.delete();
  }
}
