import { Task } from '@aws-sdk/client-ecs';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  OrgStatus,
  ParsedOrgStatusQuery,
  EntityDeploymentStatus,
  EnvironmentStatus,
  EnvironmentTasks,
  getEcsServiceName,
  getEntityEnvironments,
  TaskInfo,
  TeamStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig, EnvironmentConfig } from '../../config';
import { toEnvironmentError } from '../aws/awsErrors';
import { withDeadline } from '../aws/deadline';
import type { EcsReader } from '../aws/types';
import type { OrgEntities } from '../catalog/types';
import type {
  ServiceStateStore,
  StateResult,
  StatusService,
  StatusUpdatesSource,
} from './types';
import type { DeploymentReader } from '../strategies/types';
import { deriveHealth } from './health';
import {
  awsLogsTargets,
  cloudWatchLink,
  consoleLink,
  templateLinks,
} from './links';
import { notOwnedMessage, notOwnedProblem, ownershipOf } from './ownership';
import { readOrgStatus } from './orgStatus';
import { serviceRows } from './serviceRows';
import { parseTaskDefinitionRef } from './summarize';
import { entityEnvironment } from '../environments';

type Settings = Pick<
  EcsDeployConfig,
  | 'environments'
  | 'promotionPaths'
  | 'ownershipMappings'
  | 'readDeadlineMs'
  | 'index'
>;

/**
 * Deployment status of entities and teams: states from the cache layer, health and problems
 * derived by pure functions, ownership checked against the services' tags.
 */
export class DefaultStatusService implements StatusService {
  constructor(
    private readonly options: {
      settings: Settings;
      store: ServiceStateStore;
      reader: EcsReader;
      /** Events or polling, said in the org view (a banner when events are down). */
      updates?: StatusUpdatesSource;
      /** The deployment in progress under a strategy (steps, traffic, bake, hold). */
      deployments?: DeploymentReader;
    },
  ) {}

  private get environments() {
    return this.options.settings.environments;
  }

  private ownership(
    entity: Entity,
    env: EnvironmentConfig,
    name: string,
    tag?: string,
  ) {
    return ownershipOf(
      stringifyEntityRef(entity),
      env.name,
      name,
      tag,
      this.options.settings.ownershipMappings,
    );
  }

  /** Recently stopped tasks, only when something may be wrong and time is left. */
  private async stoppedTasks(
    env: EnvironmentConfig,
    serviceName: string,
    result: StateResult,
    budgetMs: number,
  ): Promise<Task[]> {
    const summary = result.state?.summary;
    if (!summary || result.stale || budgetMs <= 0) return [];
    const { health } = deriveHealth(summary);
    const suspicious =
      health === 'failed' ||
      health === 'degraded' ||
      summary.deployments.some(d => d.failedTasks > 0) ||
      summary.runningCount < summary.desiredCount;
    if (!suspicious) return [];
    return withDeadline(budgetMs, `ECS tasks in ${env.name}`, signal =>
      this.options.reader.readTasks(env, serviceName, {
        stopped: true,
        signal,
      }),
    ).catch(() => []);
  }

  private async environmentStatus(
    entity: Entity,
    env: EnvironmentConfig,
    options: { fresh?: boolean },
  ): Promise<EnvironmentStatus> {
    const started = Date.now();
    const serviceName = getEcsServiceName(entity, env.name);
    const result = (
      await this.options.store.read(env, [serviceName], options)
    ).get(serviceName)!;
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
    const [stopped, deployment] = await Promise.all([
      this.stoppedTasks(
        env,
        serviceName,
        result,
        this.options.settings.readDeadlineMs - (Date.now() - started),
      ),
      result.stale
        ? undefined
        : this.options.deployments?.progress(env, serviceName, state.summary),
    ]);
    const { health, problems } = deriveHealth(state.summary, stopped);
    const ownership = state.summary
      ? this.ownership(entity, env, serviceName, state.entityRefTag)
      : undefined;
    if (ownership && !ownership.owned) {
      problems.unshift(
        notOwnedProblem(
          notOwnedMessage(
            stringifyEntityRef(entity),
            env.name,
            env.cluster,
            serviceName,
            ownership,
          ),
        ),
      );
    }
    const ref = getCompoundEntityRef(entity);
    return {
      ...base,
      health,
      problems,
      service: state.summary,
      ownership,
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
      ...(deployment && { deployment }),
    };
  }

  async entityStatus(
    entity: Entity,
    options: { fresh?: boolean } = {},
  ): Promise<EntityDeploymentStatus> {
    const names = getEntityEnvironments(
      entity,
      this.environments.map(e => e.name),
    );
    const environments = await Promise.all(
      names.map(name =>
        this.environmentStatus(
          entity,
          this.environments.find(e => e.name === name)!,
          options,
        ),
      ),
    );
    return {
      entityRef: stringifyEntityRef(entity),
      environments,
      promotionPaths: this.options.settings.promotionPaths.map(
        ({ from, to }) => ({ from, to }),
      ),
    };
  }

  async teamStatus(groupRef: string, entities: Entity[]): Promise<TeamStatus> {
    const { settings, store } = this.options;
    return {
      groupRef,
      environments: settings.environments.map(e => e.name),
      rows: await serviceRows(settings, store, entities),
    };
  }

  orgStatus(
    entities: OrgEntities,
    query: ParsedOrgStatusQuery,
  ): Promise<OrgStatus> {
    return readOrgStatus(this.options, entities, query);
  }

  async tasks(entity: Entity, environment: string): Promise<EnvironmentTasks> {
    const env = entityEnvironment(this.options.settings, entity, environment);
    const serviceName = getEcsServiceName(entity, env.name);
    const { reader, settings } = this.options;
    try {
      const items = await withDeadline(
        settings.readDeadlineMs,
        `ECS tasks in ${env.name}`,
        async signal => {
          const tasks = await reader.readTasks(env, serviceName, {
            running: true,
            stopped: true,
            signal,
          });
          return Promise.all(tasks.map(task => this.taskInfo(env, task)));
        },
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

  private async taskInfo(
    env: EnvironmentConfig,
    task: Task,
  ): Promise<TaskInfo> {
    const td = task.taskDefinitionArn
      ? await this.options.reader.taskDefinition(env, task.taskDefinitionArn)
      : undefined;
    const targets = awsLogsTargets(td, env);
    const taskId = task.taskArn?.split('/').pop() ?? '';
    return {
      taskArn: task.taskArn ?? '',
      taskId,
      lastStatus: task.lastStatus ?? 'UNKNOWN',
      desiredStatus: task.desiredStatus,
      healthStatus: task.healthStatus,
      taskDefinition: parseTaskDefinitionRef(task.taskDefinitionArn ?? '', td),
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
          logLink: target ? cloudWatchLink(env, target, taskId) : undefined,
        };
      }),
    };
  }
}
