/*
 * Rollouts as the emulator plays them (like ECS: deployments, tasks, circuit breaker and
 * rollback), read over HTTP: progress, completion, failure and the problems the portal derives.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Emulator, eventually, startEmulator } from '@internal/dev-kit';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  component,
  ecsClient,
  ecsDeployTestConfig,
  seedService,
} from './__testUtils__/ecsFixtures';

jest.setTimeout(120_000);

const OWNER = mockCredentials.user.header('user:default/owner');
const api = (name: string) =>
  `/api/ecs-deploy/entities/component/default/${name}`;

describe('rollouts on the emulator', () => {
  let emulator: Emulator;
  let server: any;

  const status = async (name: string) =>
    (
      await request(server)
        .get(`${api(name)}/status`)
        .set('Authorization', OWNER)
    ).body;
  const env = async (name: string, environment: 'staging' | 'prod') =>
    (await status(name)).environments.find(
      (e: any) => e.environment === environment,
    );
  const settled = (
    name: string,
    environment: 'staging' | 'prod',
    health: string,
  ) =>
    eventually(
      `${name} in ${environment} ${health}`,
      async () => {
        const e = await env(name, environment);
        return e.health === health ? e : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  beforeAll(async () => {
    // Rollouts of 3 s: long enough to see one in progress on a busy machine, short for a test.
    emulator = await startEmulator({ rolloutSeconds: 3 });
    for (const name of ['svc-bad']) {
      await seedService(
        emulator.endpoint,
        'staging',
        name,
        `ghcr.io/acme/${name}:1.1.0`,
      );
      await seedService(
        emulator.endpoint,
        'prod',
        name,
        `ghcr.io/acme/${name}:1.0.0`,
        { desiredCount: 2 },
      );
    }
    const config = ecsDeployTestConfig(emulator.endpoint, {
      cache: { statusTtl: { milliseconds: 1 } },
    });
    // The default guard: promote only a healthy source.
    config.ecsDeploy.promotionPaths = [{ from: 'staging', to: 'prod' }] as any;
    const { server: s } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory({
          entities: [component('svc-good'), component('svc-bad')],
        }),
        mockServices.permissions.factory(),
      ],
    });
    server = s;
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('shows a new service progressing (not promotable yet), then healthy with its tasks running', async () => {
    // Created now, with the backend already up, so the first look catches the rollout.
    await Promise.all([
      seedService(
        emulator.endpoint,
        'staging',
        'svc-good',
        'ghcr.io/acme/svc-good:1.1.0',
      ),
      seedService(
        emulator.endpoint,
        'prod',
        'svc-good',
        'ghcr.io/acme/svc-good:1.0.0',
        { desiredCount: 2 },
      ),
    ]);
    const early = await env('svc-good', 'prod');
    expect(early.health).toBe('progressing');
    // Staging is rolling out too: not promotable yet (the default guard).
    const tooEarly = await request(server)
      .post(`${api('svc-good')}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toMatch(/staging is still rolling out/);
    expect(early.service.rolloutState).toBe('IN_PROGRESS');
    const done = await settled('svc-good', 'prod', 'healthy');
    expect(done.service).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 2,
      desiredCount: 2,
    });
    expect(done.service.deployments).toHaveLength(1);
    expect(done.service.events[0].message).toMatch(
      /has reached a steady state/,
    );
    const tasks = await request(server)
      .get(`${api('svc-good')}/tasks?environment=prod`)
      .set('Authorization', OWNER);
    const running = tasks.body.tasks.filter(
      (t: any) => t.lastStatus === 'RUNNING',
    );
    expect(running).toHaveLength(2);
    expect(running[0].containers[0].imageDigest).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
  });

  it("promotes a healthy staging and follows prod's rollout to COMPLETED", async () => {
    await settled('svc-good', 'staging', 'healthy');
    const promoted = await request(server)
      .post(`${api('svc-good')}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(promoted.status).toBe(201);
    // The exact image staging runs: its tag, pinned to the digest its tasks resolved.
    expect(promoted.body.images[0].image).toMatch(
      /^ghcr\.io\/acme\/svc-good:1\.1\.0@sha256:[0-9a-f]{64}$/,
    );
    const during = await env('svc-good', 'prod');
    expect(during.health).toBe('progressing');
    expect(during.service.deployments[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
    });
    expect(during.service.deployments).toHaveLength(2);
    const after = await settled('svc-good', 'prod', 'healthy');
    expect(after.service.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        taskDefinition: promoted.body.taskDefinition,
      }),
    ]);
    const preview = await request(server)
      .get(`${api('svc-good')}/promotions/preview?from=staging&to=prod`)
      .set('Authorization', OWNER);
    expect(preview.body.blockers.map((b: any) => b.code)).toEqual([
      'already-running',
    ]);
  });

  it('shows a broken image failing with the circuit breaker, the image pull error and their fixes', async () => {
    await settled('svc-bad', 'staging', 'healthy');
    await settled('svc-bad', 'prod', 'healthy');
    // Staging gets a broken image: its deployment fails and ECS rolls back.
    const ecs = ecsClient(emulator.endpoint);
    const { taskDefinition: current } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'svc-bad-staging' }),
    );
    const { taskDefinition: broken } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'svc-bad-staging',
        requiresCompatibilities: current!.requiresCompatibilities,
        networkMode: current!.networkMode,
        cpu: current!.cpu,
        memory: current!.memory,
        containerDefinitions: current!.containerDefinitions!.map(c => ({
          ...c,
          image: 'ghcr.io/acme/svc-bad:1.2.0-broken',
        })),
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'test-staging',
        service: 'svc-bad',
        taskDefinition: broken!.taskDefinitionArn,
      }),
    );
    const failing = await eventually(
      'the circuit breaker in staging',
      async () => {
        const e = await env('svc-bad', 'staging');
        return e.problems.some((p: any) => p.code === 'circuit-breaker-tripped')
          ? e
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(['failed', 'degraded']).toContain(failing.health);
    const breaker = failing.problems.find(
      (p: any) => p.code === 'circuit-breaker-tripped',
    );
    expect(breaker.message).toMatch(/circuit breaker|deployment failed/);
    expect(breaker.fix).toMatch(/Fix the cause/);
    expect(failing.problems.map((p: any) => p.code)).toContain(
      'image-pull-error',
    );
    // A failed staging is not promoted.
    const refused = await request(server)
      .post(`${api('svc-bad')}/promotions`)
      .set('Authorization', OWNER)
      .send({ from: 'staging', to: 'prod' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /staging is (failed|degraded)|still rolling out/,
    );
  });
});
