/*
 * The sections that tune the backend's runtime: the status cache, AWS calls and the logs view.
 */
import { InputError } from '@backstage/errors';
import { Section } from './durations';
import type { CachePolicy, EcsDeployConfig, LogsConfig } from './types';

/** `ecsDeploy.cache`: the status cache's policy (needs the read deadline, for the claim). */
export function readCachePolicy(
  root: Section,
  readDeadlineMs: number,
): CachePolicy {
  const cache = root.child('cache');
  const seconds = (key: string, fallback: number) =>
    cache.duration(key, fallback * 1000, {
      key: `${key}Seconds`,
      unit: 'seconds',
    });
  const statusTtlMs = seconds('statusTtl', 10);
  return {
    statusTtlMs,
    staleTtlMs: seconds('staleTtl', 3600),
    taskDefinitionTtlMs: seconds('taskDefinitionTtl', 7 * 24 * 3600),
    serveWhileRefreshingMs: cache.duration(
      'serveWhileRefreshing',
      3 * statusTtlMs,
    ),
    refreshAheadMs: cache.duration('refreshAhead', statusTtlMs / 2),
    // A refresh reads within the read deadline; its claim never outlives the TTL, so a refresher
    // that died leaves the entry to the next reader within one TTL.
    refreshClaimMs: Math.min(readDeadlineMs, statusTtlMs),
    localEntries: cache.number('localEntries', 20_000, 10_000_000),
    taskDefinitionEntries: cache.number(
      'taskDefinitionEntries',
      5_000,
      1_000_000,
    ),
    storeTimeoutMs: cache.duration('storeTimeout', 2000),
    storeRetryAfterMs: cache.duration('storeRetryAfter', 5000),
  };
}

/** `ecsDeploy.aws` and `ecsDeploy.lockTimeout`. */
export function readAwsSettings(
  root: Section,
): Pick<
  EcsDeployConfig,
  | 'maxConcurrentCalls'
  | 'maxAttempts'
  | 'connectTimeoutMs'
  | 'requestTimeoutMs'
  | 'readDeadlineMs'
  | 'writeDeadlineMs'
  | 'lockTimeoutMs'
  | 'ecsRateShare'
> {
  const aws = root.child('aws');
  const seconds = (section: Section, key: string, fallback: number) =>
    section.duration(key, fallback * 1000, {
      key: `${key}Seconds`,
      unit: 'seconds',
    });
  return {
    maxConcurrentCalls: aws.number('maxConcurrentCalls', 8),
    maxAttempts: aws.number('maxAttempts', 5),
    connectTimeoutMs: seconds(aws, 'connectTimeout', 3),
    requestTimeoutMs: seconds(aws, 'requestTimeout', 5),
    readDeadlineMs: seconds(aws, 'readDeadline', 8),
    writeDeadlineMs: seconds(aws, 'writeDeadline', 30),
    lockTimeoutMs: seconds(root, 'lockTimeout', 900),
    ecsRateShare: readShare(aws, 'ecsRateShare', 0.75),
  };
}

/** A share from 0 (exclusive) to 1. */
function readShare(section: Section, key: string, fallback: number): number {
  const value = section.config.getOptionalNumber(key) ?? fallback;
  if (!(value > 0 && value <= 1)) {
    throw new InputError(
      `${section.key(key)} must be more than 0 and at most 1, got ${value}`,
    );
  }
  return value;
}

/** `ecsDeploy.logs`. */
export function readLogsConfig(root: Section): LogsConfig {
  const logs = root.child('logs');
  return {
    pageSize: logs.number('pageSize', 100, 500),
    windowMs: logs.duration('window', 24 * 3_600_000, {
      key: 'windowHours',
      unit: 'hours',
    }),
    maxCallsPerRead: logs.number('maxCallsPerRead', 10, 50),
    readsPerMinute: logs.number('readsPerMinute', 60),
    burst: logs.number('burst', 20, 1000),
  };
}
