/*
 * One entity's services: health, problems, images, deployments, tasks, logs.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`;
 * every date is an ISO-8601 string.
 */
import type { DeploymentProgress } from './strategy';

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

/** The bounds Application Auto Scaling keeps the service's desired count within. @public */
export interface ServiceAutoscaling {
  minCapacity: number;
  maxCapacity: number;
  /** True when scale-in or scale-out is suspended. */
  suspended: boolean;
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
  /** Present when the service has an Application Auto Scaling target. */
  autoscaling?: ServiceAutoscaling;
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
  /** The deployment in progress under the service's strategy (steps, traffic, bake, hold). */
  deployment?: DeploymentProgress;
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
