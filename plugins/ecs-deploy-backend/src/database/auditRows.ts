/*
 * The `ecs_deploy_audit` table's rows and their mapping to AuditRecord, shared by the stores that
 * read it (the audit trail and the rollouts being followed).
 */
import {
  AuditRecord,
  ContainerImage,
  EcsServiceRef,
  GateVerdict,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { Knex } from 'knex';

export const AUDIT_TABLE = 'ecs_deploy_audit';

export type AuditRow = {
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
  outcome?: string | null;
  outcome_at?: Date | string | null;
  duration_ms?: number | string | null;
  outcome_message?: string | null;
  caused_by?: string | null;
  request_id?: string | null;
  freeze_override?: string | null;
  change_ticket?: string | null;
  /** JSON GateVerdict[] */
  gates?: string | null;
};

export const toIso = (d: Date | string | null | undefined) =>
  d === null || d === undefined ? undefined : new Date(d).toISOString();

export function fromAuditRow(row: AuditRow): AuditRecord {
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
    outcome: (row.outcome as AuditRecord['outcome']) ?? undefined,
    outcomeAt: toIso(row.outcome_at),
    outcomeMessage: row.outcome_message ?? undefined,
    durationMs:
      row.duration_ms === null || row.duration_ms === undefined
        ? undefined
        : Number(row.duration_ms),
    causedBy: row.caused_by ?? undefined,
    requestId: row.request_id ?? undefined,
    freezeOverride: row.freeze_override ?? undefined,
    changeTicket: row.change_ticket ?? undefined,
    gates: row.gates ? (JSON.parse(row.gates) as GateVerdict[]) : undefined,
  };
}

/** Rows targeting exactly this ECS service. */
export function whereService(query: Knex.QueryBuilder, ref: EcsServiceRef) {
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

/** PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_PRIMARYKEY / UNIQUE, MySQL ER_DUP_ENTRY. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'ER_DUP_ENTRY' ||
    /^SQLITE_CONSTRAINT/.test(e?.code ?? '') ||
    /UNIQUE constraint failed|duplicate key value/i.test(e?.message ?? '')
  );
}
