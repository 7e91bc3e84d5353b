import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import type { EnvironmentError } from '@deployment-portal/plugin-ecs-deploy-common';
import { CachePolicy, EcsDeployConfig, EnvironmentConfig } from '../../config';
import { toEnvironmentError } from '../aws/awsErrors';
import { deadline } from '../aws/deadline';
import type { EcsReader } from '../aws/types';
import type { RefreshClaims } from './refreshClaims';
import { toServiceState } from './summarize';
import { Entry, freshEntry, planRead, resultOf, staleEntry } from './swrPolicy';
import { TieredEntries } from './tieredEntries';
import type { ServiceStateStore, StateResult } from './types';

/**
 * The one status cache, on the Backstage cache service: stale-while-revalidate (swrPolicy.ts)
 * over two tiers of entries (tieredEntries.ts), refreshed by one reader per entry across replicas
 * (refreshClaims.ts), so ECS is read about once per TTL per service whatever the number of
 * viewers or replicas. A missing or long-expired entry is read from ECS before answering, within
 * the read deadline; when ECS cannot be read, the last good state is served marked stale with the
 * per-environment error (kept for the stale TTL). Reads go through the EcsReader, which batches
 * and joins them across concurrent callers.
 */
export class CachedServiceStateStore implements ServiceStateStore {
  private readonly entries: TieredEntries;
  /** Keys this replica is refreshing now: its other readers leave them alone. */
  private readonly refreshing = new Set<string>();

  constructor(
    private readonly options: {
      reader: EcsReader;
      cache: CacheService;
      claims: RefreshClaims;
      logger: LoggerService;
      settings: Pick<EcsDeployConfig, 'readDeadlineMs'> & {
        cache: CachePolicy;
      };
      now?: () => number;
    },
  ) {
    this.entries = new TieredEntries(options.cache, options.settings.cache);
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  async read(
    env: EnvironmentConfig,
    names: string[],
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, StateResult>> {
    const unique = [...new Set(names)];
    const generation = await this.entries.generation(env);
    const now = this.now();
    const found = await Promise.all(
      unique.map(name => this.entries.get(env, name, generation, now)),
    );
    const plan = planRead(
      unique,
      found,
      now,
      this.options.settings.cache,
      options,
    );
    if (plan.refresh.length > 0) {
      this.revalidate(env, plan.refresh, generation).catch(error =>
        this.options.logger.warn(
          `Refreshing ECS states in ${env.name} failed: ${error}`,
        ),
      );
    }
    const out = new Map<string, StateResult>();
    for (const [name, entry] of plan.serve) out.set(name, resultOf(entry));
    if (plan.wait.length > 0) {
      const previous = new Map(unique.map((name, i) => [name, found[i]]));
      const read = await this.fetch(env, plan.wait, previous, generation);
      for (const [name, result] of read) out.set(name, result);
    }
    return out;
  }

  async refresh(env: EnvironmentConfig, names: string[]): Promise<void> {
    await this.revalidate(env, names, await this.entries.generation(env));
  }

  invalidate(env: EnvironmentConfig, name: string): Promise<void> {
    return this.entries.invalidate(env, name);
  }

  /** Refreshes the names no reader (on this replica or another) is refreshing already. */
  private async revalidate(
    env: EnvironmentConfig,
    names: string[],
    generation: string,
  ) {
    const key = (name: string) => this.entries.key(env, name);
    const ours = names.filter(name => !this.refreshing.has(key(name)));
    if (ours.length === 0) return;
    for (const name of ours) this.refreshing.add(key(name));
    try {
      const claimed = await this.options.claims.claim(ours.map(key));
      const won = ours.filter(name => claimed.keys.includes(key(name)));
      try {
        if (won.length === 0) return;
        const previous = new Map(
          await Promise.all(
            won.map(
              async name =>
                [name, await this.entries.getShared(env, name)] as const,
            ),
          ),
        );
        await this.fetch(env, won, previous, generation);
      } finally {
        await claimed.release();
      }
    } finally {
      for (const name of ours) this.refreshing.delete(key(name));
    }
  }

  /**
   * Reads ECS within the deadline and stores the entries; a service not read in time gets its
   * previous state marked stale with the error. Each service settles on its own (the reader still
   * batches them), so a slow part of a large view does not cost the rest.
   */
  private async fetch(
    env: EnvironmentConfig,
    names: string[],
    previous: Map<string, Entry | undefined>,
    generation: string,
  ): Promise<Map<string, StateResult>> {
    const { reader, logger, settings } = this.options;
    const policy = settings.cache;
    const out = new Map<string, StateResult>();
    const { within } = deadline(settings.readDeadlineMs, `ECS in ${env.name}`);
    let failure: EnvironmentError | undefined;
    await Promise.all(
      names.map(async name => {
        let entry: Entry;
        try {
          const read = await within(reader.readServices(env, [name]));
          const fetchedAt = new Date(this.now()).toISOString();
          const state = toServiceState(env, read.get(name)!, fetchedAt);
          entry = freshEntry(state, this.now(), policy);
        } catch (error) {
          failure ??= toEnvironmentError(env, error);
          const last = previous.get(name);
          if (!last) {
            out.set(name, { error: failure });
            return;
          }
          // Keep serving the last good state, marked stale, and try again after a TTL.
          entry = staleEntry(last, failure, this.now(), policy);
        }
        await this.entries.set(env, name, entry, generation);
        out.set(name, resultOf(entry));
      }),
    );
    if (failure) {
      const missed = [...out.values()].filter(r => r.error).length;
      logger.warn(
        `Reading ECS services in ${env.name} failed for ${missed} of ${names.length}: ${failure.message}`,
        { environment: env.name },
      );
    }
    return out;
  }
}
