import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  paginateListServices,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  DescribeScalableTargetsCommand,
  type ScalableTarget,
} from '@aws-sdk/client-application-auto-scaling';
import { CacheService } from '@backstage/backend-plugin-api';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { EnvironmentConfig } from '../../config';
import type { EcsReader, ServiceRead } from './types';
import { AwsClients } from './AwsClients';
import { createBatchLoader } from '../batchLoader';
import { paidFor, urgently } from './callContext';
import { whereOf } from './ecsRateLimit';

/** AWS's limits per call. */
const DESCRIBE_SERVICES_BATCH = 10;
const DESCRIBE_TASKS_BATCH = 100;
const DESCRIBE_SCALABLE_TARGETS_BATCH = 50;

/** Where an ARN is read: account, region and endpoint (a task definition ARN names no cluster). */
const accountKey = (env: EnvironmentConfig) =>
  `${whereOf(env)}|${env.endpoint ?? ''}`;
const clusterKey = (env: EnvironmentConfig) =>
  `${accountKey(env)}|${env.cluster}`;

/** The loader of `key` in `loaders`, created on first use. */
function loaderFor<V>(
  loaders: Map<string, DataLoader<string, V>>,
  key: string,
  create: () => DataLoader<string, V>,
): DataLoader<string, V> {
  let loader = loaders.get(key);
  if (!loader) {
    loader = create();
    loaders.set(key, loader);
  }
  return loader;
}

/** DescribeServices loaders by cluster. */
type ServiceLoaders = Map<string, DataLoader<string, Service | undefined>>;

/** {@link EcsReader} over the AWS SDK. */
export class DefaultEcsReader implements EcsReader {
  private readonly serviceLoaders: ServiceLoaders = new Map();
  /** For urgent reads: their batches never wait behind (or join) the others'. */
  private readonly urgentServiceLoaders: ServiceLoaders = new Map();
  private readonly taskDefinitionLoaders = new Map<
    string,
    DataLoader<string, TaskDefinition>
  >();
  /** Revisions are immutable: kept until the least recently used go, never expired. */
  private readonly taskDefinitions: LRUCache<string, TaskDefinition>;
  private readonly scalableTargetLoaders = new Map<
    string,
    DataLoader<string, ScalableTarget | undefined>
  >();

  constructor(
    private readonly clients: AwsClients,
    /** Task definitions by ARN, shared by replicas when the cache is shared. */
    private readonly taskDefinitionCache: CacheService,
    private readonly settings: {
      /** In the shared cache, renewed whenever a replica reads a revision from it. */
      taskDefinitionTtlMs: number;
      /** Revisions each replica keeps in memory. */
      taskDefinitionEntries: number;
      /** DescribeServices calls in flight per cluster before further names wait and batch. */
      maxConcurrentCalls: number;
    },
  ) {
    this.taskDefinitions = new LRUCache({
      max: settings.taskDefinitionEntries,
    });
  }

  async readServices(
    env: EnvironmentConfig,
    names: string[],
    options: { urgent?: boolean } = {},
  ): Promise<Map<string, ServiceRead>> {
    return options.urgent
      ? urgently(() => this.read(env, names, true))
      : this.read(env, names, false);
  }

  private async read(
    env: EnvironmentConfig,
    names: string[],
    urgent: boolean,
  ): Promise<Map<string, ServiceRead>> {
    const unique = [...new Set(names)];
    const services = await this.serviceLoader(env, urgent).loadMany(unique);
    const failed = services.find((s): s is Error => s instanceof Error);
    if (failed) {
      throw failed;
    }
    const result = new Map<string, ServiceRead>();
    await Promise.all(
      unique.map(async (name, i) => {
        const service = services[i] as Service | undefined;
        const arns = new Set<string>();
        if (service?.taskDefinition) arns.add(service.taskDefinition);
        for (const d of service?.deployments ?? []) {
          if (d.taskDefinition) arns.add(d.taskDefinition);
        }
        const taskDefinitions: Record<string, TaskDefinition> = {};
        const [scalableTarget] = await Promise.all([
          service ? this.scalableTarget(env, name) : undefined,
          ...[...arns].map(async arn => {
            taskDefinitions[arn] = await this.taskDefinition(env, arn);
          }),
        ]);
        result.set(name, { service, taskDefinitions, scalableTarget });
      }),
    );
    return result;
  }

  async listServiceNames(env: EnvironmentConfig): Promise<string[]> {
    const client = await this.clients.ecs(env);
    const names: string[] = [];
    for await (const page of paginateListServices(
      { client, pageSize: 100 },
      { cluster: env.cluster },
    )) {
      names.push(...(page.serviceArns ?? []).map(arn => arn.split('/').pop()!));
    }
    return names;
  }

  async taskDefinition(
    env: EnvironmentConfig,
    arn: string,
  ): Promise<TaskDefinition> {
    const key = `td:${whereOf(env)}|${arn}`;
    const remembered = this.taskDefinitions.get(key);
    if (remembered) return remembered;
    const cached = (await this.taskDefinitionCache.get(key)) as
      | TaskDefinition
      | undefined;
    const td = cached ?? (await this.taskDefinitionLoader(env).load(arn));
    // Only a full ARN names an immutable revision; `family` alone would move.
    if (td.revision && /:\d+$/.test(arn)) {
      const plain = cached ?? JSON.parse(JSON.stringify(td));
      this.taskDefinitions.set(key, plain);
      // Written again on each read from the shared cache: revisions in use never expire there.
      await this.taskDefinitionCache.set(key, plain, {
        ttl: this.settings.taskDefinitionTtlMs,
      });
    }
    return td;
  }

