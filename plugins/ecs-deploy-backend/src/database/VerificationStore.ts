import type {
  EcsServiceRef,
  VerificationCheck,
  VerificationResolution,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type {
  NewVerification,
  StoredVerification,
  VerificationPatch,
} from '../services/verification/types';
import { isUniqueViolation, toIso, whereService } from './auditRows';

const TABLE = 'ecs_deploy_verifications';

type Row = {
  id: string;
  dedupe_key: string;
  entity_ref: string;
  environment: string;
  target_account: string | null;
  target_region: string;
  target_cluster: string;
  target_service: string;
  task_definition: string;
  deployment_id: string | null;
  trigger: string;
  audit_id: string | null;
  requested_by: string;
  auto_rollback: boolean | number;
  status: string;
  message: string | null;
  plan: string | null;
  checks: string;
  created_at: Date | string;
  rollout_deadline_at: Date | string;
  rolled_out_at: Date | string | null;
  window_ends_at: Date | string | null;
  finished_at: Date | string | null;
  next_check_at: Date | string | null;
  rollback: string | null;
  rollback_attempts: number;
  rollback_audit_id: string | null;
  rollback_message: string | null;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Date | string | null;
  resolution_reason: string | null;
  claimed_by?: string | null;
  claim_expires_at?: Date | string | null;
};

function fromRow(row: Row): StoredVerification {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    targetService: {
      environment: row.environment,
      accountId: row.target_account ?? undefined,
      region: row.target_region,
      cluster: row.target_cluster,
      serviceName: row.target_service,
    },
    taskDefinition: row.task_definition,
    deploymentId: row.deployment_id ?? undefined,
    trigger: row.trigger as StoredVerification['trigger'],
    auditId: row.audit_id ?? undefined,
    requestedBy: row.requested_by,
    autoRollback: Boolean(row.auto_rollback),
    status: row.status as StoredVerification['status'],
    message: row.message ?? undefined,
    plan: row.plan ? JSON.parse(row.plan) : undefined,
    checks: JSON.parse(row.checks) as VerificationCheck[],
    createdAt: toIso(row.created_at)!,
    rolloutDeadlineAt: toIso(row.rollout_deadline_at)!,
    rolledOutAt: toIso(row.rolled_out_at),
    windowEndsAt: toIso(row.window_ends_at),
    finishedAt: toIso(row.finished_at),
    nextCheckAt: toIso(row.next_check_at),
    rollbackState:
      (row.rollback as StoredVerification['rollbackState']) ?? undefined,
    rollbackAttempts: row.rollback_attempts,
    rollback: row.rollback_message
      ? {
          auditId: row.rollback_audit_id ?? undefined,
          message: row.rollback_message,
        }
      : undefined,
    resolution:
      row.resolution && row.resolved_by && row.resolved_at
        ? {
            decision: row.resolution as VerificationResolution['decision'],
            by: row.resolved_by,
            at: toIso(row.resolved_at)!,
            reason: row.resolution_reason ?? undefined,
          }
        : undefined,
  };
}

const date = (iso?: string) => (iso === undefined ? undefined : new Date(iso));

function toColumns(patch: VerificationPatch): Partial<Row> {
  const columns: Partial<Row> = {
    status: patch.status,
    message: patch.message,
    checks: patch.checks && JSON.stringify(patch.checks),
    plan: patch.plan && JSON.stringify(patch.plan),
    rolled_out_at: date(patch.rolledOutAt),
    window_ends_at: date(patch.windowEndsAt),
    finished_at: date(patch.finishedAt),
    rollback: patch.rollbackState,
    rollback_attempts: patch.rollbackAttempts,
    rollback_audit_id: patch.rollback?.auditId,
    rollback_message: patch.rollback?.message,
  };
  if ('nextCheckAt' in patch) {
    columns.next_check_at = date(patch.nextCheckAt) ?? null;
  }
  return Object.fromEntries(
    Object.entries(columns).filter(([, v]) => v !== undefined),
  );
}

/** Statuses a runner still works on. */
const ACTIVE = ['running'];

/**
 * The one writer of `ecs_deploy_verifications`. A verification is started once per key (an
 * insert-if-absent on its unique key), claimed by one runner at a time (claims expire, so a
 * replica that dies mid-step loses nothing), and resolved once.
 */
