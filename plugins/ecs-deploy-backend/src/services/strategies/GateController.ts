import { ContinueServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { DeploymentGateStore } from '../../database/DeploymentGateStore';
import type { AwsClients } from '../aws/AwsClients';
import type { ServiceStateStore } from '../status/types';
import { deploymentUnderWay } from './EcsDeploymentReader';
import { hooksToContinue } from './progress';
import type { DeploymentReader } from './types';

/**
 * Continues the portal's hooks of the deployments in progress (a scheduled task one replica runs
 * at a time): the bake hook before any traffic moved, and each gate once its bake is over,
 * unless the deployment is held (see hooks.ts). Reads ECS's service deployments only for watched
 * services that the cached status shows mid-deployment.
 */
export class GateController {
  constructor(
    private readonly options: {
      settings: Pick<EcsDeployConfig, 'environments'>;
      gates: DeploymentGateStore;
      store: ServiceStateStore;
      deployments: DeploymentReader;
      clients: AwsClients;
      logger: LoggerService;
    },
  ) {}

  async check(signal?: AbortSignal): Promise<void> {
    const { settings, gates, store } = this.options;
    const byEnvironment = new Map<EnvironmentConfig, string[]>();
    for (const watched of await gates.watched()) {
      const env = settings.environments.find(
        e => e.name === watched.environment,
      );
      if (!env) continue;
      byEnvironment.set(env, [
        ...(byEnvironment.get(env) ?? []),
        watched.serviceName,
      ]);
    }
    for (const [env, names] of byEnvironment) {
      if (signal?.aborted) return;
      const states = await store.read(env, names);
      for (const name of names) {
        const summary = states.get(name)?.state?.summary;
        if (!deploymentUnderWay(summary)) continue;
        await this.advance(env, name, signal).catch(error =>
          this.options.logger.warn(
            `Cannot move the deployment of ${name} in ${env.name} on: ${
              (error as Error).message
            }`,
          ),
        );
      }
    }
  }

  private async advance(
    env: EnvironmentConfig,
    serviceName: string,
    signal?: AbortSignal,
  ) {
    const { gates, deployments, clients, logger } = this.options;
    const deployment = await deployments.current(env, serviceName, signal);
    const arn = deployment?.serviceDeploymentArn;
    await gates.releaseEnded({ environment: env.name, serviceName }, arn);
    if (!deployment || !arn) return;
    const held = (await gates.holdOf(arn)) !== undefined;
    const hookIds = hooksToContinue(deployment, held);
    if (hookIds.length === 0) return;
    const ecs = await clients.ecs(env);
    for (const hookId of hookIds) {
      await ecs.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: arn,
          hookId,
          action: 'CONTINUE',
        }),
        { abortSignal: signal },
      );
    }
    logger.info(
      `Continued the deployment of ${serviceName} in ${env.name} at ${deployment.lifecycleStage}`,
      { serviceDeploymentArn: arn, hooks: hookIds.join(',') },
    );
    await deployments.invalidate(env, serviceName);
  }
}
