import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ecsDeployLogsReadPermission,
  EnvironmentError,
  EnvironmentLogs,
  getEcsServiceName,
  ParsedLogsQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig, EnvironmentConfig } from '../../config';
import { toEnvironmentError } from '../aws/awsErrors';
import { withDeadline } from '../aws/deadline';
import { entityEnvironment } from '../environments';
import type { EcsReader } from '../aws/types';
import type { Caller } from '../catalog/types';
import type { LogReader, LogsService } from './types';
import type { ServiceStateStore } from '../status/types';
import { CallerRateLimit, createCallerRateLimit } from './rateLimit';
import { logGroupOf, streamSelection, toLogLine } from './streams';
import { decodeCursor, encodeCursor, newestEvents } from './window';

type Settings = Pick<
  EcsDeployConfig,
  'environments' | 'promotionPaths' | 'readDeadlineMs' | 'logs'
>;

/** Events per FilterLogEvents page, and events read from one time slice before it is split. */
const PAGE_EVENTS = 1000;
const DENSE_EVENTS = 2000;
const FIRST_SLICE_MS = 60_000;

/**
 * {@link LogsService}: the caller's permission (`ecs-deploy.logs.read`), a rate bound per caller,
 * every read (allowed or not) sent to the auditor without its content, then the newest lines of
 * the service's log group (from its task definition's awslogs options) within the read deadline.
 * AWS trouble and a missing log group are the environment's `error`, never a 500.
 */
export class DefaultLogsService implements LogsService {
  private readonly rate: CallerRateLimit;

