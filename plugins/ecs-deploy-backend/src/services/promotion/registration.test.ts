import { TaskDefinition } from '@aws-sdk/client-ecs';
import {
  nextRevisionInput,
  READ_ONLY_TASK_DEFINITION_FIELDS,
} from './registration';

const described: TaskDefinition & Record<string, unknown> = {
  taskDefinitionArn:
    'arn:aws:ecs:us-east-1:123456789012:task-definition/a-prod:4',
  family: 'a-prod',
  revision: 4,
  status: 'ACTIVE',
  requiresAttributes: [
    { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
  ],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: new Date('2026-11-01T00:00:00Z'),
  registeredBy: 'arn:aws:iam::123456789012:role/deployer',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  executionRoleArn: 'arn:aws:iam::123456789012:role/a-prod-execution',
  runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
  ephemeralStorage: { sizeInGiB: 30 },
  enableFaultInjection: true,
  // A field AWS might add tomorrow: kept, not silently dropped.
  someFutureField: { on: true },
  pidMode: undefined,
  containerDefinitions: [
    {
      name: 'app',
      image: 'r/a:1',
      environment: [{ name: 'STAGE', value: 'prod' }],
    },
    { name: 'sidecar', image: 'r/proxy:7' },
  ],
};

describe('nextRevisionInput', () => {
  const input = nextRevisionInput(
    described,
    [{ key: 'backstage:entity-ref', value: 'component:default/a' }],
    new Map([['app', 'r/a:2']]),
  ) as unknown as Record<string, unknown>;

  it('drops exactly the read-only fields DescribeTaskDefinition adds', () => {
    for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) {
      expect(input).not.toHaveProperty(field);
    }
    expect(input).not.toHaveProperty('pidMode');
  });

  it('keeps every other field, including ones it does not know', () => {
    expect(input).toMatchObject({
      family: 'a-prod',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::123456789012:role/a-prod-execution',
      runtimePlatform: {
        cpuArchitecture: 'ARM64',
        operatingSystemFamily: 'LINUX',
      },
      ephemeralStorage: { sizeInGiB: 30 },
      enableFaultInjection: true,
      someFutureField: { on: true },
      tags: [{ key: 'backstage:entity-ref', value: 'component:default/a' }],
    });
  });

  it('replaces the listed images only', () => {
    expect(input.containerDefinitions).toEqual([
      {
        name: 'app',
        image: 'r/a:2',
        environment: [{ name: 'STAGE', value: 'prod' }],
      },
      { name: 'sidecar', image: 'r/proxy:7' },
    ]);
  });

  it('sends no tags when the revision has none', () => {
    expect(nextRevisionInput(described, [], new Map()).tags).toBeUndefined();
  });
});
