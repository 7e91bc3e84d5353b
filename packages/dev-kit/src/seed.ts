import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  CreateLogGroupCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  ecsClient,
  logsClient,
  ssmClient,
} from './aws.ts';

export interface SeedOptions {
  /** Default `test-<environment>`. */
  cluster?: string;
  desiredCount?: number;
  region?: string;
  /** Another account's (an assumed role's, see assumeRoleCredentials); default the main account's. */
  credentials?: AwsCredentialIdentity;
}

/**
 * Creates in the emulator what terraform-modules/ecs-service creates for one service in one
 * environment: the cluster (if missing), the log group /ecs/<env>/<name> (the awslogs driver does
 * not create it, as on ECS), task definition family `<name>-<env>` with one container `app` logging
 * to it, the service with the contract tags
 * (backstage:entity-ref, backstage:environment, ecs-deploy:image-parameter-prefix) and a circuit
 * breaker, and the image's SSM parameter. Returns the registered task definition.
 */
export async function seedService(
  endpoint: string,
  env: string,
  name: string,
  image: string,
  options: SeedOptions = {},
): Promise<TaskDefinition> {
  const {
    cluster = `test-${env}`,
    region = TEST_REGION,
    credentials,
  } = options;
  const ecs = ecsClient(endpoint, region, credentials);
  const entityRef = {
    key: 'backstage:entity-ref',
    value: `component:default/${name}`,
  };
  const prefix = `/ecs-deploy/${env}/${name}/image`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await logsClient(endpoint, region, credentials)
    .send(new CreateLogGroupCommand({ logGroupName: `/ecs/${env}/${name}` }))
    .catch(error => {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    });
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${name}-${env}`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      executionRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/${name}-${env}-execution`,
      taskRoleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/${name}-${env}-task`,
      containerDefinitions: [
        {
          name: 'app',
          image,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          environment: [{ name: 'STAGE', value: env }],
          secrets: [
            {
              name: 'DB_PASSWORD',
              valueFrom: `arn:aws:ssm:${region}:${TEST_ACCOUNT}:parameter/${name}/db`,
            },
          ],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': `/ecs/${env}/${name}`,
              'awslogs-region': region,
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
      tags: [entityRef],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: options.desiredCount ?? 1,
      launchType: 'FARGATE',
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      tags: [
        entityRef,
        { key: 'backstage:environment', value: env },
        { key: 'ecs-deploy:image-parameter-prefix', value: prefix },
      ],
    }),
  );
  await ssmClient(endpoint, region, credentials).send(
    new PutParameterCommand({
      Name: `${prefix}/app`,
      Value: image,
      Type: 'String',
      Overwrite: true,
    }),
  );
  return taskDefinition!;
}

export interface Deployed {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containers: {
    name: string;
    image: string;
    /** The image's tag; undefined for a digest reference. */
    tag?: string;
    logGroup?: string;
    logRegion?: string;
  }[];
}

/** What a service runs: its task definition's family, revision, images and awslogs options. */
export async function describeDeployed(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<Deployed> {
  const { services } = await ecs.send(
    new DescribeServicesCommand({ cluster, services: [service] }),
  );
  const svc = services?.[0];
  if (!svc) throw new Error(`no service ${service} in cluster ${cluster}`);
  const { taskDefinition: td } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition }),
  );
  return {
    taskDefinitionArn: td!.taskDefinitionArn!,
    family: td!.family!,
    revision: td!.revision!,
    containers: (td!.containerDefinitions ?? []).map(c => ({
      name: c.name!,
      image: c.image!,
      tag: c.image!.includes('@') ? undefined : c.image!.split(':').pop(),
      logGroup: c.logConfiguration?.options?.['awslogs-group'],
      logRegion: c.logConfiguration?.options?.['awslogs-region'],
    })),
  };
}

/** A catalog file (YAML) with the team's Group and one Component per ECS service name. */
export function teamCatalog(team: string, services: string[]): string {
  const group = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: team },
    spec: { type: 'team', children: [] },
  };
  const components = services.map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'ecs-deploy.io/service-name': name },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${team}`,
    },
  }));
  // JSON is YAML: one document per entity.
  return [group, ...components].map(e => JSON.stringify(e)).join('\n---\n');
}
