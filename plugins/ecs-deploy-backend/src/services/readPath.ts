import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { EcsDeployConfig } from '../config';
import type { DeploymentGateStore } from '../database/DeploymentGateStore';
import type { LockStore } from '../database/LockStore';
import { AwsClients } from './aws/AwsClients';
import { createEcsReadBudget } from './aws/ecsRateLimit';
import { DefaultEcsReader } from './aws/EcsReader';
import { EventsHealth } from './events/eventsHealth';
import {
  defaultChecks,
  DefaultPreflightChecks,
} from './preflight/DefaultPreflightChecks';
import { ResilientCache } from './ResilientCache';
import type { SharedRedis } from './sharedRedis';
import { ChangeListeners } from './status/changeListeners';
import { DefaultStatusService } from './status/DefaultStatusService';
import { statusFreshness } from './status/freshness';
import { DatabaseRefreshClaims } from './status/refreshClaims';
import { CachedServiceStateStore } from './status/ServiceStateStore';
import type { StatusUpdatesSource } from './status/types';

import { EcsDeploymentReader } from './strategies/EcsDeploymentReader';

/** The part of the portal's DescribeServices budget kept for ECS events' reads, when events are on. */
const EVENT_READ_SHARE = 0.2;

/**
 * The read path as one piece: AWS clients (one per account, region and endpoint, ECS reads kept
 * within the portal's share of ECS's rates), the batched reader, the one status cache (over a
 * cache service that never fails its caller, with refresh claims in the database, its TTL the
 * events' safety net while ECS events flow and polling's otherwise), the listeners of its
 * changes, the deployments in progress (steps, traffic, hold) and the status views. plugin.ts
 * and the tests build it the same way.
 */
export function createReadPath(options: {
  settings: EcsDeployConfig;
  credentials: AwsCredentialsManager;
  cache: CacheService;
  locks: LockStore;
  gates: DeploymentGateStore;
  logger: LoggerService;
  /** The replicas' Redis, when they share one (rate counts). */
  redis?: SharedRedis;
  /** The cache's clock (tests). */
  now?: () => number;
}) {
  const { settings, logger } = options;
  const policy = settings.cache;
  const cache = new ResilientCache(options.cache, logger, {
    timeoutMs: policy.storeTimeoutMs,
    retryAfterMs: policy.storeRetryAfterMs,
  });
  const clients = new AwsClients(
    options.credentials,
    settings,
    createEcsReadBudget({
      share: settings.ecsRateShare,
      // With ECS events, a part of the DescribeServices share waits for their reads: a page
      // shows a change without queueing behind the warm index's batches. (Task definitions are
      // not kept: the index's first fill is bound by their rate, an event needs one at most.)
      reserve: settings.events ? { 'service-read': EVENT_READ_SHARE } : {},
      redis: options.redis,
    }),
  );
  const reader = new DefaultEcsReader(clients, cache, {
    taskDefinitionTtlMs: policy.taskDefinitionTtlMs,
    taskDefinitionEntries: policy.taskDefinitionEntries,
    maxConcurrentCalls: settings.maxConcurrentCalls,
  });
  const health =
    settings.events &&
    new EventsHealth({
      cache,
      config: settings.events,
      cachePolicy: policy,
      logger,
    });
  const freshness = statusFreshness(
    policy,
    health && settings.events
      ? { config: settings.events, live: () => health.live() }
      : undefined,
  );
  const updates: StatusUpdatesSource = health ?? {
    updates: async () => ({
      source: 'polling',
      refreshSeconds: Math.round(policy.statusTtlMs / 1000),
    }),
  };
  const listeners = new ChangeListeners();
  const store = new CachedServiceStateStore({
    reader,
    cache,
    claims: new DatabaseRefreshClaims(options.locks, policy.refreshClaimMs),
    logger,
    settings,
    freshness,
    changes: listeners,
    now: options.now,
  });
  const deployments = new EcsDeploymentReader({
    clients,
    cache,
    gates: options.gates,
    ttlMs: policy.statusTtlMs,
    deadlineMs: settings.readDeadlineMs,
    logger,
  });
  const status = new DefaultStatusService({
    settings,
    store,
    reader,
    updates,
    deployments,
  });
  const preflight = new DefaultPreflightChecks({
    checks: defaultChecks(clients, settings.preflight),
    cache,
    settings: settings.preflight,
  });
  return {
    cache,
    clients,
    reader,
    store,
    status,
    health,
    freshness,
    updates,
    listeners,
    deployments,
    preflight,
  };
}
