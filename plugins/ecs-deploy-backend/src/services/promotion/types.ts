/*
 * The promotion domain: promotions, rollbacks and the approvals of promotion requests, their
 * audit trail, the per-service lock and the rollout itself.
 */
import type { AuditorServiceEvent } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  ActionOutcome,
  AuditRecord,
  ContainerImage,
  EcsServiceRef,
  GateVerdict,
  PromoteRequest,
  PromotionPreview,
  PromotionPreviewQuery,
  PromotionRequest,
  PromotionRequestCreate,
  PromotionRequestDecision,
  PromotionRequestDecisionBody,
  PromotionRequestList,
  PromotionRequestState,
  RollbackPreview,
  RollbackRequest,
  TaskDefinitionRef,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import type { Caller } from '../catalog/types';

/** What an audited attempt is about. */
export interface AuditAttempt {
  action: AuditRecord['action'];
  entityRef: string;
  actor: string;
  fromEnvironment?: string;
  toEnvironment: string;
  targetService?: EcsServiceRef;
  ownershipProof?: AuditRecord['ownershipProof'];
  reason?: string;
  changeTicket?: string;
  causedBy?: string;
  requestId?: string;
  freezeOverride?: string;
  /** What the promotion gates said (a refusal by a gate). */
  gates?: GateVerdict[];
  /**
   * Follow the rollout once AWS accepted it: its deadline, whether to roll back on failure, and
   * whether to verify the new revision (alarms, HTTP, metrics) once it rolls out.
   */
  follow?: { timeoutMs: number; autoRollback: boolean; verify?: boolean };
}

/** What the action replaces, recorded when it starts, and how the target's ownership was proven. */
export interface AuditBefore {
  previousTaskDefinition: string;
  previousImages: ContainerImage[];
  ownershipProof?: AuditRecord['ownershipProof'];
  /** What the promotion gates said (all passed). */
  gates?: GateVerdict[];
}

/** An action whose `started` row is written, with the auditor event around it. */
export interface StartedAction {
  attempt: AuditAttempt;
  row: AuditRecord;
  event: AuditorServiceEvent;
}

/** What a rollout left the service on. */
export interface RolloutResult {
  taskDefinition: TaskDefinitionRef;
  images: ContainerImage[];
}

/**
 * The audit trail of promotions, rollbacks and requests: one row per attempt, plus the Backstage
 * auditor event. An allowed action is `start`ed once it knows what it replaces, then finished
 * (`succeed` or `fail`); an attempt refused before it started is `refuse`d.
 */
export interface AuditTrail {
  /** Records an attempt refused before it started (denied, rejected or failed). */
  refuse(
    attempt: AuditAttempt,
    result: 'denied' | 'rejected' | 'failed',
    error: Error,
  ): Promise<AuditRecord>;
  /** Records a step that changes no ECS service (a promotion request, a rejection) as succeeded. */
  note(attempt: AuditAttempt, message: string): Promise<AuditRecord>;
  /** Writes the `started` row of an allowed action. */
  start(attempt: AuditAttempt, before: AuditBefore): Promise<StartedAction>;
  /** Finishes it as succeeded; its rollout is followed (in the same transaction) when asked. */
  succeed(
    started: StartedAction,
    result: RolloutResult,
  ): Promise<ActionOutcome>;
  /** Finishes it as failed, or as unknown (then followed, to find out) when the error says so. */
  fail(started: StartedAction, error: Error): Promise<void>;
  /** The rows of an entity and of the ECS services it names, newest first. */
  history(
    entityRef: string,
    services: EcsServiceRef[],
    limit: number,
  ): Promise<AuditRecord[]>;
  /** The newest succeeded action that left the service on `taskDefinitionArn`. */
  lastInto(
    service: EcsServiceRef,
    taskDefinitionArn: string,
  ): Promise<AuditRecord | undefined>;
}

/** A held lock of one ECS service. */
export interface Lease {
  release(): Promise<void>;
}

/** A lock per ECS service, shared by every replica through the database. */
export interface DeploymentLock {
  /** Takes the service's lock; a 409 `in-flight` guard when another holder has it. */
  acquire(service: EcsServiceRef): Promise<Lease>;
  isLocked(service: EcsServiceRef): Promise<boolean>;
}

/**
 * Rolls a service forward to a new revision of its task definition: register (copy of a base
 * revision with images replaced), write the images to their SSM parameters, update the service;
 * undoes what it did when a later step fails.
 */
export interface TaskDefinitionRollout {
  rollOut(request: {
    env: EnvironmentConfig;
    serviceName: string;
    /** The revision to copy (the current one for a promotion, an earlier one for a rollback). */
    baseTaskDefinition: string;
    /** container → image; containers not listed keep the base's image. */
    images: Map<string, string>;
    /** The service's `ecs-deploy:image-parameter-prefix` tag. */
    imageParameterPrefix?: string;
    /** A rollback: the strategy applies without bakes or holds (traffic moves back at once). */
    rollback?: boolean;
    signal: AbortSignal;
  }): Promise<RolloutResult>;
}

/** Promotion and rollback, with guards, permissions, proof of ownership, lock and audit. */
export interface PromotionService {
  /** The query's reason and change ticket are what the promotion would carry (for its gates). */
  previewPromotion(
    entity: Entity,
    query: PromotionPreviewQuery,
    caller: Caller,
  ): Promise<PromotionPreview>;
  promote(
    entity: Entity,
    request: PromoteRequest,
    caller: Caller,
  ): Promise<ActionOutcome>;
  previewRollback(
    entity: Entity,
    environment: string,
    caller: Caller,
  ): Promise<RollbackPreview>;
  rollback(
    entity: Entity,
    request: RollbackRequest,
    caller: Caller,
  ): Promise<ActionOutcome>;
  history(entity: Entity, limit: number): Promise<AuditRecord[]>;
  /**
   * Promotes exactly the images of an approved request (the caller is its approver); a 409
   * `stale-request` when the source or the target moved on since the request.
   */
  promoteApproved(
    entity: Entity,
    request: PromotionRequest,
    caller: Caller,
    overrideReason?: string,
  ): Promise<ActionOutcome>;
  /**
   * The backend's rollback of a failed action (actor `system`): the audited rollback, back to the
   * revision the failed action replaced.
   */
  rollbackAutomatically(
    entity: Entity,
    failed: AuditRecord,
    reason: string,
  ): Promise<ActionOutcome>;
}

/** Promotions that need an approval: requested by an owner, decided by another person. */
export interface PromotionRequestService {
  create(
    entity: Entity,
    body: PromotionRequestCreate,
    caller: Caller,
  ): Promise<PromotionRequest>;
  list(
    entity: Entity,
    query: { state?: PromotionRequestState; limit: number },
    caller: Caller,
  ): Promise<PromotionRequestList>;
  /** Approves and promotes the requested images (never by the requester: 403). */
  approve(
    entity: Entity,
    id: string,
    body: PromotionRequestDecisionBody,
    caller: Caller,
  ): Promise<PromotionRequestDecision>;
  /** Rejects it (the requester withdraws it). */
  reject(
    entity: Entity,
    id: string,
    body: PromotionRequestDecisionBody,
    caller: Caller,
  ): Promise<PromotionRequest>;
}
