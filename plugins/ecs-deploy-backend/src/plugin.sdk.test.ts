import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import { component, ecsDeployTestConfig } from './__testUtils__/ecsFixtures';

const ecsMock = mockClient(ECSClient);
const ssmMock = mockClient(SSMClient);
const OWNER = mockCredentials.user.header('user:default/owner');
const BASE = '/api/ecs-deploy/entities/component/default/payments-api';
const td = (family: string, rev: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${rev}`;

function svc(
  env: string,
  rev: number,
  rollout: 'COMPLETED' | 'IN_PROGRESS' | 'FAILED' = 'COMPLETED',
): Service {
  return {
    serviceName: 'payments-api',
    serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/test-${env}/payments-api`,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: rollout === 'COMPLETED' ? 1 : 0,
    pendingCount: 0,
    taskDefinition: td(`payments-api-${env}`, rev),
    deployments: [
      {
        id: 'd',
        status: 'PRIMARY',
        taskDefinition: td(`payments-api-${env}`, rev),
        rolloutState: rollout,
        rolloutStateReason:
          rollout === 'FAILED'
            ? 'ECS deployment circuit breaker: tasks failed to start.'
            : undefined,
        desiredCount: 1,
        runningCount: 1,
        pendingCount: 0,
        failedTasks: 0,
      },
    ],
    tags: [
      { key: 'backstage:entity-ref', value: 'component:default/payments-api' },
      {
        key: 'ecs-deploy:image-parameter-prefix',
        value: `/ecs-deploy/${env}/payments-api/image`,
      },
    ],
  };
}

function mockEcs(staging: Service, prod: Service) {
  ecsMock.reset();
  ssmMock.reset();
  ecsMock
    .on(DescribeServicesCommand, { cluster: 'test-staging' })
    .resolves({ services: [staging] });
  ecsMock
    .on(DescribeServicesCommand, { cluster: 'test-prod' })
    .resolves({ services: [prod] });
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake(input => {
    const [family, rev] = input.taskDefinition.split('/').pop().split(':');
    const version = family.endsWith('staging') ? '1.4.0' : `1.3.${rev}`;
    return {
      taskDefinition: {
        taskDefinitionArn: td(family, Number(rev)),
        family,
        revision: Number(rev),
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: `ghcr.io/acme/payments-api:${version}` },
        ],
      },
      tags: [],
    };
  });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  ecsMock.on(RegisterTaskDefinitionCommand).callsFake(input => ({
    taskDefinition: {
      ...input,
      taskDefinitionArn: td(input.family, 9),
      revision: 9,
    },
  }));
  ecsMock.on(UpdateServiceCommand).resolves({});
  ssmMock
    .on(GetParameterCommand)
    .resolves({ Parameter: { Value: 'ghcr.io/acme/payments-api:1.3.1' } });
  // No deployment strategy parameter: ECS's rolling update as the service has it.
  ssmMock
    .on(GetParameterCommand, {
      Name: '/ecs-deploy/prod/payments-api/deployment-strategy',
    })
    .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  ssmMock.on(PutParameterCommand).resolves({});
}

async function backend(extraConfig: object = {}) {
  const { server } = await startTestBackend({
    features: [
      ecsDeployPlugin,
      mockServices.rootConfig.factory({
        data: ecsDeployTestConfig('http://ecs.invalid', {
          cache: { statusTtl: { milliseconds: 1 } },
          ...extraConfig,
        }),
      }),
      catalogServiceMock.factory({ entities: [component('payments-api')] }),
    ],
  });
  return server;
}

const writes = () =>
  ecsMock.commandCalls(RegisterTaskDefinitionCommand).length +
  ecsMock.commandCalls(UpdateServiceCommand).length +
  ssmMock.commandCalls(PutParameterCommand).length;

