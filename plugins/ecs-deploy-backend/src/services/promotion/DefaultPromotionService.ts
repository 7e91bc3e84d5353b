import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ActionOutcome,
  AuditRecord,
  ecsDeployTargetRollbackPermission,
  getEcsServiceName,
  getEntityEnvironments,
  PromoteRequest,
  PromotionPreviewQuery,
  PromotionRequest,
  RollbackRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EnvironmentConfig, withApproval } from '../../config';
import { entityEnvironment, promotionPath } from '../environments';
import { SYSTEM_ACTOR } from '../notify/DefaultDeploymentNotifier';
import { ecsServiceRef } from '../serviceRef';
import type { Caller } from '../catalog/types';
import type { DeploymentNotifier } from '../notify/types';
import type {
  AuditAttempt,
  PromotionService,
  RolloutResult,
  TaskDefinitionRollout,
} from './types';
import {
  executeRollout,
  preparePromotion,
  prepareRollback,
  PreparedRollout,
} from './acts';
import type { PromotionDeps } from './deps';
import { authorizePromotion, writeRefusal } from './permission';
import { previewPromotion, previewRollback } from './previews';
import { previousRevision, revision } from './revisions';
import { runWrite } from './write';

/** What a write is about (the audit row) and how the backend follows it. */
type WriteAttempt = Omit<
  AuditAttempt,
  'entityRef' | 'actor' | 'fromEnvironment' | 'toEnvironment' | 'targetService'
> & {
  action: 'promote' | 'rollback';
  from?: EnvironmentConfig;
  to: EnvironmentConfig;
};

/**
 * Promotion (roll the images running in one environment out to the next) and rollback (roll
 * forward to a copy of the revision an action replaced), each through the write envelope
 * (write.ts): permission (403, audited as denied; none for the backend's own automatic rollback)
 * → the ECS service's lock (409) → fresh read of both sides (503 when unreadable), proof of
 * ownership from the services' tags (403), guards (409) → audit start → rollout → audit finish,
 * within the write deadline; then the rollout is followed to its outcome (see RolloutFollower).
 */
export class DefaultPromotionService implements PromotionService {
  private readonly deps: PromotionDeps;

