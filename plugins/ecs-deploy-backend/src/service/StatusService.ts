import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityDeploymentStatus,
  EnvironmentError,
  EnvironmentStatus,
  EnvironmentTasks,
  getEcsServiceName,
  getEntityEnvironments,
  ECS_DEPLOY_TAGS,
  compareEnvironments,
  LagState,
  PromotionLag,
  ServiceSummary,
  TeamStatus,
  TaskInfo,
} from '@internal/plugin-ecs-deploy-common';
import { EcsDeployConfig, EnvironmentConfig } from '../config';
import { EcsReader, ServiceRead } from './EcsReader';
import {
  deriveHealth,
  parseTaskDefinitionRef,
  summarizeService,
} from './health';
import {
  AwsLogsTarget,
  awsLogsTargets,
  cloudWatchLink,
  consoleLink,
  templateLinks,
} from './links';

/** What the cache keeps per environment and service: plain JSON. */
export interface ServiceState {
  summary?: ServiceSummary;
  logTargets: AwsLogsTarget[];
  imageParameterPrefix?: string;
  fetchedAt: string;
}

export interface StateResult {
  state?: ServiceState;
  error?: EnvironmentError;
  stale?: boolean;
}

const lagOf = (state: LagState): PromotionLag => ({
  state,
  lagging: state === 'behind',
});

/** Turns AWS SDK and network errors into a message for the environment's cell. */
export function toEnvironmentError(
  env: EnvironmentConfig,
  error: unknown,
): EnvironmentError {
  const e = error as { name?: string; message?: string; code?: string };
  const name = e?.name ?? 'Error';
  if (name === 'ClusterNotFoundException') {
    return {
      name,
      message: `ECS cluster '${env.cluster}' not found in ${env.region}.`,
    };
  }
  if (
    /AccessDenied|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/.test(
      name,
    )
  ) {
    return {
      name,
      message: `Access to ECS in ${env.name} was denied: ${e.message ?? name}`,
    };
  }
  if (
    e?.code === 'ECONNREFUSED' ||
    /ECONNREFUSED|ENOTFOUND|socket hang up|ETIMEDOUT/.test(e?.message ?? '')
  ) {
    return {
      name: 'NetworkError',
      message: `Cannot reach AWS for ${env.name} (${env.region}): ${e.message}`,
    };
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } })
    ?.$metadata?.httpStatusCode;
  if (status && status >= 500) {
    return {
      name,
      message: `ECS for ${env.name} (${
        env.region
      }) is unavailable: HTTP ${status}${
        e?.message && e.message !== name ? ` (${e.message})` : ''
      }.`,
    };
  }
  return { name, message: e?.message ?? String(error) };
}

/**
 * Deployment status of entities and teams. Reads ECS through the EcsReader, keeps each service's
 * state in the cache service for a short TTL (and a long-lived copy served, marked stale, when
 * ECS cannot be read), and coalesces identical in-flight reads.
 */
export class StatusService {
  private readonly inflight = new Map<string, Promise<StateResult>>();
  /** Fresh states of this process, valid for the status TTL. */
  private readonly memo = new Map<
    string,
    { state: ServiceState; expiresAt: number }
  >();

  constructor(
    private readonly options: {
      config: EcsDeployConfig;
      reader: EcsReader;
      cache: CacheService;
      logger: LoggerService;
    },
  ) {}

  get environments() {
    return this.options.config.environments;
  }

  environment(name: string): EnvironmentConfig | undefined {
    return this.options.config.environments.find(e => e.name === name);
  }

  private key(env: EnvironmentConfig, name: string) {
    return `state:${env.name}:${name}`;
  }

  async invalidate(env: EnvironmentConfig, name: string) {
    this.memo.delete(this.key(env, name));
    await this.options.cache.delete(this.key(env, name));
  }

