import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { EcsDeployConfig } from '../config';
import type { LockStore } from '../database/LockStore';
import { AwsClients } from './aws/AwsClients';
import { DefaultEcsReader } from './aws/EcsReader';
import { ResilientCache } from './ResilientCache';
import { DefaultStatusService } from './status/DefaultStatusService';
import { DatabaseRefreshClaims } from './status/refreshClaims';
import { CachedServiceStateStore } from './status/ServiceStateStore';

/**
 * The read path as one piece: AWS clients (one per account, region and endpoint), the batched
 * reader, the one status cache (over a cache service that never fails its caller, with refresh
 * claims in the database) and the status views. plugin.ts and the tests build it the same way.
 */
export function createReadPath(options: {
  settings: EcsDeployConfig;
  credentials: AwsCredentialsManager;
  cache: CacheService;
  locks: LockStore;
  logger: LoggerService;
  /** The cache's clock (tests). */
  now?: () => number;
}) {
  const { settings, logger } = options;
  const policy = settings.cache;
  const cache = new ResilientCache(options.cache, logger, {
    timeoutMs: policy.storeTimeoutMs,
    retryAfterMs: policy.storeRetryAfterMs,
  });
  const clients = new AwsClients(options.credentials, settings);
  const reader = new DefaultEcsReader(clients, cache, {
    taskDefinitionTtlMs: policy.taskDefinitionTtlMs,
    maxConcurrentCalls: settings.maxConcurrentCalls,
  });
  const store = new CachedServiceStateStore({
    reader,
    cache,
    claims: new DatabaseRefreshClaims(options.locks, policy.refreshClaimMs),
    logger,
    settings,
    now: options.now,
  });
  const status = new DefaultStatusService({ settings, store, reader });
  return { cache, clients, reader, store, status };
}
