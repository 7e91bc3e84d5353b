import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import type { EnvironmentError } from '@deployment-portal/plugin-ecs-deploy-common';
import { CachePolicy, EcsDeployConfig, EnvironmentConfig } from '../../config';
import { toEnvironmentError } from '../aws/awsErrors';
import { deadline } from '../aws/deadline';
import type { EcsReader } from '../aws/types';
import type { Freshness } from './freshness';
import type { RefreshClaims } from './refreshClaims';
import { toServiceState } from './summarize';
import {
  Entry,
  freshEntry,
  freshUntil,
  planRead,
  resultOf,
  sameState,
  staleEntry,
} from './swrPolicy';
import { TieredEntries } from './tieredEntries';
import type {
  RefreshCause,
  RefreshResult,
  ServiceStateStore,
  StateChange,
  StateChangeListener,
  StateResult,
} from './types';

/** Shared entries read at once by a preload: a replica's other readers are served between chunks. */
const PRELOAD_CHUNK = 500;

/**
 * The one status cache, on the Backstage cache service: stale-while-revalidate (swrPolicy.ts)
 * over two tiers of entries (tieredEntries.ts), refreshed by one reader per entry across replicas
 * (refreshClaims.ts), so ECS is read about once per TTL per service whatever the number of
 * viewers or replicas. The TTL in force comes from `freshness` (polling's, or the events' safety
 * net). A missing or long-expired entry is read from ECS before answering, within the read
 * deadline; when ECS cannot be read, the last good state is served marked stale with the
 * per-environment error (kept for the stale TTL). An entry never replaces one whose read started
 * later, and every state that changed goes to the listener. Reads go through the EcsReader,
 * which batches and joins them across concurrent callers.
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
      freshness: Freshness;
      /** Told of every changed state (signals to open pages, other replicas' copies). */
      changes?: StateChangeListener;
      now?: () => number;
    },
  ) {
    this.entries = new TieredEntries(options.cache, {
      ...options.settings.cache,
      freshness: options.freshness,
    });
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  async read(
    env: EnvironmentConfig,
    names: string[],
    options: { fresh?: boolean; indexedOnly?: boolean; readNew?: boolean } = {},
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
      this.options.freshness.policy(),
      options,
    );
    const previous = new Map(unique.map((name, i) => [name, found[i]]));
    // Indexed only: nobody waits for ECS for an old entry (served stale and refreshed behind); a
    // service never read is left to the warm index, or read now with `readNew` (a view: the index
    // never lists a service that does not run, which must show as not deployed).
    const readNow = (name: string) =>
      !options.indexedOnly || (options.readNew && !previous.get(name));
    const indexed = plan.wait.filter(name => !readNow(name));
    const wait = plan.wait.filter(readNow);
    const refresh = [...plan.refresh, ...indexed.filter(n => previous.get(n))];
    if (refresh.length > 0) {
      this.revalidate(env, refresh, generation).catch(error =>
        this.options.logger.warn(
          `Refreshing ECS states in ${env.name} failed: ${error}`,
        ),
      );
    }
    const out = new Map<string, StateResult>();
    for (const [name, entry] of plan.serve) out.set(name, resultOf(entry));
    for (const name of indexed) {
      const entry = previous.get(name);
      out.set(name, entry ? { ...resultOf(entry), stale: true } : {});
    }
    if (wait.length > 0) {
      const read = await this.fetch(env, wait, previous, generation);
      for (const [name, result] of read.results) out.set(name, result);
    }
    return out;
  }

  async refresh(
    env: EnvironmentConfig,
    names: string[],
    options: { cause?: RefreshCause } = {},
  ): Promise<RefreshResult> {
    const unique = [...new Set(names)];
    const generation = await this.entries.generation(env);
    if (options.cause !== 'event') {
      return this.revalidate(env, unique, generation);
    }
    const previous = new Map(
      await Promise.all(
        unique.map(
          async name =>
            [name, await this.entries.getShared(env, name)] as const,
        ),
      ),
    );
    const read = await this.fetch(env, unique, previous, generation, 'event');
    return { changed: read.changed, failed: read.failed };
  }

  async dueWithin(
    env: EnvironmentConfig,
    names: string[],
    ms: number,
  ): Promise<string[]> {
    const generation = await this.entries.generation(env);
    const now = this.now();
    const policy = this.options.freshness.policy();
    // This replica's fresh copies answer most of it without the shared cache.
    const found = await Promise.all(
      names.map(name => this.entries.get(env, name, generation, now)),
    );
    return names.filter(
      (_, i) => !found[i] || freshUntil(found[i]!, policy) < now + ms,
    );
  }

  async preload(env: EnvironmentConfig, names: string[]): Promise<number> {
    const generation = await this.entries.generation(env);
    let found = 0;
    for (let i = 0; i < names.length; i += PRELOAD_CHUNK) {
      const now = this.now();
      const chunk = await Promise.all(
        names
          .slice(i, i + PRELOAD_CHUNK)
          .map(name => this.entries.get(env, name, generation, now)),
      );
      found += chunk.filter(Boolean).length;
    }
    return found;
  }

  forget(env: EnvironmentConfig, names: string[]) {
    this.entries.forget(env, names);
  }

  invalidate(env: EnvironmentConfig, name: string): Promise<void> {
    return this.entries.invalidate(env, name);
  }

  /** Refreshes the names no reader (on this replica or another) is refreshing already. */
  private async revalidate(
    env: EnvironmentConfig,
    names: string[],
    generation: string,
  ): Promise<RefreshResult> {
    const key = (name: string) => this.entries.key(env, name);
    const ours = names.filter(name => !this.refreshing.has(key(name)));
    if (ours.length === 0) return { changed: [], failed: [] };
    for (const name of ours) this.refreshing.add(key(name));
    try {
      const claimed = await this.options.claims.claim(ours.map(key));
      const won = ours.filter(name => claimed.keys.includes(key(name)));
      try {
        if (won.length === 0) return { changed: [], failed: [] };
        const previous = new Map(
          await Promise.all(
            won.map(
              async name =>
                [name, await this.entries.getShared(env, name)] as const,
            ),
          ),
        );
        const read = await this.fetch(env, won, previous, generation);
        return { changed: read.changed, failed: read.failed };
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
    cause: RefreshCause = 'poll',
  ) {
    const { reader, logger, settings } = this.options;
    const results = new Map<string, StateResult>();
    const changes: StateChange[] = [];
    const failed: string[] = [];
    const { within } = deadline(settings.readDeadlineMs, `ECS in ${env.name}`);
    let failure: EnvironmentError | undefined;
    const readAt = this.now();
    await Promise.all(
      names.map(async name => {
        let entry: Entry;
        try {
          const read = await within(
            reader.readServices(env, [name], { urgent: cause === 'event' }),
          );
          const fetchedAt = new Date(this.now()).toISOString();
          entry = freshEntry(
            toServiceState(env, read.get(name)!, fetchedAt),
            readAt,
          );
        } catch (error) {
          failure ??= toEnvironmentError(env, error);
          failed.push(name);
          const last = previous.get(name);
          if (!last) {
            results.set(name, { error: failure });
            return;
          }
          // Keep serving the last good state, marked stale, and try again after a TTL.
          entry = staleEntry(last, failure, this.now());
        }
        const { kept, before } = await this.store(env, name, entry, generation);
        results.set(name, resultOf(kept));
        if (kept === entry && before && !sameState(before.state, kept.state)) {
          changes.push({ name, state: kept.state, previous: before.state });
        }
      }),
    );
    if (failure) {
      const missed = [...results.values()].filter(r => r.error).length;
      logger.warn(
        `Reading ECS services in ${env.name} failed for ${missed} of ${names.length}: ${failure.message}`,
        { environment: env.name },
      );
    }
    if (changes.length > 0) {
      await this.options.changes
        ?.changed(env, changes, cause)
        .catch(error =>
          logger.warn(`Announcing ECS state changes failed: ${error}`),
        );
    }
    return {
      results,
      changed: changes.map(c => c.name),
      failed,
    };
  }

  /**
   * Stores `entry` unless the shared cache holds one read later (by another reader on any
   * replica); returns what is kept and what was there before.
   */
  private async store(
    env: EnvironmentConfig,
    name: string,
    entry: Entry,
    generation: string,
  ) {
    const before = await this.entries.getShared(env, name);
    if (before && before.readAt > entry.readAt) {
      return { kept: before, before };
    }
    await this.entries.set(env, name, entry, generation);
    return { kept: entry, before };
  }
}
