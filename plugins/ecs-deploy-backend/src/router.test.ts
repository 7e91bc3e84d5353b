/*
 * The router alone: every route parses with the shared schemas, authenticates, and hands the
 * parsed values to a service interface; errors from services map to their statuses.
 */
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import type { EntityAccess } from './services/catalog/types';
import type { InfoService } from './services/InfoService';
import type { LogsService } from './services/logs/types';
import type {
  AdoptionJobService,
  AdoptionService,
  UnclaimedServicesService,
} from './services/onboarding/types';
import type { ServiceNameService } from './services/names/types';
import type {
  PromotionRequestService,
  PromotionService,
} from './services/promotion/types';
import type {
  StatusService,
  StatusUpdatesSource,
} from './services/status/types';
import type { VerificationService } from './services/verification/types';
import type { DeploymentControlService } from './services/strategies/types';
import { component } from './__testUtils__/ecsFixtures';

const entity = component('payments-api');
const BASE = '/entities/component/default/payments-api';
const ALICE = mockCredentials.user('user:default/alice');

/** Each method of T as a jest mock around the given implementation. */
function mocked<T>(impls: {
  [K in keyof T]: (...args: any[]) => unknown;
}): jest.Mocked<T> {
  return Object.fromEntries(
    Object.entries(impls).map(([k, f]) => [
      k,
      jest.fn(f as (...args: any[]) => unknown),
    ]),
  ) as unknown as jest.Mocked<T>;
}

function mocks() {
  const entities = mocked<EntityAccess>({
    loadEntity: async ref => {
      if (ref.name !== 'payments-api')
        throw new NotFoundError(`No entity component:default/${ref.name}`);
      return entity;
    },
    serviceEntities: async () => [{ entity, owner: 'group:default/team-a' }],
    orgEntities: credentials => ({ caller: credentials.principal }),
    teamEntities: async () => ({
      groupRef: 'group:default/team-a',
      entities: [entity],
    }),
  });
  const status = mocked<StatusService>({
    entityStatus: async () => ({
      entityRef: 'component:default/payments-api',
      environments: [],
      promotionPaths: [],
    }),
    teamStatus: async groupRef => ({
      groupRef,
      environments: [],
      rows: [],
    }),
    orgStatus: async (_entities, query) => ({
      environments: [],
      total: 0,
      offset: query.offset,
      rows: [],
      teams: [],
    }),
    tasks: async (_e, environment) => ({ environment, tasks: [] }),
  });
  const promotions = mocked<PromotionService>({
    previewPromotion: async (_e, from, to) => ({
      entityRef: 'x',
      from,
      to,
      changes: [],
      blockers: [],
      allowed: true,
    }),
    promote: async () => {
      throw new ConflictError("prod already runs staging's images");
    },
    previewRollback: async (_e, environment) => ({
      entityRef: 'x',
      environment,
      blockers: [],
      allowed: false,
    }),
    rollback: async () => {
      throw new NotAllowedError('not yours');
    },
    history: async () => [],
    promoteApproved: async () => {
      throw new Error('the router never promotes an approval itself');
    },
    rollbackAutomatically: async () => {
      throw new Error('the router never rolls back automatically');
    },
  });
  const requests = mocked<PromotionRequestService>({
    list: async () => ({ items: [] }),
    create: async () => {
      throw new ConflictError('a request is pending');
    },
    approve: async () => {
      throw new NotAllowedError('you requested it');
    },
    reject: async (_e, id) => ({ id, state: 'rejected' }),
  });
  const names = mocked<ServiceNameService>({
    check: async name => ({ name, available: true, conflicts: [] }),
  });
  const info = mocked<InfoService>({
    info: jest.fn(() => ({
      environments: [],
      promotionPaths: [],
      activeFreezeWindows: [],
    })),
  });
  const logs = mocked<LogsService>({
    read: async (_e, query) => ({ environment: query.environment, lines: [] }),
  });
  const unclaimed = mocked<UnclaimedServicesService>({
    list: async query => ({
      total: 0,
      offset: query.offset,
      items: [],
      counts: { environments: {}, owners: {} },
    }),
  });
  const adoptions = mocked<AdoptionService>({
    adopt: async (body, who) => ({
      entityRef: `component:default/${body.serviceName}`,
      owner: body.owner,
      actor: who.userEntityRef,
      dryRun: body.dryRun,
      services: [],
    }),
    adopter: async who => ({
      userEntityRef: who.userEntityRef,
      admin: false,
      groups: [],
    }),
    release: async () => undefined,
  });
  const adoptionJobs = mocked<AdoptionJobService>({
    preview: async body => ({
      dryRun: true,
      items: body.services,
      counts: { ok: body.services.length, refused: 0 },
    }),
    start: async () => {
      throw new NotAllowedError('only an admin may');
    },
    get: async id => {
      throw new NotFoundError(`No adoption job ${id}`);
    },
    runPending: async () => 0,
  });
  const verifications = mocked<VerificationService>({
    list: async () => ({ items: [], canReverify: true }),
    reverify: async (_e, body) => ({
      environment: body.environment,
      status: 'running',
    }),
    resolve: async (_e, id, decision) => {
      if (decision === 'abort') throw new ConflictError('not held');
      return { id, status: 'continued' };
    },
  });
  const updates = mocked<StatusUpdatesSource>({
    updates: async () => ({
      source: 'polling',
      refreshSeconds: 10,
      degraded: 'the queue ecs-deploy-events cannot be read: AccessDenied',
    }),
  });
  const audit = { id: 'a1', action: 'hold', result: 'succeeded' };
  const controls = mocked<DeploymentControlService>({
    controls: async (_e, environment) => ({
      environment,
      canHold: true,
      canSkipBake: false,
    }),
    hold: async (_e, body) => ({ environment: body.environment, audit }),
    continue: async (_e, body) => ({ environment: body.environment, audit }),
    abort: async (_e, body) => ({ environment: body.environment, audit }),
    skipBake: async () => {
      throw new NotAllowedError('only the admin groups may');
    },
  });
  return {
    entities,
    status,
    promotions,
    names,
    info,
    logs,
    requests,
    unclaimed,
    adoptions,
    adoptionJobs,
    verifications,
    updates,
    controls,
  };
}

