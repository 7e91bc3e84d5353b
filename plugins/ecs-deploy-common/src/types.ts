/*
 * The HTTP contract between `@internal/plugin-ecs-deploy-backend` and `@internal/plugin-ecs-deploy`.
 * Every date is an ISO-8601 string.
 */

/**
 * Health derived from the ECS service, its deployments, events and stopped tasks.
 * - `healthy`: one completed deployment, running = desired.
 * - `progressing`: a rollout is under way and nothing is wrong yet.
 * - `degraded`: the service runs, but fewer tasks than desired or a problem was detected.
 * - `failed`: the last rollout failed (circuit breaker) or no task can run.
 * - `not-deployed`: no such ECS service in this environment.
 * - `unknown`: the environment could not be read (see `error`).
 *
 * @public
 */
export type HealthState =
  | 'healthy'
  | 'progressing'
  | 'degraded'
  | 'failed'
  | 'not-deployed'
  | 'unknown';

/** @public */
export type ProblemCode =
  | 'circuit-breaker-tripped'
  | 'rollout-failed'
  | 'tasks-failing-to-start'
  | 'unable-to-place-tasks'
  | 'image-pull-error'
  | 'health-check-failing'
  | 'insufficient-tasks'
  | 'service-inactive'
  | 'not-owned';

/** A problem detected in one environment, with what to do about it. @public */
export interface DetectedProblem {
  code: ProblemCode;
  severity: 'warning' | 'error';
  /** What was seen, e.g. the ECS event or stopped reason that revealed it. */
  message: string;
  /** The proposed fix, in one or two sentences. */
  fix: string;
  /** The tasks that showed the problem (stopped tasks, tasks named by events): their logs tell why. */
  taskIds?: string[];
}

/** The image one container runs. @public */
export interface ContainerImage {
  container: string;
  /** The image reference as in the task definition (`repo:tag` or `repo@sha256:…`). */
  image: string;
  /** The tag of `image`, when it has one. */
  tag?: string;
  /** The digest the running tasks resolved the image to, when known. */
  digest?: string;
}

/** @public */
export interface TaskDefinitionRef {
  arn: string;
  family: string;
  revision: number;
}

/** @public */
export type RolloutState = 'COMPLETED' | 'IN_PROGRESS' | 'FAILED';

/** One ECS deployment (PRIMARY = the newest, ACTIVE = the ones being replaced). @public */
export interface DeploymentInfo {
  id: string;
  status: string;
  taskDefinition: TaskDefinitionRef;
  images: ContainerImage[];
  rolloutState?: RolloutState;
  rolloutStateReason?: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  createdAt?: string;
  updatedAt?: string;
}

/** @public */
export interface ServiceEvent {
  id: string;
  createdAt?: string;
  message: string;
}

/** @public */
export interface LogLink {
  title: string;
  url: string;
  /** `cloudwatch` links are built from the task definition's awslogs options. */
  kind: 'cloudwatch' | 'template';
}

/** @public */
export interface ServiceSummary {
  arn: string;
  name: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition: TaskDefinitionRef;
  images: ContainerImage[];
  rolloutState?: RolloutState;
  rolloutStateReason?: string;
  deployments: DeploymentInfo[];
  /** The newest events first; at most a handful. */
  events: ServiceEvent[];
  lastDeploymentAt?: string;
}

/** An error reading one environment; never hides the other environments. @public */
export interface EnvironmentError {
  name: string;
  message: string;
}

/**
 * Whether the ECS service belongs to the entity that names it: proven by the service's
 * `backstage:entity-ref` tag (written by Terraform, i.e. by whoever controls the AWS account), or
 * by an admin's mapping in config for services that predate the tag. Never by the annotation alone.
 *
 * @public
 */
export interface OwnershipStatus {
  owned: boolean;
  /** How it was proven, when owned. */
  proof?: 'tag' | 'mapping';
  /** The `backstage:entity-ref` tag the service carries (absent when it has none). */
  tag?: string;
}

/** The state of one entity's service in one environment. @public */
export interface EnvironmentStatus {
  environment: string;
  region: string;
  cluster: string;
  serviceName: string;
  health: HealthState;
  problems: DetectedProblem[];
  service?: ServiceSummary;
  /** Present when the service exists. */
  ownership?: OwnershipStatus;
  links: {
    console?: string;
    logs: LogLink[];
  };
  error?: EnvironmentError;
  /** True when ECS could not be read and this is the last good answer. */
  stale?: boolean;
  fetchedAt: string;
}

