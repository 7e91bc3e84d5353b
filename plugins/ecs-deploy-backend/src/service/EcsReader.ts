import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  Service,
  Task,
  TaskDefinition,
  Tag,
} from '@aws-sdk/client-ecs';
import { EnvironmentConfig } from '../config';
import { AwsClients } from './AwsClients';

const DESCRIBE_SERVICES_BATCH = 10;
const DESCRIBE_TASKS_BATCH = 100;
const TASK_DEFINITION_CACHE_SIZE = 5000;

/** What ECS says about one service: absent when it does not exist (or is INACTIVE). @public */
export interface ServiceRead {
  service?: Service;
  /** Task definitions of the service and of its deployments, by ARN. */
  taskDefinitions: Record<string, TaskDefinition>;
}

/**
 * Reads ECS with as few calls as possible: DescribeServices in batches of 10 per cluster, task
 * definitions cached by ARN (a revision never changes), and tasks only when asked for.
 *
 * @public
 */
export class EcsReader {
  private readonly taskDefinitions = new Map<string, Promise<TaskDefinition>>();

  constructor(private readonly clients: AwsClients) {}

  /** Reads services of one environment, 10 per DescribeServices call, batches in parallel. */
  async readServices(
    env: EnvironmentConfig,
    names: string[],
  ): Promise<Map<string, ServiceRead>> {
    const ecs = await this.clients.ecs(env);
    const unique = [...new Set(names)];
    const batches: string[][] = [];
    for (let i = 0; i < unique.length; i += DESCRIBE_SERVICES_BATCH) {
      batches.push(unique.slice(i, i + DESCRIBE_SERVICES_BATCH));
    }
    const described = await Promise.all(
      batches.map(batch =>
        ecs.send(
          new DescribeServicesCommand({
            cluster: env.cluster,
            services: batch,
            include: ['TAGS'],
          }),
        ),
      ),
    );
    const services = new Map<string, Service>();
    for (const out of described) {
      for (const service of out.services ?? []) {
        if (service.serviceName && service.status !== 'INACTIVE') {
          services.set(service.serviceName, service);
        }
      }
    }
    const result = new Map<string, ServiceRead>();
    await Promise.all(
      unique.map(async name => {
        const service = services.get(name);
        const arns = new Set<string>();
        if (service?.taskDefinition) {
          arns.add(service.taskDefinition);
        }
        for (const d of service?.deployments ?? []) {
          if (d.taskDefinition) {
            arns.add(d.taskDefinition);
          }
        }
        const taskDefinitions: Record<string, TaskDefinition> = {};
        await Promise.all(
          [...arns].map(async arn => {
            taskDefinitions[arn] = await this.taskDefinition(env, arn);
          }),
        );
        result.set(name, { service, taskDefinitions });
      }),
    );
    return result;
  }

  /** A task definition by ARN or family:revision, cached (revisions are immutable). */
  async taskDefinition(
    env: EnvironmentConfig,
    arnOrRevision: string,
  ): Promise<TaskDefinition> {
    const key = `${env.region}|${env.accountId ?? ''}|${
      env.endpoint ?? ''
    }|${arnOrRevision}`;
    let td = this.taskDefinitions.get(key);
    if (!td) {
      td = this.clients.ecs(env).then(async ecs => {
        const out = await ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: arnOrRevision }),
        );
        if (!out.taskDefinition) {
          throw new Error(
            `ECS returned no task definition for ${arnOrRevision}`,
          );
        }
        return out.taskDefinition;
      });
      td.catch(() => this.taskDefinitions.delete(key));
      this.taskDefinitions.set(key, td);
      if (this.taskDefinitions.size > TASK_DEFINITION_CACHE_SIZE) {
        const oldest = this.taskDefinitions.keys().next().value;
        if (oldest !== undefined) {
          this.taskDefinitions.delete(oldest);
        }
      }
    }
    return td;
  }

  /** A task definition with its tags, never cached (for registering the next revision). */
  async taskDefinitionWithTags(
    env: EnvironmentConfig,
    arn: string,
  ): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
    const ecs = await this.clients.ecs(env);
    const out = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: arn,
        include: ['TAGS'],
      }),
    );
    if (!out.taskDefinition) {
      throw new Error(`ECS returned no task definition for ${arn}`);
    }
    return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] };
  }

  /** Running and recently stopped tasks of one service (detail views and problem detection). */
  async readTasks(
    env: EnvironmentConfig,
    serviceName: string,
    options: { running?: boolean; stopped?: boolean } = {
      running: true,
      stopped: true,
    },
  ): Promise<Task[]> {
    const ecs = await this.clients.ecs(env);
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
      );
      tasks.push(...(out.tasks ?? []));
    }
    return tasks;
  }
}
