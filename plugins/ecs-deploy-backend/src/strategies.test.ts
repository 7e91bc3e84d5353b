/*
 * Deployment strategies over HTTP against the emulator (emulated minutes of 1 s): a promotion
 * applies the service's strategy parameter through UpdateService; the status shows a canary's
 * steps, traffic share and bake; owners hold and continue it, an admin skips its bake (refused
 * for others), every control audited and signalled.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { Emulator, eventually, startEmulator } from '@internal/dev-kit';
import request from 'supertest';
import {
  ecsClient,
  seedService,
  seedStrategy,
} from './__testUtils__/ecsFixtures';
import {
  ALICE,
  api,
  as,
  BOB,
  CAROL,
  DAVE,
  startTeamBackend,
} from './__testUtils__/teamBackend';

jest.setTimeout(180_000);

const CANARY = {
  strategy: 'CANARY',
  bakeTimeInMinutes: 1,
  canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 30 },
};

describe('deployment strategies', () => {
  let emulator: Emulator;
  let server: any;
  const signals: SignalPayload[] = [];

  const status = async (name: string, environment: string) => {
    const res = await request(server)
      .get(`${api(name)}/status`)
      .set('Authorization', as(ALICE));
    return res.body.environments.find(
      (e: any) => e.environment === environment,
    );
  };
  const healthy = (name: string, environment: string) =>
    eventually(
      `${name} healthy in ${environment}`,
      async () => (await status(name, environment))?.health === 'healthy',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  const promote = (name: string) =>
    request(server)
      .post(`${api(name)}/promotions`)
      .set('Authorization', as(ALICE))
      .send({ from: 'staging', to: 'prod' });
  const control = (
    name: string,
    action: 'hold' | 'continue' | 'skip-bake',
    who: string,
    body: object = {},
  ) =>
    request(server)
      .post(`${api(name)}/deployment/${action}`)
      .set('Authorization', as(who))
      .send({ environment: 'prod', ...body });
  const progress = (name: string, what: string, ok: (d: any) => boolean) =>
    eventually(
      what,
      async () => {
        const d = (await status(name, 'prod'))?.deployment;
        return d && ok(d) && d;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  const serviceDeployment = async (name: string) => {
    const ecs = ecsClient(emulator.endpoint);
    const { serviceDeployments } = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: 'test-prod',
        service: name,
        maxResults: 1,
      }),
    );
    const { serviceDeployments: [deployment] = [] } = await ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [serviceDeployments![0].serviceDeploymentArn!],
      }),
    );
    return deployment;
  };
  const history = async (name: string) =>
    (
      await request(server)
        .get(`${api(name)}/history`)
        .set('Authorization', as(ALICE))
    ).body.items as any[];

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });
    for (const name of ['canary-web', 'rolling-api']) {
      await seedService(
        emulator.endpoint,
        'staging',
        name,
        `ghcr.io/acme/${name}:2.0.0`,
      );
      await seedService(
        emulator.endpoint,
        'prod',
        name,
        `ghcr.io/acme/${name}:1.0.0`,
        { desiredCount: 2 },
      );
    }
    await seedStrategy(emulator.endpoint, 'prod', 'canary-web', CANARY);
    await seedStrategy(emulator.endpoint, 'prod', 'rolling-api', {
      strategy: 'ROLLING',
    });
    ({ server } = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['canary-web', 'rolling-api'],
      ecsDeploy: { strategies: { holdLimit: { minutes: 60 } } },
      signals,
    }));
    for (const name of ['canary-web', 'rolling-api']) {
      await healthy(name, 'staging');
      await healthy(name, 'prod');
    }
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('applies a rolling strategy through UpdateService, keeping the circuit breaker', async () => {
    expect((await promote('rolling-api')).status).toBe(201);
    const { services } = await ecsClient(emulator.endpoint).send(
      new DescribeServicesCommand({
        cluster: 'test-prod',
        services: ['rolling-api'],
      }),
    );
    expect(services![0].deploymentConfiguration).toMatchObject({
      strategy: 'ROLLING',
      deploymentCircuitBreaker: { enable: true, rollback: true },
      lifecycleHooks: [],
    });
  });

  it('runs a canary: steps and traffic in the status, hold, continue, an admin skips the bake', async () => {
    const promoted = await promote('canary-web');
    expect(promoted.status).toBe(201);

    // UpdateService carried the strategy: the bakes moved into the portal's PAUSE hooks.
    const { services } = await ecsClient(emulator.endpoint).send(
      new DescribeServicesCommand({
        cluster: 'test-prod',
        services: ['canary-web'],
      }),
    );
    const configuration = services![0].deploymentConfiguration!;
    expect(configuration).toMatchObject({
      strategy: 'CANARY',
      bakeTimeInMinutes: 0,
      canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 0 },
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    expect(
      configuration.lifecycleHooks!.map(h => [
        h.targetType,
        h.lifecycleStages,
        h.timeoutConfiguration,
      ]),
    ).toEqual([
      [
        'PAUSE',
        ['PRODUCTION_TRAFFIC_SHIFT'],
        { timeoutInMinutes: 30, action: 'CONTINUE' },
      ],
      [
        'PAUSE',
        ['POST_PRODUCTION_TRAFFIC_SHIFT'],
        { timeoutInMinutes: 1, action: 'CONTINUE' },
      ],
      [
        'PAUSE',
        ['PRODUCTION_TRAFFIC_SHIFT'],
        { timeoutInMinutes: 90, action: 'ROLLBACK' },
      ],
      [
        'PAUSE',
        ['POST_PRODUCTION_TRAFFIC_SHIFT'],
        { timeoutInMinutes: 61, action: 'ROLLBACK' },
      ],
    ]);

    // The portal opens the gate before the first step by itself: 20 % of the traffic, baking.
    const baking = await progress(
      'canary-web',
      'the canary at 20 % baking',
      d => d.trafficPercent === 20 && d.waitingFor === 'bake',
    );
    expect(baking).toMatchObject({
      strategy: 'CANARY',
      lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
      controllable: true,
      bake: { kind: 'step', minutes: 30 },
      steps: [
        { percent: 20, bakeMinutes: 30, state: 'current' },
        { percent: 100, bakeMinutes: 1, state: 'pending' },
      ],
    });
    expect(Date.parse(baking.bake.endsAt)).toBeGreaterThan(Date.now());

    // Alice holds it during the canary bake; nobody else holds it twice.
    const held = await control('canary-web', 'hold', ALICE, {
      reason: 'watching the error budget',
    });
    expect(held.status).toBe(200);
    expect(held.body.audit).toMatchObject({
      action: 'hold',
      actor: ALICE,
      result: 'succeeded',
      reason: 'watching the error budget',
    });
    expect(held.body.progress).toMatchObject({
      hold: { by: ALICE, reason: 'watching the error budget' },
      waitingFor: 'bake',
    });
    const twice = await control('canary-web', 'hold', BOB);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(
      /already held by user:default\/alice/,
    );

    // Only an admin skips the bake, with a reason; the hold still keeps the next step back.
    const alice = await control('canary-web', 'skip-bake', ALICE, {
      reason: 'hotfix',
    });
    expect(alice.status).toBe(403);
    expect(alice.body.error.message).toMatch(
      /may not skip a bake: only the admin groups may/,
    );
    expect((await control('canary-web', 'skip-bake', DAVE)).status).toBe(400);
    const skipped = await control('canary-web', 'skip-bake', DAVE, {
      reason: 'hotfix for the outage',
      expectedServiceDeployment: baking.serviceDeploymentArn,
    });
    expect(skipped.status).toBe(200);
    expect(skipped.body.audit.message).toMatch(
      /^Skipped the bake of canary-web in prod at 20 % of the traffic with \d+ s left$/,
    );
    const waiting = await progress(
      'canary-web',
      'the canary held at 20 %',
      d => d.waitingFor === 'hold',
    );
    expect(waiting).toMatchObject({ trafficPercent: 20, hold: { by: ALICE } });
    expect(Date.parse(waiting.holdExpiresAt)).toBeGreaterThan(Date.now());
    // The bake hook was continued by the skip (not timed out); the gate waits for the hold.
    const atGate = await serviceDeployment('canary-web');
    expect(
      atGate!
        .lifecycleHookDetails!.slice(2)
        .map(h => [h.timeoutAction, h.status]),
    ).toEqual([
      ['CONTINUE', 'SUCCEEDED'],
      ['ROLLBACK', 'AWAITING_ACTION'],
    ]);
    expect(
      (await control('canary-web', 'skip-bake', DAVE, { reason: 'again' }))
        .status,
    ).toBe(409);

    // Carol owns nothing here; Bob (another owner) continues: all the traffic moves.
    const carol = await control('canary-web', 'continue', CAROL);
    expect(carol.status).toBe(403);
    expect(carol.body.error.message).toMatch(
      /user:default\/carol may not .* only its owners and the admin groups may/,
    );
    expect((await control('canary-web', 'continue', BOB)).status).toBe(200);
    await progress(
      'canary-web',
      'all the traffic on the new revision',
      d => d.trafficPercent === 100,
    );
    await eventually(
      'the canary completed',
      async () => (await status('canary-web', 'prod')).health === 'healthy',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect((await status('canary-web', 'prod')).deployment).toBeUndefined();

    // Every control is in the history; the refused ones too.
    const rows = (await history('canary-web'))
      .filter(r => r.action !== 'promote')
      .map(r => [r.action, r.actor, r.result]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['hold', ALICE, 'succeeded'],
        ['hold', BOB, 'rejected'],
        ['skip-bake', ALICE, 'denied'],
        ['skip-bake', DAVE, 'succeeded'],
        ['skip-bake', DAVE, 'rejected'],
        ['continue', CAROL, 'denied'],
        ['continue', BOB, 'succeeded'],
      ]),
    );
    // Open pages were told each time.
    const deploymentSignals = signals
      .filter(s => s.channel === 'ecs-deploy:component:default:canary-web')
      .map(s => s.message as { subject: string; state: string })
      .filter(m => m.subject === 'deployment')
      .map(m => m.state);
    expect(deploymentSignals).toEqual(['hold', 'skip-bake', 'continue']);
  });

  it('answers what the caller may do, and refuses bad controls with the value named', async () => {
    const controls = await request(server)
      .get(`${api('canary-web')}/deployment/controls?environment=prod`)
      .set('Authorization', as(ALICE));
    expect(controls.status).toBe(200);
    expect(controls.body).toEqual({
      environment: 'prod',
      canHold: true,
      canSkipBake: false,
    });
    const dave = await request(server)
      .get(`${api('canary-web')}/deployment/controls?environment=prod`)
      .set('Authorization', as(DAVE));
    expect(dave.body).toMatchObject({ canHold: true, canSkipBake: true });

    const unknown = await control('canary-web', 'hold', ALICE, {
      environment: 'qa',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unknown environment 'qa'/);
    const extra = await control('canary-web', 'hold', ALICE, { force: true });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/force/);
    const arn = await control('canary-web', 'continue', ALICE, {
      expectedServiceDeployment: 'not-an-arn',
    });
    expect(arn.status).toBe(400);
    expect(arn.body.error.message).toMatch(
      /expectedServiceDeployment "not-an-arn": must be a service deployment ARN/,
    );
    const none = await control('canary-web', 'hold', ALICE);
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe(
      'No deployment of canary-web in prod is in progress',
    );
  });
});
