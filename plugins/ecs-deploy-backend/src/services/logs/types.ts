/*
 * The logs domain: the logs view's service and the CloudWatch Logs reader it reads through.
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  EnvironmentLogs,
  ParsedLogsQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import type { Caller } from '../catalog/types';

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

/** One event as a page reader returns it. */
export interface RawLogEvent {
  id: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  stream: string;
  message: string;
}

/** One page of events, oldest first. */
export interface LogEventPage {
  events: RawLogEvent[];
  /** More events of the same range remain. */
  nextToken?: string;
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
