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

/** How unclaimed ECS services get a suggested owner (`ecsDeploy.onboarding`). @public */
export interface OnboardingConfig {
  /** Tag keys read in order; the first present one suggests the owner. */
  ownerTagKeys: string[];
  /** Tag value → group ref. */
  ownerTagGroups: Record<string, string>;
  /** `ecsDeploy.permissions.adminGroups`: their members may adopt any unclaimed service. */
  adminGroups: string[];
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
  /** Task definition revisions (immutable) are kept this long in the shared cache after their last read. */
  taskDefinitionTtlMs: number;
  /** Task definition revisions each replica keeps in memory (least recently used go first). */
  taskDefinitionEntries: number;
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

/** Where an AWS resource is read: the account (its credentials), region and endpoint. @public */
export interface AwsLocation {
  accountId?: string;
  region: string;
  /** The local emulator only. */
  endpoint?: string;
}

/** An SQS queue that EventBridge rules fill with ECS events (terraform-modules/portal-events). @public */
export interface EventQueueConfig extends AwsLocation {
  queueUrl: string;
}

/** ECS events from SQS instead of polling. @public */
export interface EventsConfig {
  queues: EventQueueConfig[];
  /** The status TTL while events flow: polling as a slow safety net. */
  statusTtlMs: number;
  /** Long polling: a receive waits this long for messages (at most 20 s). */
  waitTimeSeconds: number;
  /** A received message not deleted within this is received again (by any replica). */
  visibilityTimeoutSeconds: number;
  /** Receives (of up to 10 messages) a consumer sends at once per cycle. */
  receiveBatches: number;
  /** The consumer's claim on a queue; after a replica dies another takes over within it. */
  claimTtlMs: number;
  /** A change the safety net finds, older than this and with no event since, counts as missed. */
  missedChangeGraceMs: number;
}

/** The warm index: every service of every environment kept in the shared cache. @public */
export interface IndexConfig {
  enabled: boolean;
  /** How often the index runs (one replica at a time). */
  intervalMs: number;
  /** The index's own DescribeServices and ListServices calls per second, per account and region. */
  callsPerSecond: number;
}

/** How the portal runs deployment strategies (see services/strategies/hooks.ts). @public */
export interface StrategiesConfig {
  /** How long a hold may keep a deployment at a gate before ECS rolls it back. */
  holdLimitMinutes: number;
}

/** The pre-flight checks of a promotion. @public */
export interface PreflightConfig {
  /** A check's verdict is reused this long by previews (a write checks again). */
  cacheTtlMs: number;
  /** All checks of one preview or write answer within this; a check still reading blocks. */
  timeoutMs: number;
  /**
   * An image no running task of the source reports a digest for blocks the promotion (default);
   * off, it is promoted by its tag.
   */
  requireDigest: boolean;
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
  /** One promotion gate answers within this, or blocks. */
  gateTimeoutMs: number;
  /** The share of ECS's documented request rates the portal uses, per account, region and action. */
  ecsRateShare: number;
  logs: LogsConfig;
  onboarding: OnboardingConfig;
  /** Absent when no queue is configured: status by polling alone. */
  events?: EventsConfig;
  index: IndexConfig;
  strategies: StrategiesConfig;
  preflight: PreflightConfig;
  verification: VerificationConfig;
}

/** The HTTP check of one environment. @public */
export interface HttpCheckSettings {
  /** Placeholders: {service} {environment} {cluster} {region} {account}. */
  urlTemplate: string;
  expectedStatus: number;
  /** A regular expression the body must match. */
  bodyPattern?: string;
  /** Consecutive successes that pass the check. */
  successes: number;
  /** Failed answers tolerated; one more fails the check. */
  failureLimit: number;
  /** Not passed this long after the rollout: inconclusive (or failed after a failed answer). */
  timeoutMs: number;
  requestTimeoutMs: number;
}

/** What one environment's verification checks, and how. @public */
export interface VerificationSettings {
  enabled: boolean;
  /** From the rollout on, alarms are watched this long; then the metrics are analysed over it. */
  windowMs: number;
  /** Time between two measurements of a check. */
  intervalMs: number;
  /** A check with more inconclusive measurements than this is inconclusive. */
  inconclusiveLimit: number;
  /** The ecs-service module's alarms of the service (and its deployment alarms), plus `names`. */
  alarms: { enabled: boolean; names: string[] };
  http?: HttpCheckSettings;
  /** GetMetricData over the window of the service's target group (when it has one). */
  metrics: {
    enabled: boolean;
    maxErrorRatePercent?: number;
    maxLatencyP95Ms?: number;
    /** Fewer requests than this in the window: insufficient data (inconclusive). */
    minRequests: number;
  };
}

/** `ecsDeploy.verification`. @public */
export interface VerificationConfig {
  /** Every configured environment's settings (defaults merged with its own). */
  environments: Record<string, VerificationSettings>;
  /** Environments watched for deployments the portal did not make (CI's). */
  watch: { environments: string[]; intervalMs: number; lookbackMs: number };
}
