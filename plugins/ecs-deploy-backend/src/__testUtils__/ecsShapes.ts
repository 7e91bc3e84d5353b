import { Service, TaskDefinition } from '@aws-sdk/client-ecs';

/** ARN of revision `rev` of `family` in the test account. */
export const tdArn = (family: string, rev = 1) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${rev}`;

/** A task definition as DescribeTaskDefinition returns it, one `app` container with awslogs. */
export function taskDefinitionShape(
  family: string,
  revision = 1,
  image = `ghcr.io/acme/${family}:1.0.0`,
): TaskDefinition {
  return {
    taskDefinitionArn: tdArn(family, revision),
    family,
    revision,
    status: 'ACTIVE',
    containerDefinitions: [
      {
        name: 'app',
        image,
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': `/ecs/x/${family}`,
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
  };
}

/** A healthy service as DescribeServices returns it (cluster `test-<env>`, family `<name>-<env>`). */
export function serviceShape(
  name: string,
  cluster: string,
  overrides: Partial<Service> = {},
): Service {
  const env = cluster.replace('test-', '');
  return {
    serviceName: name,
    serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/${name}`,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    taskDefinition: tdArn(`${name}-${env}`),
    deployments: [
      {
        id: 'ecs-svc/1',
        status: 'PRIMARY',
        taskDefinition: tdArn(`${name}-${env}`),
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        failedTasks: 0,
        rolloutState: 'COMPLETED',
        createdAt: new Date('2026-11-01T10:00:00Z'),
        updatedAt: new Date('2026-11-01T10:05:00Z'),
      },
    ],
    events: [],
    tags: [
      { key: 'backstage:entity-ref', value: `component:default/${name}` },
      {
        key: 'ecs-deploy:image-parameter-prefix',
        value: `/ecs-deploy/${env}/${name}/image`,
      },
    ],
    ...overrides,
  };
}