/** @public */
export interface PromotionPath {
  from: string;
  to: string;
}

/** @public */
export interface EntityDeploymentStatus {
  entityRef: string;
  environments: EnvironmentStatus[];
  promotionPaths: PromotionPath[];
}

/** One environment's cell in the team view. @public */
export interface TeamEnvironmentCell {
  health: HealthState;
  taskDefinition?: TaskDefinitionRef;
  images: ContainerImage[];
  desiredCount?: number;
  runningCount?: number;
  rolloutState?: RolloutState;
  /** Present when the service exists. */
  ownership?: OwnershipStatus;
  error?: EnvironmentError;
  stale?: boolean;
}

/**
 * How a promotion target compares with its source:
 * - `behind`: both run, and the target runs other images than the source (a promotion would change it);
 * - `level`: both run the same images;
 * - `not-deployed`: the source or the target has no ECS service;
 * - `unknown`: one side could not be read (see the cell's error).
 *
 * @public
 */
export type LagState = 'behind' | 'level' | 'not-deployed' | 'unknown';

/** @public */
export interface PromotionLag {
  state: LagState;
  /** Shorthand for `state === 'behind'`. */
  lagging: boolean;
}

/** @public */
export interface TeamServiceRow {
  entityRef: string;
  title?: string;
  environments: Record<string, TeamEnvironmentCell>;
  /** For each promotion path, how the target compares with the source. */
  lags: Array<PromotionPath & PromotionLag>;
}

/** @public */
export interface TeamStatus {
  groupRef: string;
  environments: string[];
  rows: TeamServiceRow[];
}

/** @public */
export interface TaskInfo {
  taskArn: string;
  taskId: string;
  lastStatus: string;
  desiredStatus?: string;
  healthStatus?: string;
  taskDefinition: TaskDefinitionRef;
  startedAt?: string;
  stoppedAt?: string;
  stoppedReason?: string;
  stopCode?: string;
  containers: Array<{
    name: string;
    image?: string;
    imageDigest?: string;
    lastStatus?: string;
    exitCode?: number;
    reason?: string;
    logLink?: LogLink;
  }>;
}

/** @public */
export interface EnvironmentTasks {
  environment: string;
  tasks: TaskInfo[];
  error?: EnvironmentError;
}

/** One line a task's container wrote, as CloudWatch Logs holds it. @public */
export interface LogLine {
  /** CloudWatch's event id: unique, the same in every read. */
  id: string;
  timestamp: string;
  taskId: string;
  container: string;
  message: string;
  /** The log stream, `<awslogs-stream-prefix>/<container>/<task id>`. */
  stream: string;
}

/**
 * `GET …/logs`: the newest lines of one environment matching the query, oldest first (newest
 * last), and a token for the lines before them.
 *
 * @public
 */
export interface EnvironmentLogs {
  environment: string;
  /** The log group read, from the task definition's awslogs options. */
  logGroup?: string;
  lines: LogLine[];
  /**
   * Pass back (with the same query) for the lines before the oldest one here; absent when no
   * older line can match (the start of the log group or of `since` was reached).
   */
  nextToken?: string;
  /** The time range searched: every matching line in it newer than the oldest one here is listed. */
  searched?: { from: string; to: string };
  /** Why there are no lines: the log group is missing, CloudWatch could not be read, ... */
  error?: EnvironmentError;
}

/** @public */
export interface FreezeWindowInfo {
  name: string;
  environments: string[];
  /** Open now until this time. */
  endsAt: string;
  reason?: string;
}

/** A guard that would refuse the action, evaluated before the user confirms. @public */
export interface GuardResult {
  code:
    | 'source-not-healthy'
    | 'source-rolling-out'
    | 'already-running'
    | 'target-changed'
    | 'in-flight'
    | 'freeze-window'
    | 'no-previous-revision'
    | 'not-deployed'
    | 'not-permitted'
    | 'not-owned'
    | 'soak-time'
    | 'approval-required'
    | 'request-pending'
    | 'stale-request';
  message: string;
}

/** What a promotion would change, for the dialog. @public */
export interface PromotionPreview {
  entityRef: string;
  from: string;
  to: string;
  source?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  target?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  changes: Array<{ container: string; from?: string; to: string }>;
  blockers: GuardResult[];
  /** The caller may promote directly, now. */
  allowed: boolean;
  /** The path requires an approval: a direct promotion is refused (`approval-required`). */
  approval?: PromotionApprovalPreview;
  /** The path's soak time, when it has one. */
  soak?: SoakStatus;
  /** The caller (an admin) may promote through the open freeze window with an override reason. */
  canOverrideFreeze?: boolean;
}

