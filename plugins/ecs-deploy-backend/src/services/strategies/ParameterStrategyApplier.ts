import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { ServiceUnavailableError } from '@backstage/errors';
import type { EnvironmentConfig, StrategiesConfig } from '../../config';
import type { DeploymentGateStore } from '../../database/DeploymentGateStore';
import type { AwsClients } from '../aws/AwsClients';
import { parseStrategyDocument, strategyUpdate } from './document';
import { hasPortalGates } from './hooks';
import type { StrategyApplier } from './types';

/**
 * The strategy parameter of a service: next to its image parameters
 * (`/ecs-deploy/<environment>/<name>/image` → `/ecs-deploy/<environment>/<name>/deployment-strategy`),
 * else where the ecs-service module writes it.
 */
export function strategyParameterName(
  env: EnvironmentConfig,
  serviceName: string,
  imageParameterPrefix: string | undefined,
): string {
  if (imageParameterPrefix?.endsWith('/image')) {
    return `${imageParameterPrefix.slice(
      0,
      -'/image'.length,
    )}/deployment-strategy`;
  }
  return `/ecs-deploy/${env.name}/${serviceName}/deployment-strategy`;
}

/**
 * {@link StrategyApplier} on the SSM parameter the ecs-service module writes (the AWS provider
 * 5.x cannot set ECS's native strategy fields): reads it and the service's current deployment
 * configuration, and records services whose deployments carry the portal's gates, so that the
 * gate controller watches them.
 */
export class ParameterStrategyApplier implements StrategyApplier {
  constructor(
    private readonly options: {
      clients: AwsClients;
      gates: DeploymentGateStore;
      settings: StrategiesConfig;
      now?: () => Date;
    },
  ) {}

  async updateFields(
    env: EnvironmentConfig,
    serviceName: string,
    imageParameterPrefix: string | undefined,
    signal: AbortSignal,
    { rollback }: { rollback: boolean },
  ) {
    const { clients, gates, settings } = this.options;
    const name = strategyParameterName(env, serviceName, imageParameterPrefix);
    const where = `the deployment strategy of ${serviceName} in ${env.name}`;
    let value: string | undefined;
    try {
      const ssm = await clients.ssm(env);
      const out = await ssm.send(new GetParameterCommand({ Name: name }), {
        abortSignal: signal,
      });
      value = out.Parameter?.Value;
    } catch (error) {
      if ((error as Error).name !== 'ParameterNotFound') {
        throw new ServiceUnavailableError(
          `Cannot read ${where} (${name}: ${
            (error as Error).message
          }); nothing was changed`,
        );
      }
    }
    const service = { environment: env.name, serviceName };
    if (value === undefined) {
      // No parameter: ECS's rolling update, as the service has it.
      await gates.unwatch(service);
      return undefined;
    }
    let document;
    try {
      document = parseStrategyDocument(name, value);
    } catch (error) {
      throw new ServiceUnavailableError(
        `${(error as Error).message}; nothing was changed`,
      );
    }
    const ecs = await clients.ecs(env);
    const { services } = await ecs.send(
      new DescribeServicesCommand({
        cluster: env.cluster,
        services: [serviceName],
      }),
      { abortSignal: signal },
    );
    const update = strategyUpdate(
      document,
      services?.[0]?.deploymentConfiguration,
      rollback ? undefined : settings.holdLimitMinutes,
    );
    if (hasPortalGates(update.deploymentConfiguration.lifecycleHooks)) {
      await gates.watch(service, this.options.now?.() ?? new Date());
    } else {
      await gates.unwatch(service);
    }
    return update;
  }
}
