/*
 * The policy module in a started backend: the permission backend with this module, the ECS deploy
 * plugin (which applies the policy's conditions to the catalog's owners) and the emulator as AWS.
 * Staging is left to the owners, prod to the admins: an owner promotes dev → staging and gets a
 * 403 naming prod for staging → prod, and the preview says so; an admin promotes into prod.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
// The backend this module runs in, started for the test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy-backend';
import {
  ecsDeployTestConfig,
  eventually,
  type Emulator,
  seedService,
  startEmulator,
} from '@internal/dev-kit';
import request from 'supertest';
import { pluginRequestAuthServiceFactory } from './__testUtils__/pluginRequestAuth';
import policyModule from './index';

jest.setTimeout(120_000);

const ALICE = 'user:default/alice'; // team-a, which owns payments-api
const CAROL = 'user:default/carol'; // another team
const DAVE = 'user:default/dave'; // platform, the admin group
const SERVICE = 'payments-api';
const API = `/api/ecs-deploy/entities/component/default/${SERVICE}`;

const groupsOf: Record<string, string[]> = {
  [ALICE]: ['group:default/team-a'],
  [CAROL]: ['group:default/team-search'],
  [DAVE]: ['group:default/platform'],
};

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: SERVICE,
      namespace: 'default',
      annotations: { 'ecs-deploy.io/service-name': SERVICE },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: ALICE }],
  },
];

/** staging and prod of the dev kit, and dev before them: dev → staging → prod. */
function threeEnvironments(endpoint: string) {
  const base = ecsDeployTestConfig(endpoint);
  const [staging, prod] = base.ecsDeploy.environments;
  const dev = { ...prod, name: 'dev', title: 'Dev', cluster: 'test-dev' };
  return ecsDeployTestConfig(endpoint, {
    environments: [dev, staging, prod],
    promotionPaths: [
      { from: 'dev', to: 'staging', requireHealthySource: false },
      { from: 'staging', to: 'prod', requireHealthySource: false },
    ],
    permissions: {
      adminGroups: ['group:default/platform'],
      environments: [
        { name: 'staging', promote: 'owners' },
        { name: 'prod', promote: 'admins' },
      ],
    },
  });
}

describe('the ECS deploy policy module', () => {
  let emulator: Emulator;
  let server: any;
  const as = (user: string) => mockCredentials.user.header(user);
  const preview = (user: string, from: string, to: string) =>
    request(server)
      .get(`${API}/promotions/preview?from=${from}&to=${to}`)
      .set('Authorization', as(user));
  const promote = (user: string, from: string, to: string) =>
    request(server)
      .post(`${API}/promotions`)
      .set('Authorization', as(user))
      .send({ from, to, reason: 'release' });
  const imagesIn = async (env: string) =>
    (
      await request(server).get(`${API}/status`).set('Authorization', as(DAVE))
    ).body.environments
      ?.find((e: any) => e.environment === env)
      ?.service?.images?.map((i: any) => i.image)
      .join();

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1 });
    for (const [env, version] of [
      ['dev', '3.0.0'],
      ['staging', '2.0.0'],
      ['prod', '1.0.0'],
    ]) {
      await seedService(
        emulator.endpoint,
        env,
        SERVICE,
        `ghcr.io/acme/${SERVICE}:${version}`,
      );
    }
    ({ server } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        permissionPlugin,
        policyModule,
        permissionsServiceFactory,
        pluginRequestAuthServiceFactory,
        httpAuthServiceFactory,
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const { userEntityRef } = credentials.principal as {
              userEntityRef: string;
            };
            return {
              userEntityRef,
              ownershipEntityRefs: [userEntityRef, ...groupsOf[userEntityRef]],
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            ...threeEnvironments(emulator.endpoint),
          },
        }),
        catalogServiceMock.factory({ entities }),
      ],
    }));
    await eventually(
      'dev and staging deployed',
      async () =>
        /:3\.0\.0/.test((await imagesIn('dev')) ?? '') &&
        /:2\.0\.0/.test((await imagesIn('staging')) ?? ''),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('shows an owner that prod is for the admins, staging is theirs', async () => {
    const toProd = await preview(ALICE, 'staging', 'prod');
    expect(toProd.status).toBe(200);
    expect(toProd.body.allowed).toBe(false);
    expect(toProd.body.blockers).toContainEqual({
      code: 'not-permitted',
      message: `${ALICE} may not promote component:default/${SERVICE} in prod: the permission policy does not allow it`,
    });
    const toStaging = await preview(ALICE, 'dev', 'staging');
    expect(toStaging.body.blockers).toEqual([]);
  });

  it('refuses an owner the promotion into prod with a 403 naming prod, and changes nothing', async () => {
    const res = await promote(ALICE, 'staging', 'prod');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/may not promote .* in prod:/),
    });
    expect(await imagesIn('prod')).toMatch(/:1\.0\.0/);
    const history = await request(server)
      .get(`${API}/history`)
      .set('Authorization', as(ALICE));
    expect(history.body.items[0]).toMatchObject({
      action: 'promote',
      actor: ALICE,
      toEnvironment: 'prod',
      result: 'denied',
    });
  });

  it('refuses another team staging too', async () => {
    const res = await promote(CAROL, 'dev', 'staging');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      `${CAROL} may not promote component:default/${SERVICE} in staging`,
    );
  });

  it('lets the owner promote into staging', async () => {
    const res = await promote(ALICE, 'dev', 'staging');
    expect(res.status).toBe(201);
    expect(res.body.audit).toMatchObject({ actor: ALICE, result: 'succeeded' });
    await eventually(
      'staging runs 3.0.0',
      async () => /:3\.0\.0/.test((await imagesIn('staging')) ?? ''),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });

  it('lets an admin promote into prod', async () => {
    const res = await promote(DAVE, 'staging', 'prod');
    expect(res.status).toBe(201);
    expect(res.body.audit).toMatchObject({
      actor: DAVE,
      toEnvironment: 'prod',
      result: 'succeeded',
    });
  });
});
