import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  Service,
} from '@aws-sdk/client-ecs';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mockClient } from 'aws-sdk-client-mock';
import { readEcsDeployConfig } from '../config';
import { component, ecsDeployTestConfig } from '../__testUtils__/ecsFixtures';
import { AwsClients } from './AwsClients';
import { EcsReader } from './EcsReader';
import { StatusService } from './StatusService';

const ecsMock = mockClient(ECSClient);
const credentials = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    }),
  }),
};

const tdArn = (family: string, rev = 1) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${rev}`;

function service(
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
    ...overrides,
  };
}

/** ECS answers for every service asked, from `services` keyed by cluster/name. */
function answer(services: Record<string, Service>) {
  ecsMock.on(DescribeServicesCommand).callsFake(input => ({
    services: input.services
      .map((n: string) => services[`${input.cluster}/${n}`])
      .filter(Boolean),
    failures: input.services
      .filter((n: string) => !services[`${input.cluster}/${n}`])
      .map((n: string) => ({ arn: n, reason: 'MISSING' })),
  }));
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake(input => {
    const [family, revision] = input.taskDefinition.split('/').pop().split(':');
    return {
      taskDefinition: {
        taskDefinitionArn: tdArn(family, Number(revision)),
        family,
        revision: Number(revision),
        containerDefinitions: [
          {
            name: 'app',
            image: `ghcr.io/acme/${family}:1.0.0`,
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
      },
    };
  });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
}

function build(extra: object = {}) {
  const config = readEcsDeployConfig(
    new ConfigReader(ecsDeployTestConfig('http://ecs.invalid', extra)),
  );
  const clients = new AwsClients(credentials as any, {
    maxConcurrentCalls: 4,
    maxAttempts: 1,
  });
  const reader = new EcsReader(clients);
  const cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
    'ecs-deploy',
  );
  return new StatusService({
    config,
    reader,
    cache,
    logger: mockServices.logger.mock(),
  });
}

const calls = (command: any) => ecsMock.commandCalls(command).length;

beforeEach(() => ecsMock.reset());

describe('StatusService call economy', () => {
  it('describes services 10 per call per cluster and each task definition once', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `svc-${i}`);
    const services: Record<string, Service> = {};
    for (const n of names) {
      services[`test-staging/${n}`] = service(n, 'test-staging');
      services[`test-prod/${n}`] = service(n, 'test-prod');
    }
    answer(services);
    const status = build();
    const team = await status.teamStatus(
      'group:default/team-a',
      names.map(n => component(n)),
    );
    expect(team.rows).toHaveLength(25);
    expect(calls(DescribeServicesCommand)).toBe(6); // 3 per environment
    expect(
      ecsMock
        .commandCalls(DescribeServicesCommand)
        .every(c => c.args[0].input.services!.length <= 10),
    ).toBe(true);
    expect(calls(DescribeTaskDefinitionCommand)).toBe(50); // one per distinct ARN
    expect(calls(ListTasksCommand) + calls(DescribeTasksCommand)).toBe(0); // no task calls in lists

    // Warm: the status cache answers, ECS is not asked again.
    await status.teamStatus(
      'group:default/team-a',
      names.map(n => component(n)),
    );
    expect(calls(DescribeServicesCommand)).toBe(6);
  });

  it('re-reads services after the TTL but never a task definition it already has', async () => {
    answer({
      'test-staging/a': service('a', 'test-staging'),
      'test-prod/a': service('a', 'test-prod'),
    });
    const status = build();
    await status.entityStatus(component('a'));
    await status.entityStatus(component('a'), { fresh: true });
    expect(calls(DescribeServicesCommand)).toBe(4);
    expect(calls(DescribeTaskDefinitionCommand)).toBe(2);
  });

  it('coalesces identical in-flight reads', async () => {
    answer({
      'test-staging/a': service('a', 'test-staging'),
      'test-prod/a': service('a', 'test-prod'),
    });
    const status = build();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => status.entityStatus(component('a'))),
    );
    expect(results.every(r => r.environments[0].health === 'healthy')).toBe(
      true,
    );
    expect(calls(DescribeServicesCommand)).toBe(2); // one per environment, not 40
  });

  it('keeps other environments when one fails, and serves the last good answer marked stale', async () => {
    answer({
      'test-staging/a': service('a', 'test-staging'),
      'test-prod/a': service('a', 'test-prod'),
    });
    const status = build({ cache: { statusTtlSeconds: 0.05 } });
    await status.entityStatus(component('a'));
    await new Promise(r => setTimeout(r, 100));
    ecsMock.on(DescribeServicesCommand, { cluster: 'test-prod' }).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
      }),
    );
    const result = await status.entityStatus(component('a'));
    const [staging, prod] = result.environments;
    expect(staging).toMatchObject({
      health: 'healthy',
      stale: undefined,
      error: undefined,
    });
    expect(prod).toMatchObject({
      health: 'healthy',
      stale: true,
      error: { name: 'ThrottlingException', message: 'Rate exceeded' },
    });
  });

  it('reports an environment that was never readable as unknown with the error', async () => {
    ecsMock.on(DescribeServicesCommand, { cluster: 'test-staging' }).rejects(
      Object.assign(new Error('Cluster not found.'), {
        name: 'ClusterNotFoundException',
      }),
    );
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'test-prod' })
      .resolves({ services: [], failures: [{ arn: 'a', reason: 'MISSING' }] });
    const result = await build().entityStatus(component('a'));
    expect(result.environments[0]).toMatchObject({
      health: 'unknown',
      error: {
        name: 'ClusterNotFoundException',
        message: "ECS cluster 'test-staging' not found in us-east-1.",
      },
    });
    expect(result.environments[1].health).toBe('not-deployed');
  });
});

describe('health derivation from ECS shapes', () => {
  const cases: Array<[string, Partial<Service>, string, string[]]> = [
    ['completed rollout, all tasks running', {}, 'healthy', []],
    [
      'rollout in progress',
      {
        deployments: [
          {
            id: 'n',
            status: 'PRIMARY',
            taskDefinition: tdArn('a-prod', 2),
            rolloutState: 'IN_PROGRESS',
            desiredCount: 2,
            runningCount: 1,
            pendingCount: 1,
            failedTasks: 0,
            createdAt: new Date('2026-11-02T00:00:00Z'),
          },
          {
            id: 'o',
            status: 'ACTIVE',
            taskDefinition: tdArn('a-prod'),
            rolloutState: 'COMPLETED',
            desiredCount: 1,
            runningCount: 1,
            pendingCount: 0,
            failedTasks: 0,
          },
        ],
      },
      'progressing',
      [],
    ],
    [
      'circuit breaker tripped',
      {
        deployments: [
          {
            id: 'n',
            status: 'PRIMARY',
            taskDefinition: tdArn('a-prod'),
            rolloutState: 'FAILED',
            rolloutStateReason:
              'ECS deployment circuit breaker: tasks failed to start.',
            desiredCount: 2,
            runningCount: 2,
            failedTasks: 4,
            createdAt: new Date('2026-11-02T00:00:00Z'),
          },
        ],
      },
      'failed',
      ['circuit-breaker-tripped'],
    ],
    [
      'unable to place tasks',
      {
        runningCount: 0,
        deployments: [
          {
            id: 'n',
            status: 'PRIMARY',
            taskDefinition: tdArn('a-prod'),
            rolloutState: 'IN_PROGRESS',
            desiredCount: 2,
            runningCount: 0,
            pendingCount: 0,
            failedTasks: 0,
            createdAt: new Date('2026-11-02T00:00:00Z'),
          },
        ],
        events: [
          {
            id: 'e',
            createdAt: new Date('2026-11-02T00:01:00Z'),
            message:
              '(service a) was unable to place a task because no container instance met all of its requirements.',
          },
        ],
      },
      'failed',
      ['unable-to-place-tasks'],
    ],
    [
      'tasks failing to start (failed task count)',
      {
        runningCount: 1,
        deployments: [
          {
            id: 'n',
            status: 'PRIMARY',
            taskDefinition: tdArn('a-prod'),
            rolloutState: 'IN_PROGRESS',
            desiredCount: 2,
            runningCount: 1,
            pendingCount: 0,
            failedTasks: 3,
            createdAt: new Date('2026-11-02T00:00:00Z'),
          },
        ],
      },
      'degraded',
      ['tasks-failing-to-start'],
    ],
    [
      'health checks failing (event)',
      {
        events: [
          {
            id: 'e',
            createdAt: new Date('2026-11-02T00:00:00Z'),
            message: '(service a) (task 123) failed container health checks.',
          },
        ],
      },
      'degraded',
      ['health-check-failing'],
    ],
    [
      'old events from an earlier deployment are ignored',
      {
        events: [
          {
            id: 'e',
            createdAt: new Date('2026-10-01T00:00:00Z'),
            message: '(service a) was unable to place a task.',
          },
        ],
      },
      'healthy',
      [],
    ],
    [
      'fewer tasks than desired after a completed rollout',
      { runningCount: 1 },
      'degraded',
      ['insufficient-tasks'],
    ],
  ];

  it.each(cases)('%s', async (_label, overrides, health, codes) => {
    answer({
      'test-staging/a': service('a', 'test-staging'),
      'test-prod/a': service('a', 'test-prod', overrides),
    });
    const result = await build().entityStatus(component('a'));
    expect(result.environments[1].health).toBe(health);
    expect(result.environments[1].problems.map(p => p.code)).toEqual(codes);
    for (const p of result.environments[1].problems) {
      expect(p.fix.length).toBeGreaterThan(20);
    }
  });

  it('finds image pull errors in stopped tasks (entity view only)', async () => {
    answer({
      'test-staging/a': service('a', 'test-staging'),
      'test-prod/a': service('a', 'test-prod', { runningCount: 0 }),
    });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({
      taskArns: ['arn:aws:ecs:us-east-1:123456789012:task/test-prod/abc'],
    });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/test-prod/abc',
          lastStatus: 'STOPPED',
          stoppedReason:
            'CannotPullContainerError: pull image manifest has been retried 5 time(s): ghcr.io/acme/a:9.9.9: not found',
          containers: [{ name: 'app', exitCode: undefined }],
        },
      ],
    });
    const result = await build().entityStatus(component('a'));
    expect(result.environments[1].health).toBe('failed');
    expect(result.environments[1].problems[0]).toMatchObject({
      code: 'image-pull-error',
      severity: 'error',
    });
    expect(result.environments[1].problems[0].message).toContain(
      'CannotPullContainerError',
    );
  });

  it('names a service missing from the cluster not deployed', async () => {
    answer({ 'test-staging/a': service('a', 'test-staging') });
    const result = await build().entityStatus(component('a'));
    expect(result.environments.map(e => e.health)).toEqual([
      'healthy',
      'not-deployed',
    ]);
  });
});

describe('environment errors', () => {
  it('names an unavailable ECS endpoint with its HTTP status', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(
      Object.assign(new Error('UnknownError'), {
        name: 'UnknownError',
        $metadata: { httpStatusCode: 502 },
      }),
    );
    const result = await build().entityStatus(component('a'));
    expect(result.environments[0].error).toEqual({
      name: 'UnknownError',
      message: 'ECS for staging (us-east-1) is unavailable: HTTP 502.',
    });
  });
});
