import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { EcsDeployConfig, EnvironmentConfig } from '../../config';
import { toEnvironmentError } from '../aws/awsErrors';
import { withDeadline } from '../aws/deadline';
import type {
  EcsReader,
  ServiceState,
  ServiceStateStore,
  StateResult,
} from '../types';
import { toServiceState } from './summarize';

type Settings = Pick<
  EcsDeployConfig,
  'statusTtlMs' | 'staleTtlMs' | 'readDeadlineMs'
>;

/**
 * The one status cache, on the Backstage cache service (memory in one process, Redis or Memcache
 * shared by replicas): a fresh entry per service for the status TTL, and a long-lived copy served
 * (marked stale, with the error) when ECS cannot be read within the read deadline. Reads of the
 * misses go to the EcsReader, which batches and joins them across concurrent callers.
 */
export class CachedServiceStateStore implements ServiceStateStore {
  constructor(
    private readonly options: {
      reader: EcsReader;
      cache: CacheService;
      logger: LoggerService;
      settings: Settings;
    },
  ) {}

  private key(env: EnvironmentConfig, name: string) {
    return `state:${env.name}:${name}`;
  }

  async read(
    env: EnvironmentConfig,
    names: string[],
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, StateResult>> {
    const { cache } = this.options;
    const unique = [...new Set(names)];
    const out = new Map<string, StateResult>();
    const hits = options.fresh
      ? []
      : await Promise.all(
          unique.map(name => cache.get<any>(this.key(env, name))),
        );
    const misses = unique.filter((name, i) => {
      if (hits[i]) out.set(name, { state: hits[i] as ServiceState });
      return !hits[i];
    });
    if (misses.length > 0) {
      for (const [name, result] of await this.fetch(env, misses)) {
        out.set(name, result);
      }
    }
    return out;
  }

  async invalidate(env: EnvironmentConfig, name: string): Promise<void> {
    await this.options.cache.delete(this.key(env, name));
  }

  private async fetch(
    env: EnvironmentConfig,
    names: string[],
  ): Promise<Map<string, StateResult>> {
    const { cache, reader, logger, settings } = this.options;
    const out = new Map<string, StateResult>();
    try {
      const reads = await withDeadline(
        settings.readDeadlineMs,
        `ECS in ${env.name}`,
        () => reader.readServices(env, names),
      );
      const fetchedAt = new Date().toISOString();
      await Promise.all(
        names.map(async name => {
          const state = toServiceState(env, reads.get(name)!, fetchedAt);
          await Promise.all([
            cache.set(this.key(env, name), state as any, {
              ttl: settings.statusTtlMs,
            }),
            cache.set(`stale:${this.key(env, name)}`, state as any, {
              ttl: settings.staleTtlMs,
            }),
          ]);
          out.set(name, { state });
        }),
      );
    } catch (error) {
      const envError = toEnvironmentError(env, error);
      logger.warn(
        `Reading ECS services in ${env.name} failed: ${envError.message}`,
        {
          environment: env.name,
          services: names.length,
        },
      );
      await Promise.all(
        names.map(async name => {
          const stale = await cache.get<any>(`stale:${this.key(env, name)}`);
          out.set(
            name,
            stale
              ? { state: stale as ServiceState, stale: true, error: envError }
              : { error: envError },
          );
        }),
      );
    }
    return out;
  }
}
