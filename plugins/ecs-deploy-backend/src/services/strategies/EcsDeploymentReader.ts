import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import type {
  DeploymentProgress,
  ServiceSummary,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import type { DeploymentGateStore } from '../../database/DeploymentGateStore';
import type { AwsClients } from '../aws/AwsClients';
import { withDeadline } from '../aws/deadline';
import { deploymentProgress } from './progress';
import type { DeploymentReader } from './types';

/** Service deployments that are under way (a rollback included). */
const UNDER_WAY = [
  'PENDING',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
] as const;

const key = (env: EnvironmentConfig, serviceName: string) =>
  `ecs-deploy:progress:${env.accountId ?? 'main'}|${env.region}|${
    env.cluster
  }|${serviceName}`;

/** Whether ECS shows the service mid-deployment (a new deployment, or an older one still running). */
export function deploymentUnderWay(summary: ServiceSummary | undefined) {
  return Boolean(
    summary &&
      (summary.rolloutState === 'IN_PROGRESS' ||
        summary.deployments.length > 1),
  );
}

/**
 * {@link DeploymentReader} on ListServiceDeployments + DescribeServiceDeployments: two calls,
 * made only for a service the (cached) status shows mid-deployment, their answer cached for the
 * status TTL in the shared cache (so replicas and viewers share it), the hold from the database.
 */
export class EcsDeploymentReader implements DeploymentReader {
  private readonly warned = new Set<string>();

  constructor(
    private readonly options: {
      clients: AwsClients;
      cache: CacheService;
      gates: DeploymentGateStore;
      ttlMs: number;
      deadlineMs: number;
      logger: LoggerService;
    },
  ) {}

  async current(
    env: EnvironmentConfig,
    serviceName: string,
    signal?: AbortSignal,
  ): Promise<ServiceDeployment | undefined> {
    const ecs = await this.options.clients.ecs(env);
    const listed = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: env.cluster,
        service: serviceName,
        status: [...UNDER_WAY],
        maxResults: 1,
      }),
      { abortSignal: signal },
    );
    const arn = listed.serviceDeployments?.[0]?.serviceDeploymentArn;
    if (!arn) return undefined;
    const described = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
      { abortSignal: signal },
    );
    return described.serviceDeployments?.[0];
  }

  async progress(
    env: EnvironmentConfig,
    serviceName: string,
    summary: ServiceSummary | undefined,
  ): Promise<DeploymentProgress | undefined> {
    if (!deploymentUnderWay(summary)) return undefined;
    const { cache, gates, ttlMs, deadlineMs } = this.options;
    const cached = (await cache.get<any>(key(env, serviceName))) as
      | { progress?: DeploymentProgress }
      | undefined;
    if (cached) return cached.progress;
    try {
      const progress = await withDeadline(
        deadlineMs,
        `The deployment of ${serviceName} in ${env.name}`,
        async signal => {
          const deployment = await this.current(env, serviceName, signal);
          if (!deployment) return undefined;
          const hold = await gates.holdOf(deployment.serviceDeploymentArn!);
          return deploymentProgress(deployment, hold);
        },
      );
      await cache.set(
        key(env, serviceName),
        JSON.parse(JSON.stringify({ progress })),
        { ttl: ttlMs },
      );
      return progress;
    } catch (error) {
      // The status still answers: without the steps, and the reason logged once per service.
      const where = `${env.name}/${serviceName}`;
      if (!this.warned.has(where)) {
        this.warned.add(where);
        this.options.logger.warn(
          `Cannot read the deployment in progress of ${serviceName} in ${
            env.name
          }: ${(error as Error).message}`,
        );
      }
      return undefined;
    }
  }

  async invalidate(env: EnvironmentConfig, serviceName: string) {
    await this.options.cache.delete(key(env, serviceName));
  }
}