export class VerificationStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Starts a verification; undefined when one with the same key exists. */
  async start(
    v: NewVerification,
    now = new Date(),
  ): Promise<StoredVerification | undefined> {
    const row: Row = {
      id: randomUUID(),
      dedupe_key: v.dedupeKey,
      entity_ref: v.entityRef,
      environment: v.environment,
      target_account: v.targetService.accountId ?? null,
      target_region: v.targetService.region,
      target_cluster: v.targetService.cluster,
      target_service: v.targetService.serviceName,
      task_definition: v.taskDefinition,
      deployment_id: v.deploymentId ?? null,
      trigger: v.trigger,
      audit_id: v.auditId ?? null,
      requested_by: v.requestedBy,
      auto_rollback: v.autoRollback,
      status: 'running',
      message: null,
      plan: null,
      checks: '[]',
      created_at: now,
      rollout_deadline_at: v.rolloutDeadlineAt,
      rolled_out_at: null,
      window_ends_at: null,
      finished_at: null,
      next_check_at: now,
      rollback: null,
      rollback_attempts: 0,
      rollback_audit_id: null,
      rollback_message: null,
      resolution: null,
      resolved_by: null,
      resolved_at: null,
      resolution_reason: null,
    };
    try {
      const inserted = await this.db(TABLE)
        .insert(row)
        .onConflict('dedupe_key')
        .ignore()
        .returning('id');
      if (inserted.length === 0) return undefined;
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    return fromRow(row);
  }

  async get(id: string): Promise<StoredVerification | undefined> {
    const row = await this.db<Row>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  /** The entity's verifications and those of `services`, newest first. */
  async list(
    entityRef: string,
    services: EcsServiceRef[],
    options: { environment?: string; limit: number },
  ): Promise<StoredVerification[]> {
    const rows = await this.db<Row>(TABLE)
      .where(q => {
        q.where({ entity_ref: entityRef });
        for (const ref of services) q.orWhere(w => whereService(w, ref));
      })
      .modify(q => {
        if (options.environment) {
          q.andWhere({ environment: options.environment });
        }
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(fromRow);
  }

  /** The newest verification of an ECS service (of one revision, when given). */
  async latest(
    service: EcsServiceRef,
    taskDefinition?: string,
  ): Promise<StoredVerification | undefined> {
    const row = await whereService(this.db<Row>(TABLE), service)
      .modify(q => {
        if (taskDefinition) q.andWhere({ task_definition: taskDefinition });
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Claims up to `limit` verifications due now (running, or failed with a rollback to do) that
   * nobody holds or whose claim expired, oldest first.
   */
  async claimDue(
    owner: string,
    claimMs: number,
    limit: number,
    now = new Date(),
  ): Promise<StoredVerification[]> {
    const due = (q: Knex.QueryBuilder) =>
      q
        .where(w =>
          w.whereIn('status', ACTIVE).orWhere({ rollback: 'pending' }),
        )
        .andWhere(w =>
          w.whereNull('next_check_at').orWhere('next_check_at', '<=', now),
        )
        .andWhere(w =>
          w.whereNull('claimed_by').orWhere('claim_expires_at', '<', now),
        );
    const candidates = await this.db(TABLE)
      .where(due)
      .orderBy('created_at')
      .limit(limit)
      .select('id');
    const claimed: string[] = [];
    for (const { id } of candidates) {
      const updated = await this.db(TABLE)
        .where({ id })
        .andWhere(due)
        .update({
          claimed_by: owner,
          claim_expires_at: new Date(now.getTime() + claimMs),
        });
      if (updated === 1) claimed.push(id);
    }
    if (claimed.length === 0) return [];
    const rows = await this.db<Row>(TABLE)
      .whereIn('id', claimed)
      .andWhere({ claimed_by: owner })
      .orderBy('created_at');
    return rows.map(fromRow);
  }

  /**
   * Saves what a step learnt and gives the claim back (unless `keepClaim`); false when the claim
   * was lost.
   */
  async save(
    id: string,
    owner: string,
    patch: VerificationPatch,
    options: { keepClaim?: boolean } = {},
  ): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ id, claimed_by: owner })
      .update({
        ...toColumns(patch),
        ...(!options.keepClaim && { claimed_by: null, claim_expires_at: null }),
      });
    return updated === 1;
  }

  /** Records an owner's decision on a held verification; false when it is no longer held. */
  async resolve(
    id: string,
    resolution: VerificationResolution,
    patch: VerificationPatch,
  ): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ id, status: 'held' })
      .update({
        ...toColumns(patch),
        resolution: resolution.decision,
        resolved_by: resolution.by,
        resolved_at: new Date(resolution.at),
        resolution_reason: resolution.reason ?? null,
      });
    return updated === 1;
  }
}
