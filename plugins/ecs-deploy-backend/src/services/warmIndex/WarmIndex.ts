import { ListServicesCommand } from '@aws-sdk/client-ecs';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import pLimit from 'p-limit';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { AwsClients } from '../aws/AwsClients';
import { type CallPace, whereOf } from '../aws/ecsRateLimit';
import type { Freshness } from '../status/freshness';
import type { ServiceStateStore } from '../status/types';
import type { ServiceIndex } from './types';

/** AWS's limits per call. */
const LIST_PAGE = 100;
const DESCRIBE_BATCH = 10;
/** Batches in flight at once: the pace, not the latency of one call, bounds the index. */
const IN_FLIGHT = 4;

interface Listing {
  names: string[];
  listedAt: number;
}

/**
 * Keeps every service of every environment in the status cache, so that no viewer waits for ECS:
 * run by the scheduler on one replica at a time every `index.interval`, it lists each cluster
 * (ListServices, again once the listing is older than the status TTL; kept in the shared cache
 * for every replica's `list`) and refreshes what has no entry or falls due before the next run,
 * ten services per DescribeServices call, at its own pace per account and region
 * (`index.callsPerSecond`, counted in Redis) inside the portal's share of ECS's rates. Task
 * definitions come from their cache (read once per revision, ever).
 */
export class WarmIndex implements ServiceIndex {
  /** Environments whose last pass failed (logged once until they recover). */
  private readonly failing = new Set<string>();

  constructor(
    private readonly options: {
      settings: Pick<EcsDeployConfig, 'environments' | 'index'>;
      clients: AwsClients;
      store: ServiceStateStore;
      cache: CacheService;
      freshness: Freshness;
      pace: CallPace;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  async list(environment: string): Promise<string[]> {
    const env = this.options.settings.environments.find(
      e => e.name === environment,
    );
    if (!env) throw new NotFoundError(`No environment '${environment}'`);
    return (await this.listing(env)).names;
  }

  /**
   * One pass over every environment, side by side: each draws on its own account's and region's
   * pace (environments sharing one share it), so staging and prod in two accounts fill in half
   * the time. An environment ECS cannot list (a missing cluster, no access) is logged when it
   * starts failing and skipped; the others are indexed all the same.
   */
  async run(signal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.options.settings.environments.map(env =>
        this.runGuarded(env, signal),
      ),
    );
  }

  private async runGuarded(env: EnvironmentConfig, signal?: AbortSignal) {
    if (signal?.aborted) return;
    try {
      await this.runEnvironment(env, signal);
      if (this.failing.delete(env.name)) {
        this.options.logger.info(`Warm index: ${env.name} is indexed again`);
      }
    } catch (error) {
      if (this.failing.has(env.name)) return;
      this.failing.add(env.name);
      this.options.logger.warn(
        `Warm index: ${env.name} (cluster ${env.cluster}) cannot be indexed: ${error}; its statuses are read when viewed`,
      );
    }
  }

  /**
   * This replica's own copy of the index, from the shared cache (run at every replica's start):
   * the services of each environment as last listed (no ECS call; an environment never listed
   * is left to the index's run). Returns how many entries were copied.
   */
  async preload(): Promise<number> {
    let copied = 0;
    for (const env of this.options.settings.environments) {
      const cached = (await this.options.cache.get(this.listingKey(env))) as
        | Listing
        | undefined;
      if (cached) copied += await this.options.store.preload(env, cached.names);
    }
    return copied;
  }

  private listingKey(env: EnvironmentConfig) {
    return `index:services:${env.name}`;
  }

  private async runEnvironment(env: EnvironmentConfig, signal?: AbortSignal) {
    const started = this.now();
    const { names } = await this.listing(env);
    const due = await this.options.store.dueWithin(
      env,
      names,
      this.options.settings.index.intervalMs,
    );
    const failed = await this.refresh(env, due, signal);
    this.options.logger.debug(
      `Warm index: ${env.name} has ${names.length} services, ${
        due.length
      } refreshed (${failed} not read) in ${this.now() - started} ms`,
    );
  }

  /** The cluster's service names: the shared listing while it is younger than the TTL, else ListServices. */
  private async listing(env: EnvironmentConfig): Promise<Listing> {
    const { cache, freshness, settings } = this.options;
    const key = this.listingKey(env);
    const cached = (await cache.get(key)) as Listing | undefined;
    const maxAge = Math.max(
      settings.index.intervalMs,
      freshness.policy().statusTtlMs,
    );
    if (cached && this.now() - cached.listedAt < maxAge) return cached;
    const ecs = await this.options.clients.ecs(env);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      await this.options.pace.take(whereOf(env));
      const page = await ecs.send(
        new ListServicesCommand({
          cluster: env.cluster,
          maxResults: LIST_PAGE,
          nextToken,
        }),
      );
      names.push(...(page.serviceArns ?? []).map(arn => arn.split('/').pop()!));
      nextToken = page.nextToken;
    } while (nextToken);
    const listing = { names: names.sort(), listedAt: this.now() };
    await cache.set(key, listing as any, { ttl: 24 * 3_600_000 });
    return listing;
  }

  /** Refreshes `names` ten per call at the index's pace; returns how many ECS could not answer for. */
  private async refresh(
    env: EnvironmentConfig,
    names: string[],
    signal?: AbortSignal,
  ): Promise<number> {
    const limit = pLimit(IN_FLIGHT);
    const batches: Promise<number>[] = [];
    for (let i = 0; i < names.length && !signal?.aborted; i += DESCRIBE_BATCH) {
      const batch = names.slice(i, i + DESCRIBE_BATCH);
      await limit(() => this.options.pace.take(whereOf(env)));
      batches.push(
        limit(() =>
          this.options.store
            .refresh(env, batch, { cause: 'poll' })
            .then(result => result.failed.length),
        ),
      );
    }
    const failed = await Promise.all(batches);
    return failed.reduce((sum, n) => sum + n, 0);
  }
}