  constructor(
    private readonly options: {
      settings: Settings;
      store: ServiceStateStore;
      reader: EcsReader;
      logs: LogReader;
      permissions: PermissionsService;
      auditor: AuditorService;
      /** Default: per caller in memory (plugin.ts shares it through Redis when the cache is). */
      rate?: CallerRateLimit;
      now?: () => number;
    },
  ) {
    this.rate =
      options.rate ??
      createCallerRateLimit({ settings: options.settings.logs });
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  async read(
    entity: Entity,
    query: ParsedLogsQuery,
    caller: Caller,
  ): Promise<EnvironmentLogs> {
    const { settings, permissions, auditor } = this.options;
    const env = entityEnvironment(settings, entity, query.environment);
    const cursor = query.nextToken ? decodeCursor(query.nextToken) : undefined;
    if (query.nextToken && !cursor) {
      throw new InputError(
        `Invalid nextToken '${query.nextToken}': not a token of a previous answer`,
      );
    }
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await permissions.authorize(
      [{ permission: ecsDeployLogsReadPermission, resourceRef: entityRef }],
      { credentials: caller.credentials },
    );
    const allowed = decision.result === AuthorizeResult.ALLOW;
    const event = await auditor.createEvent({
      eventId: 'logs-read',
      severityLevel: allowed ? 'low' : 'medium',
      meta: {
        entityRef,
        actor: caller.userEntityRef,
        environment: env.name,
        filter: query.filter ?? null,
        taskIds: query.taskId ?? null,
        revision: query.revision ?? null,
        older: Boolean(cursor),
      },
    });
    try {
      // Refused reads count too: a refused caller cannot flood the auditor either.
      await this.rate.take(caller.userEntityRef, 'logs');
      if (!allowed) {
        throw new NotAllowedError(
          `Only the owners of ${entity.metadata.name} and admins may read its logs (${caller.userEntityRef} may not).`,
        );
      }
      const result = await this.readEnvironment(entity, env, query, cursor);
      await event.success({
        meta: { lines: result.lines.length, error: result.error?.name ?? null },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  private async readEnvironment(
    entity: Entity,
    env: EnvironmentConfig,
    query: ParsedLogsQuery,
    cursor: ReturnType<typeof decodeCursor>,
  ): Promise<EnvironmentLogs> {
    const { settings } = this.options;
    const answer = (error: EnvironmentError, logGroup?: string) => ({
      environment: env.name,
      logGroup,
      lines: [],
      error,
    });
    let logGroup: string | undefined;
    try {
      return await withDeadline(
        settings.readDeadlineMs,
        `CloudWatch Logs in ${env.name}`,
        async signal => {
          const serviceName = getEcsServiceName(entity, env.name);
          const state = (await this.options.store.read(env, [serviceName])).get(
            serviceName,
          );
          if (!state?.state?.summary) {
            return answer(
              state?.error ?? {
                name: 'NotDeployed',
                message: `No ECS service ${serviceName} in cluster ${env.cluster} (${env.name}): nothing has logged.`,
              },
            );
          }
          const target = logGroupOf(state.state.logTargets);
          if (!target) {
            return answer({
              name: 'NoAwsLogs',
              message: `The task definition of ${serviceName} in ${env.name} sends no container's logs to CloudWatch (no awslogs log driver).`,
            });
          }
          logGroup = target.group;
          const taskIds = query.revision
            ? await this.revisionTasks(env, serviceName, query.revision, signal)
            : query.taskId;
          if (taskIds?.length === 0) {
            return answer(
              {
                name: 'NoTasks',
                message: `No running or recently stopped task of revision ${query.revision} in ${env.name}: ECS lists stopped tasks for about an hour only. Filter by text or time instead.`,
              },
              logGroup,
            );
          }
          const created = await this.options.logs.logGroupCreatedAt(
            env,
            target,
            signal,
          );
          if (created === undefined) {
            return answer(missingGroup(env, target.group), logGroup);
          }
          const now = this.now();
          const until =
            cursor?.until ?? Math.min(now, parseTime(query.until, now));
          const floor = Math.max(created, parseTime(query.since, 0));
          const from = Math.max(floor, until - settings.logs.windowMs);
          const streams = streamSelection(target.containers, taskIds);
          const result = await newestEvents(
            async (range, token) => {
              try {
                return await this.options.logs.filterPage(
                  env,
                  {
                    group: target.group,
                    region: target.region,
                    ...streams,
                    filter: query.filter,
                    ...range,
                    token,
                    limit: PAGE_EVENTS,
                  },
                  signal,
                );
              } catch (error) {
                throw refine(error, query.filter);
              }
            },
            {
              cursor: cursor ?? { until, skip: 0 },
              from,
              floor,
              limit: query.limit ?? settings.logs.pageSize,
              maxCalls: settings.logs.maxCallsPerRead,
              denseEvents: DENSE_EVENTS,
              firstSliceMs: FIRST_SLICE_MS,
            },
          );
          return {
            environment: env.name,
            logGroup,
            lines: result.events.map(toLogLine),
            nextToken: result.next && encodeCursor(result.next),
            searched: {
              from: new Date(
                result.next ? result.next.until : from,
              ).toISOString(),
              to: new Date(until).toISOString(),
            },
          };
        },
      );
    } catch (error) {
      if (error instanceof InputError) throw error;
      if ((error as Error).name === 'ResourceNotFoundException' && logGroup) {
        return answer(
          query.taskId || query.revision
            ? {
                name: 'LogStreamNotFound',
                message: `No logs of these tasks in ${logGroup} (${env.name}) yet: a task's stream appears when its container starts.`,
              }
            : missingGroup(env, logGroup),
          logGroup,
        );
      }
      return answer(
        toEnvironmentError(env, error, 'CloudWatch Logs'),
        logGroup,
      );
    }
  }

  /** The ids of the service's running and recently stopped tasks of one revision. */
  private async revisionTasks(
    env: EnvironmentConfig,
    serviceName: string,
    revision: number,
    signal: AbortSignal,
  ): Promise<string[]> {
    const tasks = await this.options.reader.readTasks(env, serviceName, {
      running: true,
      stopped: true,
      signal,
    });
    return tasks
      .filter(t => t.taskDefinitionArn?.endsWith(`:${revision}`))
      .map(t => t.taskArn?.split('/').pop() ?? '')
      .filter(Boolean);
  }
}

function parseTime(value: string | undefined, fallback: number) {
  return value ? Date.parse(value) : fallback;
}

function missingGroup(env: EnvironmentConfig, group: string): EnvironmentError {
  return {
    name: 'LogGroupNotFound',
    message: `Log group ${group} does not exist in ${env.name} (${env.region}${
      env.accountId ? `, account ${env.accountId}` : ''
    }): the service's Terraform creates it; apply it, or check the task definition's awslogs-group.`,
  };
}

/** A filter pattern CloudWatch refuses is the caller's mistake: a 400 naming it. */
function refine(error: unknown, filter: string | undefined) {
  const e = error as { name?: string; message?: string };
  if (filter && e?.name === 'InvalidParameterException') {
    return new InputError(
      `Invalid filter pattern ${JSON.stringify(filter)}: ${
        e.message ?? 'CloudWatch Logs refused it'
      }`,
    );
  }
  return error;
}
