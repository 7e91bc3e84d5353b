/*
 * The status domain: what the cache keeps per service, the cache itself, and the status views.
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  StatusUpdates,
  EntityDeploymentStatus,
  EnvironmentError,
  EnvironmentTasks,
  OrgStatus,
  ParsedOrgStatusQuery,
  ServiceSummary,
  TeamStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import type { OrgEntities } from '../catalog/types';

/** Where a container's awslogs driver sends its lines. */
export interface AwsLogsTarget {
  container: string;
  group: string;
  region: string;
  streamPrefix?: string;
}

/** What the cache keeps per environment and service: plain JSON. */
export interface ServiceState {
  summary?: ServiceSummary;
  logTargets: AwsLogsTarget[];
  /** The service's `ecs-deploy:image-parameter-prefix` tag. */
  imageParameterPrefix?: string;
  /** The service's `backstage:entity-ref` tag: who owns it, as Terraform says. */
  entityRefTag?: string;
  /** The service's target groups and the container port each sends traffic to. */
  loadBalancers?: Array<{
    targetGroupArn?: string;
    containerName?: string;
    containerPort?: number;
  }>;
  fetchedAt: string;
}

/** A service state read for one name: fresh, stale with the error that prevented a fresh read, or only an error. */
export interface StateResult {
  state?: ServiceState;
  error?: EnvironmentError;
  stale?: boolean;
}

/**
 * Why services are read now. `event`: an ECS event named them; read even while another reader
 * refreshes them, as that read may have started before the change. `poll`: their TTL ran out
 * (or the warm index keeps them warm); one reader across replicas.
 */
export type RefreshCause = 'event' | 'poll';

/** What a refresh did: the services whose state changed, and those ECS could not answer for. */
export interface RefreshResult {
  changed: string[];
  failed: string[];
}

/** A service whose stored state changed (and what it was before). */
export interface StateChange {
  name: string;
  state: ServiceState;
  previous: ServiceState;
}

/** Told of every stored state that changed: open pages refetch, other replicas drop copies. */
export interface StateChangeListener {
  changed(
    env: EnvironmentConfig,
    changes: StateChange[],
    cause: RefreshCause,
  ): Promise<void>;
}

/** How the statuses are kept current now (events or polling), for /health and the org view. */
export interface StatusUpdatesSource {
  updates(): Promise<StatusUpdates>;
}

/** The one status cache: fresh entries for the TTL, stale ones when ECS cannot be read. */
export interface ServiceStateStore {
  /**
   * The services' states: fresh from the cache, or read from ECS (within the read deadline) when
   * missing or expired. `fresh`: read from ECS whatever the cache holds. `indexedOnly`: never wait
   * for ECS (the lists and the deployment watcher while the warm index runs): a service the cache
   * has no entry for yet has no state, an expired entry is served stale and refreshed behind.
   * `readNew` (with `indexedOnly`): a service the cache has no entry for is read now (the lists: a
   * service that does not run in ECS is never indexed, and shows as not deployed).
   */
  read(
    env: EnvironmentConfig,
    names: string[],
    options?: { fresh?: boolean; indexedOnly?: boolean; readNew?: boolean },
  ): Promise<Map<string, StateResult>>;
  /**
   * Reads the services from ECS now and stores what it read, unless a later read was stored
   * meanwhile (the ECS event consumer, for the services its events name; the warm index).
   */
  refresh(
    env: EnvironmentConfig,
    names: string[],
    options?: { cause?: RefreshCause },
  ): Promise<RefreshResult>;
  /** Of `names`, those with no entry or one that falls due within `ms` (what to refresh ahead). */
  dueWithin(
    env: EnvironmentConfig,
    names: string[],
    ms: number,
  ): Promise<string[]>;
  /**
   * Copies the shared entries of `names` into this replica's own tier (a replica's start), so
   * that its first view of many services reads memory, not thousands of shared keys; returns how
   * many were there. Reads nothing from ECS.
   */
  preload(env: EnvironmentConfig, names: string[]): Promise<number>;
  /** Drops this replica's own copies (another replica stored newer states). */
  forget(env: EnvironmentConfig, names: string[]): void;
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
    entities: OrgEntities,
    query: ParsedOrgStatusQuery,
  ): Promise<OrgStatus>;
  /** Running and recently stopped tasks in one of the entity's environments (400 otherwise). */
  tasks(entity: Entity, environment: string): Promise<EnvironmentTasks>;
}
