/*
 * The status domain: what the cache keeps per service, the cache itself, and the status views.
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityDeploymentStatus,
  EnvironmentError,
  EnvironmentTasks,
  OrgStatus,
  ParsedOrgStatusQuery,
  ServiceSummary,
  TeamStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';

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
  fetchedAt: string;
}

/** A service state read for one name: fresh, stale with the error that prevented a fresh read, or only an error. */
export interface StateResult {
  state?: ServiceState;
  error?: EnvironmentError;
  stale?: boolean;
}

/** The one status cache: fresh entries for the TTL, stale ones when ECS cannot be read. */
export interface ServiceStateStore {
  read(
    env: EnvironmentConfig,
    names: string[],
    options?: { fresh?: boolean },
  ): Promise<Map<string, StateResult>>;
  /**
   * Reads the services from ECS now and stores what it read (an event consumer, say ECS events
   * from SQS, calls it for the services an event names).
   */
  refresh(env: EnvironmentConfig, names: string[]): Promise<void>;
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
