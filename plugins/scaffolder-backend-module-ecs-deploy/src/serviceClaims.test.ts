import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ServiceNameCheck } from '@deployment-portal/plugin-ecs-deploy-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createServiceClaims } from './serviceClaims';
import { createServiceNameChecker } from './serviceNames';

const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

/** A stand-in for the ecs-deploy backend's GET /service-names/:name on a private port. */
function nameRoute() {
  const answers = new Map<string, { status: number; body: unknown }>();
  const requests: Array<{ url: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url!, authorization: req.headers.authorization });
    const name = decodeURIComponent(
      req.url!.replace('/api/ecs-deploy/service-names/', ''),
    );
    const answer = answers.get(name) ?? {
      status: 200,
      body: { name, available: true, conflicts: [] },
    };
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  return { server, answers, requests };
}

describe('service claims', () => {
  const publishDir = createMockDirectory();
  const route = nameRoute();
  let baseUrl: string;

  beforeAll(async () => {
    await new Promise<void>(r => route.server.listen(0, '127.0.0.1', r));
    const { port } = route.server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}/api/ecs-deploy`;
  });
  afterAll(async () => {
    await new Promise(r => route.server.close(r));
  });
  beforeEach(() => {
    publishDir.clear();
    route.answers.clear();
    route.requests.length = 0;
  });

  function claims(ownershipEntityRefs: string[] = []) {
    const auth = mockServices.auth();
    return createServiceClaims({
      catalog: catalogServiceMock({
        entities: [
          group('team-payments'),
          group('team-search'),
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'alice', namespace: 'default' },
            spec: {},
          },
        ],
      }),
      auth,
      userInfo: mockServices.userInfo({ ownershipEntityRefs }),
      names: createServiceNameChecker({
        discovery: {
          getBaseUrl: async () => baseUrl,
          getExternalBaseUrl: async () => baseUrl,
        },
        auth,
      }),
      localPublishDir: publishDir.path,
      adminGroups: ['group:default/platform'],
    });
  }
  const alice = mockCredentials.user('user:default/alice');

  describe('name', () => {
    it('is free when the backend says so and nothing was published under it', async () => {
      await expect(claims().assertNameFree('orders-api')).resolves.toBe(
        undefined,
      );
      expect(route.requests).toEqual([
        {
          url: '/api/ecs-deploy/service-names/orders-api',
          authorization: expect.stringMatching(/^Bearer /),
        },
      ]);
      // A plugin-to-plugin token of the scaffolder's own service credentials, for ecs-deploy.
      const token = route.requests[0].authorization!.slice('Bearer '.length);
      expect(token).toBe(
        mockCredentials.service.token({
          onBehalfOf: mockCredentials.service('plugin:test'),
          targetPluginId: 'ecs-deploy',
        }),
      );
    });

    it.each<[string, ServiceNameCheck, string]>([
      [
        'an entity',
        {
          name: 'search-api',
          available: false,
          conflicts: [
            {
              code: 'entity-exists',
              message:
                'component:default/search-api already exists (owned by group:default/team-search)',
            },
          ],
        },
        'Invalid name "search-api": component:default/search-api already exists (owned by group:default/team-search)',
      ],
      [
        'an ECS service without an entity, and an unreadable environment',
        {
          name: 'search-api',
          available: false,
          conflicts: [
            {
              code: 'ecs-service-exists',
              message: 'ECS service search-api exists in cluster demo-staging',
              environment: 'staging',
            },
            {
              code: 'environment-unreadable',
              message: 'prod could not be read: AccessDenied',
              environment: 'prod',
            },
          ],
        },
        'Invalid name "search-api": ECS service search-api exists in cluster demo-staging; prod could not be read: AccessDenied',
      ],
    ])('is taken by %s', async (_, body, message) => {
      route.answers.set('search-api', { status: 200, body });
      const promise = claims().assertNameFree('search-api');
      await expect(promise).rejects.toThrow(ConflictError);
      await expect(promise).rejects.toThrow(message);
    });

    it('is taken by an earlier local publish, without asking the backend', async () => {
      publishDir.setContent({ 'orders-api': { 'catalog-info.yaml': 'x' } });
      await expect(claims().assertNameFree('orders-api')).rejects.toThrow(
        `Invalid name "orders-api": an earlier local publish holds it (${publishDir.resolve(
          'orders-api',
        )})`,
      );
      expect(route.requests).toEqual([]);
    });

    it('is never claimed when the backend cannot answer', async () => {
      route.answers.set('orders-api', {
        status: 500,
        body: { error: { name: 'Error', message: 'boom' } },
      });
      await expect(claims().assertNameFree('orders-api')).rejects.toThrow(
        /Could not check the name "orders-api" with the ecs-deploy backend: .*500/,
      );
    });
  });

  describe('owner', () => {
    it('may be a group the caller is a member of', async () => {
      await expect(
        claims([
          'user:default/alice',
          'group:default/team-payments',
        ]).assertOwner('group:default/team-payments', alice),
      ).resolves.toBe(undefined);
    });

    it('may be any existing group for an admin', async () => {
      await expect(
        claims(['group:default/platform']).assertOwner(
          'group:default/team-search',
          alice,
        ),
      ).resolves.toBe(undefined);
    });

    it.each([
      [
        'an unknown group',
        'group:default/team-nope',
        ['group:default/team-nope'],
        'Invalid owner "group:default/team-nope": no such group in the catalog',
      ],
      [
        'a user',
        'user:default/alice',
        ['user:default/alice'],
        'no such group in the catalog',
      ],
      [
        'a group the caller is not in',
        'group:default/team-search',
        ['user:default/alice', 'group:default/team-payments'],
        'Invalid owner "group:default/team-search": user:default/alice is not a member (member of group:default/team-payments)',
      ],
    ])('may not be %s', async (_, owner, refs, message) => {
      const promise = claims(refs).assertOwner(owner, alice);
      await expect(promise).rejects.toThrow(InputError);
      await expect(promise).rejects.toThrow(message);
    });

    it('may not be chosen by a service without a user', async () => {
      await expect(
        claims().assertOwner(
          'group:default/team-payments',
          mockCredentials.service('external:ci-smoke'),
        ),
      ).rejects.toThrow('only a signed-in user can create a service');
    });
  });
});
