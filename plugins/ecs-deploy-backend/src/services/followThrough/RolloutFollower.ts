import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { RolloutOutcome } from '@deployment-portal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import { EcsDeployConfig } from '../../config';
import type { RecordedOutcome } from '../../database/AuditStore';
import type { FollowedRollout } from '../../database/FollowQueue';
import type { Stores } from '../../database/stores';
import type { EntityAccess } from '../catalog/types';
import type { DeploymentNotifier } from '../notify/types';
import type { ServiceStateStore } from '../status/types';
import {
  AutomaticRollback,
  revisionOf,
  rollbackText,
} from './AutomaticRollback';
import { decideRollout } from './decideRollout';

/** Tries of an automatic rollback (one per check) before the failure is final. */
const ROLLBACK_ATTEMPTS = 3;
/** Rollouts one check takes on. */
const BATCH = 50;

/**
 * Follows promotions and rollbacks after AWS accepted them, until the target's deployment
 * COMPLETED (`rolled-out`), FAILED, was rolled back by ECS's circuit breaker or missed the path's
 * deadline (`failed`, and, where the path says so, `rolled-back-automatically` through the
 * audited rollback as actor `system`). The work lives in the database and each check claims it,
 * so any replica finishes what another started; the scheduler runs `check` on one replica at a
 * time.
 */
