/*
 * The work to follow lives in the database: a promotion started on one backend and followed to
 * its outcome by another on the same database, after the first stopped mid-rollout.
 */
import { Emulator, eventually, startEmulator } from '@internal/dev-kit';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from './__testUtils__/databases';
import { seedStagingAhead } from './__testUtils__/ecsFixtures';
import { ALICE, api, as, startTeamBackend } from './__testUtils__/teamBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe('a rollout outlives the backend that started it', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    // Slow enough rollouts that the first backend is gone before they complete.
    emulator = await startEmulator({ rolloutSeconds: 6 });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it.each(databases.eachSupportedId())(
    'on %p: replica A starts a promotion and stops, replica B records its outcome',
    async databaseId => {
      const name = `restart-${databaseId.toLowerCase().replace(/_/g, '-')}`;
      await seedStagingAhead(emulator.endpoint, name);
      const knexA = await databases.init(databaseId);
      const a = await startTeamBackend({
        endpoint: emulator.endpoint,
        components: [name],
        knex: knexA,
      });
      const promoted = await request(a.server)
        .post(`${api(name)}/promotions`)
        .set('Authorization', as(ALICE))
        .send({ from: 'staging', to: 'prod' });
      expect(promoted.status).toBe(201);
      const id = promoted.body.audit.id;
      await a.stop();

      const outcome = async (knex: Knex) =>
        (await knex('ecs_deploy_audit').where({ id }).first()).outcome;
      // A stopped while prod was still rolling out: nothing recorded yet, the work is stored.
      expect(await outcome(knexA)).toBe('in-progress');
      expect(
        await knexA('ecs_deploy_rollouts').where({ audit_id: id }),
      ).toHaveLength(1);

      // B: another process's connection pool on PostgreSQL; the same in-memory SQLite otherwise.
      const knexB = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: 'pg',
            connection: (knexA.client as any).config.connection,
          })
        : knexA;
      const b = await startTeamBackend({
        endpoint: emulator.endpoint,
        components: [name],
        knex: knexB,
      });
      try {
        const done = await eventually(
          'replica B records the outcome',
          async () => {
            const res = await request(b.server)
              .get(`${api(name)}/history`)
              .set('Authorization', as(ALICE));
            const row = res.body.items.find((r: any) => r.id === id);
            return row?.outcome === 'rolled-out' && row;
          },
          { timeoutMs: 60_000, intervalMs: 250 },
        );
        expect(done.outcomeMessage).toMatch(
          new RegExp(`^prod runs ${name}-prod:2: 1 of 1 tasks running$`),
        );
        expect(
          await knexB('ecs_deploy_rollouts').where({ audit_id: id }),
        ).toHaveLength(0);
      } finally {
        await b.stop();
        if (knexB !== knexA) await knexB.destroy();
      }
    },
  );
});
