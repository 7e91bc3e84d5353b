import { CacheService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import type { EnvironmentConfig } from '../../config';
import { coalesce } from '../batchLoader';
import type { Freshness } from './freshness';
import { LocalEntries } from './localEntries';
import { Entry, freshUntil } from './swrPolicy';

/**
 * The cache's entries in two tiers: the shared cache service (memory in one process, Redis shared
 * by replicas) and each replica's own copy of what it read while fresh (LocalEntries). A replica's
 * copies of an environment are dropped when any replica invalidates a service there: a
 * `generation` key in the shared cache changes; its copy of one service is dropped when a change
 * of it is announced (`forget`). Concurrent views on one replica share one read of an entry from
 * the shared cache.
 */
export class TieredEntries {
  private readonly local: LocalEntries<Entry>;
  private readonly shared = coalesce(
    async (key: string) =>
      (await this.cache.get<any>(key)) as Entry | undefined,
    key => key,
  );

  constructor(
    private readonly cache: CacheService,
    private readonly options: {
      staleTtlMs: number;
      localEntries: number;
      freshness: Freshness;
    },
  ) {
    this.local = new LocalEntries<Entry>(
      (entry, now) => now < freshUntil(entry, options.freshness.policy()),
      options.localEntries,
    );
  }

  key(env: EnvironmentConfig, name: string) {
    return `state:${env.name}:${name}`;
  }

  async generation(env: EnvironmentConfig): Promise<string> {
    return (
      (await this.cache.get<string>(`generation:${env.name}`)) ?? 'initial'
    );
  }

  /** The entry from this replica's copy while valid, else from the shared cache. */
  async get(
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

  /** The entry in the shared cache (what another replica may have written since). */
  getShared(env: EnvironmentConfig, name: string) {
    return this.shared(this.key(env, name));
  }

  async set(
    env: EnvironmentConfig,
    name: string,
    entry: Entry,
    generation: string,
  ) {
    const key = this.key(env, name);
    this.local.set(key, entry, generation);
    await this.cache.set(key, entry as any, { ttl: this.options.staleTtlMs });
  }

  /** Drops this replica's copies: another replica wrote newer entries. */
  forget(env: EnvironmentConfig, names: string[]) {
    for (const name of names) this.local.delete(this.key(env, name));
  }

  /** Forgets the entry here and in the shared cache; every replica reads the environment again. */
  async invalidate(env: EnvironmentConfig, name: string) {
    const key = this.key(env, name);
    this.local.delete(key);
    await Promise.all([
      this.cache.delete(key),
      this.cache.set(`generation:${env.name}`, randomUUID(), {
        ttl: this.options.staleTtlMs,
      }),
    ]);
  }
}
