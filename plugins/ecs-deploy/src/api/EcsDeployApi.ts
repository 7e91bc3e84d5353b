import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ActionOutcome,
  Adopter,
  AdoptionJob,
  AdoptionJobPreview,
  AdoptionJobRequest,
  AdoptionRequest,
  AdoptionResult,
  AuditRecord,
  DeploymentControlOutcome,
  DeploymentControls,
  DeploymentHoldRequest,
  EcsDeployInfo,
  EntityDeploymentStatus,
  EnvironmentLogs,
  EnvironmentTasks,
  LogsQuery,
  OrgStatus,
  OrgStatusQuery,
  PromoteRequest,
  PromotionPreview,
  PromotionRequest,
  PromotionRequestCreate,
  PromotionRequestDecision,
  PromotionRequestDecisionBody,
  PromotionRequestList,
  PromotionRequestState,
  RollbackPreview,
  RollbackRequest,
  ServiceNameCheck,
  SkipBakeRequest,
  TeamStatus,
  UnclaimedServices,
  UnclaimedServicesQuery,
  Verification,
  VerificationDecisionBody,
  VerificationList,
} from '@deployment-portal/plugin-ecs-deploy-common';

/**
 * Client of the `ecs-deploy` backend plugin.
 *
 * Entity and group arguments are entity refs (`component:default/payments-api`).
 *
 * @public
 */
export interface EcsDeployApi {
  /** Environments in display order, promotion paths and active freeze windows. */
  getInfo(): Promise<EcsDeployInfo>;
  /** One status per environment of the entity. */
  getEntityStatus(entityRef: string): Promise<EntityDeploymentStatus>;
  /** Running and recently stopped tasks of the entity's service in one environment. */
  getEnvironmentTasks(
    entityRef: string,
    environment: string,
  ): Promise<EnvironmentTasks>;
  /** What promoting `from` → `to` would change, and what would block it. */
  getPromotionPreview(
    entityRef: string,
    options: { from: string; to: string },
  ): Promise<PromotionPreview>;
  /** Starts a promotion; rejects with a 409 ResponseError when a guard refuses. */
  promote(entityRef: string, request: PromoteRequest): Promise<ActionOutcome>;
  /** What rolling one environment back would change. */
  getRollbackPreview(
    entityRef: string,
    environment: string,
  ): Promise<RollbackPreview>;
  /** Starts a rollback; rejects with a 409 ResponseError when a guard refuses. */
  rollback(entityRef: string, request: RollbackRequest): Promise<ActionOutcome>;
  /** The deployment in progress in one environment, and what the user may do to it. */
  getDeploymentControls(
    entityRef: string,
    environment: string,
  ): Promise<DeploymentControls>;
  /**
   * Holds, continues or aborts the deployment in progress (owners and admins), or skips its bake
   * (admins, with a reason); rejects with a 403 or 409 ResponseError when refused.
   */
  controlDeployment(
    entityRef: string,
    action: 'hold' | 'continue' | 'abort' | 'skip-bake',
    request: DeploymentHoldRequest | SkipBakeRequest,
  ): Promise<DeploymentControlOutcome>;
  /** Promotions and rollbacks of the entity, newest first. */
  getHistory(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<{ items: AuditRecord[] }>;
  /** Every service owned by a group, per environment. */
  getTeamStatus(groupRef: string): Promise<TeamStatus>;
  /**
   * The newest log lines of the entity's tasks in one environment, newest last; rejects with a
   * 403 ResponseError when the user may not read them.
   */
  getLogs(entityRef: string, query: LogsQuery): Promise<EnvironmentLogs>;
  /** Every service of every team: filtered, sorted and paged on the server. */
  getOrgStatus(query?: OrgStatusQuery): Promise<OrgStatus>;
  /** ECS services no catalog entity owns, with suggested owners and names: filtered and paged. */
  getUnclaimedServices(
    query?: UnclaimedServicesQuery,
  ): Promise<UnclaimedServices>;
  /** The signed-in user's groups and whether an admin, as the adoption checks them. */
  getAdopter(): Promise<Adopter>;
  /**
   * Claims an unclaimed service for a new component (or, with `dryRun`, checks that it may);
   * rejects with a 403 or 409 ResponseError when refused.
   */
  adoptService(request: AdoptionRequest): Promise<AdoptionResult>;
  /**
   * An admin's bulk adoption, previewed: each service's dry run (what it would write, or why it
   * would be refused); nothing is written. Rejects with a 403 ResponseError for non-admins.
   */
  previewAdoptionJob(
    request: Omit<AdoptionJobRequest, 'dryRun'>,
  ): Promise<AdoptionJobPreview>;
  /** Starts an admin's bulk adoption job: the backend adopts each service in the background. */
  startAdoptionJob(
    request: Omit<AdoptionJobRequest, 'dryRun'>,
  ): Promise<AdoptionJob>;
  /** A bulk adoption job and its per-service report. */
  getAdoptionJob(id: string): Promise<AdoptionJob>;
  /** Whether a new service may take `name` (no entity, no ECS service in any environment). */
  checkServiceName(name: string): Promise<ServiceNameCheck>;
  /** The entity's promotion requests, newest first, with whether the user may decide each. */
  getPromotionRequests(
    entityRef: string,
    options?: { state?: PromotionRequestState; limit?: number },
  ): Promise<PromotionRequestList>;
  /** Asks for a promotion that needs an approval; rejects with a 409 when a guard refuses. */
  requestPromotion(
    entityRef: string,
    request: PromotionRequestCreate,
  ): Promise<PromotionRequest>;
  /** Approves another person's request, which promotes exactly its images. */
  approvePromotionRequest(
    entityRef: string,
    id: string,
    body?: PromotionRequestDecisionBody,
  ): Promise<PromotionRequestDecision>;
  /** Rejects a request (its requester withdraws it). */
  rejectPromotionRequest(
    entityRef: string,
    id: string,
    body?: PromotionRequestDecisionBody,
  ): Promise<PromotionRequest>;
  /** The entity's verifications, newest first, with whether the user may decide a held one. */
  getVerifications(
    entityRef: string,
    options?: { environment?: string; limit?: number },
  ): Promise<VerificationList>;
  /** An owner's decision on a held verification: continue (keep) or abort (roll back). */
  resolveVerification(
    entityRef: string,
    id: string,
    decision: 'continue' | 'abort',
    body?: VerificationDecisionBody,
  ): Promise<Verification>;
}

/**
 * API reference of {@link EcsDeployApi}.
 *
 * @public
 */
export const ecsDeployApiRef = createApiRef<EcsDeployApi>({
  id: 'plugin.ecs-deploy.service',
});
