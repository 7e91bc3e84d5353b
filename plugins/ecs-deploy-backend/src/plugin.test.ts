import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  catalogServiceMock,
  CatalogServiceMock,
} from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';
import { autoscalingClient } from '@internal/dev-kit';
import {
  component,
  ecsClient,
  ecsDeployTestConfig,
  seedService,
  ssmClient,
} from './__testUtils__/ecsFixtures';

jest.setTimeout(60_000);

const OWNER = 'user:default/owner';
const STRANGER = 'user:default/stranger';

/** Owners of group:default/team-a may promote; everyone else is denied. */
const answer = async (
  requests: unknown[],
  options: { credentials: BackstageCredentials },
) => {
  const principal = options.credentials.principal as { userEntityRef?: string };
  const allowed = principal?.userEntityRef === OWNER;
  return requests.map(() => ({
    result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  }));
};
const permissionsMock = mockServices.permissions.mock({
  authorize: answer,
  authorizeConditional: answer,
});

describe('ecs-deploy backend against the AWS emulator', () => {
  let moto: Emulator;
  let server: any;
  let stagingTd: { taskDefinitionArn?: string };
  let prodTd: { taskDefinitionArn?: string };
  let catalog: CatalogServiceMock;

  beforeAll(async () => {
    moto = await startTestEmulator();
    stagingTd = await seedService(
      moto.endpoint,
      'staging',
      'payments-api',
      'ghcr.io/acme/payments-api:1.4.0',
    );
    prodTd = await seedService(
      moto.endpoint,
      'prod',
      'payments-api',
      'ghcr.io/acme/payments-api:1.3.2',
      { desiredCount: 2 },
    );
    // Prod autoscales between 2 and 4 tasks, as the ecs-service module registers it.
    await autoscalingClient(moto.endpoint).send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/test-prod/payments-api',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        MaxCapacity: 4,
      }),
    );
    await seedService(
      moto.endpoint,
      'staging',
      'checkout-web',
      'ghcr.io/acme/checkout-web:2.1.0',
    );
    catalog = catalogServiceMock({
      entities: [
        component('payments-api'),
        component('checkout-web'),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-a', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'no-ecs', namespace: 'default' },
          spec: {},
        },
      ],
    });
    const { server: s } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        mockServices.rootConfig.factory({
          data: ecsDeployTestConfig(moto.endpoint, {
            cache: { statusTtl: { seconds: 1 } },
          }),
        }),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        permissionsMock.factory,
      ],
    });
    server = s;
  });

  afterAll(async () => {
    await moto?.stop();
  });

  const asOwner = () => mockCredentials.user.header(OWNER);

  it('answers /health without a token', async () => {
    const res = await request(server).get('/api/ecs-deploy/health');
    expect(res.status).toBe(200);
  });

  it('refuses unauthenticated requests', async () => {
    const res = await request(server)
      .get('/api/ecs-deploy/entities/component/default/payments-api/status')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('shows staging and prod side by side with images, revisions and log links', async () => {
    const res = await request(server)
      .get('/api/ecs-deploy/entities/component/default/payments-api/status')
      .set('Authorization', asOwner());
    expect(res.status).toBe(200);
    const [staging, prod] = res.body.environments;
    expect(staging.environment).toBe('staging');
    expect(staging.service.images).toEqual([
      {
        container: 'app',
        image: 'ghcr.io/acme/payments-api:1.4.0',
        tag: '1.4.0',
      },
    ]);
    expect(staging.service.taskDefinition).toEqual({
      arn: stagingTd.taskDefinitionArn,
      family: 'payments-api-staging',
      revision: 1,
    });
    expect(prod.service.images[0].tag).toBe('1.3.2');
    expect(prod.service.desiredCount).toBe(2);
    expect(prod.service.autoscaling).toEqual({
      minCapacity: 2,
      maxCapacity: 4,
      suspended: false,
    });
    expect(staging.service.autoscaling).toBeUndefined();
    // moto never starts tasks: the rollout stays IN_PROGRESS
    expect(prod.service.rolloutState).toBe('IN_PROGRESS');
    expect(prod.health).toBe('progressing');
    expect(staging.links.console).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/test-staging/services/payments-api/health?region=us-east-1',
    );
    expect(staging.links.logs).toEqual([
      {
        kind: 'cloudwatch',
        title: 'CloudWatch: /ecs/staging/payments-api',
        url: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fstaging$252Fpayments-api',
      },
      {
        kind: 'template',
        title: 'Log search',
        url: 'https://logs.example.com/?q=payments-api&env=staging&group=%2Fecs%2Fstaging%2Fpayments-api',
      },
    ]);
  });

  it('reports a service missing in one environment as not deployed, without hiding the other', async () => {
    const res = await request(server)
      .get('/api/ecs-deploy/entities/component/default/checkout-web/status')
      .set('Authorization', asOwner());
    expect(res.status).toBe(200);
    expect(
      res.body.environments.map((e: any) => [e.environment, e.health]),
    ).toEqual([
      ['staging', 'progressing'],
      ['prod', 'not-deployed'],
    ]);
  });

  it('lists the team with prod lagging staging', async () => {
    const res = await request(server)
      .get('/api/ecs-deploy/teams/default/team-a/status')
      .set('Authorization', asOwner());
    expect(res.status).toBe(200);
    const rows = Object.fromEntries(
      res.body.rows.map((r: any) => [r.entityRef, r]),
    );
    expect(rows['component:default/payments-api'].lags).toEqual([
      { from: 'staging', to: 'prod', state: 'behind', lagging: true },
    ]);
    expect(
      rows['component:default/checkout-web'].environments.prod.health,
    ).toBe('not-deployed');
  });

  it('lists every service of every team in the org view, filtered and paged', async () => {
    const all = await request(server)
      .get('/api/ecs-deploy/services')
      .set('Authorization', asOwner());
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      environments: ['staging', 'prod'],
      total: 2,
      offset: 0,
      teams: ['group:default/team-a'],
    });
    expect(all.body.rows.map((r: any) => [r.entityRef, r.owner])).toEqual([
      ['component:default/checkout-web', 'group:default/team-a'],
      ['component:default/payments-api', 'group:default/team-a'],
    ]);
    const behind = await request(server)
      .get('/api/ecs-deploy/services?lag=behind&q=pay')
      .set('Authorization', asOwner());
    expect(behind.body.rows.map((r: any) => r.entityRef)).toEqual([
      'component:default/payments-api',
    ]);
    const queried = jest.spyOn(catalog, 'queryEntities');
    const listed = jest.spyOn(catalog, 'getEntities');
    const page = await request(server)
      .get('/api/ecs-deploy/services?limit=1&offset=1&sort=name&order=desc')
      .set('Authorization', asOwner());
    expect(page.body).toMatchObject({
      total: 2,
      offset: 1,
      teams: ['group:default/team-a'],
    });
    expect(page.body.rows.map((r: any) => r.entityRef)).toEqual([
      'component:default/checkout-web',
    ]);
    // A page by name is the catalog's page, read with the caller's credentials: one entity.
    const byOwner = ([, options]: any[]) =>
      options?.credentials?.principal?.userEntityRef === OWNER;
    expect(queried.mock.calls.filter(byOwner)).toHaveLength(1);
    expect(queried.mock.calls.filter(byOwner)[0][0]).toMatchObject({
      orderFields: { field: 'metadata.name', order: 'desc' },
      offset: 1,
      limit: 1,
    });
    expect(listed.mock.calls.filter(byOwner)).toEqual([]); // not every entity
  });

  it('404s for unknown entities and entities without the annotation', async () => {
    for (const name of ['missing', 'no-ecs']) {
      const res = await request(server)
        .get(`/api/ecs-deploy/entities/component/default/${name}/status`)
        .set('Authorization', asOwner());
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(name);
    }
  });

  it('denies a non-owner with 403 and records the denial', async () => {
    const res = await request(server)
      .post(
        '/api/ecs-deploy/entities/component/default/payments-api/promotions',
      )
      .set('Authorization', mockCredentials.user.header(STRANGER))
      .send({ from: 'staging', to: 'prod' });
    expect(res.status).toBe(403);
    const history = await request(server)
      .get('/api/ecs-deploy/entities/component/default/payments-api/history')
      .set('Authorization', asOwner());
    expect(history.body.items[0]).toMatchObject({
      action: 'promote',
      actor: STRANGER,
      result: 'denied',
    });
    const prod = await ecsClient(moto.endpoint).send(
      new DescribeServicesCommand({
        cluster: 'test-prod',
        services: ['payments-api'],
      }),
    );
    expect(prod.services![0].taskDefinition).toBe(prodTd.taskDefinitionArn);
  });

  it('refuses a promotion when prod changed since the caller looked', async () => {
    const res = await request(server)
      .post(
        '/api/ecs-deploy/entities/component/default/payments-api/promotions',
      )
      .set('Authorization', asOwner())
      .send({
        from: 'staging',
        to: 'prod',
        expectedTargetTaskDefinition:
          'arn:aws:ecs:us-east-1:123456789012:task-definition/payments-api-prod:99',
      });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/changed since you looked/);
  });

  it('previews, promotes, keeps the rest of the task definition, writes the image parameter, and rolls back', async () => {
    const preview = await request(server)
      .get(
        '/api/ecs-deploy/entities/component/default/payments-api/promotions/preview?from=staging&to=prod',
      )
      .set('Authorization', asOwner());
    expect(preview.status).toBe(200);
    expect(preview.body.changes).toEqual([
      {
        container: 'app',
        from: 'ghcr.io/acme/payments-api:1.3.2',
        to: 'ghcr.io/acme/payments-api:1.4.0',
      },
    ]);
    expect(preview.body.allowed).toBe(true);

    const promoted = await request(server)
      .post(
        '/api/ecs-deploy/entities/component/default/payments-api/promotions',
      )
      .set('Authorization', asOwner())
      .send({
        from: 'staging',
        to: 'prod',
        expectedTargetTaskDefinition: preview.body.target.taskDefinition.arn,
        reason: 'release 1.4.0',
      });
    expect(promoted.status).toBe(201);
    expect(promoted.body.taskDefinition.family).toBe('payments-api-prod');
    expect(promoted.body.taskDefinition.revision).toBe(2);
    expect(promoted.body.audit).toMatchObject({
      result: 'succeeded',
      actor: OWNER,
      reason: 'release 1.4.0',
    });

    const ecs = ecsClient(moto.endpoint);
    const service = (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: 'test-prod',
          services: ['payments-api'],
        }),
      )
    ).services![0];
    expect(service.taskDefinition).toContain('payments-api-prod:2');
    const before = (
      await ecs.send(
        new DescribeTaskDefinitionCommand({
          taskDefinition: prodTd.taskDefinitionArn,
        }),
      )
    ).taskDefinition!;
    const after = (
      await ecs.send(
        new DescribeTaskDefinitionCommand({
          taskDefinition: 'payments-api-prod:2',
        }),
      )
    ).taskDefinition!;
    expect(after.containerDefinitions![0].image).toBe(
      'ghcr.io/acme/payments-api:1.4.0',
    );
    // Everything but the image is kept: env vars, secrets, roles, sizes, log configuration.
    const strip = (td: typeof before) => ({
      ...td,
      taskDefinitionArn: undefined,
      revision: undefined,
      registeredAt: undefined,
      registeredBy: undefined,
      containerDefinitions: td.containerDefinitions!.map(c => ({
        ...c,
        image: undefined,
      })),
    });
    expect(strip(after)).toEqual(strip(before));
    const parameter = await ssmClient(moto.endpoint).send(
      new GetParameterCommand({
        Name: '/ecs-deploy/prod/payments-api/image/app',
      }),
    );
    expect(parameter.Parameter?.Value).toBe('ghcr.io/acme/payments-api:1.4.0');

    // A second click on the same promotion: prod already runs staging's images.
    const again = await request(server)
      .post(
        '/api/ecs-deploy/entities/component/default/payments-api/promotions',
      )
      .set('Authorization', asOwner())
      .send({ from: 'staging', to: 'prod' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already runs/);

    const rollbackPreview = await request(server)
      .get(
        '/api/ecs-deploy/entities/component/default/payments-api/rollbacks/preview?environment=prod',
      )
      .set('Authorization', asOwner());
    expect(rollbackPreview.body.previous.taskDefinition.revision).toBe(1);
    const rolledBack = await request(server)
      .post('/api/ecs-deploy/entities/component/default/payments-api/rollbacks')
      .set('Authorization', asOwner())
      .send({ environment: 'prod', reason: 'bad release' });
    expect(rolledBack.status).toBe(201);
    const restored = (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: 'test-prod',
          services: ['payments-api'],
        }),
      )
    ).services![0];
    // Rolled forward to a copy of revision 1 (so Terraform's track_latest agrees).
    expect(restored.taskDefinition).toContain('payments-api-prod:3');
    const copy = (
      await ecs.send(
        new DescribeTaskDefinitionCommand({
          taskDefinition: 'payments-api-prod:3',
        }),
      )
    ).taskDefinition!;
    expect(strip(copy)).toEqual(strip(before));
    expect(copy.containerDefinitions![0].image).toBe(
      'ghcr.io/acme/payments-api:1.3.2',
    );
    const restoredParameter = await ssmClient(moto.endpoint).send(
      new GetParameterCommand({
        Name: '/ecs-deploy/prod/payments-api/image/app',
      }),
    );
    expect(restoredParameter.Parameter?.Value).toBe(
      'ghcr.io/acme/payments-api:1.3.2',
    );

    const history = await request(server)
      .get('/api/ecs-deploy/entities/component/default/payments-api/history')
      .set('Authorization', asOwner());
    const succeeded = history.body.items.filter(
      (i: any) => i.result === 'succeeded',
    );
    expect(succeeded.map((i: any) => i.action)).toEqual([
      'rollback',
      'promote',
    ]);
    expect(succeeded[1]).toMatchObject({
      fromEnvironment: 'staging',
      toEnvironment: 'prod',
      previousTaskDefinition: prodTd.taskDefinitionArn,
      newImages: [
        {
          container: 'app',
          image: 'ghcr.io/acme/payments-api:1.4.0',
          tag: '1.4.0',
        },
      ],
    });
  });
});