  async readTasks(
    env: EnvironmentConfig,
    serviceName: string,
    options: { running?: boolean; stopped?: boolean; signal?: AbortSignal } = {
      running: true,
      stopped: true,
    },
  ): Promise<Task[]> {
    const ecs = await this.clients.ecs(env);
    const send = { abortSignal: options.signal };
    const statuses: Array<'RUNNING' | 'STOPPED'> = [];
    if (options.running) statuses.push('RUNNING');
    if (options.stopped) statuses.push('STOPPED');
    const lists = await Promise.all(
      statuses.map(desiredStatus =>
        ecs.send(
          new ListTasksCommand({
            cluster: env.cluster,
            serviceName,
            desiredStatus,
            maxResults: 50,
          }),
          send,
        ),
      ),
    );
    const arns = lists.flatMap(l => l.taskArns ?? []);
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_BATCH) {
      const out = await ecs.send(
        new DescribeTasksCommand({
          cluster: env.cluster,
          tasks: arns.slice(i, i + DESCRIBE_TASKS_BATCH),
        }),
        send,
      );
      tasks.push(...(out.tasks ?? []));
    }
    return tasks;
  }

  /**
   * The service's Application Auto Scaling target (its min and max), if it has one. Best effort: a
   * role without `application-autoscaling:DescribeScalableTargets`, or an outage of that API,
   * leaves the bounds out and never fails the service's status.
   */
  private async scalableTarget(
    env: EnvironmentConfig,
    name: string,
  ): Promise<ScalableTarget | undefined> {
    try {
      return await this.scalableTargetLoader(env).load(
        `service/${env.cluster}/${name}`,
      );
    } catch {
      return undefined;
    }
  }

  /** DescribeScalableTargets of the `ecs` namespace, 50 resource IDs per call, batched as above. */
  private scalableTargetLoader(env: EnvironmentConfig) {
    return loaderFor(this.scalableTargetLoaders, clusterKey(env), () =>
      createBatchLoader<string, ScalableTarget | undefined>(
        async resourceIds => {
          const client = await this.clients.applicationAutoScaling(env);
          const found = new Map<string, ScalableTarget>();
          let NextToken: string | undefined;
          do {
            const out = await client.send(
              new DescribeScalableTargetsCommand({
                ServiceNamespace: 'ecs',
                ScalableDimension: 'ecs:service:DesiredCount',
                ResourceIds: [...resourceIds],
                NextToken,
              }),
            );
            for (const t of out.ScalableTargets ?? []) {
              if (t.ResourceId) found.set(t.ResourceId, t);
            }
            NextToken = out.NextToken;
          } while (NextToken);
          return resourceIds.map(id => found.get(id));
        },
        {
          maxBatchSize: DESCRIBE_SCALABLE_TARGETS_BATCH,
          maxInFlight: this.settings.maxConcurrentCalls,
        },
      ),
    );
  }

  /**
   * DescribeServices, 10 names per call: a lone read at once, names of concurrent callers batched
   * together while a call waits for its point of the read budget or for calls in flight.
   */
  private serviceLoader(env: EnvironmentConfig, urgent: boolean) {
    const loaders = urgent ? this.urgentServiceLoaders : this.serviceLoaders;
    return loaderFor(loaders, clusterKey(env), () =>
      createBatchLoader<string, Service | undefined>(
        async names => {
          const ecs = await this.clients.ecs(env);
          const out = await paidFor(() =>
            ecs.send(
              new DescribeServicesCommand({
                cluster: env.cluster,
                services: [...names],
                include: ['TAGS'],
              }),
            ),
          );
          const found = new Map(
            (out.services ?? [])
              .filter(s => s.serviceName && s.status !== 'INACTIVE')
              .map(s => [s.serviceName!, s]),
          );
          return names.map(name => found.get(name));
        },
        {
          maxBatchSize: DESCRIBE_SERVICES_BATCH,
          maxInFlight: this.settings.maxConcurrentCalls,
          beforeDispatch: () =>
            this.clients.ecsReadPoint(env, 'DescribeServices', urgent),
        },
      ),
    );
  }

  /**
   * DescribeTaskDefinition, one call per ARN: identical ARNs in flight joined across the
   * environments (clusters) of an account and region.
   */
  private taskDefinitionLoader(env: EnvironmentConfig) {
    return loaderFor(this.taskDefinitionLoaders, accountKey(env), () =>
      createBatchLoader<string, TaskDefinition>(
        async arns => {
          const ecs = await this.clients.ecs(env);
          return Promise.all(
            arns.map(async arn => {
              try {
                const out = await ecs.send(
                  new DescribeTaskDefinitionCommand({ taskDefinition: arn }),
                );
                return (
                  out.taskDefinition ??
                  new Error(`ECS returned no task definition for ${arn}`)
                );
              } catch (e) {
                return e as Error;
              }
            }),
          );
        },
        { maxBatchSize: 100 },
      ),
    );
  }
}
