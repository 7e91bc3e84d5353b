/*
 * The follow-through's failure paths over HTTP against the emulator: a write whose answer never
 * came back (its outcome unknown, then settled by the follower), an automatic rollback that fails
 * (retried, then recorded and told), and a broken image followed by two replicas on one
 * PostgreSQL (one automatic rollback, one outcome, one set of notifications).
 */
import {
  AwsProxy,
  describeDeployed,
  Emulator,
  eventually,
  startAwsProxy,
  startEmulator,
} from '@internal/dev-kit';
import request from 'supertest';
import { createTestDatabases } from './__testUtils__/databases';
import { ecsClient, seedService } from './__testUtils__/ecsFixtures';
import {
  ALICE,
  api,
  as,
  BOB,
  notificationTitlesIncluding,
  startTeamBackend,
} from './__testUtils__/teamBackend';

jest.setTimeout(180_000);

const databases = createTestDatabases();

describe('follow-through failure paths', () => {
  let emulator: Emulator;
  let proxy: AwsProxy;

  const history = async (server: any, name: string) =>
    (
      await request(server)
        .get(`${api(name)}/history`)
        .set('Authorization', as(ALICE))
    ).body.items as any[];
  const row = (server: any, name: string, id: string) =>
    history(server, name).then(items => items.find(i => i.id === id));
  /** Waits until the service is healthy in the environments `which` picks (default all). */
  const healthy = (
    server: any,
    name: string,
    which: (environment: string) => boolean = () => true,
  ) =>
    eventually(
      `${name} healthy`,
      async () => {
        const res = await request(server)
          .get(`${api(name)}/status`)
          .set('Authorization', as(ALICE));
        return res.body.environments
          .filter((e: any) => which(e.environment))
          .every((e: any) => e.health === 'healthy');
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  const promote = (server: any, name: string) =>
    request(server)
      .post(`${api(name)}/promotions`)
      .set('Authorization', as(ALICE))
      .send({ from: 'staging', to: 'prod', reason: 'release' });
  /** staging on `image`, prod on 1.0.0 with two tasks. */
  const seed = async (name: string, image: string) => {
    await seedService(emulator.endpoint, 'staging', name, image);
    await seedService(
      emulator.endpoint,
      'prod',
      name,
      `ghcr.io/acme/${name}:1.0.0`,
      { desiredCount: 2 },
    );
  };

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1 });
    proxy = await startAwsProxy({ target: emulator.endpoint });
  });

  afterAll(async () => {
    await proxy?.close();
    await emulator?.stop();
  });

  afterEach(() => proxy.setFault(null));

  it('answers 503 when UpdateService does not answer within the write deadline, records unknown, and lets the follower settle it', async () => {
    await seed('fx-unknown', 'ghcr.io/acme/fx-unknown:1.1.0');
    const { server } = await startTeamBackend({
      endpoint: proxy.endpoint,
      components: ['fx-unknown'],
      ecsDeploy: { aws: { writeDeadline: { seconds: 3 } } },
    });
    await healthy(server, 'fx-unknown');
    // AWS applies the update; its answer is lost on the way back.
    proxy.setFault({
      kind: 'hang',
      rate: 1,
      action: 'UpdateService',
      forward: true,
    });
    const promoted = await promote(server, 'fx-unknown');
    expect(promoted.status).toBe(503);
    expect(promoted.body.error.message).toMatch(
      /^The update of fx-unknown in prod to fx-unknown-prod:2 did not answer in time; AWS may still apply it/,
    );
    const [unknown] = await history(server, 'fx-unknown');
    expect(unknown).toMatchObject({
      action: 'promote',
      result: 'unknown',
      outcome: 'in-progress',
      newTaskDefinition: expect.stringMatching(/fx-unknown-prod:2$/),
    });
    proxy.setFault(null);
    const settled = await eventually(
      'the follower settled the write and its rollout',
      async () => {
        const r = await row(server, 'fx-unknown', unknown.id);
        return r.outcome === 'rolled-out' && r;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(settled).toMatchObject({
      result: 'succeeded',
      message: 'AWS applied the update to fx-unknown-prod:2',
    });
    const prod = await describeDeployed(
      ecsClient(emulator.endpoint),
      'test-prod',
      'fx-unknown',
    );
    expect(prod.revision).toBe(2);
    expect(prod.containers[0].image).toMatch(
      /^ghcr\.io\/acme\/fx-unknown:1\.1\.0@sha256:[0-9a-f]{64}$/,
    );
  });

  it('retries a failing automatic rollback, then records "the automatic rollback failed" and tells the owners', async () => {
    await seed('fx-norollback', 'ghcr.io/acme/fx-norollback:1.1.0-broken');
    const { server } = await startTeamBackend({
      endpoint: proxy.endpoint,
      components: ['fx-norollback'],
      ecsDeploy: { aws: { maxAttempts: 1 } },
    });
    await healthy(server, 'fx-norollback', e => e === 'prod');
    const promoted = await promote(server, 'fx-norollback');
    expect(promoted.status).toBe(201);
    // From now on AWS refuses to register any revision: the automatic rollback cannot happen.
    proxy.setFault({ kind: '5xx', rate: 1, action: 'RegisterTaskDefinition' });
    const id = promoted.body.audit.id;
    const failed = await eventually(
      'the promotion failed for good',
      async () => {
        const r = await row(server, 'fx-norollback', id);
        return r.outcome === 'failed' && r;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(failed.outcomeMessage).toMatch(
      /; the automatic rollback failed: AWS refused to register the next revision of fx-norollback-prod/,
    );
    // Three tries of the rollback, each refused, each audited as failed by the system.
    const rollbacks = (await history(server, 'fx-norollback')).filter(
      r => r.action === 'rollback',
    );
    expect(rollbacks).toHaveLength(3);
    expect(
      rollbacks.every(r => r.actor === 'system' && r.result === 'failed'),
    ).toBe(true);
    expect(proxy.counts.get('RegisterTaskDefinition')).toBeGreaterThanOrEqual(
      3,
    );
    const title = 'Promotion of fx-norollback from staging to prod failed';
    const notifications = await eventually(
      "bob's notification of the final failure",
      async () => {
        const res = await request(server)
          .get('/api/notifications/notifications')
          .set('Authorization', as(BOB));
        const final = res.body.notifications.filter(
          (n: any) =>
            n.payload.title === title &&
            /the automatic rollback failed/.test(n.payload.description),
        );
        return final.length > 0 && final;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(notifications).toHaveLength(1);
  });

  (databases.supports('POSTGRES_15') ? describe : describe.skip)(
    'on two replicas sharing PostgreSQL',
    () => {
      it('rolls a broken image back exactly once', async () => {
        await seed('fx-replicas', 'ghcr.io/acme/fx-replicas:1.1.0-broken');
        const knex = await databases.init('POSTGRES_15');
        const replica = () =>
          startTeamBackend({
            endpoint: emulator.endpoint,
            components: ['fx-replicas'],
            knex,
          }).then(b => b.server);
        const [a, b] = [await replica(), await replica()];
        await healthy(a, 'fx-replicas', e => e === 'prod');
        const promoted = await promote(a, 'fx-replicas');
        expect(promoted.status).toBe(201);
        const id = promoted.body.audit.id;
        await eventually(
          'the automatic rollback rolled out',
          async () => {
            const items = await history(b, 'fx-replicas');
            const rollback = items.find(r => r.causedBy === id);
            return (
              items.find(r => r.id === id)?.outcome ===
                'rolled-back-automatically' &&
              rollback?.outcome === 'rolled-out'
            );
          },
          { timeoutMs: 90_000, intervalMs: 250 },
        );
        const items = await history(a, 'fx-replicas');
        expect(items.filter(r => r.action === 'rollback')).toHaveLength(1);
        expect(items.filter(r => r.id === id)).toHaveLength(1);
        // Each replica's notifications backend holds what that replica sent: one set in all.
        const expected = [
          'Promotion of fx-replicas from staging to prod failed',
          'Promotion of fx-replicas from staging to prod rolled back automatically',
          'Rollback of fx-replicas in prod rolled out',
        ];
        const titles = async () =>
          [
            ...(await notificationTitlesIncluding(a, BOB, [])),
            ...(await notificationTitlesIncluding(b, BOB, [])),
          ].filter(t => t.includes('fx-replicas'));
        await eventually(
          'the notifications of the outcome',
          async () => {
            const seen = await titles();
            return expected.every(t => seen.includes(t));
          },
          { timeoutMs: 10_000 },
        );
        const all = await titles();
        for (const title of expected) {
          expect(all.filter(t => t === title)).toHaveLength(1);
        }
      });
    },
  );
});