async function app(m = mocks()) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth({ defaultCredentials: ALICE }),
    ...m,
  });
  return { m, server: express().use(router).use(mockErrorHandler()) };
}

describe('createRouter', () => {
  it('passes the caller and the parsed body to the promotion service, and maps its 409', async () => {
    const { m, server } = await app();
    const res = await request(server)
      .post(`${BASE}/promotions`)
      .send({ from: 'staging', to: 'prod', reason: 'release 1.4' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("prod already runs staging's images");
    expect(m.promotions.promote).toHaveBeenCalledWith(
      entity,
      { from: 'staging', to: 'prod', reason: 'release 1.4' },
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
  });

  it('says in /health, without credentials, whether events or polling keep statuses current', async () => {
    const router = await createRouter({
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      ...mocks(),
    });
    const res = await request(express().use(router)).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      statusUpdates: {
        source: 'polling',
        refreshSeconds: 10,
        degraded: 'the queue ecs-deploy-events cannot be read: AccessDenied',
      },
    });
  });

  it('answers an unknown route with a JSON 404 naming the path, for any method', async () => {
    const { server } = await app();
    const get = await request(server).get(
      '/entities/component/default/x/nope?a=1',
    );
    expect(get.status).toBe(404);
    expect(get.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No such route: GET /entities/component/default/x/nope',
    });
    const post = await request(server).post('/nothing-here').send({});
    expect(post.status).toBe(404);
    expect(post.body.error.message).toBe('No such route: POST /nothing-here');
  });

  it('maps a 403 from the rollback service', async () => {
    const { server } = await app();
    const res = await request(server)
      .post(`${BASE}/rollbacks`)
      .send({ environment: 'prod' });
    expect(res.status).toBe(403);
  });

  it('reads the entity with the caller credentials and answers status, tasks, previews and history', async () => {
    const { m, server } = await app();
    expect((await request(server).get(`${BASE}/status`)).status).toBe(200);
    expect(
      (await request(server).get(`${BASE}/tasks?environment=prod`)).body,
    ).toEqual({ environment: 'prod', tasks: [] });
    expect(
      (
        await request(server).get(
          `${BASE}/promotions/preview?from=staging&to=prod`,
        )
      ).body.allowed,
    ).toBe(true);
    expect(
      (await request(server).get(`${BASE}/rollbacks/preview?environment=prod`))
        .body.allowed,
    ).toBe(false);
    expect((await request(server).get(`${BASE}/history?limit=5`)).body).toEqual(
      { items: [] },
    );
    expect(m.promotions.history).toHaveBeenCalledWith(entity, 5);
    expect(m.entities.loadEntity).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'payments-api' },
      expect.objectContaining({
        principal: expect.objectContaining({
          userEntityRef: 'user:default/alice',
        }),
      }),
    );
  });

  it('lists, re-verifies and decides verifications with parsed values; bad ones are 400s naming them', async () => {
    const { m, server } = await app();
    const list = await request(server).get(
      `${BASE}/verifications?environment=prod&limit=5`,
    );
    expect(list.body).toEqual({ items: [], canReverify: true });
    expect(m.verifications.list).toHaveBeenCalledWith(
      entity,
      { environment: 'prod', limit: 5 },
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
    // Only the required value.
    const again = await request(server)
      .post(`${BASE}/verifications`)
      .send({ environment: 'prod' });
    expect(again.status).toBe(201);
    expect(m.verifications.reverify).toHaveBeenCalledWith(
      entity,
      { environment: 'prod' },
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
    const id = '0b6f4f3e-6a43-4a43-9d43-3c1b6f4f3e6a';
    const go = await request(server)
      .post(`${BASE}/verifications/${id}/continue`)
      .send({});
    expect(go.body).toEqual({ id, status: 'continued' });
    expect(m.verifications.resolve).toHaveBeenCalledWith(
      entity,
      id,
      'continue',
      {},
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
    expect(
      (
        await request(server)
          .post(`${BASE}/verifications/${id}/abort`)
          .send({ reason: 'slow' })
      ).status,
    ).toBe(409);

    const bad = [
      [await request(server).get(`${BASE}/verifications?limit=0`), /limit "0"/],
      [
        await request(server).post(`${BASE}/verifications`).send({}),
        /environment: Required/,
      ],
      [
        await request(server)
          .post(`${BASE}/verifications`)
          .send({ environment: 'Prod!' }),
        /environment "Prod!"/,
      ],
      [
        await request(server)
          .post(`${BASE}/verifications`)
          .send({ environment: 'prod', force: true }),
        /force/,
      ],
      [
        await request(server)
          .post(`${BASE}/verifications/not-an-id/continue`)
          .send({}),
        /id "not-an-id": must be a verification id/,
      ],
      [
        await request(server)
          .post(`${BASE}/verifications/${id}/continue`)
          .send({ reason: 'a'.repeat(501) }),
        /reason/,
      ],
    ] as const;
    for (const [res, message] of bad) {
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const other = await request(server)
      .post(`${BASE}/verifications/${id}/skip`)
      .send({});
    expect(other.status).toBe(404);
    expect(m.verifications.reverify).toHaveBeenCalledTimes(1);
    expect(m.verifications.resolve).toHaveBeenCalledTimes(2);
  });

  it("answers the org view with the parsed query and the caller's services", async () => {
    const { m, server } = await app();
    const res = await request(server).get(
      '/services?team=group:default/team-a&lag=behind&limit=20&offset=40',
    );
    expect(res.status).toBe(200);
    // The caller's entities: the catalog, with the caller's credentials, chooses them.
    expect(m.status.orgStatus).toHaveBeenCalledWith(
      { caller: ALICE.principal },
      {
        team: 'group:default/team-a',
        lag: 'behind',
        sort: 'name',
        order: 'asc',
        offset: 40,
        limit: 20,
      },
    );
    const bad = await request(server).get('/services?lag=sideways');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/lag "sideways"/);
  });

  it('passes the parsed logs query and the caller to the logs service; users only', async () => {
    const { m, server } = await app();
    const res = await request(server).get(
      `${BASE}/logs?environment=prod&taskId=a1,b2&filter=ERROR&limit=20`,
    );
    expect(res.body).toEqual({ environment: 'prod', lines: [] });
    expect(m.logs.read).toHaveBeenCalledWith(
      entity,
      { environment: 'prod', taskId: ['a1', 'b2'], filter: 'ERROR', limit: 20 },
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
    const bad = await request(server).get(
      `${BASE}/logs?environment=prod&since=today`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /since "today": must be an ISO-8601 time/,
    );

    const asService = await createRouter({
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.service('plugin:catalog'),
      }),
      ...mocks(),
    });
    const res2 = await request(
      express().use(asService).use(mockErrorHandler()),
    ).get(`${BASE}/logs?environment=prod`);
    expect(res2.status).toBe(403);
  });

  it('routes promotion requests: list, create, approve and reject with the parsed values', async () => {
    const { m, server } = await app();
    const list = await request(server).get(
      `${BASE}/promotion-requests?state=pending`,
    );
    expect(list.body).toEqual({ items: [] });
    expect(m.requests.list).toHaveBeenCalledWith(
      entity,
      { state: 'pending', limit: 20 },
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
    const created = await request(server)
      .post(`${BASE}/promotion-requests`)
      .send({ from: 'staging', to: 'prod', reason: 'release 1.4' });
    expect(created.status).toBe(409);
    expect(m.requests.create).toHaveBeenCalledWith(
      entity,
      { from: 'staging', to: 'prod', reason: 'release 1.4' },
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
    const id = '0b5c2c1e-7a4e-4a53-9d43-5b1f3c0e9a11';
    const approved = await request(server)
      .post(`${BASE}/promotion-requests/${id}/approve`)
      .send({ overrideReason: 'incident 42' });
    expect(approved.status).toBe(403);
    expect(m.requests.approve).toHaveBeenCalledWith(
      entity,
      id,
      { overrideReason: 'incident 42' },
      expect.objectContaining({ userEntityRef: 'user:default/alice' }),
    );
    const rejected = await request(server)
      .post(`${BASE}/promotion-requests/${id}/reject`)
      .send({ reason: 'not today' });
    expect(rejected.body).toEqual({ id, state: 'rejected' });
    expect(m.requests.reject).toHaveBeenCalledWith(
      entity,
      id,
      { reason: 'not today' },
      expect.anything(),
    );
    expect(
      (await request(server).post(`${BASE}/promotion-requests/${id}/merge`))
        .status,
    ).toBe(404);
  });

  it('answers the team view and the name check', async () => {
    const { m, server } = await app();
    expect(
      (await request(server).get('/teams/default/team-a/status')).body.groupRef,
    ).toBe('group:default/team-a');
    expect(
      (await request(server).get('/service-names/brand-new')).body,
    ).toEqual({ name: 'brand-new', available: true, conflicts: [] });
    expect(m.names.check).toHaveBeenCalledWith('brand-new');
  });

  it.each([
    [
      'a promotion with an unknown field',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: 'prod', force: true },
      /force/,
    ],
    [
      'an environment name with capitals',
      'post',
      `${BASE}/promotions`,
      { from: 'Staging', to: 'prod' },
      /from "Staging": must be 2-21 lowercase/,
    ],
    [
      'a reason with a control character',
      'post',
      `${BASE}/rollbacks`,
      { environment: 'prod', reason: 'a\u0007b' },
      /reason .*control characters/,
    ],
    [
      'a task definition that is not an ARN',
      'post',
      `${BASE}/rollbacks`,
      { environment: 'prod', expectedTaskDefinition: 'latest' },
      /expectedTaskDefinition "latest": must be a task definition ARN/,
    ],
    [
      'a promotion request without a reason',
      'post',
      `${BASE}/promotion-requests`,
      { from: 'staging', to: 'prod', reason: '  ' },
      /reason " {2}": must not be empty/,
    ],
    [
      'a promotion request id that is no id',
      'post',
      `${BASE}/promotion-requests/42/approve`,
      {},
      /id "42": must be a promotion request id/,
    ],
    [
      'a freeze override on a rejection',
      'post',
      `${BASE}/promotion-requests/0b5c2c1e-7a4e-4a53-9d43-5b1f3c0e9a11/reject`,
      { overrideReason: 'x' },
      /overrideReason applies to an approval only/,
    ],
    [
      'a blank freeze override reason',
      'post',
      `${BASE}/promotions`,
      { from: 'staging', to: 'prod', overrideReason: '' },
      /overrideReason "": must not be empty/,
    ],
    [
      'a history limit of zero',
      'get',
      `${BASE}/history?limit=0`,
      undefined,
      /limit/,
    ],
    [
      'a bad entity name',
      'get',
      '/entities/component/default/pay%20ments/status',
      undefined,
      /entity name/,
    ],
  ] as const)(
    'refuses %s with 400 naming the value, calling no service',
    async (_l, method, url, body, message) => {
      const { m, server } = await app();
      const res =
        method === 'get'
          ? await request(server).get(url)
          : await request(server)
              .post(url)
              .send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(m.promotions.promote).not.toHaveBeenCalled();
      expect(m.promotions.rollback).not.toHaveBeenCalled();
      expect(m.requests.create).not.toHaveBeenCalled();
      expect(m.requests.approve).not.toHaveBeenCalled();
      expect(m.requests.reject).not.toHaveBeenCalled();
      expect(m.entities.loadEntity).not.toHaveBeenCalled();
    },
  );

  it('lets only users write (403 for a service), and any signed-in principal read', async () => {
    const m = mocks();
    const router = await createRouter({
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.service('plugin:catalog'),
      }),
      ...m,
    });
    const server = express().use(router).use(mockErrorHandler());
    expect((await request(server).get(`${BASE}/status`)).status).toBe(200);
    expect(
      (
        await request(server)
          .post(`${BASE}/promotions`)
          .send({ from: 'staging', to: 'prod' })
      ).status,
    ).toBe(403);
    expect(m.promotions.promote).not.toHaveBeenCalled();
    for (const [url, body] of [
      [
        `${BASE}/promotion-requests`,
        { from: 'staging', to: 'prod', reason: 'r' },
      ],
      [
        `${BASE}/promotion-requests/0b5c2c1e-7a4e-4a53-9d43-5b1f3c0e9a11/approve`,
        {},
      ],
    ] as const) {
      expect((await request(server).post(url).send(body)).status).toBe(403);
    }
    expect(m.requests.create).not.toHaveBeenCalled();
    expect(m.requests.approve).not.toHaveBeenCalled();
  });
});
