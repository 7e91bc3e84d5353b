import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateLogGroupCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  TEST_REGION,
  ecsClient,
  iamClient,
  logsClient,
  ssmClient,
  accountOf,
} from './aws.ts';
import type { LoadBalancer } from './loadBalancer.ts';

/** The trust policy of a task or execution role (ECS tasks assume it). */
export const ECS_TASKS_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
});

/** Creates an IAM role unless it exists. */
async function ensureRole(
  endpoint: string,
  name: string,
  trust: string,
  credentials?: AwsCredentialIdentity,
) {
  await iamClient(endpoint, TEST_REGION, credentials)
    .send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: trust,
      }),
    )
    .catch(error => {
      if ((error as Error).name !== 'EntityAlreadyExistsException') throw error;
    });
}

export interface SeedOptions {
  /** Default `test-<environment>`. */
  cluster?: string;
  desiredCount?: number;
  region?: string;
  /** Behind this load balancer's target group (container `app`, port 8080), in its subnets. */
  loadBalancer?: LoadBalancer;
  /** Another account's (an assumed role's, see assumeRoleCredentials); default the main account's. */
  credentials?: AwsCredentialIdentity;
}

/**
 * Creates in the emulator what terraform-modules/ecs-service creates for one service in one
 * environment: the cluster (if missing), the log group /ecs/<env>/<name> (the awslogs driver does
 * not create it, as on ECS), the task and execution roles (trusting ECS tasks), the secret
 * parameter `/<name>/db` the container references, task definition family `<name>-<env>` with one
 * container `app` logging to it, the service with the contract tags
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
  const account = await accountOf(endpoint, region, credentials);
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
  for (const role of ['execution', 'task']) {
    await ensureRole(
      endpoint,
      `${name}-${env}-${role}`,
      ECS_TASKS_TRUST,
      credentials,
    );
  }
  await ssmClient(endpoint, region, credentials).send(
    new PutParameterCommand({
      Name: `/${name}/db`,
      Value: 'seeded',
      Type: 'SecureString',
      Overwrite: true,
    }),
  );
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${name}-${env}`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      executionRoleArn: `arn:aws:iam::${account}:role/${name}-${env}-execution`,
      taskRoleArn: `arn:aws:iam::${account}:role/${name}-${env}-task`,
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
              valueFrom: `arn:aws:ssm:${region}:${account}:parameter/${name}/db`,
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
      ...(options.loadBalancer && {
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: options.loadBalancer.subnets,
            assignPublicIp: 'DISABLED',
          },
        },
        loadBalancers: [
          {
            targetGroupArn: options.loadBalancer.targetGroupArn,
            containerName: 'app',
            containerPort: 8080,
          },
        ],
      }),
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

/**
 * A deploy as CI makes it, straight through the ECS API: the next revision of the service's
 * current task definition with every container on `image`, then UpdateService. Returns the new
 * revision.
 */
export async function deployImage(
  ecs: ECSClient,
  cluster: string,
  service: string,
  image: string,
): Promise<TaskDefinition> {
  const { services } = await ecs.send(
    new DescribeServicesCommand({ cluster, services: [service] }),
  );
  if (!services?.[0])
    throw new Error(`no service ${service} in cluster ${cluster}`);
  const { taskDefinition: td } = await ecs.send(
    new DescribeTaskDefinitionCommand({
      taskDefinition: services[0].taskDefinition,
    }),
  );
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: td!.family!,
      requiresCompatibilities: td!.requiresCompatibilities,
      networkMode: td!.networkMode,
      cpu: td!.cpu,
      memory: td!.memory,
      executionRoleArn: td!.executionRoleArn,
      taskRoleArn: td!.taskRoleArn,
      containerDefinitions: td!.containerDefinitions!.map(c => ({
        ...c,
        image,
      })),
    }),
  );
  await ecs.send(
    new UpdateServiceCommand({
      cluster,
      service,
      taskDefinition: taskDefinition!.taskDefinitionArn,
    }),
  );
  return taskDefinition!;
}

/** A catalog file (YAML) with the team's Group, its member Users and one Component per ECS service name. */
export function teamCatalog(
  team: string,
  services: string[],
  /** Users (names) who are the team's members: the catalog proves their ownership. */
  members: string[] = [],
  /** More annotations per component (e.g. another plugin's). */
  annotations: (name: string) => Record<string, string> = () => ({}),
): string {
  const group = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: team },
    spec: { type: 'team', children: [], members },
  };
  const users = members.map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf: [team] },
  }));
  const components = services.map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'ecs-deploy.io/service-name': name, ...annotations(name) },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${team}`,
    },
  }));
  // JSON is YAML: one document per entity.
  return [group, ...users, ...components]
    .map(e => JSON.stringify(e))
    .join('\n---\n');
}
