/*
 * Two backends starting at once on an empty PostgreSQL database (two replicas of a fresh
 * deployment): both start, and the plugin's schema is migrated once. Each backend has its own
 * connection pool to the same database, as two processes have.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Emulator, startEmulator } from '@internal/dev-kit';
import knexFactory, { Knex } from 'knex';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import { createTestDatabases } from './__testUtils__/databases';
import { ecsDeployTestConfig } from './__testUtils__/ecsFixtures';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const describeIf = (cond: boolean) => (cond ? describe : describe.skip);
const MIGRATIONS = readdirSync(path.resolve(__dirname, '../migrations')).filter(
  file => file.endsWith('.js'),
);

describeIf(databases.supports('POSTGRES_15'))(
  'two backends starting at once on an empty PostgreSQL',
  () => {
    let emulator: Emulator;
    const pools: Knex[] = [];

    beforeAll(async () => {
      emulator = await startEmulator({ rolloutSeconds: 1 });
    });

    afterAll(async () => {
      await Promise.all(pools.slice(1).map(pool => pool.destroy()));
      await emulator?.stop();
    });

    const backend = (knex: Knex) =>
      startTestBackend({
        features: [
          ecsDeployPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: ecsDeployTestConfig(emulator.endpoint, {
              verification: { watch: { environments: [] } },
            }),
          }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      });

    it('both start; each migration is applied once', async () => {
      const first = await databases.init('POSTGRES_15'); // a new, empty database
      const second = knexFactory({
        client: 'pg',
        connection: first.client.config.connection,
      });
      pools.push(first, second);
      expect(await first.schema.hasTable('knex_migrations')).toBe(false);

      const started = await Promise.allSettled([
        backend(first),
        backend(second),
      ]);
      expect(
        started.map(s => (s.status === 'rejected' ? s.reason : 'ok')),
      ).toEqual(['ok', 'ok']);

      for (const s of started) {
        const { server } = (s as PromiseFulfilledResult<any>).value;
        const res = await request(server).get('/api/ecs-deploy/health');
        expect(res.status).toBe(200);
      }
      const applied = await first('knex_migrations').select('name');
      expect(applied.map(row => row.name).sort()).toEqual(
        [...MIGRATIONS].sort(),
      );
      expect(
        (await first('knex_migrations_lock').first('is_locked')).is_locked,
      ).toBe(0);
    });
  },
);
