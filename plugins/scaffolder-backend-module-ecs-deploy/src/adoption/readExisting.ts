/*
 * Reads an existing ECS service for adoption: the environment's cluster from the document
 * ecs-environment publishes (/ecs-deploy/environments/<env>, as the rendered root finds it), the
 * service with its tags, the task definition revision it runs and its family's latest revision,
 * its log group's retention, and its desired count's scalable target with its scaling policies.
 * AWS credentials are the environment's Terraform role when one is configured, else the SDK's
 * default chain, as Terraform's are (environmentClientConfig).
 */
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  EcsDeployScaffolderOptions,
  ScaffolderEnvironment,
} from '../config';
import { environmentClientConfig } from '../environmentAws';
import { entityRefOf, type RootSpec } from '../render';
import {
  adoptionOf,
  type Adoption,
  type ExistingService,
} from './moduleInputs';

/**
 * Attempts per AWS call: a bulk import reads hundreds of services at once, above ECS's
 * task-definition-read rate (20 a second), and the SDK's default 3 attempts gave up on the
 * throttling (bench:adopt with 300).
 */
const READ_ATTEMPTS = 10;

/** Reads one service in one environment; a 404 naming it when it does not exist. */
export type ExistingServiceReader = (
  env: ScaffolderEnvironment,
  serviceName: string,
) => Promise<ExistingService>;

/** {@link ExistingServiceReader} over the AWS SDK. */
export function createExistingServiceReader(
  options: Pick<EcsDeployScaffolderOptions, 'defaultRegion' | 'terraformRole'>,
): ExistingServiceReader {
  return async (env, serviceName) => {
    const config = {
      ...environmentClientConfig(options, env),
      maxAttempts: READ_ATTEMPTS,
    };
    const parameter = `/ecs-deploy/environments/${env.name}`;
    const doc = await new SSMClient(config)
      .send(new GetParameterCommand({ Name: parameter }))
      .catch(error => {
        throw new InputError(
          `Environment ${env.name} is not set up for the portal: ${parameter} cannot be read (${error.name})`,
        );
      });
    const cluster = JSON.parse(doc.Parameter?.Value ?? '{}').cluster_name;
    const ecs = new ECSClient(config);
    const { services } = await ecs.send(
      new DescribeServicesCommand({
        cluster,
        services: [serviceName],
        include: ['TAGS'],
      }),
    );
    const service = services?.find(s => s.status === 'ACTIVE');
    if (!service) {
      throw new NotFoundError(
        `No ECS service ${serviceName} in ${env.name} (cluster ${cluster})`,
      );
    }
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: service.taskDefinition,
      }),
    );
    // The family's latest ACTIVE revision: the one the module's task definition follows.
    const { taskDefinition: latest } = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: taskDefinition?.family,
      }),
    );
    const logGroup =
      taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options?.[
        'awslogs-group'
      ];
    let logRetentionInDays: number | undefined;
    if (logGroup) {
      const { logGroups } = await new CloudWatchLogsClient(config).send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroup }),
      );
      const group = logGroups?.find(g => g.logGroupName === logGroup);
      if (group) logRetentionInDays = group.retentionInDays ?? 0;
    }
    // Its desired count's scalable target and that target's scaling policies, if any.
    const aas = new ApplicationAutoScalingClient(config);
    const scalable = {
      ServiceNamespace: 'ecs' as const,
      ScalableDimension: 'ecs:service:DesiredCount' as const,
    };
    const resourceId = `service/${cluster}/${serviceName}`;
    const { ScalableTargets: [target] = [] } = await aas.send(
      new DescribeScalableTargetsCommand({
        ...scalable,
        ResourceIds: [resourceId],
      }),
    );
    const policies = target
      ? (
          await aas.send(
            new DescribeScalingPoliciesCommand({
              ...scalable,
              ResourceId: resourceId,
            }),
          )
        ).ScalingPolicies ?? []
      : [];
    return {
      environment: env.name,
      cluster,
      service,
      taskDefinition: taskDefinition!,
      latestRevisionArn: latest?.taskDefinitionArn,
      logRetentionInDays,
      ...(target && { autoscaling: { target, policies } }),
    };
  };
}

/**
 * Reads the service of `spec` in each of its environments and expresses it as the module's
 * inputs. 409 when another entity's tag is on it; 400 naming every setting the module cannot
 * express. Nothing is written.
 */
export async function readAdoptions(
  options: Pick<EcsDeployScaffolderOptions, 'environments'>,
  read: ExistingServiceReader,
  spec: RootSpec,
): Promise<Record<string, Adoption>> {
  const adoptions: Record<string, Adoption> = {};
  for (const env of spec.environments) {
    const environment = options.environments.find(e => e.name === env)!;
    const existing = await read(environment, spec.name);
    const tag = existing.service.tags?.find(
      t => t.key === 'backstage:entity-ref',
    )?.value;
    if (tag && tag !== entityRefOf(spec.name)) {
      throw new ConflictError(
        `ECS service ${spec.name} in ${env} is already owned: it carries backstage:entity-ref=${tag}`,
      );
    }
    adoptions[env] = adoptionOf(existing);
  }
  const unsupported = Object.entries(adoptions).flatMap(([env, a]) =>
    a.unsupported.map(u => `${env}: ${u}`),
  );
  if (unsupported.length > 0) {
    throw new InputError(
      `ECS service ${
        spec.name
      } cannot be adopted as it runs: ${unsupported.join('; ')}`,
    );
  }
  return adoptions;
}
