import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
} from 'rate-limiter-flexible';
import type { AwsLocation } from '../../config';
import type { SharedRedis } from '../sharedRedis';
import { CallTurns, pointLeft } from './callTurns';

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

/** What the read budget, the paces and the concurrency cap count by: an account and region. */
export const whereOf = (env: AwsLocation) =>
  `${env.accountId ?? 'main'}|${env.region}`;

/** ECS calls per account, region and action category, kept under a rate: a caller over it waits. */
export interface CallBudget {
  /**
   * Resolves when a call of `action` may be sent now from `where` (account and region); an
   * `urgent` call (an ECS event's read) goes before the others waiting on this replica.
   */
  take(where: string, action: string, urgent?: boolean): Promise<void>;
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

/** `take(key, urgent)` on `limiter`, each key's waiters served by one {@link CallTurns}. */
function turnsOf(limiter: RateLimiterAbstract) {
  const turns = new Map<string, CallTurns>();
  return (key: string, urgent?: boolean) => {
    let keyTurns = turns.get(key);
    if (!keyTurns) {
      keyTurns = new CallTurns(limiter, key);
      turns.set(key, keyTurns);
    }
    return keyTurns.take(urgent);
  };
}

/**
 * The portal's ECS reads, all replicas together, kept at `share` of ECS's documented rates per
 * account, region and category (rate-limiter-flexible, counted in the replicas' Redis), so the
 * portal itself is never throttled and leaves the rest to other clients of the account
 * (Terraform, CI). Actions outside the table pass. `reserve` keeps a part of a category's share
 * for urgent calls (ECS events' reads, which a page is waiting for): they take from it first,
 * then wait with the others, ahead of them; the rest never touch it. On each replica one loop
 * per key serves the waiters ({@link CallTurns}).
 */
export function createEcsReadBudget(options: {
  share: number;
  /** Parts of categories' shares (0 to 1) kept for urgent calls. */
  reserve?: Record<string, number>;
  redis?: SharedRedis;
}): CallBudget {
  const categories = new Map(
    Object.entries(ECS_READ_RATES).map(([category, { perSecond }]) => {
      const rate = perSecond * options.share;
      const kept = options.reserve?.[category] ?? 0;
      const reserve =
        kept > 0
          ? limiterFor(
              `ecs-deploy-ecs-urgent-${category}`,
              rate * kept,
              options.redis,
            )
          : undefined;
      const shared = limiterFor(
        `ecs-deploy-ecs-${category}`,
        rate * (1 - kept),
        options.redis,
      );
      return [category, { reserve, take: turnsOf(shared) }] as const;
    }),
  );
  return {
    async take(where, action, urgent) {
      const category = CATEGORY.get(action);
      if (!category) return;
      const { reserve, take } = categories.get(category)!;
      if (urgent && reserve && (await pointLeft(reserve, where))) return;
      await take(where, urgent);
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
  const take = turnsOf(
    limiterFor(`ecs-deploy-${options.name}`, options.perSecond, options.redis),
  );
  return { take: where => take(where) };
}
