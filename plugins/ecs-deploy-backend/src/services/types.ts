/*
 * The interfaces of the plugin's services. The router and the services depend on these, never on
 * a class; plugin.ts wires the implementations.
 */
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  ActionOutcome,
  AuditRecord,
  ContainerImage,
  EcsDeployInfo,
  EcsServiceRef,
  EntityDeploymentStatus,
  EnvironmentError,
  EnvironmentLogs,
  EnvironmentTasks,
  ParsedLogsQuery,
  OrgStatus,
  ParsedOrgStatusQuery,
  PromoteRequest,
  PromotionPreview,
  PromotionRequest,
  PromotionRequestCreate,
  PromotionRequestDecision,
  PromotionRequestDecisionBody,
  PromotionRequestList,
  PromotionRequestState,
  RolloutOutcome,
  RollbackPreview,
  RollbackRequest,
  ServiceNameCheck,
  ServiceSummary,
  TaskDefinitionRef,
  TeamStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../config';
import type { AwsLogsTarget } from './status/links';
import type { LogEventPage } from './logs/window';

/** Who acts, as the router resolved it. */
export interface Caller {
  credentials: BackstageCredentials;
  userEntityRef: string;
}

/** What the cache keeps per environment and service: plain JSON. */
export interface ServiceState {
  summary?: ServiceSummary;
  logTargets: AwsLogsTarget[];
  /** The service's `ecs-deploy:image-parameter-prefix` tag. */
  imageParameterPrefix?: string;
  /** The service's `backstage:entity-ref` tag: who owns it, as Terraform says. */
  entityRefTag?: string;
  fetchedAt: string;
}

/** A service state read for one name: fresh, stale with the error that prevented a fresh read, or only an error. */
export interface StateResult {
  state?: ServiceState;
  error?: EnvironmentError;
  stale?: boolean;
}

/** What ECS says about one service: absent when it does not exist (or is INACTIVE). */
export interface ServiceRead {
  service?: Service;
  /** Task definitions of the service and of its deployments, by ARN. */
  taskDefinitions: Record<string, TaskDefinition>;
}

/**
 * Reads ECS with as few calls as possible: DescribeServices batched 10 names per call across
 * concurrent callers, task definitions from the shared cache (revisions are immutable), tasks
 * only when asked for. Every call is bounded by the AWS clients' timeouts.
 */
export interface EcsReader {
  readServices(
    env: EnvironmentConfig,
    names: string[],
  ): Promise<Map<string, ServiceRead>>;
  /** A task definition by ARN (cached: revisions are immutable). */
  taskDefinition(
    env: EnvironmentConfig,
    arn: string,
    signal?: AbortSignal,
  ): Promise<TaskDefinition>;
  /** Running and/or recently stopped tasks of a service. */
  readTasks(
    env: EnvironmentConfig,
    serviceName: string,
    options?: { running?: boolean; stopped?: boolean; signal?: AbortSignal },
  ): Promise<Task[]>;
}

/** The one status cache: fresh entries for the TTL, stale ones when ECS cannot be read. */
export interface ServiceStateStore {
  read(
    env: EnvironmentConfig,
    names: string[],
    options?: { fresh?: boolean },
  ): Promise<Map<string, StateResult>>;
  /** Forgets the service's entries (every replica sharing the cache sees it). */
  invalidate(env: EnvironmentConfig, serviceName: string): Promise<void>;
}

/** Deployment status views. */
export interface StatusService {
  entityStatus(
    entity: Entity,
    options?: { fresh?: boolean },
  ): Promise<EntityDeploymentStatus>;
  teamStatus(groupRef: string, entities: Entity[]): Promise<TeamStatus>;
  /** Every service of every team, filtered, sorted and paged. */
  orgStatus(
    entities: Array<{ entity: Entity; owner: string }>,
    query: ParsedOrgStatusQuery,
  ): Promise<OrgStatus>;
  /** Running and recently stopped tasks in one of the entity's environments (400 otherwise). */
  tasks(entity: Entity, environment: string): Promise<EnvironmentTasks>;
}

