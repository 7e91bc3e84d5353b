/*
 * A canary whose bake fails, over HTTP against the emulator (emulated minutes of 1 s): the new
 * revision (an image tagged `-slow`, busy on the CPU) takes half the traffic, the service's
 * deployment alarm on CPU enters ALARM during the canary bake, ECS rolls the deployment back,
 * and the portal records the promotion as rolled back automatically, its own rollback shifting
 * the traffic back at once, with prod back on the previous image.
 */
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServicesCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  cloudWatchClient,
  describeDeployed,
  Emulator,
  eventually,
  startEmulator,
} from '@internal/dev-kit';
import request from 'supertest';
import {
  ecsClient,
  seedService,
  seedStrategy,
} from './__testUtils__/ecsFixtures';
import { deploymentClient } from './__testUtils__/deploymentClient';
import { ALICE, api, as, startTeamBackend } from './__testUtils__/teamBackend';

jest.setTimeout(180_000);

const NAME = 'bake-bad';
const ALARM = 'bake-bad-prod-cpu-high';

describe('a canary whose bake fails', () => {
  let emulator: Emulator;
  let server: any;

  let client: ReturnType<typeof deploymentClient>;
  const status = () => client.status(NAME, 'prod');

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });
    await seedService(
      emulator.endpoint,
      'staging',
      NAME,
      `ghcr.io/acme/${NAME}:2.0.0-slow`,
    );
    await seedService(
      emulator.endpoint,
      'prod',
      NAME,
      `ghcr.io/acme/${NAME}:1.0.0`,
      { desiredCount: 2 },
    );
    // As the ecs-service module wires it: an alarm the deployment watches, with rollback.
    // Healthy tasks use 12–30 % CPU, `-slow` ones 70–90 %: half the traffic on the canary
    // averages over 41 %.
    await cloudWatchClient(emulator.endpoint).send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: [
          { Name: 'ClusterName', Value: 'test-prod' },
          { Name: 'ServiceName', Value: NAME },
        ],
        Statistic: 'Average',
        Period: 60,
        // Ten breaching emulated minutes (10 s): the test sees the canary baking first.
        EvaluationPeriods: 10,
        Threshold: 35,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await ecsClient(emulator.endpoint).send(
      new UpdateServiceCommand({
        cluster: 'test-prod',
        service: NAME,
        deploymentConfiguration: {
          alarms: { alarmNames: [ALARM], enable: true, rollback: true },
        },
      }),
    );
    await seedStrategy(emulator.endpoint, 'prod', NAME, {
      strategy: 'CANARY',
      bakeTimeInMinutes: 1,
      canaryConfiguration: { canaryPercent: 50, canaryBakeTimeInMinutes: 60 },
    });
    ({ server } = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: [NAME],
      ecsDeploy: { strategies: { holdLimit: { minutes: 60 } } },
    }));
    client = deploymentClient(server, emulator.endpoint);
    await client.healthy(NAME, 'staging');
    await client.healthy(NAME, 'prod');
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('rolls the canary back when its alarm fires during the bake, and records why', async () => {
    const before = await describeDeployed(
      ecsClient(emulator.endpoint),
      'test-prod',
      NAME,
    );
    const promoted = await request(server)
      .post(`${api(NAME)}/promotions`)
      .set('Authorization', as(ALICE))
      .send({ from: 'staging', to: 'prod', reason: 'release' });
    expect(promoted.status).toBe(201);
    const id = promoted.body.audit.id;

    // The canary takes half the traffic and bakes: the status shows it.
    const baking = await eventually(
      'the canary at 50 % baking',
      async () => {
        const d = (await status())?.deployment;
        return d?.trafficPercent === 50 && d.waitingFor === 'bake' && d;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(baking.steps).toEqual([
      expect.objectContaining({ percent: 50, state: 'current' }),
      expect.objectContaining({ percent: 100, state: 'pending' }),
    ]);

    // The alarm fires during the bake: ECS rolls back, the portal records the failure.
    const failed = await eventually(
      'the promotion recorded as failed',
      async () => {
        const row = (await client.history(NAME)).find(r => r.id === id);
        return row?.outcome !== 'in-progress' && row;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(failed.outcome).toBe('rolled-back-automatically');
    expect(failed.outcomeMessage).toMatch(
      /^(The deployment of bake-bad-prod:2 failed|ECS stopped the rollout of bake-bad-prod:2): .*; rolled back automatically to a copy of bake-bad-prod:1 \(bake-bad-prod:3\)$/,
    );
    // The portal's rollback shifts the traffic back at once: no bakes, no gates to hold it.
    const rollback = (await client.history(NAME)).find(r => r.causedBy === id);
    expect(rollback).toMatchObject({ action: 'rollback', actor: 'system' });
    const { services } = await ecsClient(emulator.endpoint).send(
      new DescribeServicesCommand({ cluster: 'test-prod', services: [NAME] }),
    );
    expect(services![0].deploymentConfiguration).toMatchObject({
      strategy: 'CANARY',
      bakeTimeInMinutes: 0,
      canaryConfiguration: { canaryPercent: 50, canaryBakeTimeInMinutes: 0 },
      lifecycleHooks: [],
      alarms: { alarmNames: [ALARM], enable: true, rollback: true },
    });

    // Prod runs the previous image again, and no deployment is left in progress.
    await eventually(
      'prod settled on the previous image',
      async () => {
        const s = await status();
        const after = await describeDeployed(
          ecsClient(emulator.endpoint),
          'test-prod',
          NAME,
        );
        return (
          s?.service?.deployments?.length === 1 &&
          s.service.deployments[0].rolloutState === 'COMPLETED' &&
          s.deployment === undefined &&
          after.containers[0].image === before.containers[0].image
        );
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    // Degraded, not healthy: the rollout failed, prod lives on its last good revision.
    expect((await status()).health).toBe('degraded');
  });
});
