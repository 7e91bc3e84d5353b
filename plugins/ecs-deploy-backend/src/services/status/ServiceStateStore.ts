import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import type { EnvironmentError } from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig, EnvironmentConfig } from '../../config';
import { toEnvironmentError } from '../aws/awsErrors';
import { startDeadline } from '../aws/deadline';
import { coalesce } from '../batchLoader';
import type {
  EcsReader,
  ServiceState,
  ServiceStateStore,
  StateResult,
} from '../types';
import { LocalEntries } from './localEntries';
import { toServiceState } from './summarize';

type Settings = Pick<
  EcsDeployConfig,
  'statusTtlMs' | 'staleTtlMs' | 'readDeadlineMs'
>;

/** What the cache keeps per environment and service. */
interface Entry {
  state: ServiceState;
  /** Until then the entry is fresh; after it, it is served while one reader refreshes it. */
  freshUntil: number;
  /** Set when the last refresh could not read ECS: readers get the state marked stale. */
  error?: EnvironmentError;
}

/** Past its freshness by more than this many TTLs, a reader waits for ECS instead. */
const SERVE_WHILE_REFRESHING_TTLS = 3;
/**
 * A read that refreshes anything also refreshes the entries due within this share of the TTL:
 * entries of a large view written a moment apart expire a moment apart, and refreshing each as it
 * falls due would read ECS in many small batches instead of one wave of full ones.
 */
const REFRESH_AHEAD_TTLS = 0.5;
/** How long a replica lets racing claims on refresh markers land before reading them back. */
const CLAIM_SETTLE_MS = 100;

/**
 * The one status cache, on the Backstage cache service (memory in one process, Redis shared by
 * replicas). Stale-while-revalidate: an entry is fresh for the status TTL; a little past it, it is
 * still served at once while the first reader (on any replica: a short `refresh:` marker in the
 * shared cache) reads ECS in the background, so ECS is read about once per TTL per service
 * whatever the number of viewers or replicas. A missing or long-expired entry is read from ECS
 * before answering, within the read deadline; when ECS cannot be read, the last good state is
 * served marked stale with the per-environment error (kept for the stale TTL). Reads go through
 * the EcsReader, which batches and joins them across concurrent callers. Each replica keeps its
 * own copy of the entries it read while they are fresh (`LocalEntries`), dropped for a whole
 * environment when any replica invalidates a service there, so a view of thousands of services
 * does not fetch them all from Redis on every request.
 */
export class CachedServiceStateStore implements ServiceStateStore {
  private readonly local = new LocalEntries<Entry>();
  /** Keys this replica is refreshing now: its other readers leave them alone. */
  private readonly refreshing = new Set<string>();
  /** Concurrent views on this replica share one read of an entry from the shared cache. */
  private readonly shared = coalesce(
    async (key: string) =>
      (await this.options.cache.get<any>(key)) as Entry | undefined,
    key => key,
  );

