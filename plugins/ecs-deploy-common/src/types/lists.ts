/*
 * Many services at once: the team view and the organisation-wide view.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`;
 * every date is an ISO-8601 string.
 */
import type {
  ContainerImage,
  EnvironmentError,
  HealthState,
  OwnershipStatus,
  PromotionPath,
  RolloutState,
  TaskDefinitionRef,
} from './status';

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
  /** How the statuses are kept current (also in the backend's `/health`). */
  statusUpdates?: StatusUpdates;
}

/**
 * How the backend keeps statuses current: `events` (ECS events refresh a service as it changes,
 * polling every `refreshSeconds` as a safety net) or `polling` (every `refreshSeconds`).
 * `degraded` says why events are configured but not used now (a queue cannot be read, or changes
 * arrived without events). @public
 */
export interface StatusUpdates {
  source: 'events' | 'polling';
  refreshSeconds: number;
  degraded?: string;
}
