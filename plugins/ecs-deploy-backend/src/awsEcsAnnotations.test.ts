/*
 * Entities coming from AWS's ECS plugin for Backstage (annotated
 * `aws.amazon.com/amazon-ecs-service-arn` or `aws.amazon.com/amazon-ecs-service-tags`), over HTTP
 * against the emulator: discovery names the entity and suggests its owner; the adoption starts
 * from it, for its owner's members only (403 otherwise), under the entity's own name; afterwards
 * the service is owned and the entity's annotations still point at it.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AWS_ECS_SERVICE_ARN_ANNOTATION,
  AWS_ECS_SERVICE_TAGS_ANNOTATION,
  awsEcsAnnotationsMatch,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { seedLegacyService } from '@internal/dev-kit';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import { ecsClient, ecsDeployTestConfig } from './__testUtils__/ecsFixtures';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';

jest.setTimeout(120_000);

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const ARN = (name: string) =>
  `arn:aws:ecs:us-east-1:123456789012:service/test-staging/${name}`;
const entity = (
  kind: string,
  name: string,
  spec: object,
  annotations: Record<string, string> = {},
  relations: Entity['relations'] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec,
  relations,
});
const member = (name: string, group: string) =>
  entity('User', name, { memberOf: [group] }, {}, [
    { type: 'memberOf', targetRef: `group:default/${group}` },
  ]);
// Registered from AWS's ECS plugin: one by the service's ARN, one by its tags.
const inventory = entity(
  'Component',
  'inventory',
  { type: 'service', lifecycle: 'production', owner: 'team-search' },
  { [AWS_ECS_SERVICE_ARN_ANNOTATION]: ARN('inventory') },
);
const shippingApp = entity(
  'Component',
  'shipping-app',
  { type: 'service', lifecycle: 'production', owner: 'group:default/team-ops' },
  { [AWS_ECS_SERVICE_TAGS_ANNOTATION]: 'app=shipping, tier=web' },
);

describe('AWS ECS plugin annotations', () => {
  let moto: Emulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  const describeService = async (name: string) =>
    (
      await ecsClient(moto.endpoint).send(
        new DescribeServicesCommand({
          cluster: 'test-staging',
          services: [name],
          include: ['TAGS'],
        }),
      )
    ).services![0];
  const unclaimed = async () => {
    const res = await request(server)
      .get('/api/ecs-deploy/unclaimed-services?environment=staging')
      .set('Authorization', as('alice'));
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    return new Map<string, any>(
      res.body.items.map((s: any) => [s.serviceName, s]),
    );
  };

  beforeAll(async () => {
    moto = await startTestEmulator();
    const e = moto.endpoint;
    await seedLegacyService(e, 'staging', 'inventory', 'ghcr.io/acme/inv:4');
    await seedLegacyService(e, 'prod', 'cron', 'ghcr.io/acme/cron:1');
    await seedLegacyService(e, 'staging', 'shipping', 'ghcr.io/acme/ship:2', {
      tags: { app: 'shipping', tier: 'web', team: 'payments' },
    });
    // Carries one of the two tags only: shipping-app's annotation does not point at it.
    await seedLegacyService(e, 'staging', 'shipping-batch', 'ghcr.io/a:1', {
      tags: { app: 'shipping' },
    });
    server = (
      await startTestBackend({
        features: [
          ecsDeployPlugin,
          mockServices.rootConfig.factory({
            data: ecsDeployTestConfig(e, {
              onboarding: {
                ownerTags: {
                  keys: ['team'],
                  groups: { payments: 'group:default/team-payments' },
                },
              },
            }),
          }),
          catalogServiceMock.factory({
            entities: [
              inventory,
              shippingApp,
              entity('Group', 'team-search', { type: 'team', children: [] }),
              entity('Group', 'team-ops', { type: 'team', children: [] }),
              entity('Group', 'team-payments', { type: 'team', children: [] }),
              member('carol', 'team-search'),
              member('alice', 'team-payments'),
            ],
          }),
        ],
      })
    ).server;
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('discovery names the annotated entity and suggests its owner, over the tags', async () => {
    const services = await unclaimed();
    expect(services.get('inventory')).toMatchObject({
      reason: 'annotated',
      annotatedBy: 'component:default/inventory',
      suggestedOwner: 'group:default/team-search',
    });
    expect(services.get('shipping')).toMatchObject({
      reason: 'annotated',
      annotatedBy: 'component:default/shipping-app',
      suggestedOwner: 'group:default/team-ops',
    });
    expect(services.get('shipping-batch')).toMatchObject({
      reason: 'no-tag',
    });
    expect(services.get('shipping-batch').annotatedBy).toBeUndefined();
  });

  it('adopts from the annotated entity of the same name, for its owner only, and keeps its annotation working', async () => {
    const body = {
      serviceName: 'inventory',
      environments: ['staging'],
      owner: 'group:default/team-search',
    };
    const refused = await request(server)
      .post('/api/ecs-deploy/adoptions')
      .set('Authorization', as('alice'))
      .send(body);
    expect([refused.status, refused.body.error?.message]).toEqual([
      403,
      'user:default/alice may not adopt inventory: only members of group:default/team-search or an admin may (member of group:default/team-payments)',
    ]);
    const adopted = await request(server)
      .post('/api/ecs-deploy/adoptions')
      .set('Authorization', as('carol'))
      .send(body);
    expect([adopted.status, adopted.body.error?.message]).toEqual([
      201,
      undefined,
    ]);
    expect(adopted.body.entityRef).toBe('component:default/inventory');
    const after = await describeService('inventory');
    expect(
      Object.fromEntries((after.tags ?? []).map(t => [t.key, t.value])),
    ).toEqual({ 'backstage:entity-ref': 'component:default/inventory' });
    // Same service, same ARN: the AWS plugin's annotation still finds it.
    expect(
      awsEcsAnnotationsMatch(inventory, {
        serviceArn: after.serviceArn!,
        tags: {},
      }),
    ).toBe(true);
    expect((await unclaimed()).has('inventory')).toBe(false);
  });

  it('matches annotations by ARN, or by every tag pair', () => {
    const service = {
      serviceArn: ARN('shipping'),
      tags: { app: 'shipping', tier: 'web' },
    };
    expect([
      awsEcsAnnotationsMatch(shippingApp, service),
      awsEcsAnnotationsMatch(shippingApp, {
        ...service,
        tags: { app: 'shipping' },
      }),
      awsEcsAnnotationsMatch(inventory, service),
      awsEcsAnnotationsMatch(entity('Component', 'x', {}), service),
    ]).toEqual([true, false, false, false]);
  });
});
