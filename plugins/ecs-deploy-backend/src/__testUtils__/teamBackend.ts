/*
 * A backend as the portal runs it for the follow-through and approval tests: the ECS deploy
 * plugin with Backstage's own scheduler (database-backed, shared by replicas on one database),
 * the notifications backend (read back over its HTTP API), a catalog with team-a (alice and bob),
 * carol of another team and dave the admin, and a permission policy like the portal's.
 */
import {
  BackendFeature,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import {
  ecsDeployOverrideFreezePermission,
  ecsDeploySkipBakePermission,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  createEcsDeployTargetConditionalDecision,
  ecsDeployTargetConditions,
} from '@deployment-portal/plugin-ecs-deploy-node';
import { eventually } from '@internal/dev-kit';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { ecsDeployPlugin } from '../plugin';
import { component, ecsDeployTestConfig } from './ecsFixtures';

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
export const DAVE = 'user:default/dave';
const OWNERS = [ALICE, BOB];

export const as = (user: string) => mockCredentials.user.header(user);
export const api = (name: string) =>
  `/api/ecs-deploy/entities/component/default/${name}`;

const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

/** team-a (alice, bob) owns the components; carol is in no owning team; dave is an admin. */
function teamEntities(components: string[]): Entity[] {
  return [
    ...components.map(n => component(n)),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-a', namespace: 'default' },
      spec: { type: 'team', children: [] },
      relations: OWNERS.map(targetRef => ({ type: 'hasMember', targetRef })),
    },
    ...['alice', 'bob', 'carol', 'dave'].map(user),
  ];
}

/** Permissions of the admin groups alone. */
const ADMIN_ONLY = [
  ecsDeployOverrideFreezePermission.name,
  ecsDeploySkipBakePermission.name,
];

const callerOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

/**
 * The portal's policy in short: owners and admins act; only admins override a freeze or skip a
 * bake. Writes on promotion targets are answered as the portal's policy does, with the condition
 * the plugin applies to the catalog's members of team-a (alice and bob).
 */
export const teamPermissions = mockServices.permissions.mock({
  authorize: async (requests, options) => {
    const who = callerOf(options.credentials);
    return requests.map(r => ({
      result:
        who === DAVE ||
        (who !== undefined &&
          OWNERS.includes(who) &&
          !ADMIN_ONLY.includes(r.permission.name))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }));
  },
  authorizeConditional: async (requests, options) => {
    const who = callerOf(options.credentials);
    return requests.map(({ permission }) => {
      if (who === DAVE) return { result: AuthorizeResult.ALLOW };
      if (!who || !isResourcePermission(permission, 'ecs-deploy-target')) {
        return { result: AuthorizeResult.DENY };
      }
      return createEcsDeployTargetConditionalDecision(
        permission,
        ecsDeployTargetConditions.isEntityOwner({ userEntityRef: who }),
      );
    });
  },
});

/**
 * The plugin (and its scheduler) on `knex`, shared by every backend given it: replicas. Other
 * plugins get a database of their own, as in a real deployment.
 */
function databaseFor(knex: Knex) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const client =
        plugin.getId() === 'ecs-deploy'
          ? knex
          : knexFactory({
              client: 'better-sqlite3',
              connection: ':memory:',
              useNullAsDefault: true,
            });
      return { getClient: async () => client };
    },
  });
}

/** Starts the backend on the emulator at `endpoint` (and on `knex`, when given). */
export async function startTeamBackend(options: {
  endpoint: string;
  components: string[];
  ecsDeploy?: object;
  knex?: Knex;
  /** Collects every signal published (else the default signals service). */
  signals?: SignalPayload[];
  /** More features or service factories (a logger that records, say). */
  features?: BackendFeature[];
}) {
  const { signals } = options;
  const config = ecsDeployTestConfig(options.endpoint, {
    cache: { statusTtl: { milliseconds: 1 } },
    followThrough: { checkInterval: { seconds: 1 } },
    ...options.ecsDeploy,
  });
  return startTestBackend({
    features: [
      ecsDeployPlugin,
      notificationsPlugin,
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' }, ...config },
      }),
      catalogServiceMock.factory({
        entities: teamEntities(options.components),
      }),
      teamPermissions.factory,
      ...(options.knex ? [databaseFor(options.knex)] : []),
      ...(options.features ?? []),
      ...(signals
        ? [
            createServiceFactory({
              service: signalsServiceRef,
              deps: {},
              factory: () => ({
                publish: async (signal: SignalPayload) => {
                  signals.push(signal);
                },
              }),
            }),
          ]
        : []),
    ],
  });
}

/** The titles of a user's notifications, read through the notifications backend's API. */
export async function notificationTitles(
  server: any,
  who: string,
): Promise<string[]> {
  const res = await request(server)
    .get('/api/notifications/notifications')
    .set('Authorization', as(who));
  if (res.status !== 200) {
    throw new Error(`notifications answered ${res.status}: ${res.text}`);
  }
  return res.body.notifications.map(
    (n: { payload: { title: string } }) => n.payload.title,
  );
}

/**
 * A user's notification titles once they include every one of `expected` (notifications go out
 * after the write they report), or as they are when `timeoutMs` has passed: the caller's
 * assertion then shows what is missing.
 */
export async function notificationTitlesIncluding(
  server: any,
  who: string,
  expected: string[],
  timeoutMs = 10_000,
): Promise<string[]> {
  let titles: string[] = [];
  await eventually(
    `notifications of ${who}`,
    async () => {
      titles = await notificationTitles(server, who);
      return expected.every(t => titles.includes(t));
    },
    { timeoutMs, intervalMs: 200 },
  ).catch(() => undefined);
  return titles;
}
