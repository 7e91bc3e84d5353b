/*
 * The first step of templates/ecs-service against the real ecs-deploy backend (its
 * GET /service-names/:name) and the local AWS emulator: a name held by an ECS service without an
 * entity, by an entity, or free.
 */
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  Emulator,
  seedEnvironment,
  seedService,
  startEmulator,
  TEST_ACCOUNT,
  TEST_CREDENTIALS,
  TEST_REGION,
} from '@internal/dev-kit';
// The real backend on purpose: this test checks the two plugins together.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy-backend';
import request from 'supertest';
import {
  groupEntity,
  loadTemplate,
  userInfoWith,
} from './__testUtils__/backend';
import scaffolderModuleEcsDeploy from './index';

jest.setTimeout(90_000);

describe('check-service against the ecs-deploy backend and the emulator', () => {
  const publishDir = createMockDirectory();
  let emulator: Emulator;
  let server: any;
  let template: any;
  let directoryContents: Array<{ path: string; base64Content: string }>;

  beforeAll(async () => {
    ({ template, directoryContents } = await loadTemplate());
    emulator = await startEmulator({ rolloutSeconds: 3600 });
    // legacy-worker runs in staging but has no entity; prod's cluster exists and is empty.
    await seedService(emulator.endpoint, 'staging', 'legacy-worker', 'x:1');
    await seedService(emulator.endpoint, 'prod', 'other-svc', 'x:1');
    // Prod has the shared load balancer a canary routes through; render-service reads its rules
    // with the SDK's default credentials.
    await seedEnvironment(emulator.endpoint, 'prod', { alb: true });
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    const environment = (name: string) => ({
      name,
      region: TEST_REGION,
      cluster: `test-${name}`,
      accountId: TEST_ACCOUNT,
      endpoint: emulator.endpoint,
    });
    ({ server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleEcsDeploy,
        ecsDeployPlugin,
        userInfoWith(['group:default/team-payments']),
        mockServices.permissions.factory(),
        catalogServiceMock.factory({
          entities: [
            groupEntity('team-payments'),
            groupEntity('team-search'),
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'search-api', namespace: 'default' },
              spec: {
                type: 'service',
                lifecycle: 'production',
                owner: 'group:default/team-search',
              },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            aws: {
              accounts: [{ accountId: TEST_ACCOUNT, ...TEST_CREDENTIALS }],
            },
            ecsDeploy: {
              environments: [environment('staging'), environment('prod')],
              promotionPaths: [{ from: 'staging', to: 'prod' }],
              scaffolder: { localPublishDir: publishDir.path },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  const dryRun = (name: string, values: object = {}) =>
    request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template,
        values: {
          name,
          description: 'A service',
          owner: 'group:default/team-payments',
          environments: ['staging', 'prod'],
          publishTarget: 'local',
          ...values,
        },
        secrets: {},
        directoryContents,
      });

  it('refuses the name of an ECS service that has no entity', async () => {
    const res = await dryRun('legacy-worker');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^Invalid name "legacy-worker": An ECS service legacy-worker already runs in staging \(cluster test-staging\)/,
    );
  });

  it('refuses the name of an existing entity', async () => {
    const res = await dryRun('search-api');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'Invalid name "search-api": component:default/search-api already exists (owned by group:default/team-search)',
    );
  });

  it('accepts a free name and renders the service', async () => {
    const res = await dryRun('orders-api');
    expect(res.status).toBe(200);
    expect(res.body.directoryContents.map((f: any) => f.path)).toContain(
      'terraform/prod/main.tf',
    );
  });

  it('renders the prod strategy the form chose, with its defaults, on the shared listener', async () => {
    const res = await dryRun('orders-api', { prodStrategy: 'canary' });
    expect(res.status).toBe(200);
    const file = (p: string) =>
      Buffer.from(
        res.body.directoryContents.find((f: any) => f.path === p).base64Content,
        'base64',
      ).toString('utf8');
    const prod = file('terraform/prod/main.tf');
    expect(prod).toMatch(/ {4}priority {10}= \d{5}\n/);
    expect(prod).toContain(`  deployment_strategy = {
    type                     = "canary"
    canary_percent           = 10
    canary_bake_time_minutes = 10
    bake_time_minutes        = 10
  }`);
    expect(file('terraform/staging/main.tf')).not.toContain('load_balancer');
  });
});
