import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  ActionOutcome,
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  getEcsServiceName,
  getEntityEnvironments,
  PromoteRequest,
  RollbackRequest,
} from '@internal/plugin-ecs-deploy-common';
import { EnvironmentConfig } from '../../config';
import { withDeadline } from '../aws/deadline';
import { entityEnvironment, promotionPath } from '../environments';
import { ecsServiceRef } from '../serviceRef';
import { imagesOf } from '../status/summarize';
import type {
  AuditBefore,
  Caller,
  PromotionService,
  RolloutResult,
  TaskDefinitionRollout,
} from '../types';
import { GuardError, promotionGuards, rollbackGuards } from './guards';
import { permissionRefusal } from './permission';
import {
  previewPromotion,
  previewRollback,
  previousRevision,
  PromotionDeps,
} from './previews';
import { exactImages, readSide, requireOwnership } from './sides';

/** The part of a write that runs under the target's lock, within the deadline. */
type Act = (
  signal: AbortSignal,
  start: (before: AuditBefore) => Promise<void>,
) => Promise<RolloutResult>;

/**
 * Promotion (roll the images running in one environment out to the next) and rollback (roll
 * forward to a copy of the revision an action replaced). Each write: permission (403, audited
 * as denied) → fresh read of both sides under the ECS service's lock (503 when unreadable) →
 * proof of ownership from the services' tags (403) → guards (409) → rollout, all within the
 * write deadline and inside the audit trail.
 */
export class DefaultPromotionService implements PromotionService {
  private readonly deps: PromotionDeps;

  constructor(
    private readonly options: Omit<PromotionDeps, 'now'> & {
      rollout: TaskDefinitionRollout;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.deps = { ...options, now: options.now ?? (() => new Date()) };
  }

  previewPromotion(entity: Entity, from: string, to: string, caller: Caller) {
    return previewPromotion(this.deps, entity, from, to, caller);
  }

  previewRollback(entity: Entity, environment: string, caller: Caller) {
    return previewRollback(this.deps, entity, environment, caller);
  }

  /** Permission first (a denied row), then `act` audited, within the deadline, under the lock. */
  private async write(
    permission: typeof ecsDeployPromotePermission,
    entity: Entity,
    caller: Caller,
    attempt: {
      action: 'promote' | 'rollback';
      from?: EnvironmentConfig;
      to: EnvironmentConfig;
      reason?: string;
    },
    act: Act,
  ): Promise<ActionOutcome> {
    const { audit, lock, settings, store } = this.deps;
    const { action, from, to } = attempt;
    const targetService = ecsServiceRef(to, getEcsServiceName(entity, to.name));
    const entityRef = stringifyEntityRef(entity);
    const row = {
      action,
      entityRef,
      actor: caller.userEntityRef,
      fromEnvironment: from?.name,
      toEnvironment: to.name,
      targetService,
      reason: attempt.reason,
    };
    const refused = await permissionRefusal(
      this.deps.permissions,
      permission,
      entity,
      caller,
    );
    if (refused) {
      const error = new NotAllowedError(refused.message);
      await audit.refuse(row, 'denied', error);
      throw error;
    }
    this.options.logger.info(`${action} requested`, {
      entityRef,
      environment: to.name,
      actor: caller.userEntityRef,
    });
    try {
      return await audit.run(row, start =>
        withDeadline(
          settings.writeDeadlineMs,
          `The ${action} of ${targetService.serviceName} in ${to.name}`,
          signal => lock.withLock(targetService, () => act(signal, start)),
        ),
      );
    } finally {
      await store.invalidate(to, targetService.serviceName);
    }
  }

  async promote(
    entity: Entity,
    request: PromoteRequest,
    caller: Caller,
  ): Promise<ActionOutcome> {
    const { settings, store, reader } = this.deps;
    const {
      path,
      source: from,
      target: to,
    } = promotionPath(settings, entity, request.from, request.to);
    const attempt = {
      action: 'promote' as const,
      from,
      to,
      reason: request.reason,
    };
    return this.write(
      ecsDeployPromotePermission,
      entity,
      caller,
      attempt,
      async (signal, start) => {
        const [source, target] = await Promise.all([
          readSide(store, entity, from, true),
          readSide(store, entity, to, true),
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
          now: this.deps.now(),
        });
        if (guard) throw new GuardError(guard);
        const current = target.state.summary!;
        await start({
          previousTaskDefinition: current.taskDefinition.arn,
          previousImages: current.images,
          ownershipProof,
        });
        return this.options.rollout.rollOut({
          env: to,
          serviceName: target.serviceName,
          baseTaskDefinition: current.taskDefinition.arn,
          images: sourceImages!,
          imageParameterPrefix: target.state.imageParameterPrefix,
          signal,
        });
      },
    );
  }

  async rollback(
    entity: Entity,
    request: RollbackRequest,
    caller: Caller,
  ): Promise<ActionOutcome> {
    const { settings, store } = this.deps;
    const to = entityEnvironment(settings, entity, request.environment);
    const attempt = { action: 'rollback' as const, to, reason: request.reason };
    return this.write(
      ecsDeployRollbackPermission,
      entity,
      caller,
      attempt,
      async (signal, start) => {
        const target = await readSide(store, entity, to, true);
        const ownershipProof = requireOwnership(settings, entity, target);
        const previous = await previousRevision(this.deps, target);
        const [guard] = rollbackGuards({
          target,
          previous: previous?.ref,
          expected: request.expectedTaskDefinition,
          freezeWindows: settings.freezeWindows,
          now: this.deps.now(),
        });
        if (guard) throw new GuardError(guard);
        const current = target.state.summary!;
        await start({
          previousTaskDefinition: current.taskDefinition.arn,
          previousImages: current.images,
          ownershipProof,
        });
        // Roll forward to a copy of the earlier revision, so Terraform (track_latest) agrees.
        return this.options.rollout.rollOut({
          env: to,
          serviceName: target.serviceName,
          baseTaskDefinition: previous!.ref.arn,
          images: new Map(
            imagesOf(previous!.td).map(i => [i.container, i.image]),
          ),
          imageParameterPrefix: target.state.imageParameterPrefix,
          signal,
        });
      },
    );
  }

  history(entity: Entity, limit: number) {
    const { settings, audit } = this.deps;
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
