import {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  ActionOutcome,
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  getEcsServiceName,
  getEntityEnvironments,
  GuardResult,
  PromoteRequest,
  PromotionPreview,
  RollbackPreview,
  RollbackRequest,
} from '@internal/plugin-ecs-deploy-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EcsDeployConfig, EnvironmentConfig } from '../../config';
import { withDeadline } from '../aws/deadline';
import { ecsServiceRef } from '../serviceRef';
import { imagesOf, parseTaskDefinitionRef } from '../status/summarize';
import type {
  AuditTrail,
  Caller,
  DeploymentLock,
  EcsReader,
  PromotionService,
  ServiceStateStore,
  TaskDefinitionRollout,
} from '../types';
import {
  GuardError,
  imageChanges,
  imagesByContainer,
  promotionGuards,
  rollbackGuards,
  Side,
} from './guards';
import { entityEnvironment, promotionPath } from '../environments';
import {
  exactImages,
  ownershipRefusal,
  readSide,
  requireOwnership,
} from './sides';

type Permission = typeof ecsDeployPromotePermission;

/**
 * Promotion (roll the images running in one environment out to the next) and rollback (roll
 * forward to a copy of the revision an action replaced). Each write: permission (403, audited
 * as denied) → fresh read of both sides under the ECS service's lock (503 when unreadable) →
 * proof of ownership from the services' tags (403) → guards (409) → rollout, all within the
 * write deadline and inside the audit trail.
 */
