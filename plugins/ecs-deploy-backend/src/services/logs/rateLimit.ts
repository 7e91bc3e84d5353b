import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createClient } from '@redis/client';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { LogsConfig } from '../../config';
import { TooManyRequestsError } from '../errors';

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
 * minutes. When the backend's cache is Redis, the counts live there, shared by every replica
 * (and in memory on each replica while Redis is unreachable); otherwise in memory.
 */
export function createCallerRateLimit(options: {
  settings: Pick<LogsConfig, 'readsPerMinute' | 'burst'>;
  /** The root config: `backend.cache` says whether replicas share a Redis. */
  config?: Config;
  logger?: LoggerService;
  /** Called with a function that closes the Redis connection (at shutdown). */
  onClose?: (close: () => Promise<void>) => void;
}): CallerRateLimit {
  const { readsPerMinute, burst } = options.settings;
  const limits = {
    keyPrefix: 'ecs-deploy-logs',
    points: burst,
    duration: Math.max(1, Math.round((burst * 60) / readsPerMinute)),
  };
  const memory = new RateLimiterMemory(limits);
  const cache = options.config?.getOptionalConfig('backend.cache');
  const url =
    cache?.getOptionalString('store') === 'redis'
      ? cache.getOptionalString('connection')
      : undefined;
  if (!url) return new CallerRateLimit(memory, readsPerMinute);
  const client = createClient({ url });
  client.on('error', error =>
    options.logger?.debug(`Rate limit store: ${error}`),
  );
  const ready = client
    .connect()
    .then(() => undefined)
    .catch(error =>
      options.logger?.warn(
        `Rate limits are per replica until Redis answers: ${error}`,
      ),
    );
  options.onClose?.(async () => {
    if (client.isOpen) await client.disconnect().catch(() => {});
  });
  const shared = new RateLimiterRedis({
    ...limits,
    storeClient: client,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  return new CallerRateLimit(shared, readsPerMinute, ready);
}
