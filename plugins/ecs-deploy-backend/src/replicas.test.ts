/*
 * Two backend replicas sharing PostgreSQL (locks, audit) and Redis (the status and task
 * definition cache), in front of the emulator behind a counting proxy.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AwsProxy,
  Emulator,
  eventually,
  startAwsProxy,
  startEmulator,
} from '@internal/dev-kit';
import { Knex } from 'knex';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import { createTestCaches } from './__testUtils__/caches';
import { createTestDatabases } from './__testUtils__/databases';
import {
  component,
  ecsDeployTestConfig,
  seedStagingAhead,
} from './__testUtils__/ecsFixtures';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const caches = createTestCaches();
const OWNER = mockCredentials.user.header('user:default/owner');
const NAMES = Array.from(
  { length: 12 },
  (_, i) => `rep-${String(i).padStart(2, '0')}`,
);
/** Long enough that the reads a test makes right after a refresh all fall inside one TTL. */
const TTL_SECONDS = 5;
const RUN = `replicas-${Date.now()}`;

const describeIf = (cond: boolean) => (cond ? describe : describe.skip);

describeIf(databases.supports('POSTGRES_15') && caches.supports('REDIS_7'))(
  'two replicas on PostgreSQL and Redis',
  () => {
    let emulator: Emulator;
    let proxy: AwsProxy;
    let knex: Knex;
    let redis: string;
    const servers: any[] = [];

    const replica = async (cacheConnection: string) => {
      const { server } = await startTestBackend({
        features: [
          ecsDeployPlugin,
          cacheServiceFactory,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                cache: {
                  store: 'redis',
                  connection: cacheConnection,
                  // Shared by the two replicas, fresh for every run of the suite.
                  redis: { client: { namespace: RUN } },
                },
              },
              ...ecsDeployTestConfig(proxy.endpoint, {
                cache: { statusTtl: { seconds: TTL_SECONDS } },
                // No watcher of CI deploys: its reads of staging would count among the calls
                // measured here (verification.test covers it).
                verification: { watch: { environments: [] } },
              }),
            },
          }),
          catalogServiceMock.factory({
            entities: [
              ...NAMES.map(n => component(n)),
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Group',
                metadata: { name: 'team-a', namespace: 'default' },
                spec: { type: 'team', children: [] },
              },
            ],
          }),
          mockServices.permissions.factory(),
        ],
      });
      return server;
    };
    const team = (server: any) =>
      request(server)
        .get('/api/ecs-deploy/teams/default/team-a/status')
        .set('Authorization', OWNER);
    const calls = (action: string) => proxy.counts.get(action) ?? 0;
    const refreshClaims = async () =>
      (
        await knex('ecs_deploy_locks')
          .where('lock_key', 'like', 'refresh:%')
          .andWhere('expires_at', '>', new Date())
      ).length;

    beforeAll(async () => {
      emulator = await startEmulator({ rolloutSeconds: 1 });
      for (const name of NAMES) {
        await seedStagingAhead(emulator.endpoint, name);
      }
      proxy = await startAwsProxy({ target: emulator.endpoint });
      knex = await databases.init('POSTGRES_15');
      redis = (await caches.init('REDIS_7')).connection;
      servers.push(await replica(redis), await replica(redis));
    });

    afterAll(async () => {
      await proxy?.close();
      await emulator?.stop();
    });

    it('shares task definitions: after the status TTL, the peer pays only DescribeServices', async () => {
      const [a, b] = servers;
      expect((await team(a)).status).toBe(200);
      expect(calls('DescribeServices')).toBe(4); // 12 names, 10 per call, 2 environments
      expect(calls('DescribeTaskDefinition')).toBe(24);
      const readAt = Date.now();
      proxy.reset();
      expect((await team(b)).status).toBe(200); // warm: the shared cache answers
      expect(proxy.total()).toBe(0);
      // At least a TTL later (a lower bound only: any later moment is past it too).
      await new Promise(r =>
        setTimeout(r, readAt + TTL_SECONDS * 1000 + 100 - Date.now()),
      );
      // Past the TTL: B answers from the cache at once and refreshes in the background.
      expect((await team(b)).status).toBe(200);
      await eventually(
        'the background refresh',
        () => calls('DescribeServices') === 4,
      );
      expect(calls('DescribeTaskDefinition')).toBe(0);
      // One refresh per TTL whatever the readers: A and B reading again find it done, and no
      // refresh claim is left in the shared database (none started, or all finished).
      await eventually(
        'the refresh claims released',
        async () => (await refreshClaims()) === 0,
      );
      await Promise.all([team(a), team(b), team(a)]);
      await eventually(
        'no refresh claim held',
        async () => (await refreshClaims()) === 0,
      );
      expect(calls('DescribeServices')).toBe(4);
    });

    it("shows a promotion made through one replica in the other's very next read", async () => {
      const [a, b] = servers;
      const entity = '/api/ecs-deploy/entities/component/default/rep-00';
      await eventually('staging and prod of rep-00 healthy', async () => {
        const s = (
          await request(b).get(`${entity}/status`).set('Authorization', OWNER)
        ).body;
        return s.environments.every((e: any) => e.health === 'healthy');
      });
      const before = (
        await request(b).get(`${entity}/status`).set('Authorization', OWNER)
      ).body.environments[1];
      const promoted = await request(a)
        .post(`${entity}/promotions`)
        .set('Authorization', OWNER)
        .send({ from: 'staging', to: 'prod' });
      expect(promoted.status).toBe(201);
      const after = (
        await request(b).get(`${entity}/status`).set('Authorization', OWNER)
      ).body.environments[1];
      expect(after.service.taskDefinition.revision).toBe(
        before.service.taskDefinition.revision + 1,
      );
      expect(after.service.taskDefinition).toEqual(
        promoted.body.taskDefinition,
      );
    });

    it('keeps serving from ECS when Redis is down', async () => {
      const down = await replica('redis://127.0.0.1:1'); // nothing listens there
      const started = Date.now();
      const res = await team(down);
      expect(res.status).toBe(200);
      expect(res.body.rows).toHaveLength(NAMES.length);
      expect(
        res.body.rows.every(
          (r: any) => r.environments.prod.health !== 'unknown',
        ),
      ).toBe(true);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await team(down)).status).toBe(200);
    });
  },
);
