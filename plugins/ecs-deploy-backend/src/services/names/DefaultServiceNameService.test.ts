import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { component, seedService } from '../../__testUtils__/ecsFixtures';
import { Emulator, startTestEmulator } from '../../__testUtils__/emulator';
import { buildReadStack } from '../../__testUtils__/readStack';
import { DefaultServiceNameService } from './DefaultServiceNameService';

jest.setTimeout(60_000);

/** The name table the scaffolder and `terraform test` read too. */
const cases: { serviceNames: { valid: string[]; invalid: string[] } } =
  JSON.parse(
    fs.readFileSync(
      resolvePackagePath(
        '@deployment-portal/plugin-ecs-deploy-common',
        'src/rules/nameCases.json',
      ),
      'utf8',
    ),
  );

describe('DefaultServiceNameService', () => {
  let moto: Emulator;
  let names: DefaultServiceNameService;

  beforeAll(async () => {
    moto = await startTestEmulator();
    await seedService(moto.endpoint, 'staging', 'payments-api', 'r/p:1');
    await seedService(moto.endpoint, 'prod', 'orphan', 'r/o:1'); // an ECS service without an entity
    const aliased = component('search-indexer', 'group:default/team-search');
    aliased.metadata.annotations!['ecs-deploy.io/service-name.prod'] =
      'indexer-v2';
    const { settings, store } = await buildReadStack({
      endpoint: moto.endpoint,
    });
    names = new DefaultServiceNameService({
      settings,
      store,
      auth: mockServices.auth(),
      catalog: catalogServiceMock({
        entities: [
          component('payments-api', 'group:default/team-payments'),
          component('catalog-only'),
          aliased,
        ],
      }),
    });
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('offers a fresh name', async () => {
    expect(await names.check('brand-new')).toEqual({
      name: 'brand-new',
      available: true,
      conflicts: [],
    });
  });

  it('refuses a name an entity has, naming its owner, and the ECS service it also is', async () => {
    const check = await names.check('payments-api');
    expect(check.available).toBe(false);
    expect(check.conflicts).toEqual([
      {
        code: 'entity-exists',
        message:
          'component:default/payments-api already exists (owned by group:default/team-payments)',
      },
      {
        code: 'ecs-service-exists',
        environment: 'staging',
        message:
          'An ECS service payments-api already runs in staging (cluster test-staging), tagged for component:default/payments-api',
      },
    ]);
  });

  it('refuses an ECS service without an entity, an entity without a service, and an annotation target', async () => {
    expect(
      (await names.check('orphan')).conflicts.map(c => [c.code, c.environment]),
    ).toEqual([['ecs-service-exists', 'prod']]);
    expect(
      (await names.check('catalog-only')).conflicts.map(c => c.code),
    ).toEqual(['entity-exists']);
    expect((await names.check('indexer-v2')).conflicts).toEqual([
      {
        code: 'entity-exists',
        message:
          'component:default/search-indexer (owned by group:default/team-search) already names the ECS service indexer-v2',
      },
    ]);
  });

  it.each(cases.serviceNames.invalid.filter(n => n !== ''))(
    'refuses the invalid name %j with the rule',
    async name => {
      const check = await names.check(name);
      expect(check.available).toBe(false);
      expect(check.conflicts[0].code).toBe('invalid-name');
    },
  );
});