  constructor(
    private readonly options: Omit<PromotionDeps, 'now'> & {
      rollout: TaskDefinitionRollout;
      notifier: DeploymentNotifier;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.deps = { ...options, now: options.now ?? (() => new Date()) };
  }

  previewPromotion(
    entity: Entity,
    query: PromotionPreviewQuery,
    caller: Caller,
  ) {
    return previewPromotion(this.deps, entity, query, caller);
  }

  previewRollback(entity: Entity, environment: string, caller: Caller) {
    return previewRollback(this.deps, entity, environment, caller);
  }

  /**
   * The write envelope (see write.ts): permission (`authorize`; none for the backend itself),
   * lock, `prepare`, audit start, rollout, audit finish; then the cached states of the target are
   * dropped and the started action announced.
   */
  private async write(
    entity: Entity,
    caller: Caller | undefined,
    attempt: WriteAttempt,
    steps: {
      authorize?: () => Promise<Error | undefined>;
      prepare: (signal: AbortSignal) => Promise<PreparedRollout>;
    },
  ): Promise<ActionOutcome> {
    const { audit, lock, settings, store } = this.deps;
    const { action, from, to, ...rest } = attempt;
    const targetService = ecsServiceRef(to, getEcsServiceName(entity, to.name));
    const entityRef = stringifyEntityRef(entity);
    const row: AuditAttempt = {
      ...rest,
      action,
      entityRef,
      actor: caller?.userEntityRef ?? SYSTEM_ACTOR,
      fromEnvironment: from?.name,
      toEnvironment: to.name,
      targetService,
    };
    this.options.logger.info(`${action} requested`, {
      entityRef,
      environment: to.name,
      actor: row.actor,
    });
    let outcome: ActionOutcome;
    try {
      outcome = await runWrite(
        { audit, lock, deadlineMs: settings.writeDeadlineMs },
        {
          attempt: row,
          service: targetService,
          what: `The ${action} of ${targetService.serviceName} in ${to.name}`,
          authorize: steps.authorize,
          prepare: steps.prepare,
          start: async prepared => {
            const started = await audit.start(row, prepared.before);
            return {
              finish: (result: RolloutResult) => audit.succeed(started, result),
              fail: error => audit.fail(started, error),
            };
          },
          execute: (prepared, signal) =>
            executeRollout(this.options.rollout, prepared, signal),
        },
      );
    } finally {
      await store.invalidate(to, targetService.serviceName);
    }
    await this.options.notifier.publish({
      subject: 'action',
      kind: 'started',
      record: outcome.audit,
      entity,
    });
    return outcome;
  }

  /** A rollback is followed with the deadline of the path into its environment, never rolled back. */
  private followRollback(to: EnvironmentConfig) {
    const { promotionPaths, followThrough } = this.deps.settings;
    return {
      timeoutMs:
        promotionPaths.find(p => p.to === to.name)?.verifyTimeoutMs ??
        followThrough.verifyTimeoutMs,
      autoRollback: false,
    };
  }

  /**
   * A promotion, direct or approved: the policy on the target (a direct one allowed only through
   * an approved request needs an approval, whatever the path's config says; an approved one needs
   * the approver's approve and approved-promote permissions), the path's guards and gates,
   * deadline and automatic rollback.
   */
  private promotion(
    entity: Entity,
    caller: Caller,
    request: Pick<
      PromoteRequest,
      'from' | 'to' | 'reason' | 'overrideReason' | 'changeTicket'
    > & {
      expectedTarget?: string;
      /** An approved request: exactly its images. */
      approved?: PromotionRequest;
    },
  ): Promise<ActionOutcome> {
    const envs = promotionPath(
      this.deps.settings,
      entity,
      request.from,
      request.to,
    );
    let path = envs.path;
    const where = { from: envs.source.name, to: envs.target.name };
    const overridesFreeze = request.overrideReason !== undefined;
    const changeTicket = request.changeTicket ?? request.approved?.changeTicket;
    return this.write(
      entity,
      caller,
      {
        action: 'promote',
        from: envs.source,
        to: envs.target,
        reason: request.reason,
        changeTicket,
        requestId: request.approved?.id,
        freezeOverride: request.overrideReason,
        follow: {
          timeoutMs: envs.path.verifyTimeoutMs,
          autoRollback: envs.path.autoRollback,
          verify: true,
        },
      },
      {
        authorize: async () => {
          const decision = await authorizePromotion(
            this.deps,
            entity,
            caller,
            where,
            { approved: request.approved !== undefined, overridesFreeze },
          );
          if (decision.needsApproval) path = withApproval(path);
          return decision.refusal;
        },
        prepare: signal =>
          preparePromotion(
            this.deps,
            entity,
            { ...envs, path },
            {
              caller,
              expectedTarget: request.expectedTarget,
              overrideFreeze: overridesFreeze,
              requested: request.approved,
              reason: request.reason,
              changeTicket,
            },
            signal,
          ),
      },
    );
  }

  promote(entity: Entity, request: PromoteRequest, caller: Caller) {
    return this.promotion(entity, caller, {
      ...request,
      expectedTarget: request.expectedTargetTaskDefinition,
    });
  }

  promoteApproved(
    entity: Entity,
    request: PromotionRequest,
    caller: Caller,
    overrideReason?: string,
  ) {
    return this.promotion(entity, caller, {
      from: request.from,
      to: request.to,
      reason: `${request.reason} (requested by ${request.requester})`,
      overrideReason,
      expectedTarget: request.targetTaskDefinition,
      approved: request,
    });
  }

  async rollback(
    entity: Entity,
    request: RollbackRequest,
    caller: Caller,
  ): Promise<ActionOutcome> {
    const to = entityEnvironment(
      this.deps.settings,
      entity,
      request.environment,
    );
    return this.write(
      entity,
      caller,
      {
        action: 'rollback',
        to,
        reason: request.reason,
        freezeOverride: request.overrideReason,
        follow: this.followRollback(to),
      },
      {
        authorize: () =>
          writeRefusal(
            this.deps,
            entity,
            caller,
            [{ permission: ecsDeployTargetRollbackPermission, to: to.name }],
            { overridesFreeze: request.overrideReason !== undefined },
          ),
        prepare: () =>
          prepareRollback(this.deps, entity, to, {
            expected: request.expectedTaskDefinition,
            overrideFreeze: request.overrideReason !== undefined,
            previous: target => previousRevision(this.deps, target),
          }),
      },
    );
  }

  async rollbackAutomatically(
    entity: Entity,
    failed: AuditRecord,
    reason: string,
  ): Promise<ActionOutcome> {
    const to = entityEnvironment(
      this.deps.settings,
      entity,
      failed.toEnvironment,
    );
    const previous = failed.previousTaskDefinition;
    return this.write(
      entity,
      undefined,
      {
        action: 'rollback',
        to,
        reason,
        causedBy: failed.id,
        follow: this.followRollback(to),
      },
      {
        prepare: () =>
          prepareRollback(this.deps, entity, to, {
            // Restoring service comes first: a freeze window opened since does not stop it.
            overrideFreeze: true,
            // Back to what the failed action replaced, wherever ECS itself went meanwhile.
            previous: target =>
              previous ? revision(this.deps, target, previous) : undefined,
          }),
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
