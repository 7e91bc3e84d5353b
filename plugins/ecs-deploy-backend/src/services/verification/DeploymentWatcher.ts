import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeploymentInfo,
  getEcsServiceName,
  getEntityEnvironments,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { VerificationStore } from '../../database/VerificationStore';
import type { EntityAccess } from '../catalog/types';
import { ecsServiceRef, serviceKey } from '../serviceRef';
import type { ServiceStateStore } from '../status/types';
import { entitySettings } from './entitySettings';

/**
 * Notices deployments the portal did not make (CI runs `scripts/deploy.sh` into staging): in each
 * watched environment, a service whose PRIMARY deployment is new (not older than the lookback,
 * not yet verified) gets a verification, started once per deployment whatever the replica.
 * Reads go through the status cache, so watching costs no more ECS calls than the views do.
 */
export class DeploymentWatcher {
  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      verifications: Pick<VerificationStore, 'start' | 'latest'>;
      store: ServiceStateStore;
      entities: EntityAccess;
      auth: AuthService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** One look at every watched environment; the verifications it started. */
  async check(): Promise<number> {
    const { settings, entities, auth } = this.options;
    const { watch } = settings.verification;
    if (watch.environments.length === 0) return 0;
    const all = await entities.serviceEntities(
      await auth.getOwnServiceCredentials(),
    );
    let started = 0;
    for (const name of watch.environments) {
      const env = settings.environments.find(e => e.name === name)!;
      const names = settings.environments.map(e => e.name);
      const here = all
        .map(({ entity }) => entity)
        .filter(entity => getEntityEnvironments(entity, names).includes(name))
        .filter(entity => this.enabled(entity, name))
        .map(entity => ({ entity, service: getEcsServiceName(entity, name) }));
      if (here.length === 0) continue;
      // The warm index's entries only, while it runs: thousands of services are not read cold.
      const reads = await this.options.store.read(
        env,
        [...new Set(here.map(h => h.service))],
        { indexedOnly: settings.index.enabled },
      );
      for (const { entity, service } of here) {
        const summary = reads.get(service)?.state?.summary;
        const primary = summary?.deployments.find(d => d.status === 'PRIMARY');
        if (!primary) continue;
        if (await this.startFor(entity, env, service, primary)) started += 1;
      }
    }
    return started;
  }

  private enabled(entity: Entity, env: string) {
    const base = this.options.settings.verification.environments[env];
    try {
      return entitySettings(base, entity, env).enabled;
    } catch {
      // A bad annotation: the verification says which (it is held).
      return base.enabled;
    }
  }

  private async startFor(
    entity: Entity,
    env: EnvironmentConfig,
    serviceName: string,
    primary: DeploymentInfo,
  ): Promise<boolean> {
    const { settings, verifications, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    const created = Date.parse(primary.createdAt ?? '');
    if (!(created >= now.getTime() - settings.verification.watch.lookbackMs)) {
      return false;
    }
    const target = ecsServiceRef(env, serviceName);
    // A promotion (or re-verify) of this revision since it was deployed is verified already.
    const latest = await verifications.latest(
      target,
      primary.taskDefinition.arn,
    );
    if (latest && Date.parse(latest.createdAt) >= created - 60_000)
      return false;
    const path = settings.promotionPaths.find(p => p.to === env.name);
    const entityRef = stringifyEntityRef(entity);
    const started = await verifications.start(
      {
        dedupeKey: `deployment:${serviceKey(target)}:${primary.id}`,
        entityRef,
        environment: env.name,
        targetService: target,
        taskDefinition: primary.taskDefinition.arn,
        deploymentId: primary.id,
        trigger: 'deployment',
        requestedBy: 'system',
        // The portal did not make it: it has no revision of its own to roll back to.
        autoRollback: false,
        rolloutDeadlineAt: new Date(
          created +
            (path?.verifyTimeoutMs ?? settings.followThrough.verifyTimeoutMs),
        ),
      },
      now,
    );
    if (started) {
      logger.info(
        `Verifying the deployment ${primary.id} of ${serviceName} in ${env.name}`,
        { entityRef },
      );
    }
    return started !== undefined;
  }
}
