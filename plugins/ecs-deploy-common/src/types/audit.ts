/*
 * The audit trail of promotions and rollbacks, and the ECS services it names.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`;
 * every date is an ISO-8601 string.
 */
import type { ContainerImage } from './status';

/** @public */
export type AuditAction =
  | 'promote'
  | 'rollback'
  | 'request-promotion'
  | 'reject-promotion'
  | 'reverify'
  | 'continue-verification'
  | 'abort-verification'
  | 'hold'
  | 'continue'
  | 'abort'
  | 'skip-bake';

/**
 * How a promotion or rollback ended after AWS accepted it, as the backend followed the target's
 * deployment: `in-progress` until the deployment completed (`rolled-out`), failed or missed the
 * path's deadline (`failed`), or failed and was rolled back by the backend
 * (`rolled-back-automatically`).
 *
 * @public
 */
export type RolloutOutcome =
  | 'in-progress'
  | 'rolled-out'
  | 'failed'
  | 'rolled-back-automatically';

/** @public */
export type AuditResult =
  | 'started'
  | 'succeeded'
  | 'failed'
  | 'denied'
  | 'rejected'
  | 'unknown';

/**
 * One ECS service, as audit rows and locks name it: the same service whatever entity acted on
 * it. @public
 */
export interface EcsServiceRef {
  environment: string;
  accountId?: string;
  region: string;
  cluster: string;
  serviceName: string;
}

/** What one promotion gate said about a promotion, as its audit row records it. @public */
export interface GateVerdict {
  /** The gate's name. */
  gate: string;
  result: 'passed' | 'blocked';
  /** Why it blocked (or what it noted when it passed). */
  message?: string;
  warnings?: string[];
}

/** One promotion or rollback attempt, allowed or not. @public */
export interface AuditRecord {
  id: string;
  action: AuditAction;
  entityRef: string;
  actor: string;
  fromEnvironment?: string;
  toEnvironment: string;
  /** The ECS service written to (or that would have been). */
  targetService?: EcsServiceRef;
  /** How ownership of the target was proven: its `backstage:entity-ref` tag, or a config mapping. */
  ownershipProof?: 'tag' | 'mapping';
  previousTaskDefinition?: string;
  newTaskDefinition?: string;
  previousImages: ContainerImage[];
  newImages: ContainerImage[];
  reason?: string;
  /** The change ticket the promotion carried out. */
  changeTicket?: string;
  /** The promotion gates that ran on the attempt and what each said. */
  gates?: GateVerdict[];
  result: AuditResult;
  message?: string;
  createdAt: string;
  finishedAt?: string;
  /** Present on actions the backend follows until the target's deployment ends. */
  outcome?: RolloutOutcome;
  outcomeAt?: string;
  /** What the outcome was decided on, e.g. the deployment's failure. */
  outcomeMessage?: string;
  /** From the click (`createdAt`) to the outcome. */
  durationMs?: number;
  /** The audit row of the failed action an automatic rollback (actor `system`) answers. */
  causedBy?: string;
  /** The promotion request this row belongs to. */
  requestId?: string;
  /** An admin's reason for acting during a freeze window. */
  freezeOverride?: string;
}
