/*
 * Deployment strategies over HTTP against the emulator (emulated minutes of 1 s): a promotion
 * applies the service's strategy parameter through UpdateService; the status shows a canary's
 * steps, traffic share and bake; owners hold and continue it, an admin skips its bake (refused
 * for others), every control audited and signalled.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { Emulator, eventually, startEmulator } from '@internal/dev-kit';
import request from 'supertest';
import { deploymentClient } from './__testUtils__/deploymentClient';
import {
  ecsClient,
  seedStagingAhead,
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

const SERVICES = ['canary-web', 'canary-abort', 'rolling-api'];
const CANARY = {
  strategy: 'CANARY',
  bakeTimeInMinutes: 1,
  canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 30 },
};

describe('deployment strategies', () => {
  let emulator: Emulator;
  let server: any;
  const signals: SignalPayload[] = [];

  let client: ReturnType<typeof deploymentClient>;

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });
    for (const name of SERVICES) {
      await seedStagingAhead(emulator.endpoint, name, { desiredCount: 2 });
    }
    await seedStrategy(emulator.endpoint, 'prod', 'canary-web', CANARY);
    await seedStrategy(emulator.endpoint, 'prod', 'canary-abort', CANARY);
    await seedStrategy(emulator.endpoint, 'prod', 'rolling-api', {
      strategy: 'ROLLING',
    });
    ({ server } = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: SERVICES,
      ecsDeploy: { strategies: { holdLimit: { minutes: 60 } } },
      signals,
    }));
    client = deploymentClient(server, emulator.endpoint);
    for (const name of SERVICES) {
      await client.healthy(name, 'staging');
      await client.healthy(name, 'prod');
    }
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('applies a rolling strategy through UpdateService, keeping the circuit breaker', async () => {
    expect((await client.promote('rolling-api')).status).toBe(201);
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
    const promoted = await client.promote('canary-web');
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
    const baking = await client.progress(
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
    const held = await client.control('canary-web', 'hold', ALICE, {
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
    const twice = await client.control('canary-web', 'hold', BOB);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(
      /already held by user:default\/alice/,
    );

    // Only an admin skips the bake, with a reason; the hold still keeps the next step back.
    const alice = await client.control('canary-web', 'skip-bake', ALICE, {
      reason: 'hotfix',
    });
    expect(alice.status).toBe(403);
    expect(alice.body.error.message).toMatch(
      /may not skip a bake: only the admin groups may/,
    );
    expect((await client.control('canary-web', 'skip-bake', DAVE)).status).toBe(
      400,
    );
    const skipped = await client.control('canary-web', 'skip-bake', DAVE, {
      reason: 'hotfix for the outage',
      expectedServiceDeployment: baking.serviceDeploymentArn,
    });
    expect(skipped.status).toBe(200);
    expect(skipped.body.audit.message).toMatch(
      /^Skipped the bake of canary-web in prod at 20 % of the traffic with \d+ s left$/,
    );
    const waiting = await client.progress(
      'canary-web',
      'the canary held at 20 %',
      d => d.waitingFor === 'hold',
    );
    expect(waiting).toMatchObject({ trafficPercent: 20, hold: { by: ALICE } });
    expect(Date.parse(waiting.holdExpiresAt)).toBeGreaterThan(Date.now());
    // The bake hook was continued by the skip (not timed out); the gate waits for the hold.
    const atGate = await client.serviceDeployment('canary-web');
    expect(
      atGate!
        .lifecycleHookDetails!.slice(2)
        .map(h => [h.timeoutAction, h.status]),
    ).toEqual([
      ['CONTINUE', 'SUCCEEDED'],
      ['ROLLBACK', 'AWAITING_ACTION'],
    ]);
    expect(
      (
        await client.control('canary-web', 'skip-bake', DAVE, {
          reason: 'again',
        })
      ).status,
    ).toBe(409);

    // Carol owns nothing here; Bob (another owner) continues: all the traffic moves.
    const carol = await client.control('canary-web', 'continue', CAROL);
    expect(carol.status).toBe(403);
    expect(carol.body.error.message).toMatch(
      /user:default\/carol may not .* only its owners and the admin groups may/,
    );
    expect((await client.control('canary-web', 'continue', BOB)).status).toBe(
      200,
    );
    await client.progress(
      'canary-web',
      'all the traffic on the new revision',
      d => d.trafficPercent === 100,
    );
    await eventually(
      'the canary completed',
      async () =>
        (await client.status('canary-web', 'prod')).health === 'healthy',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(
      (await client.status('canary-web', 'prod')).deployment,
    ).toBeUndefined();

    // Every control is in the history; the refused ones too.
    const rows = (await client.history('canary-web'))
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

  it('aborts a held canary: it rolls back, prod is on the previous image, audited', async () => {
    expect((await client.promote('canary-abort')).status).toBe(201);
    await client.progress(
      'canary-abort',
      'the canary at 20 % baking',
      d => d.trafficPercent === 20 && d.waitingFor === 'bake',
    );
    expect(
      (await client.control('canary-abort', 'hold', BOB, { reason: 'p99' }))
        .status,
    ).toBe(200);
    const carol = await client.control('canary-abort', 'abort', CAROL);
    expect(carol.status).toBe(403);
    const aborted = await client.control('canary-abort', 'abort', ALICE, {
      reason: 'errors in the canary',
    });
    expect(aborted.status).toBe(200);
    expect(aborted.body.audit).toMatchObject({
      action: 'abort',
      actor: ALICE,
      result: 'succeeded',
      message:
        'Aborted the deployment of canary-abort in prod at 20 % of the traffic (held by user:default/bob): ECS rolls it back',
    });
    // ECS rolls the service deployment back (the follow-through records the promotion as
    // rolled back): prod runs the previous image, nothing is in progress or held any more.
    await eventually(
      'prod settled on the previous image',
      async () => {
        const prod = await client.status('canary-abort', 'prod');
        return (
          prod?.deployment === undefined &&
          prod?.service?.deployments?.length === 1 &&
          prod.service.deployments[0].rolloutState === 'COMPLETED' &&
          prod.service.deployments[0].images[0].image ===
            'ghcr.io/acme/canary-abort:1.0.0'
        );
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const again = await client.control('canary-abort', 'abort', ALICE);
    expect(again.status).toBe(409);
    // Nothing left to abort (or the follow-through's rollback holds the lock a moment).
    expect(again.body.error.message).toMatch(
      /^(No deployment of canary-abort in prod is in progress|The deployment of canary-abort in prod is ROLLBACK_\w+: .*|Another promotion or rollback of canary-abort in prod .*)$/,
    );
    const rows = (await client.history('canary-abort')).map(r => [
      r.action,
      r.actor,
      r.result,
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['hold', BOB, 'succeeded'],
        ['abort', CAROL, 'denied'],
        ['abort', ALICE, 'succeeded'],
      ]),
    );
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

    const unknown = await client.control('canary-web', 'hold', ALICE, {
      environment: 'qa',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unknown environment 'qa'/);
    const extra = await client.control('canary-web', 'hold', ALICE, {
      force: true,
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/force/);
    const arn = await client.control('canary-web', 'continue', ALICE, {
      expectedServiceDeployment: 'not-an-arn',
    });
    expect(arn.status).toBe(400);
    expect(arn.body.error.message).toMatch(
      /expectedServiceDeployment "not-an-arn": must be a service deployment ARN/,
    );
    const none = await client.control('canary-web', 'hold', ALICE);
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe(
      'No deployment of canary-web in prod is in progress',
    );
  });
});
