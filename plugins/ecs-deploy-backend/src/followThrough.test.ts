/*
 * Follow-through over HTTP against the emulator: after a promotion the backend follows prod's
 * deployment to its end, records the outcome in the history, rolls a failed rollout back by
 * itself (actor `system`, audited), and tells the owners (read back through the notifications
 * backend's API) and open pages (signals).
 */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { SignalPayload } from '@backstage/plugin-signals-node';
import {
  describeDeployed,
  Emulator,
  eventually,
  startEmulator,
} from '@internal/dev-kit';
import request from 'supertest';
import { ecsClient, seedService, ssmClient } from './__testUtils__/ecsFixtures';
import {
  ALICE,
  api,
  as,
  BOB,
  notificationTitlesIncluding,
  startTeamBackend,
} from './__testUtils__/teamBackend';

jest.setTimeout(120_000);

describe('promotions followed to their outcome', () => {
  let emulator: Emulator;
  let server: any;
  const signals: SignalPayload[] = [];

  const history = async (name: string) =>
    (
      await request(server)
        .get(`${api(name)}/history`)
        .set('Authorization', as(ALICE))
    ).body.items as any[];
  const row = (name: string, id: string) =>
    history(name).then(items => items.find(i => i.id === id));
  const healthy = (name: string, environment: string) =>
    eventually(
      `${name} healthy in ${environment}`,
      async () => {
        const res = await request(server)
          .get(`${api(name)}/status`)
          .set('Authorization', as(ALICE));
        return res.body.environments.find(
          (e: any) => e.environment === environment && e.health === 'healthy',
        );
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  const promote = (name: string) =>
    request(server)
      .post(`${api(name)}/promotions`)
      .set('Authorization', as(ALICE))
      .send({ from: 'staging', to: 'prod', reason: 'release' });
  /** The promotion signals of an entity (not the ECS service's own status changes). */
  const states = (name: string) =>
    signals
      .filter(s => s.channel === `ecs-deploy:component:default:${name}`)
      .map(s => s.message as { subject: string; state: string })
      .filter(m => m.subject === 'promotion')
      .map(m => m.state);

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1 });
    await seedService(
      emulator.endpoint,
      'staging',
      'ft-good',
      'ghcr.io/acme/ft-good:1.1.0',
    );
    // Staging's first and only deployment of a broken image: it fails and stays (nothing to go back to).
    await seedService(
      emulator.endpoint,
      'staging',
      'ft-bad',
      'ghcr.io/acme/ft-bad:1.1.0-broken',
    );
    for (const name of ['ft-good', 'ft-bad']) {
      await seedService(
        emulator.endpoint,
        'prod',
        name,
        `ghcr.io/acme/${name}:1.0.0`,
        { desiredCount: 2 },
      );
    }
    ({ server } = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['ft-good', 'ft-bad'],
      signals,
    }));
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('records a good image as rolled-out, with the time from the click, and tells the owners', async () => {
    await healthy('ft-good', 'staging');
    await healthy('ft-good', 'prod');
    const clicked = Date.now();
    const promoted = await promote('ft-good');
    expect(promoted.status).toBe(201);
    expect(promoted.body.audit).toMatchObject({
      result: 'succeeded',
      outcome: 'in-progress',
    });
    const id = promoted.body.audit.id;
    expect((await row('ft-good', id)).outcome).toBe('in-progress');

    const done = await eventually(
      'the promotion rolled out',
      async () => {
        const r = await row('ft-good', id);
        return r.outcome === 'rolled-out' && r;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const seen = Date.now() - clicked;
    expect(done.outcomeMessage).toMatch(
      /^prod runs ft-good-prod:2: 2 of 2 tasks running$/,
    );
    expect(done.durationMs).toBeGreaterThan(0);
    expect(done.durationMs).toBeLessThanOrEqual(seen);
    // eslint-disable-next-line no-console
    console.log(
      `click → rolled-out: ${done.durationMs} ms recorded (${seen} ms seen by the client; rollouts take 1 s here, the follower checks every 1 s)`,
    );

    const toBob = [
      'Promotion of ft-good from staging to prod started',
      'Promotion of ft-good from staging to prod rolled out',
    ];
    const bobs = await notificationTitlesIncluding(server, BOB, toBob);
    expect(bobs).toEqual(expect.arrayContaining(toBob));
    // Alice clicked: she is told the outcome, not that it started.
    const rolledOut = 'Promotion of ft-good from staging to prod rolled out';
    const alices = await notificationTitlesIncluding(server, ALICE, [
      rolledOut,
    ]);
    expect(alices).toContain(rolledOut);
    expect(alices).not.toContain(
      'Promotion of ft-good from staging to prod started',
    );
    expect(states('ft-good')).toEqual(['started', 'rolled-out']);
  });

  it('records a broken image as failed and puts prod back on the previous revision by itself', async () => {
    await healthy('ft-bad', 'prod');
    const before = await describeDeployed(
      ecsClient(emulator.endpoint),
      'test-prod',
      'ft-bad',
    );
    const promoted = await promote('ft-bad');
    expect(promoted.status).toBe(201);
    expect(promoted.body.images[0].image).toBe(
      'ghcr.io/acme/ft-bad:1.1.0-broken',
    );
    const id = promoted.body.audit.id;

    const failed = await eventually(
      'the promotion rolled back automatically',
      async () => {
        const r = await row('ft-bad', id);
        return r.outcome === 'rolled-back-automatically' && r;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(failed.outcomeMessage).toMatch(
      /(deployment of ft-bad-prod:2 failed|ECS stopped the rollout of ft-bad-prod:2).*; rolled back automatically to a copy of ft-bad-prod:1 \(ft-bad-prod:3\)$/,
    );
    expect(failed.durationMs).toBeGreaterThan(0);

    // The rollback is in the history as the system's, naming the failure and what it answers.
    const rollback = (await history('ft-bad')).find(r => r.causedBy === id);
    expect(rollback).toMatchObject({
      action: 'rollback',
      actor: 'system',
      result: 'succeeded',
      toEnvironment: 'prod',
      previousTaskDefinition: expect.stringMatching(/ft-bad-prod:[12]$/),
      newTaskDefinition: expect.stringMatching(/ft-bad-prod:3$/),
    });
    expect(rollback.reason).toMatch(/^Automatic rollback: /);
    // …and followed like any other rollout.
    await eventually(
      'the automatic rollback rolled out',
      async () => (await row('ft-bad', rollback.id)).outcome === 'rolled-out',
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // Prod runs the previous image again, in a revision Terraform (track_latest) agrees with.
    const after = await describeDeployed(
      ecsClient(emulator.endpoint),
      'test-prod',
      'ft-bad',
    );
    expect(before.revision).toBe(1);
    expect(after.revision).toBe(3);
    expect(after.containers[0].image).toBe(before.containers[0].image);
    const parameter = await ssmClient(emulator.endpoint).send(
      new GetParameterCommand({ Name: '/ecs-deploy/prod/ft-bad/image/app' }),
    );
    expect(parameter.Parameter?.Value).toBe('ghcr.io/acme/ft-bad:1.0.0');

    // The owners were told, through the notifications backend.
    const toBob = [
      'Promotion of ft-bad from staging to prod started',
      'Promotion of ft-bad from staging to prod failed',
      'Promotion of ft-bad from staging to prod rolled back automatically',
      'Rollback of ft-bad in prod started',
      'Rollback of ft-bad in prod rolled out',
    ];
    expect(await notificationTitlesIncluding(server, BOB, toBob)).toEqual(
      expect.arrayContaining(toBob),
    );
    expect(states('ft-bad')).toEqual([
      'started',
      'failed',
      'started',
      'rolled-back-automatically',
      'rolled-out',
    ]);
  });
});
