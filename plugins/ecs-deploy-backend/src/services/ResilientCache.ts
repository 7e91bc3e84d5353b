import {
  CacheService,
  CacheServiceOptions,
  CacheServiceSetOptions,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** A cache operation slower than this counts as the store being down. */
const CACHE_TIMEOUT_MS = 500;

/**
 * The cache service, never failing or stalling its caller: when the store (Redis, say) is down or
 * slow, reads miss, writes and deletes are skipped, and the outage is logged once (and its end
 * once), so the plugin keeps serving from ECS directly.
 */
export class ResilientCache implements CacheService {
  private failing = false;

  constructor(
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
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
    return new ResilientCache(this.cache.withOptions(options), this.logger);
  }

  private async guard<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${CACHE_TIMEOUT_MS} ms`)),
            CACHE_TIMEOUT_MS,
          );
        }),
      ]);
      if (this.failing) {
        this.failing = false;
        this.logger.info('Cache store is back; status is cached again');
      }
      return value;
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `Cache store unavailable, reading ECS directly until it is back: ${
            (error as Error).message
          }`,
        );
      }
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
}
