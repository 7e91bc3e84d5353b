/*
 * Pre-flight checks and the diff beyond images in the promotion preview, over HTTP against the
 * emulator: every check passes on what the ecs-service module creates; a missing task role, a
 * role that does not trust ECS tasks, a missing log group or secret each block the preview with
 * a fix, and the promotion itself is refused (409) without changing prod.
 */
import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import {
  Emulator,
  eventually,
  iamClient,
  logsClient,
  startEmulator,
} from '@internal/dev-kit';
import request from 'supertest';
import {
  ecsClient,
  seedStagingAhead,
  ssmClient,
} from './__testUtils__/ecsFixtures';
import { deploymentClient } from './__testUtils__/deploymentClient';
import { ALICE, api, as, startTeamBackend } from './__testUtils__/teamBackend';

jest.setTimeout(120_000);

const ECS_TASKS_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
};

describe('pre-flight checks and the diff in the preview', () => {
  let emulator: Emulator;
  let server: any;

  const preview = async (name: string) => {
    const res = await request(server)
      .get(`${api(name)}/promotions/preview?from=staging&to=prod`)
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(200);
    return res.body;
  };
  const check = (body: any, name: string) =>
    body.preflight.find((c: any) => c.check === name);
  const prodTaskDefinition = async (name: string) => {
    const { services } = await ecsClient(emulator.endpoint).send(
      new DescribeServicesCommand({ cluster: 'test-prod', services: [name] }),
    );
    return services![0].taskDefinition;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1 });
    for (const name of ['pf-diff', 'pf-role', 'pf-logs']) {
      await seedStagingAhead(emulator.endpoint, name);
    }
    // Prod's revision of pf-diff differs from staging's beyond the image.
    const ecs = ecsClient(emulator.endpoint);
    const { taskDefinition: td } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'pf-diff-prod' }),
    );
    const { taskDefinition: changed } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: td!.family,
        requiresCompatibilities: td!.requiresCompatibilities,
        networkMode: td!.networkMode,
        cpu: td!.cpu,
        memory: '1024',
        executionRoleArn: td!.executionRoleArn,
        taskRoleArn: td!.taskRoleArn,
        containerDefinitions: td!.containerDefinitions!.map(c => ({
          ...c,
          command: ['serve', '--workers', '4'],
          environment: [...c.environment!, { name: 'TRACING', value: 'on' }],
        })),
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'test-prod',
        service: 'pf-diff',
        taskDefinition: changed!.taskDefinitionArn,
      }),
    );
    ({ server } = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['pf-diff', 'pf-role', 'pf-logs'],
      // A preview reuses a verdict for 1 s: the changes below show at the next poll.
      ecsDeploy: { preflight: { cacheTtl: { seconds: 1 } } },
    }));
    // The source's running tasks report the digests the checks pin the images to.
    const client = deploymentClient(server, emulator.endpoint);
    for (const name of ['pf-diff', 'pf-role', 'pf-logs']) {
      await client.healthy(name, 'staging');
      await client.healthy(name, 'prod');
    }
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('passes every check on what the module creates, and lists what the promotion leaves as prod has it', async () => {
    const body = await eventually(
      'the preview of pf-diff against its second prod revision',
      async () => {
        const b = await preview('pf-diff');
        return b.differences?.task?.length > 0 && b;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(body.preflight.map((c: any) => [c.check, c.status])).toEqual([
      ['image-digest', 'pass'],
      ['task-roles', 'pass'],
      ['log-group', 'pass'],
      ['secrets', 'pass'],
      ['target-group-port', 'pass'],
    ]);
    expect(check(body, 'task-roles').message).toMatch(
      /pf-diff-prod-task trusts ecs-tasks\.amazonaws\.com/,
    );
    expect(check(body, 'image-digest').message).toMatch(/^app: sha256:/);
    expect(body.blockers.filter((b: any) => b.code === 'preflight')).toEqual(
      [],
    );
    expect(body.differences.task).toEqual([
      { field: 'memory', source: '512 MiB', target: '1024 MiB' },
    ]);
    const [app] = body.differences.containers;
    expect(app.container).toBe('app');
    const fields = Object.fromEntries(
      app.differences.map((d: any) => [d.field, d]),
    );
    expect(Object.keys(fields).sort()).toEqual(['command', 'environment']);
    expect(fields.command).toMatchObject({
      source: '(image default)',
      target: 'serve --workers 4',
    });
    // Names only: the values of the environment never reach the browser.
    expect(fields.environment).toEqual({
      field: 'environment',
      source: 'STAGE (other value)',
      target: 'STAGE (other value), TRACING (only here)',
    });
    expect(JSON.stringify(body.differences)).not.toMatch(/"on"|staging"/);
  });

  it('blocks a promotion whose task role is missing or does not trust ECS, with a fix, and refuses the write', async () => {
    const before = await prodTaskDefinition('pf-role');
    const iam = iamClient(emulator.endpoint);
    await iam.send(new DeleteRoleCommand({ RoleName: 'pf-role-prod-task' }));
    const missing = await eventually(
      'the missing role blocking the preview',
      async () => {
        const b = await preview('pf-role');
        return check(b, 'task-roles')?.status === 'block' && b;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(check(missing, 'task-roles')).toMatchObject({
      message:
        'The task role pf-role-prod-task does not exist in prod (account 123456789012)',
      fix: expect.stringMatching(/^Create pf-role-prod-task/),
    });
    expect(missing.blockers).toContainEqual({
      code: 'preflight',
      message: check(missing, 'task-roles').message,
      fix: check(missing, 'task-roles').fix,
    });
    const refused = await request(server)
      .post(`${api('pf-role')}/promotions`)
      .set('Authorization', as(ALICE))
      .send({ from: 'staging', to: 'prod' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /pf-role-prod-task does not exist/,
    );
    expect(await prodTaskDefinition('pf-role')).toBe(before);

    // The role is back, trusting Lambda instead of ECS tasks: still blocked, the fix says why.
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'pf-role-prod-task',
        AssumeRolePolicyDocument: JSON.stringify({
          ...ECS_TASKS_TRUST,
          Statement: [
            {
              ...ECS_TASKS_TRUST.Statement[0],
              Principal: { Service: 'lambda.amazonaws.com' },
            },
          ],
        }),
      }),
    );
    const untrusted = await eventually(
      'the untrusting role blocking the preview',
      async () => {
        const b = await preview('pf-role');
        return /does not trust/.test(check(b, 'task-roles')?.message) && b;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(check(untrusted, 'task-roles')).toMatchObject({
      status: 'block',
      message:
        'The task role pf-role-prod-task does not trust ecs-tasks.amazonaws.com',
      fix: expect.stringMatching(/Principal \{ Service: ecs-tasks/),
    });

    // Trusting ECS tasks again: the promotion goes through.
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'pf-role-prod-task',
        PolicyDocument: JSON.stringify(ECS_TASKS_TRUST),
      }),
    );
    await eventually(
      'the role passing again',
      async () =>
        check(await preview('pf-role'), 'task-roles')?.status === 'pass',
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const promoted = await request(server)
      .post(`${api('pf-role')}/promotions`)
      .set('Authorization', as(ALICE))
      .send({ from: 'staging', to: 'prod' });
    expect(promoted.status).toBe(201);
  });

  it('blocks on a missing log group and a missing secret, naming each', async () => {
    await logsClient(emulator.endpoint).send(
      new DeleteLogGroupCommand({ logGroupName: '/ecs/prod/pf-logs' }),
    );
    await ssmClient(emulator.endpoint).send(
      new DeleteParameterCommand({ Name: '/pf-logs/db' }),
    );
    const body = await eventually(
      'the log group and the secret blocking the preview',
      async () => {
        const b = await preview('pf-logs');
        return (
          check(b, 'log-group')?.status === 'block' &&
          check(b, 'secrets')?.status === 'block' &&
          b
        );
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(check(body, 'log-group').message).toMatch(
      /^The log group \/ecs\/prod\/pf-logs does not exist in us-east-1 \(prod\)/,
    );
    expect(check(body, 'secrets').message).toMatch(/\/pf-logs\/db/);
    expect(check(body, 'secrets').fix).toBeTruthy();
    expect(
      body.blockers.filter((b: any) => b.code === 'preflight'),
    ).toHaveLength(2);
  });
});
