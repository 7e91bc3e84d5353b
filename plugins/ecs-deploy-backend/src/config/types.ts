import type { PromotionPath } from '@deployment-portal/plugin-ecs-deploy-common';

/** @public */
export interface EnvironmentConfig {
  name: string;
  title: string;
  region: string;
  cluster: string;
  accountId?: string;
  endpoint?: string;
  consoleBaseUrl: string;
  logLinks: Array<{ title: string; urlTemplate: string }>;
}

/** @public */
export interface PromotionPathConfig extends PromotionPath {
  requireHealthySource: boolean;
  /** Soak time: the source must have run its images this long before they are promoted (0: none). */
  minSourceAgeMinutes: number;
  /** A promotion that is not rolled out (deployment COMPLETED, all tasks running) by then failed. */
  verifyTimeoutMs: number;
  /** Roll back automatically (actor `system`) when the rollout fails. */
  autoRollback: boolean;
  /** Present when a promotion needs an approval by another owner or an admin. */
  approval?: { expiresAfterMs: number };
}

/** How the backend follows a rollout after a promotion or rollback. @public */
export interface FollowThroughConfig {
  /** How often the (cluster-wide) follower checks the rollouts in progress. */
  checkIntervalMs: number;
  /** The deadline of paths that name none, and of rollbacks. */
  verifyTimeoutMs: number;
}

/** @public */
export interface FreezeWindowConfig {
  name: string;
  environments: string[];
  reason?: string;
  start?: Date;
  end?: Date;
  /**
   * Every week on `days` (0 = Sunday) from `from` to `to` (minutes after midnight) in `timeZone`
   * (IANA). A window whose `to` is not after its `from` ends the next day.
   */
  weekly?: {
    days: number[];
    fromMinutes: number;
    toMinutes: number;
    timeZone: string;
  };
}

/**
 * An admin's statement that an ECS service which predates the `backstage:entity-ref` tag belongs
 * to an entity (config is admin-controlled; every write that relies on it is audited as such).
 *
 * @public
 */
export interface OwnershipMapping {
  entityRef: string;
  environment: string;
  serviceName: string;
}

/** Bounds of the logs view's reads of CloudWatch Logs. @public */
export interface LogsConfig {
  /** Lines per answer when the caller names no limit. */
  pageSize: number;
  /** How far back one read searches before it answers with a token to go further. */
  windowMs: number;
  /** FilterLogEvents calls one read may make. */
  maxCallsPerRead: number;
  /** Reads per caller and minute, `burst` of them at once (shared by replicas on Redis). */
  readsPerMinute: number;
  burst: number;
}

/** The status cache's tuning, in one place. @public */
export interface CachePolicy {
  /** An entry read from ECS is fresh this long. */
  statusTtlMs: number;
  /** The last good state is kept this long, to be served (marked stale) when ECS cannot be read. */
  staleTtlMs: number;
  /** Task definition revisions (immutable) are cached this long. */
  taskDefinitionTtlMs: number;
  /** Past its freshness by up to this, an entry is served at once while one reader refreshes it. */
  serveWhileRefreshingMs: number;
  /** A read that refreshes anything also refreshes the entries due within this. */
  refreshAheadMs: number;
  /** A refresh claim (one refresher per entry across replicas) expires after this (≤ the TTL). */
  refreshClaimMs: number;
  /** Entries each replica keeps in memory in front of the shared cache. */
  localEntries: number;
  /** A cache store operation slower than this counts as the store being down. */
  storeTimeoutMs: number;
  /** While the store is down, it is probed this often. */
  storeRetryAfterMs: number;
}

/** @public */
export interface EcsDeployConfig {
  environments: EnvironmentConfig[];
  promotionPaths: PromotionPathConfig[];
  freezeWindows: FreezeWindowConfig[];
  ownershipMappings: OwnershipMapping[];
  followThrough: FollowThroughConfig;
  cache: CachePolicy;
  maxConcurrentCalls: number;
  maxAttempts: number;
  /** Per AWS request: connecting, and the whole request. */
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** A status read answers (with the last good state and an error) within this. */
  readDeadlineMs: number;
  /** A promotion or rollback gives up (and says the outcome is unknown) after this. */
  writeDeadlineMs: number;
  lockTimeoutMs: number;
  logs: LogsConfig;
}
