import type { Entity } from '@backstage/catalog-model';
import type {
  ActionOutcome,
  AuditRecord,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import type { AuditStore } from '../../database/AuditStore';
import type { LockStore } from '../../database/LockStore';
import type { PromotionService } from '../promotion/types';

/** What became of a request to roll a failed action back. */
export type RollbackAnswer =
  /** Rolled back now. */
  | { made: true; rollback: AuditRecord; outcome: ActionOutcome }
  /** It had been rolled back already (by the follower or the verification). */
  | { made: false; rollback: AuditRecord }
  /** Another caller is rolling it back right now: ask again later. */
  | undefined;

/** `payments-api-prod:7`: the family and revision of a task definition ARN. */
export const revisionOf = (arn?: string) => arn?.split('/').pop() ?? '?';

/** What a rollback answer did, in words: `rolled back automatically to a copy of … (…)`. */
export function rollbackText(
  answer: NonNullable<RollbackAnswer>,
  failed: AuditRecord,
): string {
  const copy = answer.made && answer.outcome.taskDefinition;
  return copy
    ? `rolled back automatically to a copy of ${revisionOf(
        failed.previousTaskDefinition,
      )} (${copy.family}:${copy.revision})`
    : `rolled back automatically (${answer.rollback.id})`;
}

/**
 * The backend's automatic rollback of a failed action (actor `system`, through the write
 * envelope), once: the follower (the rollout failed) and the verification (a check failed) may
 * both want it, on any replica, and a lock on the failed action lets one of them at a time look
 * whether it was done and do it.
 */
export class AutomaticRollback {
  private readonly owner = `rollback-${randomUUID()}`;

  constructor(
    private readonly options: {
      locks: Pick<LockStore, 'tryLock' | 'unlock'>;
      audit: Pick<AuditStore, 'findCausedBy'>;
      promotions: Pick<PromotionService, 'rollbackAutomatically'>;
      /** How long one rollback may hold the lock (the write deadline and then some). */
      lockMs: number;
    },
  ) {}

  async rollBack(
    entity: Entity,
    failed: AuditRecord,
    reason: string,
  ): Promise<RollbackAnswer> {
    const { locks, audit, promotions, lockMs } = this.options;
    const key = `auto-rollback:${failed.id}`;
    if (!(await locks.tryLock(key, this.owner, lockMs))) return undefined;
    try {
      const done = await audit.findCausedBy(failed.id);
      if (done) return { made: false, rollback: done };
      const outcome = await promotions.rollbackAutomatically(
        entity,
        failed,
        reason,
      );
      return { made: true, rollback: outcome.audit, outcome };
    } finally {
      await locks.unlock(key, this.owner);
    }
  }
}
