import {
  AuditRecord,
  EcsServiceRef,
  RolloutOutcome,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { AUDIT_TABLE, AuditRow, fromAuditRow, whereService } from './auditRows';

/** @public */
export type NewAuditRecord = Omit<
  AuditRecord,
  'id' | 'createdAt' | 'outcome' | 'outcomeAt' | 'outcomeMessage' | 'durationMs'
>;

/** How a started row is finished. */
export type AuditFinish = Pick<AuditRecord, 'result'> &
  Partial<Pick<AuditRecord, 'message' | 'newTaskDefinition' | 'newImages'>> & {
    /** Its rollout is followed from now on: outcome `in-progress`. */
    followed?: boolean;
  };

/** The final outcome of a followed action, and its write result when that was unknown. */
export interface RecordedOutcome {
  outcome: Exclude<RolloutOutcome, 'in-progress'>;
  message: string;
  at: Date;
  /** Settles a write whose result was `unknown`. */
  result?: 'succeeded' | 'failed';
}

/**
 * The one writer of `ecs_deploy_audit`: a row per attempt, finished once, and the outcome of a
 * followed action recorded once. Build it with `createStores`; in a transaction, the stores of
 * `stores.transaction` write together.
 */
export class AuditStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async insert(record: NewAuditRecord): Promise<AuditRecord> {
    const row: AuditRow = {
      id: randomUUID(),
      action: record.action,
      entity_ref: record.entityRef,
      actor: record.actor,
      from_environment: record.fromEnvironment ?? null,
      to_environment: record.toEnvironment,
      previous_task_definition: record.previousTaskDefinition ?? null,
      new_task_definition: record.newTaskDefinition ?? null,
      previous_images: JSON.stringify(record.previousImages),
      new_images: JSON.stringify(record.newImages),
      reason: record.reason ?? null,
      result: record.result,
      message: record.message ?? null,
      created_at: new Date(),
      finished_at: record.finishedAt ? new Date(record.finishedAt) : null,
      target_account: record.targetService?.accountId ?? null,
      target_region: record.targetService?.region ?? null,
      target_cluster: record.targetService?.cluster ?? null,
      target_service: record.targetService?.serviceName ?? null,
      ownership_proof: record.ownershipProof ?? null,
      caused_by: record.causedBy ?? null,
      request_id: record.requestId ?? null,
      freeze_override: record.freezeOverride ?? null,
      change_ticket: record.changeTicket ?? null,
      gates: record.gates ? JSON.stringify(record.gates) : null,
    };
    await this.db(AUDIT_TABLE).insert(row);
    return fromAuditRow(row);
  }

  /** Finishes a started row (succeeded, failed or unknown). */
  async finish(id: string, patch: AuditFinish): Promise<void> {
    await this.db(AUDIT_TABLE)
      .where({ id })
      .update({
        result: patch.result,
        message: patch.message ?? null,
        ...(patch.newTaskDefinition !== undefined && {
          new_task_definition: patch.newTaskDefinition,
        }),
        ...(patch.newImages !== undefined && {
          new_images: JSON.stringify(patch.newImages),
        }),
        ...(patch.followed && { outcome: 'in-progress' }),
        finished_at: new Date(),
      });
  }

  /** Records the write result of an `unknown` action once AWS was seen to apply it. */
  async settleUnknown(id: string, message: string): Promise<void> {
    await this.db(AUDIT_TABLE)
      .where({ id, result: 'unknown' })
      .update({ result: 'succeeded', message });
  }

  /** Records the outcome while it is in progress; false when it was already recorded. */
  async recordOutcome(id: string, outcome: RecordedOutcome): Promise<boolean> {
    const row = await this.db<AuditRow>(AUDIT_TABLE)
      .where({ id, outcome: 'in-progress' })
      .first('created_at');
    if (!row) return false;
    const updated = await this.db(AUDIT_TABLE)
      .where({ id, outcome: 'in-progress' })
      .update({
        outcome: outcome.outcome,
        outcome_at: outcome.at,
        outcome_message: outcome.message,
        duration_ms: outcome.at.getTime() - new Date(row.created_at).getTime(),
        ...(outcome.result && {
          result: outcome.result,
          message: outcome.message,
        }),
      });
    return updated === 1;
  }

  async get(id: string): Promise<AuditRecord | undefined> {
    const row = await this.db<AuditRow>(AUDIT_TABLE).where({ id }).first();
    return row ? fromAuditRow(row) : undefined;
  }

  /**
   * The automatic rollback (if any) that answers the failed action `auditId`: one that was made
   * (or may have been), not one that failed or was refused.
   */
  async findCausedBy(auditId: string): Promise<AuditRecord | undefined> {
    const row = await this.db<AuditRow>(AUDIT_TABLE)
      .where({ caused_by: auditId })
      .whereNotIn('result', ['failed', 'denied', 'rejected'])
      .orderBy('created_at', 'desc')
      .first();
    return row ? fromAuditRow(row) : undefined;
  }

  /** Rows of the entity, and rows targeting any of `services` (whatever entity acted), newest first. */
  async list(
    entityRef: string,
    services: EcsServiceRef[],
    limit: number,
  ): Promise<AuditRecord[]> {
    const rows = await this.db<AuditRow>(AUDIT_TABLE)
      .where(q => {
        q.where({ entity_ref: entityRef });
        for (const ref of services) {
          q.orWhere(w => whereService(w, ref));
        }
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(fromAuditRow);
  }

  /** The newest succeeded action that left the ECS service on `taskDefinition`. */
  async findSucceededInto(
    service: EcsServiceRef,
    taskDefinition: string,
  ): Promise<AuditRecord | undefined> {
    const row = await whereService(this.db<AuditRow>(AUDIT_TABLE), service)
      .andWhere({ result: 'succeeded', new_task_definition: taskDefinition })
      .orderBy('created_at', 'desc')
      .first();
    return row ? fromAuditRow(row) : undefined;
  }
}