/** What the caller may do on a path that requires an approval. @public */
export interface PromotionApprovalPreview {
  required: true;
  /** The caller may request the promotion now (see `requestBlockers`). */
  canRequest: boolean;
  /** What refuses a request by the caller now. */
  requestBlockers: GuardResult[];
  /** The request waiting for a decision, if any. */
  pending?: PromotionRequest;
}

/** How long the source has run its images, against the path's soak time. @public */
export interface SoakStatus {
  minSourceAgeMinutes: number;
  /** When the source's current deployment completed (or started), if known. */
  sourceSince?: string;
  /** Whole minutes left; 0 when the images have soaked long enough. */
  remainingMinutes: number;
}

/** What a rollback would change. @public */
export interface RollbackPreview {
  entityRef: string;
  environment: string;
  current?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  previous?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  blockers: GuardResult[];
  allowed: boolean;
}

/** @public */
export type AuditAction =
  | 'promote'
  | 'rollback'
  | 'request-promotion'
  | 'reject-promotion';

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

/**
 * `pending` until decided or expired; `stale` when the source or target moved on since the
 * request (request again). @public
 */
export type PromotionRequestState =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'expired'
  | 'stale';

/** A request to promote, waiting for another owner or an admin to approve it. @public */
export interface PromotionRequest {
  id: string;
  entityRef: string;
  from: string;
  to: string;
  /** The source's images at request time, pinned to digests: exactly what approval promotes. */
  images: ContainerImage[];
  sourceTaskDefinition: string;
  /** The target's task definition the request replaces. */
  targetTaskDefinition: string;
  requester: string;
  reason: string;
  state: PromotionRequestState;
  /** Why it went stale, or what the decision said. */
  message?: string;
  createdAt: string;
  expiresAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
  /** The promotion's audit row, once approved. */
  auditId?: string;
  /** The caller may approve or reject it (permitted, not its requester, pending). */
  canDecide?: boolean;
}

/** `GET …/promotion-requests` @public */
export interface PromotionRequestList {
  items: PromotionRequest[];
}

/** The answer of an approval: the request as approved, and the promotion it started. @public */
export interface PromotionRequestDecision {
  request: PromotionRequest;
  outcome?: ActionOutcome;
}

/** The answer of a promotion or rollback. @public */
export interface ActionOutcome {
  audit: AuditRecord;
  taskDefinition: TaskDefinitionRef;
  images: ContainerImage[];
}

/** Configuration the frontend needs (no secrets). @public */
export interface EcsDeployEnvironmentInfo {
  name: string;
  title: string;
  region: string;
  cluster: string;
}

/** @public */
export interface EcsDeployInfo {
  environments: EcsDeployEnvironmentInfo[];
  promotionPaths: PromotionPath[];
  activeFreezeWindows: FreezeWindowInfo[];
}

/** Why a service name cannot be claimed. @public */
export interface ServiceNameConflict {
  code:
    | 'invalid-name'
    | 'entity-exists'
    | 'ecs-service-exists'
    | 'environment-unreadable';
  /** One sentence naming what holds the name, e.g. the entity ref or the cluster. */
  message: string;
  /** The environment the conflict was found in (ECS checks). */
  environment?: string;
}

/**
 * `GET /service-names/:name`: whether a new service may take this name. A name is taken when an
 * entity of the catalog has it (or points its ECS annotation at it) or an ECS service of that name
 * exists in any configured environment. An environment that cannot be read makes the answer
 * `available: false` (never claim a name that might be taken).
 *
 * @public
 */
export interface ServiceNameCheck {
  name: string;
  available: boolean;
  conflicts: ServiceNameConflict[];
}

/** One service in the organisation-wide view: a team row plus its owner. @public */
export interface OrgServiceRow extends TeamServiceRow {
  /** The owning group's entity ref, e.g. `group:default/team-payments`. */
  owner: string;
}

/**
 * `GET /services`: every service of every team, filtered, sorted and paged on the server (see
 * `orgStatusQuerySchema`). `total` counts the rows matching the filters; `teams` lists every
 * owner for the filter menu. @public
 */
export interface OrgStatus {
  environments: string[];
  total: number;
  offset: number;
  rows: OrgServiceRow[];
  teams: string[];
}