/** Entities and teams through the catalog, with the caller's credentials. */
export interface EntityAccess {
  /** The entity, readable by the caller and annotated for ECS deploy, or a 404. */
  loadEntity(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<Entity>;
  /** Every entity with the ECS annotation the caller may read, with its owner's group ref. */
  serviceEntities(
    credentials: BackstageCredentials,
  ): Promise<Array<{ entity: Entity; owner: string }>>;
  /** The group's services (entities with the annotation it owns), or a 404 for the group. */
  teamEntities(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<{ groupRef: string; entities: Entity[] }>;
}

/** The audit trail of promotions and rollbacks: one row per attempt, plus the auditor event. */
export interface AuditTrail {
  /** Records an attempt refused before it started (denied or rejected) and returns the row. */
  refuse(
    attempt: AuditAttempt,
    result: 'denied' | 'rejected' | 'failed',
    error: Error,
  ): Promise<AuditRecord>;
  /** Records a step that changes no ECS service (a promotion request, a rejection) as succeeded. */
  note(attempt: AuditAttempt, message: string): Promise<AuditRecord>;
  /**
   * Runs an allowed action: a `started` row (written by `start` once the action knows what it
   * replaces) finished as succeeded, failed or unknown, and the auditor event around it. Errors
   * thrown before `start` is called are recorded as rejected (ConflictError) or failed.
   */
  run(
    attempt: AuditAttempt,
    act: (
      start: (before: AuditBefore) => Promise<void>,
    ) => Promise<RolloutResult>,
  ): Promise<ActionOutcome>;
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
  causedBy?: string;
  requestId?: string;
  freezeOverride?: string;
  /** Follow the rollout once AWS accepted it: its deadline, and whether to roll back on failure. */
  follow?: { timeoutMs: number; autoRollback: boolean };
}

/** What the action replaces, recorded when it starts, and how the target's ownership was proven. */
export interface AuditBefore {
  previousTaskDefinition: string;
  previousImages: ContainerImage[];
  ownershipProof?: AuditRecord['ownershipProof'];
}

/** A lock per ECS service, shared by every replica through the database. */
export interface DeploymentLock {
  /** Runs `fn` holding the service's lock; a 409 `in-flight` guard when another holder has it. */
  withLock<T>(service: EcsServiceRef, fn: () => Promise<T>): Promise<T>;
  isLocked(service: EcsServiceRef): Promise<boolean>;
}

/** What a rollout left the service on. */
export interface RolloutResult {
  taskDefinition: TaskDefinitionRef;
  images: ContainerImage[];
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
    signal: AbortSignal;
  }): Promise<RolloutResult>;
}

/** Promotion and rollback, with guards, permissions, proof of ownership, lock and audit. */
export interface PromotionService {
  previewPromotion(
    entity: Entity,
    from: string,
    to: string,
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

/** A promotion, rollback or promotion request that changed state. */
export type DeploymentEvent =
  | {
      subject: 'action';
      kind: 'started' | Exclude<RolloutOutcome, 'in-progress'>;
      record: AuditRecord;
      entity?: Entity;
    }
  | {
      subject: 'request';
      kind: 'requested' | 'rejected' | 'withdrawn' | 'stale';
      request: PromotionRequest;
      entity?: Entity;
      /** Who made it happen (not notified). */
      actor: string;
    };

/** Tells the people concerned (notifications) and open pages (signals) what changed. */
export interface DeploymentNotifier {
  publish(event: DeploymentEvent): Promise<void>;
}

/** Whether a new service may take a name (catalog and every configured environment). */
export interface ServiceNameService {
  check(name: string): Promise<ServiceNameCheck>;
}

/** Static facts for the frontend. */
export interface InfoService {
  info(): EcsDeployInfo;
}

/** The newest log lines of an entity's tasks, for callers allowed to read them (audited). */
export interface LogsService {
  read(
    entity: Entity,
    query: ParsedLogsQuery,
    caller: Caller,
  ): Promise<EnvironmentLogs>;
}

/** A CloudWatch Logs group, in the region its awslogs options name. */
export interface LogGroupRef {
  group: string;
  region: string;
}

/** One FilterLogEvents request: a time range (ms, inclusive) of a group's streams. */
export interface LogPageRequest extends LogGroupRef {
  start: number;
  end: number;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  /** A CloudWatch Logs filter pattern. */
  filter?: string;
  token?: string;
  limit: number;
}

/** CloudWatch Logs of an environment's account, as the logs service reads it. */
export interface LogReader {
  /** When the group was created (ms since the epoch), or undefined when it does not exist. */
  logGroupCreatedAt(
    env: EnvironmentConfig,
    group: LogGroupRef,
    signal?: AbortSignal,
  ): Promise<number | undefined>;
  /** One page of events, oldest first. */
  filterPage(
    env: EnvironmentConfig,
    request: LogPageRequest,
    signal?: AbortSignal,
  ): Promise<LogEventPage>;
}