export class DefaultPromotionService implements PromotionService {
  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      store: ServiceStateStore;
      reader: EcsReader;
      rollout: TaskDefinitionRollout;
      audit: AuditTrail;
      lock: DeploymentLock;
      permissions: PermissionsService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  private async permitted(
    permission: Permission,
    entity: Entity,
    caller: Caller,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials: caller.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  private notPermitted(
    action: string,
    entity: Entity,
    caller: Caller,
  ): GuardResult {
    return {
      code: 'not-permitted',
      message: `${caller.userEntityRef} may not ${action} ${stringifyEntityRef(
        entity,
      )}: only its owners and the admin groups may`,
    };
  }

  /** Blockers every preview shares: permission, ownership of each side, a write in flight. */
  private async commonBlockers(
    action: 'promote' | 'roll back',
    permission: Permission,
    entity: Entity,
    caller: Caller,
    sides: Side[],
    target: Side,
  ): Promise<GuardResult[]> {
    const blockers: GuardResult[] = [];
    if (!(await this.permitted(permission, entity, caller))) {
      blockers.push(this.notPermitted(action, entity, caller));
    }
    for (const side of sides) {
      const refusal = ownershipRefusal(this.options.settings, entity, side);
      if (refusal) blockers.push({ code: 'not-owned', message: refusal });
    }
    if (
      await this.options.lock.isLocked(
        ecsServiceRef(target.env, target.serviceName),
      )
    ) {
      blockers.push({
        code: 'in-flight',
        message: `Another promotion or rollback of ${target.serviceName} in ${target.env.name} is in progress`,
      });
    }
    return blockers;
  }

  async previewPromotion(
    entity: Entity,
    from: string,
    to: string,
    caller: Caller,
  ): Promise<PromotionPreview> {
    const { settings, store } = this.options;
    const { path, ...envs } = promotionPath(settings, entity, from, to);
    const [source, target] = await Promise.all([
      readSide(store, entity, envs.source, false),
      readSide(store, entity, envs.target, false),
    ]);
    const blockers = [
      ...(await this.commonBlockers(
        'promote',
        ecsDeployPromotePermission,
        entity,
        caller,
        [source, target],
        target,
      )),
      ...promotionGuards({
        path,
        source,
        target,
        freezeWindows: settings.freezeWindows,
        now: this.now(),
      }),
    ];
    const view = (s: Side) =>
      s.state.summary && {
        taskDefinition: s.state.summary.taskDefinition,
        images: s.state.summary.images,
      };
    return {
      entityRef: stringifyEntityRef(entity),
      from,
      to,
      source: view(source),
      target: view(target),
      changes: imageChanges(imagesByContainer(source), target),
      blockers,
      allowed: blockers.length === 0,
    };
  }

  /**
   * The audited, locked, deadline-bound frame of a write: permission first (denied rows), then
   * `act` under the target service's lock with the write deadline's signal.
   */
  private async write(
    action: 'promote' | 'rollback',
    permission: Permission,
    entity: Entity,
    caller: Caller,
    envs: { from?: EnvironmentConfig; to: EnvironmentConfig },
    reason: string | undefined,
    act: (
      signal: AbortSignal,
      start: Parameters<Parameters<AuditTrail['run']>[1]>[0],
    ) => ReturnType<TaskDefinitionRollout['rollOut']>,
  ): Promise<ActionOutcome> {
    const { audit, lock, settings, store, logger } = this.options;
    const targetService = ecsServiceRef(
      envs.to,
      getEcsServiceName(entity, envs.to.name),
    );
    const attempt = {
      action,
      entityRef: stringifyEntityRef(entity),
      actor: caller.userEntityRef,
      fromEnvironment: envs.from?.name,
      toEnvironment: envs.to.name,
      targetService,
      reason,
    };
    if (!(await this.permitted(permission, entity, caller))) {
      const error = new NotAllowedError(
        this.notPermitted(
          action === 'promote' ? 'promote' : 'roll back',
          entity,
          caller,
        ).message,
      );
      await audit.refuse(attempt, 'denied', error);
      throw error;
    }
    try {
      return await audit.run(attempt, start =>
        withDeadline(
          settings.writeDeadlineMs,
          `The ${action} of ${targetService.serviceName} in ${envs.to.name}`,
          signal => lock.withLock(targetService, () => act(signal, start)),
        ),
      );
    } finally {
      await store.invalidate(envs.to, targetService.serviceName);
      logger.info(
        `${action} of ${attempt.entityRef} to ${envs.to.name} finished`,
        {
          entityRef: attempt.entityRef,
          environment: envs.to.name,
        },
      );
    }
  }

  async promote(
    entity: Entity,
    request: PromoteRequest,
    caller: Caller,
  ): Promise<ActionOutcome> {
    const { settings, store, reader, rollout } = this.options;
    const {
      path,
      source: sourceEnv,
      target: targetEnv,
    } = promotionPath(settings, entity, request.from, request.to);
    return this.write(
      'promote',
      ecsDeployPromotePermission,
      entity,
      caller,
      { from: sourceEnv, to: targetEnv },
      request.reason,
      async (signal, start) => {
        const [source, target] = await Promise.all([
          readSide(store, entity, sourceEnv, true),
          readSide(store, entity, targetEnv, true),
        ]);
        const ownershipProof = requireOwnership(
          settings,
          entity,
          source,
          target,
        );
        const sourceImages = source.state.summary
          ? await exactImages(reader, source, signal)
          : undefined;
        const [guard] = promotionGuards({
          path,
          source,
          target,
          expectedTarget: request.expectedTargetTaskDefinition,
          sourceImages,
          freezeWindows: settings.freezeWindows,
          now: this.now(),
        });
        if (guard) throw new GuardError(guard);
        const current = target.state.summary!;
        await start({
          previousTaskDefinition: current.taskDefinition.arn,
          previousImages: current.images,
          ownershipProof,
        });
        return rollout.rollOut({
          env: targetEnv,
          serviceName: target.serviceName,
          baseTaskDefinition: current.taskDefinition.arn,
          images: sourceImages!,
          imageParameterPrefix: target.state.imageParameterPrefix,
          signal,
        });
      },
    );
  }

  /** The revision the last recorded action into the target replaced. */
  private async previousOf(target: Side) {
    const current = target.state.summary;
    if (!current) return undefined;
    const record = await this.options.audit.lastInto(
      ecsServiceRef(target.env, target.serviceName),
      current.taskDefinition.arn,
    );
    return record?.previousTaskDefinition
      ? this.options.reader.taskDefinition(
          target.env,
          record.previousTaskDefinition,
        )
      : undefined;
  }

  async previewRollback(
    entity: Entity,
    environment: string,
    caller: Caller,
  ): Promise<RollbackPreview> {
    const { settings, store } = this.options;
    const env = entityEnvironment(settings, entity, environment);
    const target = await readSide(store, entity, env, false);
    const previous = await this.previousOf(target);
    const previousRef =
      previous && parseTaskDefinitionRef(previous.taskDefinitionArn!, previous);
    const blockers = [
      ...(await this.commonBlockers(
        'roll back',
        ecsDeployRollbackPermission,
        entity,
        caller,
        [target],
        target,
      )),
      ...rollbackGuards({
        target,
        previous: previousRef,
        freezeWindows: settings.freezeWindows,
        now: this.now(),
      }),
    ];
    const summary = target.state.summary;
    return {
      entityRef: stringifyEntityRef(entity),
      environment,
      current: summary && {
        taskDefinition: summary.taskDefinition,
        images: summary.images,
      },
      previous: previous && {
        taskDefinition: previousRef!,
        images: imagesOf(previous),
      },
      blockers,
      allowed: blockers.length === 0,
    };
  }

  async rollback(
    entity: Entity,
    request: RollbackRequest,
    caller: Caller,
  ): Promise<ActionOutcome> {
    const { settings, store, rollout } = this.options;
    const env = entityEnvironment(settings, entity, request.environment);
    return this.write(
      'rollback',
      ecsDeployRollbackPermission,
      entity,
      caller,
      { to: env },
      request.reason,
      async (signal, start) => {
        const target = await readSide(store, entity, env, true);
        const ownershipProof = requireOwnership(settings, entity, target);
        const previous = await this.previousOf(target);
        const previousRef =
          previous &&
          parseTaskDefinitionRef(previous.taskDefinitionArn!, previous);
        const [guard] = rollbackGuards({
          target,
          previous: previousRef,
          expected: request.expectedTaskDefinition,
          freezeWindows: settings.freezeWindows,
          now: this.now(),
        });
        if (guard) throw new GuardError(guard);
        const current = target.state.summary!;
        await start({
          previousTaskDefinition: current.taskDefinition.arn,
          previousImages: current.images,
          ownershipProof,
        });
        // Roll forward to a copy of the earlier revision, so Terraform (track_latest) agrees.
        return rollout.rollOut({
          env,
          serviceName: target.serviceName,
          baseTaskDefinition: previousRef!.arn,
          images: new Map(imagesOf(previous).map(i => [i.container, i.image])),
          imageParameterPrefix: target.state.imageParameterPrefix,
          signal,
        });
      },
    );
  }

  history(entity: Entity, limit: number) {
    const { settings, audit } = this.options;
    const names = getEntityEnvironments(
      entity,
      settings.environments.map(e => e.name),
    );
    const services = settings.environments
      .filter(e => names.includes(e.name))
      .map(e => ecsServiceRef(e, getEcsServiceName(entity, e.name)));
    return audit.history(stringifyEntityRef(entity), services, limit);
  }
}
