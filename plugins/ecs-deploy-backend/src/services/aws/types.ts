/*
 * The AWS side of the read path: what ECS says about a service, and the reader that asks it with
 * as few calls as possible.
 */
import type { ScalableTarget } from '@aws-sdk/client-application-auto-scaling';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { EnvironmentConfig } from '../../config';

/** What ECS says about one service: absent when it does not exist (or is INACTIVE). */
export interface ServiceRead {
  service?: Service;
  /** Task definitions of the service and of its deployments, by ARN. */
  taskDefinitions: Record<string, TaskDefinition>;
  /** Its Application Auto Scaling target, when it has one (and it could be read). */
  scalableTarget?: ScalableTarget;
}

/**
 * Reads ECS with as few calls as possible: DescribeServices batched 10 names per call across
 * concurrent callers, task definitions from the shared cache (revisions are immutable) joined by
 * ARN across environments, tasks only when asked for. Every call is bounded by the AWS clients'
 * timeouts.
 */
export interface EcsReader {
  /**
   * `urgent`: for an ECS event, which a page is waiting to show. Its calls go before the others
   * (callContext), in batches of their own: never joined to a read sent before the event.
   */
  readServices(
    env: EnvironmentConfig,
    names: string[],
    options?: { urgent?: boolean },
  ): Promise<Map<string, ServiceRead>>;
  /** The names of every service in the environment's cluster (ListServices, all pages). */
  listServiceNames(env: EnvironmentConfig): Promise<string[]>;
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