  /**
   * Service states of one environment: this process's memo, then the cache service (shared by
   * replicas when it is Redis or Memcache), then one batched read for the misses. Identical reads
   * in flight are joined; the memo and the in-flight map are checked without awaiting, so no
   * request slips between another's read and its result.
   */
  async readStates(
    env: EnvironmentConfig,
    names: string[],
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, StateResult>> {
    const out = new Map<string, StateResult>();
    const pending = new Map<string, Promise<StateResult>>();
    const misses: string[] = [];
    const now = Date.now();
    for (const name of new Set(names)) {
      const key = this.key(env, name);
      const memo = this.memo.get(key);
      if (!options.fresh && memo && memo.expiresAt > now) {
        out.set(name, { state: memo.state });
      } else if (this.inflight.has(key)) {
        pending.set(name, this.inflight.get(key)!);
      } else {
        misses.push(name);
      }
    }
    const toFetch: string[] = [];
    await Promise.all(
      misses.map(async name => {
        const hit = options.fresh
          ? undefined
          : await this.options.cache.get<any>(this.key(env, name));
        if (hit) {
          out.set(name, { state: hit as ServiceState });
        } else {
          toFetch.push(name);
        }
      }),
    );
    const batchNames = toFetch.filter(name => {
      const running = this.inflight.get(this.key(env, name));
      if (running) pending.set(name, running);
      return !running;
    });
    if (batchNames.length > 0) {
      const batch = this.fetch(env, batchNames);
      for (const name of batchNames) {
        const key = this.key(env, name);
        const one = batch.then(m => m.get(name)!);
        this.inflight.set(key, one);
        pending.set(name, one);
        one
          .finally(() => {
            if (this.inflight.get(key) === one) this.inflight.delete(key);
          })
          .catch(() => {});
      }
    }
    await Promise.all(
      [...pending].map(async ([name, p]) => {
        out.set(name, await p);
      }),
    );
    return out;
  }

  private async fetch(env: EnvironmentConfig, names: string[]) {
    const { cache, config, reader, logger } = this.options;
    const out = new Map<string, StateResult>();
    let reads: Map<string, ServiceRead>;
    try {
      reads = await reader.readServices(env, names);
    } catch (error) {
      const envError = toEnvironmentError(env, error);
      logger.warn(
        `Reading ECS services in ${env.name} failed: ${envError.message}`,
        {
          environment: env.name,
          services: names.length,
          cause: (error as Error)?.message,
        },
      );
      await Promise.all(
        names.map(async name => {
          const stale = await cache.get<any>(`stale:${this.key(env, name)}`);
          out.set(
            name,
            stale
              ? { state: stale, stale: true, error: envError }
              : { error: envError },
          );
        }),
      );
      return out;
    }
    const fetchedAt = new Date().toISOString();
    await Promise.all(
      names.map(async name => {
        const read = reads.get(name)!;
        const current = read.service?.taskDefinition
          ? read.taskDefinitions[read.service.taskDefinition]
          : undefined;
        const state: ServiceState = {
          summary: read.service
            ? summarizeService(read.service, read.taskDefinitions)
            : undefined,
          logTargets: awsLogsTargets(current, env),
          imageParameterPrefix: read.service?.tags?.find(
            t => t.key === ECS_DEPLOY_TAGS.imageParameterPrefix,
          )?.value,
          fetchedAt,
        };
        const json = JSON.parse(JSON.stringify(state));
        this.memo.set(this.key(env, name), {
          state: json,
          expiresAt: Date.now() + config.statusTtlMs,
        });
        await cache.set(this.key(env, name), json, { ttl: config.statusTtlMs });
        await cache.set(`stale:${this.key(env, name)}`, json, {
          ttl: config.staleTtlMs,
        });
        out.set(name, { state });
      }),
    );
    return out;
  }

  private toEnvironmentStatus(
    entity: Entity,
    env: EnvironmentConfig,
    serviceName: string,
    result: StateResult,
    stoppedTasks: Parameters<typeof deriveHealth>[1] = [],
  ): EnvironmentStatus {
    const base = {
      environment: env.name,
      region: env.region,
      cluster: env.cluster,
      serviceName,
    };
    const state = result.state;
    if (!state) {
      return {
        ...base,
        health: 'unknown',
        problems: [],
        links: { logs: [] },
        error: result.error,
        fetchedAt: new Date().toISOString(),
      };
    }
    const { health, problems } = deriveHealth(state.summary, stoppedTasks);
    const ref = getCompoundEntityRef(entity);
    return {
      ...base,
      health,
      problems,
      service: state.summary,
      links: state.summary
        ? {
            console: consoleLink(env, serviceName),
            logs: [
              ...state.logTargets.map(t => cloudWatchLink(env, t)),
              ...templateLinks(
                env,
                serviceName,
                ref,
                state.logTargets[0]?.group,
              ),
            ],
          }
        : { logs: [] },
      error: result.error,
      stale: result.stale,
      fetchedAt: state.fetchedAt,
    };
  }

  /** Status of one entity in each of its environments; one failing environment hides no other. */
  async entityStatus(
    entity: Entity,
    options: { fresh?: boolean } = {},
  ): Promise<EntityDeploymentStatus> {
    const names = getEntityEnvironments(
      entity,
      this.environments.map(e => e.name),
    );
    const environments = await Promise.all(
      names.map(async envName => {
        const env = this.environment(envName)!;
        const serviceName = getEcsServiceName(entity, envName);
        const result = (await this.readStates(env, [serviceName], options)).get(
          serviceName,
        )!;
        let stopped: Parameters<typeof deriveHealth>[1] = [];
        const summary = result.state?.summary;
        const primary = summary?.deployments.find(d => d.status === 'PRIMARY');
        if (
          summary &&
          !result.stale &&
          (primary?.failedTasks || summary.runningCount < summary.desiredCount)
        ) {
          // Only in the single-entity view, and only when something may be wrong.
          stopped = await this.options.reader
            .readTasks(env, serviceName, { stopped: true })
            .catch(() => []);
        }
        return this.toEnvironmentStatus(
          entity,
          env,
          serviceName,
          result,
          stopped,
        );
      }),
    );
    return {
      entityRef: stringifyEntityRef(entity),
      environments,
      promotionPaths: this.options.config.promotionPaths.map(
        ({ from, to }) => ({ from, to }),
      ),
    };
  }

  /** One row per entity, one cell per environment; batched reads, no task calls. */
  async teamStatus(groupRef: string, entities: Entity[]): Promise<TeamStatus> {
    const { config } = this.options;
    const envNames = this.environments.map(e => e.name);
    const perEnv = await Promise.all(
      this.environments.map(async env => {
        const names = entities
          .filter(e => getEntityEnvironments(e, envNames).includes(env.name))
          .map(e => getEcsServiceName(e, env.name));
        return [env.name, await this.readStates(env, names)] as const;
      }),
    );
    const states = new Map(perEnv);
    const rows = entities.map(entity => {
      const environments: TeamStatus['rows'][number]['environments'] = {};
      for (const envName of getEntityEnvironments(entity, envNames)) {
        const result = states
          .get(envName)!
          .get(getEcsServiceName(entity, envName))!;
        const summary = result.state?.summary;
        environments[envName] = {
          health: result.state ? deriveHealth(summary).health : 'unknown',
          taskDefinition: summary?.taskDefinition,
          images: summary?.images ?? [],
          desiredCount: summary?.desiredCount,
          runningCount: summary?.runningCount,
          rolloutState: summary?.rolloutState,
          error: result.error,
          stale: result.stale,
        };
      }
      const lags = config.promotionPaths.map(({ from, to }) => ({
        from,
        to,
        ...lagOf(compareEnvironments(environments[from], environments[to])),
      }));
      return {
        entityRef: stringifyEntityRef(entity),
        title: entity.metadata.title ?? entity.metadata.name,
        environments,
        lags,
      };
    });
    return { groupRef, environments: envNames, rows };
  }

  /** Running and recently stopped tasks with their reasons and per-task log links. */
  async tasks(
    entity: Entity,
    env: EnvironmentConfig,
  ): Promise<EnvironmentTasks> {
    const serviceName = getEcsServiceName(entity, env.name);
    try {
      const tasks = await this.options.reader.readTasks(env, serviceName);
      const items: TaskInfo[] = await Promise.all(
        tasks.map(async task => {
          const td = task.taskDefinitionArn
            ? await this.options.reader.taskDefinition(
                env,
                task.taskDefinitionArn,
              )
            : undefined;
          const targets = awsLogsTargets(td, env);
          const taskId = task.taskArn?.split('/').pop() ?? '';
          return {
            taskArn: task.taskArn ?? '',
            taskId,
            lastStatus: task.lastStatus ?? 'UNKNOWN',
            desiredStatus: task.desiredStatus,
            healthStatus: task.healthStatus,
            taskDefinition: parseTaskDefinitionRef(
              task.taskDefinitionArn ?? '',
              td,
            ),
            startedAt: task.startedAt?.toISOString(),
            stoppedAt: task.stoppedAt?.toISOString(),
            stoppedReason: task.stoppedReason,
            stopCode: task.stopCode,
            containers: (task.containers ?? []).map(c => {
              const target = targets.find(t => t.container === c.name);
              return {
                name: c.name ?? '',
                image: c.image,
                imageDigest: c.imageDigest,
                lastStatus: c.lastStatus,
                exitCode: c.exitCode,
                reason: c.reason,
                logLink: target
                  ? cloudWatchLink(env, target, taskId)
                  : undefined,
              };
            }),
          };
        }),
      );
      return { environment: env.name, tasks: items };
    } catch (error) {
      return {
        environment: env.name,
        tasks: [],
        error: toEnvironmentError(env, error),
      };
    }
  }
}
