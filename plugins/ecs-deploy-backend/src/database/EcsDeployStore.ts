import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  AuditRecord,
  ContainerImage,
  EcsServiceRef,
} from '@internal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

/** @public */
export type NewAuditRecord = Omit<AuditRecord, 'id' | 'createdAt'>;

/** Audit trail and cross-replica locks (the database half of AuditTrail and DeploymentLock). @public */
export interface EcsDeployStore {
  insertAudit(record: NewAuditRecord): Promise<AuditRecord>;
  finishAudit(
    id: string,
    patch: Pick<AuditRecord, 'result'> &
      Partial<Pick<AuditRecord, 'message' | 'newTaskDefinition' | 'newImages'>>,
  ): Promise<void>;
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
  '@internal/plugin-ecs-deploy-backend',
  'migrations',
);

type Row = {
  id: string;
  action: string;
  entity_ref: string;
  actor: string;
  from_environment: string | null;
  to_environment: string;
  previous_task_definition: string | null;
  new_task_definition: string | null;
  previous_images: string;
  new_images: string;
  reason: string | null;
  result: string;
  message: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
  target_account: string | null;
  target_region: string | null;
  target_cluster: string | null;
  target_service: string | null;
  ownership_proof: string | null;
};

/** PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_PRIMARYKEY / UNIQUE, MySQL ER_DUP_ENTRY. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'ER_DUP_ENTRY' ||
    /^SQLITE_CONSTRAINT/.test(e?.code ?? '') ||
    /UNIQUE constraint failed|duplicate key value/i.test(e?.message ?? '')
  );
}

const toIso = (d: Date | string | null) =>
  d === null ? undefined : new Date(d).toISOString();

function fromRow(row: Row): AuditRecord {
  return {
    id: row.id,
    action: row.action as AuditRecord['action'],
    entityRef: row.entity_ref,
    actor: row.actor,
    fromEnvironment: row.from_environment ?? undefined,
    toEnvironment: row.to_environment,
    previousTaskDefinition: row.previous_task_definition ?? undefined,
    newTaskDefinition: row.new_task_definition ?? undefined,
    previousImages: JSON.parse(row.previous_images) as ContainerImage[],
    newImages: JSON.parse(row.new_images) as ContainerImage[],
    reason: row.reason ?? undefined,
    result: row.result as AuditRecord['result'],
    message: row.message ?? undefined,
    createdAt: toIso(row.created_at)!,
    finishedAt: toIso(row.finished_at),
    targetService:
      row.target_service && row.target_cluster && row.target_region
        ? {
            environment: row.to_environment,
            accountId: row.target_account ?? undefined,
            region: row.target_region,
            cluster: row.target_cluster,
            serviceName: row.target_service,
          }
        : undefined,
    ownershipProof:
      (row.ownership_proof as AuditRecord['ownershipProof']) ?? undefined,
  };
}

/** Rows targeting exactly this ECS service. */
function whereService(query: Knex.QueryBuilder, ref: EcsServiceRef) {
  return query
    .where('target_service', ref.serviceName)
    .andWhere('target_cluster', ref.cluster)
    .andWhere('target_region', ref.region)
    .andWhere(q =>
      ref.accountId
        ? q.where('target_account', ref.accountId)
        : q.whereNull('target_account'),
    );
}

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
    const row: Row = {
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
    };
    await this.db('ecs_deploy_audit').insert(row);
    return fromRow(row);
  }

  async finishAudit(
    id: string,
    patch: Parameters<EcsDeployStore['finishAudit']>[1],
  ): Promise<void> {
    await this.db('ecs_deploy_audit')
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
        finished_at: new Date(),
      });
  }

  async listAudit(
    entityRef: string,
    services: EcsServiceRef[],
    limit: number,
  ): Promise<AuditRecord[]> {
    const rows = await this.db<Row>('ecs_deploy_audit')
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
    return rows.map(fromRow);
  }

  async findSucceededInto(
    service: EcsServiceRef,
    taskDefinition: string,
  ): Promise<AuditRecord | undefined> {
    const row = await whereService(this.db<Row>('ecs_deploy_audit'), service)
      .andWhere({ result: 'succeeded', new_task_definition: taskDefinition })
      .orderBy('created_at', 'desc')
      .first();
    return row ? fromRow(row) : undefined;
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