export class RolloutFollower {
  private readonly owner = `follower-${randomUUID()}`;

  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      stores: Pick<Stores, 'audit' | 'follows' | 'completeRollout'>;
      store: ServiceStateStore;
      entities: EntityAccess;
      auth: AuthService;
      rollbacks: AutomaticRollback;
      notifier: DeploymentNotifier;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** How long a check may hold a rollout: a read and a rollback, each within its deadline. */
  get claimMs(): number {
    const { readDeadlineMs, writeDeadlineMs } = this.options.settings;
    return readDeadlineMs + 2 * writeDeadlineMs;
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** One check of every rollout in progress. */
  async check(signal?: AbortSignal): Promise<void> {
    const { logger } = this.options;
    const rollouts = this.options.stores.follows;
    const claimed = await rollouts.claim(this.owner, this.claimMs, BATCH);
    for (const rollout of claimed) {
      const id = rollout.audit.id;
      if (signal?.aborted) {
        await rollouts.release(id, this.owner);
        continue;
      }
      try {
        await this.follow(rollout);
      } catch (error) {
        const message = (error as Error).message;
        logger.warn(`Following rollout ${id} failed this time: ${message}`);
        await rollouts.release(id, this.owner);
      }
    }
  }

  private async entity(entityRef: string): Promise<Entity | undefined> {
    const { entities, auth } = this.options;
    return entities
      .loadEntity(
        parseEntityRef(entityRef),
        await auth.getOwnServiceCredentials(),
      )
      .catch(() => undefined);
  }

  private async follow(rollout: FollowedRollout): Promise<void> {
    const { settings, store, stores } = this.options;
    const { audit } = rollout;
    const env = settings.environments.find(e => e.name === audit.toEnvironment);
    const service = audit.targetService;
    if (!env || !service) {
      await this.finish(rollout, {
        outcome: 'failed',
        message: `${audit.toEnvironment} is no longer configured; the rollout cannot be followed`,
      });
      return;
    }
    if (rollout.state === 'rolling-back') {
      await this.rollBack(rollout, rollout.lastError ?? 'The rollout failed');
      return;
    }
    const read = (
      await store.read(env, [service.serviceName], { fresh: true })
    ).get(service.serviceName);
    const decision = decideRollout({
      environment: env.name,
      expected: rollout.expectedTaskDefinition,
      startedAt: new Date(audit.createdAt),
      deadline: new Date(rollout.deadlineAt),
      unknownWrite: audit.result === 'unknown',
      read,
      now: this.now(),
    });
    if (decision.applied && audit.result === 'unknown') {
      const message = `AWS applied the update to ${revisionOf(
        rollout.expectedTaskDefinition,
      )}`;
      await stores.audit.settleUnknown(audit.id, message);
      rollout.audit = { ...audit, result: 'succeeded', message };
    }
    switch (decision.kind) {
      case 'wait':
        await stores.follows.release(audit.id, this.owner);
        return;
      case 'rolled-out':
        await this.finish(rollout, {
          outcome: 'rolled-out',
          message: decision.message,
        });
        return;
      case 'not-applied':
        await this.finish(rollout, {
          outcome: 'failed',
          message: decision.message,
          result: 'failed',
        });
        return;
      default: {
        if (decision.rollBack && rollout.autoRollback) {
          const entity = await this.entity(audit.entityRef);
          await this.announce(rollout, 'failed', decision.message, entity);
          await this.rollBack(rollout, decision.message, entity);
          return;
        }
        // The target moved on: to the rollback of a failed verification, say.
        const answered = await stores.audit.findCausedBy(audit.id);
        await this.finish(
          rollout,
          answered
            ? {
                outcome: 'rolled-back-automatically',
                message: `${answered.reason ?? 'Automatic rollback'} (${
                  answered.id
                })`,
              }
            : { outcome: 'failed', message: decision.message },
        );
      }
    }
  }

  /**
   * Rolls the failed action back (once: an earlier check's rollback, or the verification's,
   * counts) and records it.
   */
  private async rollBack(
    rollout: FollowedRollout,
    failure: string,
    known?: Entity,
  ) {
    const { stores, rollbacks, logger } = this.options;
    const { audit } = rollout;
    const entity = known ?? (await this.entity(audit.entityRef));
    try {
      if (!entity) throw new Error(`${audit.entityRef} is not in the catalog`);
      const answer = await rollbacks.rollBack(
        entity,
        audit,
        `Automatic rollback: ${failure}`,
      );
      if (!answer) {
        // Being rolled back by the verification right now: look again next time.
        await stores.follows.release(audit.id, this.owner, {
          state: 'rolling-back',
          lastError: failure,
        });
        return;
      }
      await this.finish(
        rollout,
        {
          outcome: 'rolled-back-automatically',
          message: `${failure}; ${rollbackText(answer, audit)}`,
        },
        entity,
      );
    } catch (error) {
      const message = (error as Error).message;
      const attempts = rollout.attempts + 1;
      logger.warn(
        `Automatic rollback of ${audit.entityRef} in ${audit.toEnvironment} (try ${attempts}) failed: ${message}`,
      );
      if (attempts < ROLLBACK_ATTEMPTS) {
        await stores.follows.release(audit.id, this.owner, {
          state: 'rolling-back',
          attempts,
          lastError: failure,
        });
        return;
      }
      await this.finish(
        rollout,
        {
          outcome: 'failed',
          message: `${failure}; the automatic rollback failed: ${message}`,
        },
        entity,
      );
    }
  }

  /** Records the outcome (once, whichever replica gets there first) and announces it. */
  private async finish(
    rollout: FollowedRollout,
    outcome: Omit<RecordedOutcome, 'at'>,
    entity?: Entity,
  ) {
    const at = this.now();
    const recorded = await this.options.stores.completeRollout(
      rollout.audit.id,
      {
        ...outcome,
        at,
      },
    );
    if (!recorded) return;
    this.options.logger.info(
      `${rollout.audit.action} ${rollout.audit.id} ${outcome.outcome}: ${outcome.message}`,
      { entityRef: rollout.audit.entityRef },
    );
    await this.announce(
      rollout,
      outcome.outcome,
      outcome.message,
      entity ?? (await this.entity(rollout.audit.entityRef)),
      at,
    );
  }

  private async announce(
    rollout: FollowedRollout,
    outcome: Exclude<RolloutOutcome, 'in-progress'>,
    message: string,
    entity: Entity | undefined,
    at = this.now(),
  ) {
    const { audit } = rollout;
    await this.options.notifier.publish({
      subject: 'action',
      kind: outcome,
      record: {
        ...audit,
        outcome,
        outcomeMessage: message,
        outcomeAt: at.toISOString(),
        durationMs: at.getTime() - Date.parse(audit.createdAt),
      },
      entity,
    });
  }
}
