/*
 * Discovery over HTTP against the emulator: the services created directly through the AWS API
 * (no tag, or a tag naming no entity) are listed with their image and a suggested owner and name;
 * the portal's own services and the admin-mapped ones are not.
 */
import { TagResourceCommand } from '@aws-sdk/client-ecs';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { seedLegacyService } from '@internal/dev-kit';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import {
  component,
  ecsClient,
  ecsDeployTestConfig,
  seedService,
} from './__testUtils__/ecsFixtures';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';

jest.setTimeout(90_000);

const ALICE = mockCredentials.user.header('user:default/alice');
const URL = '/api/ecs-deploy/unclaimed-services';
const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

describe('GET /unclaimed-services', () => {
  let moto: Emulator;

  const backend = async (
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) =>
    (
      await startTestBackend({
        features: [
          ecsDeployPlugin,
          mockServices.rootConfig.factory({
            data: ecsDeployTestConfig(moto.endpoint, {
              ownership: {
                mappings: [
                  {
                    entity: 'component:default/mapped',
                    environment: 'prod',
                    service: 'mapped',
                  },
                ],
              },
              onboarding: {
                ownerTags: {
                  keys: ['team', 'owner'],
                  groups: { payments: 'group:default/team-payments' },
                },
              },
            }),
          }),
          catalogServiceMock.factory({
            entities: [
              component('payments-api', 'group:default/team-payments'),
              component('mapped', 'group:default/team-search'),
              group('team-payments'),
              group('team-search'),
            ],
          }),
          mockServices.permissions.factory(result && { result }),
        ],
      })
    ).server;

  beforeAll(async () => {
    moto = await startTestEmulator();
    const e = moto.endpoint;
    // The portal's own (tag names an entity) and an admin-mapped one: not listed.
    await seedService(
      e,
      'staging',
      'payments-api',
      'ghcr.io/acme/payments-api:1.4.0',
    );
    await seedLegacyService(e, 'prod', 'mapped', 'ghcr.io/acme/mapped:1');
    // A tag naming an entity the catalog does not have.
    await seedService(e, 'staging', 'ghost', 'ghcr.io/acme/ghost:3.0.0');
    // Created through the AWS API the way companies do.
    await seedLegacyService(
      e,
      'staging',
      'billing-staging',
      'ghcr.io/acme/billing:7',
      {
        tags: { team: 'payments', cost: 'b42' },
      },
    );
    await seedLegacyService(
      e,
      'prod',
      'Billing_Prod',
      'ghcr.io/acme/billing:6',
      {
        tags: { owner: 'team-search' },
        launchType: 'EC2',
        containers: [
          { name: 'web', image: 'ghcr.io/acme/billing:6', port: 80 },
          { name: 'envoy', image: 'envoyproxy/envoy:v1.30' },
        ],
      },
    );
    for (const n of ['cron-a', 'cron-b', 'cron-c']) {
      await seedLegacyService(e, 'prod', n, `ghcr.io/acme/${n}:1`, {
        tags: { team: 'nobody-has-this-team' },
      });
    }
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('lists the unowned services with cluster, task definition, images and suggestions', async () => {
    const server = await backend();
    const res = await request(server).get(URL).set('Authorization', ALICE);
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    expect(res.body.total).toBe(6);
    expect(
      res.body.items.map((s: any) => `${s.environment}/${s.serviceName}`),
    ).toEqual([
      'staging/billing-staging',
      'staging/ghost',
      'prod/Billing_Prod',
      'prod/cron-a',
      'prod/cron-b',
      'prod/cron-c',
    ]);
    const [billing, ghost, billingProd, cronA] = res.body.items;
    expect(billing).toEqual({
      environment: 'staging',
      cluster: 'test-staging',
      serviceName: 'billing-staging',
      serviceArn:
        'arn:aws:ecs:us-east-1:123456789012:service/test-staging/billing-staging',
      reason: 'no-tag',
      launchType: 'FARGATE',
      desiredCount: 1,
      runningCount: expect.any(Number),
      taskDefinition:
        'arn:aws:ecs:us-east-1:123456789012:task-definition/billing-staging:1',
      containers: [{ name: 'app', image: 'ghcr.io/acme/billing:7' }],
      tags: { team: 'payments', cost: 'b42' },
      suggestedOwner: 'group:default/team-payments',
      suggestedName: 'billing',
    });
    expect(ghost).toMatchObject({
      reason: 'unknown-entity',
      entityRefTag: 'component:default/ghost',
      suggestedName: 'ghost',
    });
    expect(ghost.suggestedOwner).toBeUndefined();
    expect(billingProd).toMatchObject({
      launchType: 'EC2',
      containers: [
        { name: 'web', image: 'ghcr.io/acme/billing:6' },
        { name: 'envoy', image: 'envoyproxy/envoy:v1.30' },
      ],
      // An unlisted tag value names a group the catalog has.
      suggestedOwner: 'group:default/team-search',
      suggestedName: 'billing',
    });
    // A tag value naming no group suggests nobody.
    expect(cronA.suggestedOwner).toBeUndefined();
    expect(res.body.counts).toEqual({
      environments: { staging: 2, prod: 4 },
      owners: {
        'group:default/team-payments': 1,
        'group:default/team-search': 1,
        none: 4,
      },
    });
  });

  it('filters by environment, owner and search, and pages', async () => {
    const server = await backend();
    const get = (q: string) =>
      request(server).get(`${URL}?${q}`).set('Authorization', ALICE);
    const names = (res: request.Response) =>
      res.body.items.map((s: any) => s.serviceName);

    const prod = await get('environment=prod&limit=2');
    expect([prod.body.total, prod.body.offset]).toEqual([4, 0]);
    expect(names(prod)).toEqual(['Billing_Prod', 'cron-a']);
    const next = await get('environment=prod&limit=2&offset=2');
    expect(names(next)).toEqual(['cron-b', 'cron-c']);

    const mine = await get('owner=group:default/team-payments');
    expect(names(mine)).toEqual(['billing-staging']);
    const search = await get('search=ENVOY');
    expect(names(search)).toEqual(['Billing_Prod']);
  });

  it('drops a service once it is tagged for an entity the catalog has', async () => {
    const server = await backend();
    await ecsClient(moto.endpoint).send(
      new TagResourceCommand({
        resourceArn:
          'arn:aws:ecs:us-east-1:123456789012:service/test-prod/cron-c',
        tags: [
          {
            key: 'backstage:entity-ref',
            value: 'component:default/payments-api',
          },
        ],
      }),
    );
    const res = await request(server)
      .get(`${URL}?environment=prod`)
      .set('Authorization', ALICE);
    expect(res.body.items.map((s: any) => s.serviceName)).toEqual([
      'Billing_Prod',
      'cron-a',
      'cron-b',
    ]);
  });

  it('answers bad input with 400 naming the value, and a denied caller with 403', async () => {
    const server = await backend();
    const unknown = await request(server)
      .get(`${URL}?environment=qa`)
      .set('Authorization', ALICE);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /environment "qa" is not configured; known: staging, prod/,
    );
    const badOwner = await request(server)
      .get(`${URL}?owner=payments`)
      .set('Authorization', ALICE);
    expect(badOwner.status).toBe(400);
    expect(badOwner.body.error.message).toMatch(/owner "payments"/);
    const badLimit = await request(server)
      .get(`${URL}?limit=1000`)
      .set('Authorization', ALICE);
    expect(badLimit.status).toBe(400);

    const denied = await backend(AuthorizeResult.DENY);
    const res = await request(denied).get(URL).set('Authorization', ALICE);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/ecs-deploy\.unclaimed\.read/);
    const service = await request(server)
      .get(URL)
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });
});
