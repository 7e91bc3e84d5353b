import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { LogsConfig } from '../../config';
import { TooManyRequestsError } from '../errors';
import type { SharedRedis } from '../sharedRedis';

/** Reads per caller: `burst` at once, `perMinute` on average. */
export class CallerRateLimit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly perMinute: number,
    /** Settles once the shared store answers (at once for memory); counts are local until then. */
    readonly ready: Promise<void> = Promise.resolve(),
  ) {}

  /** Takes one read of the caller's allowance, or throws a 429 saying when to retry. */
  async take(caller: string, what: string): Promise<void> {
    try {
      await this.limiter.consume(caller);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.ceil(rejection.msBeforeNext / 1000);
      throw new TooManyRequestsError(
        `${caller} read ${what} more than ${this.perMinute} times a minute; try again in ${seconds} s`,
      );
    }
  }
}

/**
 * The logs view's rate limit (rate-limiter-flexible): `burst` reads per `burst / readsPerMinute`
 * minutes. With the replicas' shared Redis, the counts live there, shared by every replica (and
 * in memory on each replica while Redis is unreachable); otherwise in memory.
 */
export function createCallerRateLimit(options: {
  settings: Pick<LogsConfig, 'readsPerMinute' | 'burst'>;
  redis?: SharedRedis;
}): CallerRateLimit {
  const { readsPerMinute, burst } = options.settings;
  const limits = {
    keyPrefix: 'ecs-deploy-logs',
    points: burst,
    duration: Math.max(1, Math.round((burst * 60) / readsPerMinute)),
  };
  const memory = new RateLimiterMemory(limits);
  const { redis } = options;
  if (!redis) return new CallerRateLimit(memory, readsPerMinute);
  const shared = new RateLimiterRedis({
    ...limits,
    storeClient: redis.client,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  return new CallerRateLimit(shared, readsPerMinute, redis.ready);
}
