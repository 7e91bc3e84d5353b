import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  CreateLogGroupCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { TEST_REGION, ecsClient, logsClient, accountOf } from './aws.ts';
import { defaultNetwork } from './environment.ts';

export interface LegacyServiceOptions {
  /** Default `test-<environment>`. */
  cluster?: string;
  /** The service's tags, the way companies tag (`team=payments`); default none. */
  tags?: Record<string, string>;
  /** Default FARGATE (awsvpc); EC2 uses bridge networking. */
  launchType?: 'FARGATE' | 'EC2';
  /** Default one container `app` on the given image. */
  containers?: Array<{ name: string; image: string; port?: number }>;
  desiredCount?: number;
  region?: string;
  /** Task definition family; default `<name>` (shared by the environments of one account). */
  family?: string;
  /** Behind this target group, on the first container's port. */
  targetGroupArn?: string;
  /** Another account's (e.g. accountAdminCredentials); default the main account's. */
  credentials?: AwsCredentialIdentity;
}

/**
 * Creates in the emulator, through the AWS API and not Terraform, an ECS service that predates
 * the portal: task definition family `<name>` unless `family` (no environment suffix), execution role
 * `<name>-execution` in the credentials' account, log group `/legacy/<name>`, none of the portal's
 * tags. Returns the service.
 */
export async function seedLegacyService(
  endpoint: string,
  env: string,
  name: string,
  image: string,
  options: LegacyServiceOptions = {},
): Promise<Service> {
  const {
    cluster = `test-${env}`,
    region = TEST_REGION,
    credentials,
  } = options;
  const launchType = options.launchType ?? 'FARGATE';
  const containers = options.containers ?? [{ name: 'app', image, port: 8080 }];
  const ecs = ecsClient(endpoint, region, credentials);
  const account = await accountOf(endpoint, region, credentials);
  const logGroup = `/legacy/${name}`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await logsClient(endpoint, region, credentials)
    .send(new CreateLogGroupCommand({ logGroupName: logGroup }))
    .catch(error => {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    });
  const fargate = launchType === 'FARGATE';
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: options.family ?? name,
      requiresCompatibilities: [launchType],
      networkMode: fargate ? 'awsvpc' : 'bridge',
      cpu: '256',
      memory: '512',
      executionRoleArn: `arn:aws:iam::${account}:role/${name}-execution`,
      containerDefinitions: containers.map((c, i) => ({
        name: c.name,
        image: c.image,
        essential: i === 0,
        portMappings: c.port ? [{ containerPort: c.port }] : [],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': logGroup,
            'awslogs-region': region,
            'awslogs-stream-prefix': 'legacy',
          },
        },
      })),
    }),
  );
  const network = fargate
    ? await defaultNetwork(endpoint, region, credentials)
    : undefined;
  const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({
    key,
    value,
  }));
  const { service } = await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: options.desiredCount ?? 1,
      launchType,
      ...(network && {
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: network.subnetIds.slice(0, 1),
            assignPublicIp: 'DISABLED',
          },
        },
      }),
      ...(options.targetGroupArn && {
        loadBalancers: [
          {
            targetGroupArn: options.targetGroupArn,
            containerName: containers[0].name,
            containerPort: containers[0].port ?? 8080,
          },
        ],
      }),
      ...(tags.length > 0 && { tags }),
    }),
  );
  return service!;
}