  constructor(
    private readonly options: {
      reader: EcsReader;
      cache: CacheService;
      logger: LoggerService;
      settings: Settings;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  private key(env: EnvironmentConfig, name: string) {
    return `state:${env.name}:${name}`;
  }

  async read(
    env: EnvironmentConfig,
    names: string[],
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, StateResult>> {
    const { settings } = this.options;
    const unique = [...new Set(names)];
    const generation = await this.generation(env);
    const now = this.now();
    const entries = await Promise.all(
      unique.map(name => this.entry(env, name, generation, now)),
    );
    const out = new Map<string, StateResult>();
    const wait: string[] = [];
    const dueSoon: string[] = [];
    let due = false;
    unique.forEach((name, i) => {
      const entry = entries[i] as Entry | undefined;
      const servable =
        entry &&
        now <
          entry.freshUntil + SERVE_WHILE_REFRESHING_TTLS * settings.statusTtlMs;
      if (options.fresh || !servable) {
        wait.push(name);
        return;
      }
      out.set(name, resultOf(entry));
      if (now >= entry.freshUntil) due = true;
      if (now >= entry.freshUntil - REFRESH_AHEAD_TTLS * settings.statusTtlMs)
        dueSoon.push(name);
    });
    const refresh = due ? dueSoon : [];
    if (refresh.length > 0) {
      this.revalidate(env, refresh, generation).catch(error =>
        this.options.logger.warn(
          `Refreshing ECS states in ${env.name} failed: ${error}`,
        ),
      );
    }
    if (wait.length > 0) {
      const previous = new Map(
        unique.map((name, i) => [name, entries[i] as Entry | undefined]),
      );
      const results = await this.fetch(env, wait, previous, generation);
      for (const [name, result] of results) {
        out.set(name, result);
      }
    }
    return out;
  }

  async invalidate(env: EnvironmentConfig, name: string): Promise<void> {
    const { cache } = this.options;
    this.local.delete(this.key(env, name));
    await Promise.all([
      cache.delete(this.key(env, name)),
      cache.delete(`refresh:${this.key(env, name)}`),
      // Every replica's local copies of this environment are now to be read again.
      cache.set(`generation:${env.name}`, randomUUID(), {
        ttl: this.options.settings.staleTtlMs,
      }),
    ]);
  }

  private async generation(env: EnvironmentConfig): Promise<string> {
    return (
      (await this.options.cache.get<string>(`generation:${env.name}`)) ??
      'initial'
    );
  }

  /** The entry from this replica's copy while valid, else from the shared cache. */
  private async entry(
    env: EnvironmentConfig,
    name: string,
    generation: string,
    now: number,
  ): Promise<Entry | undefined> {
    const key = this.key(env, name);
    const local = this.local.get(key, generation, now);
    if (local) return local;
    const shared = await this.shared(key);
    if (shared) this.local.set(key, shared, generation);
    return shared;
  }

  /** Refreshes the names no reader (on any replica) is refreshing already. */
  private async revalidate(
    env: EnvironmentConfig,
    names: string[],
    generation: string,
  ) {
    const ours = names.filter(
      name => !this.refreshing.has(this.key(env, name)),
    );
    if (ours.length === 0) return;
    for (const name of ours) this.refreshing.add(this.key(env, name));
    try {
      await this.claimAndFetch(env, ours, generation);
    } finally {
      for (const name of ours) this.refreshing.delete(this.key(env, name));
    }
  }

  /** Claims the names in the shared cache (against other replicas) and refreshes the ones won. */
  private async claimAndFetch(
    env: EnvironmentConfig,
    names: string[],
    generation: string,
  ) {
    const { cache, settings } = this.options;
    const markers = await Promise.all(
      names.map(name => cache.get(`refresh:${this.key(env, name)}`)),
    );
    const unclaimed = names.filter((_, i) => !markers[i]);
    if (unclaimed.length === 0) return;
    // Claim with a token and keep what is still ours on reading back: of readers racing on
    // several replicas, the last writer refreshes (the cache service has no set-if-absent). The
    // read-back waits for the claims of a replica that looked just before ours to land, so both
    // see the same last writer.
    const token = randomUUID();
    const marker = (name: string) => `refresh:${this.key(env, name)}`;
    await Promise.all(
      unclaimed.map(name =>
        cache.set(marker(name), token, { ttl: settings.readDeadlineMs * 2 }),
      ),
    );
    await new Promise(resolve => setTimeout(resolve, CLAIM_SETTLE_MS));
    const owners = await Promise.all(
      unclaimed.map(name => cache.get(marker(name))),
    );
    const mine = unclaimed.filter((_, i) => owners[i] === token);
    if (mine.length === 0) return;
    const previous = new Map(
      await Promise.all(
        mine.map(
          async name => [name, await this.shared(this.key(env, name))] as const,
        ),
      ),
    );
    await this.fetch(env, mine, previous, generation);
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
    const { cache, reader, logger, settings } = this.options;
    const out = new Map<string, StateResult>();
    const store = (name: string, entry: Entry) => {
      this.local.set(this.key(env, name), entry, generation);
      return cache.set(this.key(env, name), entry as any, {
        ttl: settings.staleTtlMs,
      });
    };
    const deadline = startDeadline(
      settings.readDeadlineMs,
      `ECS in ${env.name}`,
    );
    let failure: EnvironmentError | undefined;
    try {
      await Promise.all(
        names.map(async name => {
          try {
            const read = await Promise.race([
              reader.readServices(env, [name]),
              deadline.expired,
            ]);
            const fetchedAt = new Date(this.now()).toISOString();
            const state = toServiceState(env, read.get(name)!, fetchedAt);
            await store(name, {
              state,
              freshUntil: this.now() + settings.statusTtlMs,
            });
            out.set(name, { state });
          } catch (error) {
            failure ??= toEnvironmentError(env, error);
            const last = previous.get(name);
            if (!last) {
              out.set(name, { error: failure });
              return;
            }
            // Keep serving the last good state, marked stale, and try again after a TTL.
            const entry = {
              ...last,
              error: failure,
              freshUntil: this.now() + settings.statusTtlMs,
            };
            await store(name, entry);
            out.set(name, resultOf(entry));
          }
        }),
      );
    } finally {
      deadline.clear();
    }
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

function resultOf(entry: Entry): StateResult {
  return entry.error
    ? { state: entry.state, stale: true, error: entry.error }
    : { state: entry.state };
}