describe('promotion guards (SDK-level)', () => {
  const strictPath = {
    promotionPaths: [
      { from: 'staging', to: 'prod', requireHealthySource: true },
    ],
  };

  it('refuses while staging is still rolling out', async () => {
    mockEcs(svc('staging', 1, 'IN_PROGRESS'), svc('prod', 1));
    const server = await backend(strictPath);
    const res = await request(server)
      .post(`${BASE}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/staging is still rolling out/);
    expect(writes()).toBe(0);
  });

  it('refuses when staging failed', async () => {
    mockEcs(svc('staging', 1, 'FAILED'), svc('prod', 1));
    const server = await backend(strictPath);
    const res = await request(server)
      .post(`${BASE}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/staging is failed/);
    const preview = await request(server)
      .get(`${BASE}/promotions/preview?from=staging&to=prod`)
      .set('Authorization', OWNER);
    expect(preview.body.allowed).toBe(false);
    expect(preview.body.blockers.map((b: any) => b.code)).toEqual([
      'source-not-healthy',
    ]);
  });

  it('refuses inside a freeze window, naming it and its end', async () => {
    mockEcs(svc('staging', 1), svc('prod', 1));
    const server = await backend({
      ...strictPath,
      freezeWindows: [
        {
          name: 'black-friday',
          environments: ['prod'],
          start: '2000-01-01T00:00:00Z',
          end: '2999-01-01T00:00:00Z',
          reason: 'peak traffic',
        },
      ],
    });
    const res = await request(server)
      .post(`${BASE}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      "prod is frozen by 'black-friday' until 2999-01-01T00:00:00.000Z (peak traffic)",
    );
    const history = await request(server)
      .get(`${BASE}/history`)
      .set('Authorization', OWNER);
    expect(history.body.items[0]).toMatchObject({
      result: 'rejected',
      message: expect.stringContaining('black-friday'),
    });
    expect(writes()).toBe(0);
  });

  it('undoes the registration when UpdateService fails, records the failure, and lets the next attempt through', async () => {
    mockEcs(svc('staging', 1), svc('prod', 1));
    ecsMock.on(UpdateServiceCommand).rejectsOnce(
      Object.assign(new Error('Service is draining'), {
        name: 'ServiceNotActiveException',
      }),
    );
    const server = await backend(strictPath);
    const failed = await request(server)
      .post(`${BASE}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(failed.body.error).toMatchObject({
      name: 'ServiceUnavailableError',
    });
    expect(failed.status).toBe(503);
    expect(failed.body.error.message).toMatch(/ServiceNotActiveException/);
    expect(
      ecsMock.commandCalls(DeregisterTaskDefinitionCommand)[0].args[0].input
        .taskDefinition,
    ).toBe(td('payments-api-prod', 9));
    const ssmWrites = ssmMock
      .commandCalls(PutParameterCommand)
      .map(c => c.args[0].input.Value);
    expect(ssmWrites).toEqual([
      'ghcr.io/acme/payments-api:1.4.0',
      'ghcr.io/acme/payments-api:1.3.1',
    ]);
    let history = await request(server)
      .get(`${BASE}/history`)
      .set('Authorization', OWNER);
    expect(history.body.items[0]).toMatchObject({
      result: 'failed',
      previousTaskDefinition: td('payments-api-prod', 1),
    });

    const retried = await request(server)
      .post(`${BASE}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(retried.status).toBe(201);
    history = await request(server)
      .get(`${BASE}/history`)
      .set('Authorization', OWNER);
    expect(history.body.items.map((i: any) => i.result)).toEqual([
      'succeeded',
      'failed',
    ]);
  });

  it('refuses a rollback with nothing recorded to return to', async () => {
    mockEcs(svc('staging', 1), svc('prod', 1));
    const server = await backend();
    const res = await request(server)
      .post(`${BASE}/rollbacks`)
      .set('Authorization', OWNER)
      .send({ environment: 'prod' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/nothing to roll back to/);
  });
});

describe('tasks and exact images (SDK-level)', () => {
  const taskArn = (id: string) =>
    `arn:aws:ecs:us-east-1:123456789012:task/test-staging/${id}`;

  it('lists running and stopped tasks with reasons, exit codes and per-task log links', async () => {
    mockEcs(svc('staging', 1), svc('prod', 1));
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: td('payments-api-staging', 1),
        family: 'payments-api-staging',
        revision: 1,
        containerDefinitions: [
          {
            name: 'app',
            image: 'ghcr.io/acme/payments-api:1.4.0',
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/staging/payments-api',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
      },
    });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'RUNNING' })
      .resolves({ taskArns: [taskArn('run1')] });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [taskArn('stop1')] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: taskArn('run1'),
          lastStatus: 'RUNNING',
          taskDefinitionArn: td('payments-api-staging', 1),
          startedAt: new Date('2026-11-01T00:00:00Z'),
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/acme/payments-api:1.4.0',
              imageDigest: 'sha256:aaa',
              lastStatus: 'RUNNING',
            },
          ],
        },
        {
          taskArn: taskArn('stop1'),
          lastStatus: 'STOPPED',
          taskDefinitionArn: td('payments-api-staging', 1),
          stoppedReason: 'Essential container in task exited',
          stopCode: 'EssentialContainerExited',
          containers: [
            {
              name: 'app',
              exitCode: 137,
              reason: 'OutOfMemoryError: Container killed due to memory usage',
              lastStatus: 'STOPPED',
            },
          ],
        },
      ],
    });
    const server = await backend();
    const res = await request(server)
      .get(`${BASE}/tasks?environment=staging`)
      .set('Authorization', OWNER);
    expect(res.status).toBe(200);
    const [running, stopped] = res.body.tasks;
    expect(running).toMatchObject({
      taskId: 'run1',
      lastStatus: 'RUNNING',
      containers: [{ name: 'app', imageDigest: 'sha256:aaa' }],
    });
    expect(stopped).toMatchObject({
      taskId: 'stop1',
      stoppedReason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
    });
    expect(stopped.containers[0]).toMatchObject({
      exitCode: 137,
      reason: expect.stringContaining('OutOfMemory'),
    });
    expect(stopped.containers[0].logLink.url).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fstaging$252Fpayments-api/log-events/ecs$252Fapp$252Fstop1',
    );
  });

  it('promotes the digest the running staging tasks resolved, not the moving tag', async () => {
    mockEcs(svc('staging', 1), svc('prod', 1));
    ecsMock
      .on(ListTasksCommand, {
        cluster: 'test-staging',
        desiredStatus: 'RUNNING',
      })
      .resolves({ taskArns: [taskArn('run1')] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: taskArn('run1'),
          taskDefinitionArn: td('payments-api-staging', 1),
          containers: [{ name: 'app', imageDigest: 'sha256:abc123' }],
        },
      ],
    });
    const server = await backend();
    const res = await request(server)
      .post(`${BASE}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(res.status).toBe(201);
    const registered = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]
      .args[0].input;
    expect(registered.containerDefinitions![0].image).toBe(
      'ghcr.io/acme/payments-api:1.4.0@sha256:abc123',
    );
    expect(registered).toMatchObject({
      family: 'payments-api-prod',
      cpu: '256',
      memory: '512',
    });
    expect(res.body.images).toEqual([
      {
        container: 'app',
        image: 'ghcr.io/acme/payments-api:1.4.0@sha256:abc123',
        tag: '1.4.0',
        digest: 'sha256:abc123',
      },
    ]);
    const update = ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input;
    expect(update).toEqual({
      cluster: 'test-prod',
      service: 'payments-api',
      taskDefinition: td('payments-api-prod', 9),
    });
  });
});

describe('malformed requests', () => {
  let server: any;
  beforeAll(async () => {
    mockEcs(svc('staging', 1), svc('prod', 1));
    server = await backend();
  });

  const big = 'x'.repeat(20_000);
  const cases: Array<
    [string, 'get' | 'post', string, unknown, number, RegExp]
  > = [
    [
      'kind with a slash',
      'get',
      '/api/ecs-deploy/entities/comp%2Fonent/default/payments-api/status',
      undefined,
      400,
      /kind/,
    ],
    [
      'name with spaces',
      'get',
      '/api/ecs-deploy/entities/component/default/pay%20ments/status',
      undefined,
      400,
      /entity name/,
    ],
    [
      'name of 64+ characters',
      'get',
      `/api/ecs-deploy/entities/component/default/${'a'.repeat(70)}/status`,
      undefined,
      400,
      /name/,
    ],
    [
      'namespace with a dollar sign',
      'get',
      '/api/ecs-deploy/entities/component/%24ns/payments-api/status',
      undefined,
      400,
      /namespace/,
    ],
    [
      'unknown entity',
      'get',
      '/api/ecs-deploy/entities/component/default/nope/status',
      undefined,
      404,
      /component:default\/nope/,
    ],
    [
      'tasks without environment',
      'get',
      `${BASE}/tasks`,
      undefined,
      400,
      /environment/,
    ],
    [
      'tasks for unknown environment',
      'get',
      `${BASE}/tasks?environment=qa`,
      undefined,
      400,
      /Unknown environment 'qa'/,
    ],
    [
      'tasks with uppercase environment',
      'get',
      `${BASE}/tasks?environment=PROD`,
      undefined,
      400,
      /environment/,
    ],
    [
      'preview without to',
      'get',
      `${BASE}/promotions/preview?from=staging`,
      undefined,
      400,
      /to/,
    ],
    [
      'preview from = to',
      'get',
      `${BASE}/promotions/preview?from=prod&to=prod`,
      undefined,
      400,
      /both 'prod'/,
    ],
    [
      'preview unknown path',
      'get',
      `${BASE}/promotions/preview?from=prod&to=staging`,
      undefined,
      400,
      /No promotion path from 'prod' to 'staging'/,
    ],
    [
      'preview unknown environment',
      'get',
      `${BASE}/promotions/preview?from=staging&to=qa`,
      undefined,
      400,
      /'qa'/,
    ],
    [
      'history limit 0',
      'get',
      `${BASE}/history?limit=0`,
      undefined,
      400,
      /limit/,
    ],
    [
      'history limit not a number',
      'get',
      `${BASE}/history?limit=ten`,
      undefined,
      400,
      /limit/,
    ],
    [
      'history limit too large',
      'get',
      `${BASE}/history?limit=100000`,
      undefined,
      400,
      /limit/,
    ],
    [
      'team with a bad name',
      'get',
      '/api/ecs-deploy/teams/default/team%20a/status',
      undefined,
      400,
      /entity name/,
    ],
    [
      'unknown team',
      'get',
      '/api/ecs-deploy/teams/default/ghosts/status',
      undefined,
      404,
      /group:default\/ghosts/,
    ],
    ['promote with empty body', 'post', `${BASE}/promotions`, {}, 400, /from/],
    [
      'promote from = to',
      'post',
      `${BASE}/promotions`,
      { from: 'prod', to: 'prod' },
      400,
      /both 'prod'/,
    ],
    [
      'promote backwards',
      'post',
      `${BASE}/promotions`,
      { from: 'prod', to: 'staging' },
      400,
      /No promotion path/,
    ],
    [
      'promote to unknown environment',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: 'qa' },
      400,
      /'qa'/,
    ],
    [
      'promote with numeric from',
      'post',
      `${BASE}/promotions`,
      { from: 1, to: 'prod' },
      400,
      /from/,
    ],
    [
      'promote with array to',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: ['prod'] },
      400,
      /to/,
    ],
    [
      'promote with unknown field',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: 'prod', force: true },
      400,
      /force/,
    ],
    [
      'promote with junk revision',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: 'prod', expectedTargetTaskDefinition: 'latest' },
      400,
      /expectedTargetTaskDefinition/,
    ],
    [
      'promote with oversize reason',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: 'prod', reason: 'r'.repeat(600) },
      400,
      /reason/,
    ],
    [
      'promote with oversize body',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: 'prod', reason: big },
      413,
      /too large/i,
    ],
    [
      'promote with a JSON array body',
      'post',
      `${BASE}/promotions`,
      [1, 2],
      400,
      /promotion request/,
    ],
    [
      'promote with null body fields',
      'post',
      `${BASE}/promotions`,
      { from: null, to: null },
      400,
      /from/,
    ],
    [
      'rollback without environment',
      'post',
      `${BASE}/rollbacks`,
      { reason: 'x' },
      400,
      /environment/,
    ],
    [
      'rollback to unknown environment',
      'post',
      `${BASE}/rollbacks`,
      { environment: 'qa' },
      400,
      /'qa'/,
    ],
    [
      'rollback with junk revision',
      'post',
      `${BASE}/rollbacks`,
      { environment: 'prod', expectedTaskDefinition: 'arn:aws:ecs:x' },
      400,
      /expectedTaskDefinition/,
    ],
    [
      'rollback of unknown entity',
      'post',
      '/api/ecs-deploy/entities/component/default/nope/rollbacks',
      { environment: 'prod' },
      404,
      /nope/,
    ],
  ];

  it.each(cases)('%s', async (_label, method, url, body, status, message) => {
    const auditBefore = (
      await request(server).get(`${BASE}/history`).set('Authorization', OWNER)
    ).body.items.length;
    const req =
      method === 'get'
        ? request(server).get(url)
        : request(server)
            .post(url)
            .send(body as object);
    const res = await req.set('Authorization', OWNER);
    expect(res.status).toBe(status);
    expect(res.body.error?.message ?? res.text).toMatch(message);
    expect(writes()).toBe(0);
    const auditAfter = (
      await request(server).get(`${BASE}/history`).set('Authorization', OWNER)
    ).body.items.length;
    expect(auditAfter).toBe(auditBefore);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await request(server)
      .post(`${BASE}/promotions`)
      .set('Authorization', OWNER)
      .set('Content-Type', 'application/json')
      .send('{"from": "staging",');
    expect(res.status).toBe(400);
    expect(writes()).toBe(0);
  });
});
