/*
 * Proof of ownership over HTTP against the emulator: an entity of another team that names
 * payments-api's ECS service can see it (with the problem) but never change it.
 */
import {
  DescribeServicesCommand,
  ListTaskDefinitionsCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import {
  component,
  ecsClient,
  ecsDeployTestConfig,
  seedService,
  ssmClient,
} from './__testUtils__/ecsFixtures';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';

jest.setTimeout(90_000);

const CAROL = mockCredentials.user.header('user:default/carol');
const api = (entity: string) =>
  `/api/ecs-deploy/entities/component/default/${entity}`;

/** team-search's entities pointing at payments-api's services. */
function searchEntity(name: string, annotations: Record<string, string>) {
  const entity = component(name, 'group:default/team-search');
  entity.metadata.annotations = annotations;
  return entity;
}

describe('proof of ownership', () => {
  let moto: Emulator;
  let server: any;

  const prodState = async () => {
    const ecs = ecsClient(moto.endpoint);
    const [service] = (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: 'test-prod',
          services: ['payments-api'],
        }),
      )
    ).services!;
    const revisions = (
      await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: 'payments-api-prod' }),
      )
    ).taskDefinitionArns;
    const parameter = (
      await ssmClient(moto.endpoint).send(
        new GetParameterCommand({
          Name: '/ecs-deploy/prod/payments-api/image/app',
        }),
      )
    ).Parameter?.Value;
    return { taskDefinition: service.taskDefinition, revisions, parameter };
  };

  beforeAll(async () => {
    moto = await startTestEmulator();
    await seedService(
      moto.endpoint,
      'staging',
      'payments-api',
      'ghcr.io/acme/payments-api:1.4.0',
    );
    await seedService(
      moto.endpoint,
      'prod',
      'payments-api',
      'ghcr.io/acme/payments-api:1.3.2',
    );
    await seedService(
      moto.endpoint,
      'staging',
      'carol-svc',
      'ghcr.io/evil/miner:6.6.6',
    );
    // A service from before the tag: no backstage:entity-ref.
    for (const env of ['staging', 'prod']) {
      await seedService(
        moto.endpoint,
        env,
        'legacy',
        `ghcr.io/acme/legacy:${env === 'staging' ? '2' : '1'}`,
      );
      await ecsClient(moto.endpoint).send(
        new UntagResourceCommand({
          resourceArn: `arn:aws:ecs:us-east-1:123456789012:service/test-${env}/legacy`,
          tagKeys: ['backstage:entity-ref'],
        }),
      );
    }
    const { server: s } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        mockServices.rootConfig.factory({
          data: ecsDeployTestConfig(moto.endpoint, {
            cache: { statusTtl: { milliseconds: 1 } },
            ownership: {
              mappings: [
                {
                  entity: 'component:default/legacy',
                  environment: 'staging',
                  service: 'legacy',
                },
                {
                  entity: 'component:default/legacy',
                  environment: 'prod',
                  service: 'legacy',
                },
                {
                  entity: 'component:default/legacy-alias',
                  environment: 'staging',
                  service: 'legacy',
                },
                {
                  entity: 'component:default/legacy-alias',
                  environment: 'prod',
                  service: 'legacy',
                },
              ],
            },
          }),
        }),
        catalogServiceMock.factory({
          entities: [
            component('payments-api', 'group:default/team-payments'),
            searchEntity('hijack', {
              'ecs-deploy.io/service-name': 'payments-api',
            }),
            searchEntity('crosswired', {
              'ecs-deploy.io/service-name': 'carol-svc',
              'ecs-deploy.io/service-name.prod': 'payments-api',
            }),
            component('legacy'),
            searchEntity('legacy-alias', {
              'ecs-deploy.io/service-name': 'legacy',
            }),
          ],
        }),
        // The portal's policy allows an entity's owners; carol owns her entities.
        mockServices.permissions.factory(),
      ],
    });
    server = s;
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it("refuses promote and rollback of another team's service with 403, audits them, writes nothing", async () => {
    const before = await prodState();
    const promote = await request(server)
      .post(`${api('hijack')}/promotions`)
      .set('Authorization', CAROL)
      .send({ from: 'staging', to: 'prod' });
    expect(promote.status).toBe(403);
    expect(promote.body.error.message).toBe(
      'ECS service payments-api in staging (cluster test-staging) carries backstage:entity-ref=component:default/payments-api, so it is not owned by component:default/hijack; only the entity its tag names may promote or roll it back',
    );
    const rollback = await request(server)
      .post(`${api('hijack')}/rollbacks`)
      .set('Authorization', CAROL)
      .send({ environment: 'prod' });
    expect(rollback.status).toBe(403);
    expect(rollback.body.error.message).toContain(
      'ECS service payments-api in prod',
    );
    expect(await prodState()).toEqual(before);

    // payments-api's own history shows both attempts, naming the service and the entity that tried.
    const history = await request(server)
      .get(`${api('payments-api')}/history`)
      .set('Authorization', CAROL);
    expect(history.body.items.slice(0, 2)).toEqual([
      expect.objectContaining({
        action: 'rollback',
        entityRef: 'component:default/hijack',
        actor: 'user:default/carol',
        result: 'denied',
        targetService: expect.objectContaining({
          serviceName: 'payments-api',
          cluster: 'test-prod',
        }),
      }),
      expect.objectContaining({
        action: 'promote',
        entityRef: 'component:default/hijack',
        result: 'denied',
      }),
    ]);
  });

  it("refuses the cross-wired variant (own staging, another team's prod)", async () => {
    const before = await prodState();
    const res = await request(server)
      .post(`${api('crosswired')}/promotions`)
      .set('Authorization', CAROL)
      .send({ from: 'staging', to: 'prod' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      'ECS service carol-svc in staging (cluster test-staging) carries backstage:entity-ref=component:default/carol-svc',
    );
    expect(await prodState()).toEqual(before);
  });

  it('shows the hijacked service with a not-owned problem and a preview that says no', async () => {
    const status = await request(server)
      .get(`${api('hijack')}/status`)
      .set('Authorization', CAROL);
    expect(status.status).toBe(200);
    const prod = status.body.environments[1];
    expect(prod.ownership).toEqual({
      owned: false,
      tag: 'component:default/payments-api',
    });
    expect(prod.problems[0].code).toBe('not-owned');
    const preview = await request(server)
      .get(`${api('hijack')}/promotions/preview?from=staging&to=prod`)
      .set('Authorization', CAROL);
    expect(preview.body.allowed).toBe(false);
    expect(preview.body.blockers.map((b: any) => b.code)).toEqual([
      'not-owned',
      'not-owned',
    ]);
  });

  it('accepts an untagged service through the admin mapping, and says so in the audit', async () => {
    const res = await request(server)
      .post(`${api('legacy')}/promotions`)
      .set('Authorization', CAROL)
      .send({ from: 'staging', to: 'prod', reason: 'legacy release' });
    expect(res.status).toBe(201);
    expect(res.body.audit).toMatchObject({
      result: 'succeeded',
      ownershipProof: 'mapping',
    });
  });

  it('lets exactly one of two entities aliasing one ECS service write at a time', async () => {
    const [a, b] = await Promise.all(
      ['legacy', 'legacy-alias'].map(entity =>
        request(server)
          .post(`${api(entity)}/rollbacks`)
          .set('Authorization', CAROL)
          .send({ environment: 'prod' }),
      ),
    );
    // legacy has a promotion to roll back; the alias shares the service and its lock.
    const statuses = [a.status, b.status].sort();
    expect(statuses).toContain(201);
    expect(statuses.filter(s => s === 201)).toHaveLength(1);
    const refused = [a, b].find(r => r.status !== 201)!;
    expect(refused.status).toBe(409);
  });
});
