import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import { createTestDatabases } from './__testUtils__/databases';
import {
  component,
  ecsClient,
  ecsDeployTestConfig,
  seedService,
  seedStagingAhead,
} from './__testUtils__/ecsFixtures';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const OWNER = mockCredentials.user.header('user:default/owner');

async function backendOn(knex: Knex, endpoint: string, names: string[]) {
  const { server } = await startTestBackend({
    features: [
      ecsDeployPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: ecsDeployTestConfig(endpoint) }),
      catalogServiceMock.factory({ entities: names.map(n => component(n)) }),
    ],
  });
  return server;
}

describe('concurrent promotions', () => {
  let moto: Emulator;
  beforeAll(async () => {
    moto = await startTestEmulator();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const name = `conc-${databaseId.toLowerCase().replace(/_/g, '-')}`;

    it('lets exactly one of 20 simultaneous promotions of one entity proceed', async () => {
      await seedStagingAhead(moto.endpoint, name);
      const knex = await databases.init(databaseId);
      const server = await backendOn(knex, moto.endpoint, [name]);
      const url = `/api/ecs-deploy/entities/component/default/${name}/promotions`;
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          request(server)
            .post(url)
            .set('Authorization', OWNER)
            .send({ from: 'staging', to: 'prod' }),
        ),
      );
      const statuses = responses.map(r => r.status).sort();
      expect(statuses.filter(s => s === 201)).toHaveLength(1);
      expect(statuses.filter(s => s === 409)).toHaveLength(19);
      for (const r of responses.filter(x => x.status === 409)) {
        expect(r.body.error.message).toMatch(/in progress|already runs/);
      }
      const history = await request(server)
        .get(
          `/api/ecs-deploy/entities/component/default/${name}/history?limit=100`,
        )
        .set('Authorization', OWNER);
      expect(history.body.items).toHaveLength(20);
      expect(
        history.body.items.filter((i: any) => i.result === 'succeeded'),
      ).toHaveLength(1);
      expect(
        history.body.items.filter((i: any) => i.result === 'rejected'),
      ).toHaveLength(19);
      const svc = await ecsClient(moto.endpoint).send(
        new DescribeServicesCommand({ cluster: 'test-prod', services: [name] }),
      );
      expect(svc.services![0].taskDefinition).toContain(`${name}-prod:2`);
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('lets exactly one proceed across two backend instances sharing the database', async () => {
        const shared = `${name}-shared`;
        await seedService(
          moto.endpoint,
          'staging',
          shared,
          `ghcr.io/acme/${shared}:2.0.0`,
        );
        await seedService(
          moto.endpoint,
          'prod',
          shared,
          `ghcr.io/acme/${shared}:1.0.0`,
        );
        const knexA = await databases.init(databaseId);
        // A second, independent connection pool to the same database: another replica.
        const knexB = knexFactory({
          client: 'pg',
          connection: (knexA.client as any).config.connection,
        });
        try {
          const [a, b] = [
            await backendOn(knexA, moto.endpoint, [shared]),
            await backendOn(knexB, moto.endpoint, [shared]),
          ];
          const url = `/api/ecs-deploy/entities/component/default/${shared}/promotions`;
          const responses = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              request(i % 2 ? a : b)
                .post(url)
                .set('Authorization', OWNER)
                .send({ from: 'staging', to: 'prod' }),
            ),
          );
          expect(responses.filter(r => r.status === 201)).toHaveLength(1);
          expect(responses.filter(r => r.status === 409)).toHaveLength(19);
          const rows = await knexA('ecs_deploy_audit').where({
            entity_ref: `component:default/${shared}`,
          });
          expect(rows).toHaveLength(20);
          expect(rows.filter(r => r.result === 'succeeded')).toHaveLength(1);
        } finally {
          await knexB.destroy();
        }
      });
    }
  });
});
