import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { AuditRecord, EcsServiceRef } from '@deployment-portal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  AUDIT_TABLE,
  AuditRow,
  fromAuditRow,
  isUniqueViolation,
  whereService,
} from './auditRows';
import { FollowRequest, insertFollow } from './RolloutStore';

/** @public */
export type NewAuditRecord = Omit<
  AuditRecord,
  'id' | 'createdAt' | 'outcome' | 'outcomeAt' | 'outcomeMessage' | 'durationMs'
>;

/** Audit trail and cross-replica locks (the database half of AuditTrail and DeploymentLock). @public */
export interface EcsDeployStore {
  insertAudit(record: NewAuditRecord): Promise<AuditRecord>;
  /** Finishes a started row; with `follow`, its rollout is followed (outcome `in-progress`). */
  finishAudit(
    id: string,
    patch: Pick<AuditRecord, 'result'> &
      Partial<Pick<AuditRecord, 'message' | 'newTaskDefinition' | 'newImages'>>,
    follow?: FollowRequest,
  ): Promise<void>;
  /** The automatic rollback (if any) that answers the failed action `auditId`. */
  findCausedBy(auditId: string): Promise<AuditRecord | undefined>;
  /** Rows of the entity, and rows targeting any of `services` (whatever entity acted), newest first. */
  listAudit(
    entityRef: string,
    services: EcsServiceRef[],
    limit: number,
  ): Promise<AuditRecord[]>;
  /** The newest succeeded action that left the ECS service on `taskDefinition`. */
  findSucceededInto(
    service: EcsServiceRef,
    taskDefinition: string,
  ): Promise<AuditRecord | undefined>;
  /** Takes the lock if free (or expired); false when another holder has it. */
  tryLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  isLocked(key: string): Promise<boolean>;
  unlock(key: string, owner: string): Promise<void>;
}

const migrationsDir = resolvePackagePath(
  '@deployment-portal/plugin-ecs-deploy-backend',
  'migrations',
);

/** Knex store for SQLite and PostgreSQL. @public */
export class DatabaseEcsDeployStore implements EcsDeployStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseEcsDeployStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseEcsDeployStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async insertAudit(record: NewAuditRecord): Promise<AuditRecord> {
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
    };
    await this.db(AUDIT_TABLE).insert(row);
    return fromAuditRow(row);
  }

  async finishAudit(
    id: string,
    patch: Parameters<EcsDeployStore['finishAudit']>[1],
    follow?: FollowRequest,
  ): Promise<void> {
    await this.db.transaction(async trx => {
      await trx(AUDIT_TABLE)
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
          ...(follow && { outcome: 'in-progress' }),
          finished_at: new Date(),
        });
      if (follow) await insertFollow(trx, id, follow);
    });
  }

  async findCausedBy(auditId: string): Promise<AuditRecord | undefined> {
    const row = await this.db<AuditRow>(AUDIT_TABLE)
      .where({ caused_by: auditId })
      .orderBy('created_at', 'desc')
      .first();
    return row ? fromAuditRow(row) : undefined;
  }

  async listAudit(
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

  async tryLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    await this.db('ecs_deploy_locks')
      .where('lock_key', key)
      .andWhere('expires_at', '<', now)
      .delete();
    try {
      await this.db('ecs_deploy_locks').insert({
        lock_key: key,
        owner,
        expires_at: new Date(now.getTime() + ttlMs),
      });
      return true;
    } catch (error) {
      // A primary-key violation: another holder (on any replica) took it first. It may have
      // released it since; the caller is told "in progress" either way and may retry.
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  async isLocked(key: string): Promise<boolean> {
    const row = await this.db('ecs_deploy_locks')
      .where('lock_key', key)
      .andWhere('expires_at', '>=', new Date())
      .first();
    return Boolean(row);
  }

  async unlock(key: string, owner: string): Promise<void> {
    await this.db('ecs_deploy_locks').where({ lock_key: key, owner }).delete();
  }
}
