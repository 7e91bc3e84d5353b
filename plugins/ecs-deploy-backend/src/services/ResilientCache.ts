import {
  CacheService,
  CacheServiceOptions,
  CacheServiceSetOptions,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * `timeoutMs`: a cache operation slower than this counts as the store being down (a Redis client
 * queues commands while it reconnects instead of failing them). Generous by default (2 s): on
 * loopback an answer takes well under a millisecond, and a busy event loop must not pass for an
 * outage. `retryAfterMs`: while the store is down, it is asked again only this often (others
 * skip it at once). From the cache policy (`ecsDeploy.cache.storeTimeout`, `storeRetryAfter`).
 */
export interface StoreTimeouts {
  timeoutMs: number;
  retryAfterMs: number;
}

/** Whether the store is down, shared by every view of one cache. */
interface Health {
  failing: boolean;
  retryAt: number;
  /** When an operation last succeeded: a store that still answers some is busy, not down. */
  lastSuccess: number;
}

/**
 * The cache service, never failing or stalling its caller: when the store (Redis, say) is down or
 * slow, reads miss, writes and deletes are skipped, and the outage is logged once (and its end
 * once), so the plugin keeps serving from ECS directly. While it is down, one operation every few
 * seconds probes it; the others skip it without waiting.
 */
export class ResilientCache implements CacheService {
  constructor(
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
    private readonly timeouts: StoreTimeouts = {
      timeoutMs: 2_000,
      retryAfterMs: 5_000,
    },
    private readonly health: Health = {
      failing: false,
      retryAt: 0,
      lastSuccess: 0,
    },
    private readonly now: () => number = Date.now,
  ) {}

  get<T extends JsonValue>(key: string): Promise<T | undefined> {
    return this.guard(() => this.cache.get<T>(key), undefined);
  }

  set(
    key: string,
    value: JsonValue,
    options?: CacheServiceSetOptions,
  ): Promise<void> {
    return this.guard(() => this.cache.set(key, value, options), undefined);
  }

  delete(key: string): Promise<void> {
    return this.guard(() => this.cache.delete(key), undefined);
  }

  withOptions(options: CacheServiceOptions): CacheService {
    return new ResilientCache(
      this.cache.withOptions(options),
      this.logger,
      this.timeouts,
      this.health,
      this.now,
    );
  }

  private async guard<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
    const { health } = this;
    if (health.failing && this.now() < health.retryAt) {
      return fallback;
    }
    if (health.failing) {
      health.retryAt = this.now() + this.timeouts.retryAfterMs; // this call probes; others keep skipping
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(`no answer within ${this.timeouts.timeoutMs} ms`),
              ),
            this.timeouts.timeoutMs,
          );
        }),
      ]);
      health.lastSuccess = this.now();
      if (health.failing) {
        health.failing = false;
        this.logger.info('Cache store is back; status is cached again');
      }
      return value;
    } catch (error) {
      if (this.now() - health.lastSuccess < this.timeouts.timeoutMs) {
        // Other operations succeed meanwhile: a loaded store or event loop, not an outage.
        return fallback;
      }
      if (!health.failing) {
        health.failing = true;
        this.logger.warn(
          `Cache store unavailable, reading ECS directly until it is back: ${
            (error as Error).message
          }`,
        );
      }
      health.retryAt = this.now() + this.timeouts.retryAfterMs;
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
}
