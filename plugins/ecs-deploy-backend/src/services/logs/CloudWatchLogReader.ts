import {
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CacheService } from '@backstage/backend-plugin-api';
import { EnvironmentConfig } from '../../config';
import { AwsClients } from '../aws/AwsClients';
import type { LogGroupRef, LogPageRequest, LogReader } from './types';
import type { LogEventPage } from './types';

/** How long a log group's creation time is cached (it never changes while the group lives). */
const GROUP_TTL_MS = 3600_000;

/**
 * {@link LogReader} over the AWS SDK, with the clients (per account and region, timeouts,
 * adaptive retries, concurrency cap) of the ECS reads. DescribeLogGroups (5 calls a second per
 * account and region on AWS) is asked once an hour per group, through the shared cache.
 */
export class CloudWatchLogReader implements LogReader {
  constructor(
    private readonly clients: AwsClients,
    private readonly cache: CacheService,
  ) {}

  private client(env: EnvironmentConfig, region: string) {
    return this.clients.logs({ ...env, region });
  }

  async logGroupCreatedAt(
    env: EnvironmentConfig,
    ref: LogGroupRef,
    signal?: AbortSignal,
  ): Promise<number | undefined> {
    const key = `logGroup:${env.accountId ?? 'main'}|${ref.region}|${
      ref.group
    }`;
    const cached = await this.cache.get<number>(key);
    if (cached !== undefined) return cached;
    const logs = await this.client(env, ref.region);
    const out = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: ref.group }),
      { abortSignal: signal },
    );
    const group = out.logGroups?.find(g => g.logGroupName === ref.group);
    if (!group) return undefined;
    const created = group.creationTime ?? 0;
    await this.cache.set(key, created, { ttl: GROUP_TTL_MS });
    return created;
  }

  async filterPage(
    env: EnvironmentConfig,
    request: LogPageRequest,
    signal?: AbortSignal,
  ): Promise<LogEventPage> {
    const logs = await this.client(env, request.region);
    const out = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: request.group,
        logStreamNames: request.logStreamNames,
        logStreamNamePrefix: request.logStreamNamePrefix,
        filterPattern: request.filter || undefined,
        startTime: request.start,
        endTime: request.end,
        nextToken: request.token,
        limit: request.limit,
        // Ignored by AWS (always interleaved since 2019); moto sorts by time only with it.
        interleaved: true,
      }),
      { abortSignal: signal },
    );
    return {
      events: (out.events ?? []).map(e => ({
        id: e.eventId ?? `${e.logStreamName}:${e.timestamp}`,
        timestamp: e.timestamp ?? 0,
        stream: e.logStreamName ?? '',
        message: e.message ?? '',
      })),
      nextToken: out.nextToken || undefined,
    };
  }
}
