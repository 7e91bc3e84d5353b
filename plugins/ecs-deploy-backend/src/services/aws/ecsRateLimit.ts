import { setTimeout as sleep } from 'node:timers/promises';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { SharedRedis } from '../sharedRedis';

/**
 * ECS's documented request throttling for the read actions the portal sends ("Request
 * throttling for the Amazon ECS API",
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html): a token
 * bucket per account, region and category, refilled at `perSecond` up to `burst`. Writes
 * (UpdateService, RegisterTaskDefinition) are a person's click, rare, and left to the SDK's
 * adaptive retries.
 */
export const ECS_READ_RATES: Record<
  string,
  { actions: string[]; perSecond: number; burst: number }
> = {
  'service-read': {
    actions: ['DescribeServices', 'ListServices'],
    perSecond: 20,
    burst: 100,
  },
  'task-definition-read': {
    actions: ['DescribeTaskDefinition', 'ListTaskDefinitions'],
    perSecond: 20,
    burst: 50,
  },
  'cluster-resource-read': {
    actions: ['DescribeTasks', 'ListTasks'],
    perSecond: 20,
    burst: 100,
  },
  'cluster-read': {
    actions: ['DescribeClusters', 'ListClusters'],
    perSecond: 20,
    burst: 50,
  },
  'service-deployment': {
    actions: ['DescribeServiceDeployments', 'ListServiceDeployments'],
    perSecond: 20,
    burst: 50,
  },
  'tag-read': { actions: ['ListTagsForResource'], perSecond: 20, burst: 50 },
};

const CATEGORY = new Map(
  Object.entries(ECS_READ_RATES).flatMap(([category, { actions }]) =>
    actions.map(action => [action, category] as const),
  ),
);

/** ECS calls per account, region and action category, kept under a rate: a caller over it waits. */
export interface CallBudget {
  /** Resolves when a call of `action` may be sent now from `where` (account and region). */
  take(where: string, action: string): Promise<void>;
}

/** Calls of one caller per account and region, at a fixed pace: a caller over it waits. */
export interface CallPace {
  /** Resolves when the next call may be sent from `where` (account and region). */
  take(where: string): Promise<void>;
}

/**
 * Fixed windows that never let more through at once than the bucket's burst: `points` per
 * `duration` seconds, where two back-to-back windows stay within the burst.
 */
export function windowFor(perSecond: number) {
  return perSecond >= 2
    ? { points: Math.floor(perSecond), duration: 1 }
    : { points: Math.max(1, Math.floor(perSecond * 10)), duration: 10 };
}

/** Takes a point of `limiter` for `key`, waiting for the next window as often as it takes. */
async function takeWaiting(limiter: RateLimiterAbstract, key: string) {
  for (;;) {
    try {
      await limiter.consume(key);
      return;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // Spread the waiters over the next window instead of all at its first millisecond.
      await sleep(rejection.msBeforeNext + Math.random() * 50);
    }
  }
}

/** A limiter per category, in Redis when the replicas share one (memory while it is down). */
function limiterFor(
  prefix: string,
  perSecond: number,
  redis: SharedRedis | undefined,
): RateLimiterAbstract {
  const limits = { keyPrefix: prefix, ...windowFor(perSecond) };
  const memory = new RateLimiterMemory(limits);
  return redis
    ? new RateLimiterRedis({
        ...limits,
        storeClient: redis.client,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
}

/**
 * The portal's ECS reads, all replicas together, kept at `share` of ECS's documented rates per
 * account, region and category (rate-limiter-flexible, counted in the replicas' Redis), so the
 * portal itself is never throttled and leaves the rest to other clients of the account
 * (Terraform, CI). Actions outside the table pass.
 */
export function createEcsReadBudget(options: {
  share: number;
  redis?: SharedRedis;
}): CallBudget {
  const limiters = new Map(
    Object.entries(ECS_READ_RATES).map(([category, { perSecond }]) => [
      category,
      limiterFor(
        `ecs-deploy-ecs-${category}`,
        perSecond * options.share,
        options.redis,
      ),
    ]),
  );
  return {
    async take(where, action) {
      const category = CATEGORY.get(action);
      if (category) await takeWaiting(limiters.get(category)!, where);
    },
  };
}

/**
 * A fixed number of calls per second per key (the warm index's own pace, below the portal's
 * share), shared by the replicas through Redis.
 */
export function createCallPace(options: {
  name: string;
  perSecond: number;
  redis?: SharedRedis;
}): CallPace {
  const limiter = limiterFor(
    `ecs-deploy-${options.name}`,
    options.perSecond,
    options.redis,
  );
  return { take: where => takeWaiting(limiter, where) };
}
