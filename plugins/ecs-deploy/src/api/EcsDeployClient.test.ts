import { mockApis } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { EcsDeployClient } from './EcsDeployClient';

const baseUrl = 'http://localhost:7007/api/ecs-deploy';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  409: 'Conflict',
};

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    statusText: STATUS_TEXT[status],
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(response: () => Response = () => jsonResponse({})) {
  const fetch = jest.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => response(),
  );
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const client = new EcsDeployClient({ discoveryApi, fetchApi: { fetch } });
  return { client, fetch };
}

describe('EcsDeployClient', () => {
  it('reads /info from the ecs-deploy base URL', async () => {
    const { client, fetch } = setup(() => jsonResponse({ environments: [] }));
    await expect(client.getInfo()).resolves.toEqual({ environments: [] });
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/info`, { method: 'GET' });
  });

  it('builds lower-case, URL-encoded entity paths', async () => {
    const { client, fetch } = setup();
    await client.getEntityStatus('Component:Default/Payments API');
    expect(fetch.mock.calls[0][0]).toBe(
      `${baseUrl}/entities/component/default/payments%20api/status`,
    );
  });

  it('passes query parameters for tasks, previews and history', async () => {
    const { client, fetch } = setup(() => jsonResponse({ items: [] }));
    const ref = 'component:default/payments-api';
    await client.getEnvironmentTasks(ref, 'prod');
    await client.getPromotionPreview(ref, { from: 'staging', to: 'prod' });
    await client.getRollbackPreview(ref, 'prod');
    await client.getHistory(ref);
    await client.getHistory(ref, { limit: 5 });
    const urls = fetch.mock.calls.map(c => c[0]);
    const entity = `${baseUrl}/entities/component/default/payments-api`;
    expect(urls).toEqual([
      `${entity}/tasks?environment=prod`,
      `${entity}/promotions/preview?from=staging&to=prod`,
      `${entity}/rollbacks/preview?environment=prod`,
      `${entity}/history?limit=50`,
      `${entity}/history?limit=5`,
    ]);
  });

  it('POSTs promotions and rollbacks as JSON', async () => {
    const { client, fetch } = setup(() => jsonResponse({ audit: {} }, 201));
    const ref = 'component:default/payments-api';
    const promote = {
      from: 'staging',
      to: 'prod',
      expectedTargetTaskDefinition: 'arn:td/prod:7',
      reason: 'release',
    };
    await client.promote(ref, promote);
    await client.rollback(ref, {
      environment: 'prod',
      expectedTaskDefinition: 'arn:td/prod:7',
    });
    expect(fetch.mock.calls[0]).toEqual([
      `${baseUrl}/entities/component/default/payments-api/promotions`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(promote),
      },
    ]);
    expect(fetch.mock.calls[1][0]).toBe(
      `${baseUrl}/entities/component/default/payments-api/rollbacks`,
    );
    expect(JSON.parse(fetch.mock.calls[1][1]!.body as string)).toEqual({
      environment: 'prod',
      expectedTaskDefinition: 'arn:td/prod:7',
    });
  });

  it('lists, creates and decides promotion requests', async () => {
    const { client, fetch } = setup(() => jsonResponse({ items: [] }));
    const ref = 'component:default/payments-api';
    const id = '0b5c2c1e-7a4e-4a53-9d43-5b1f3c0e9a11';
    await client.getPromotionRequests(ref);
    await client.getPromotionRequests(ref, { state: 'pending', limit: 5 });
    await client.requestPromotion(ref, {
      from: 'staging',
      to: 'prod',
      reason: 'release 1.4',
    });
    await client.approvePromotionRequest(ref, id, { reason: 'ok' });
    await client.rejectPromotionRequest(ref, id);
    const entity = `${baseUrl}/entities/component/default/payments-api`;
    expect(fetch.mock.calls.map(c => [c[0], c[1]?.method, c[1]?.body])).toEqual(
      [
        [`${entity}/promotion-requests`, 'GET', undefined],
        [
          `${entity}/promotion-requests?state=pending&limit=5`,
          'GET',
          undefined,
        ],
        [
          `${entity}/promotion-requests`,
          'POST',
          JSON.stringify({
            from: 'staging',
            to: 'prod',
            reason: 'release 1.4',
          }),
        ],
        [
          `${entity}/promotion-requests/${id}/approve`,
          'POST',
          JSON.stringify({ reason: 'ok' }),
        ],
        [`${entity}/promotion-requests/${id}/reject`, 'POST', '{}'],
      ],
    );
  });

  it('reads logs with the set query parameters only', async () => {
    const { client, fetch } = setup();
    await client.getLogs('component:default/payments-api', {
      environment: 'prod',
      taskId: 'abc,def',
      filter: '"health check"',
      nextToken: undefined,
      limit: 50,
    });
    expect(fetch.mock.calls[0][0]).toBe(
      `${baseUrl}/entities/component/default/payments-api/logs?environment=prod&taskId=abc%2Cdef&filter=%22health+check%22&limit=50`,
    );
  });

  it('reads a team status by group namespace and name', async () => {
    const { client, fetch } = setup();
    await client.getTeamStatus('group:default/team-payments');
    expect(fetch.mock.calls[0][0]).toBe(
      `${baseUrl}/teams/default/team-payments/status`,
    );
  });

  it('asks whether a service name is free, URL-encoding the name', async () => {
    const check = {
      name: 'search-api',
      available: false,
      conflicts: [
        {
          code: 'entity-exists',
          message: 'component:default/search-api already exists',
        },
      ],
    };
    const { client, fetch } = setup(() => jsonResponse(check));
    await expect(client.checkServiceName('search-api')).resolves.toEqual(check);
    await client.checkServiceName('a/b c');
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${baseUrl}/service-names/search-api`,
      `${baseUrl}/service-names/a%2Fb%20c`,
    ]);
  });

  it('reads the organisation view with the query the backend validates, defaults applied', async () => {
    const { client, fetch } = setup(() =>
      jsonResponse({
        environments: [],
        total: 0,
        offset: 0,
        rows: [],
        teams: [],
      }),
    );
    await client.getOrgStatus();
    await client.getOrgStatus({
      team: 'group:default/team-payments',
      lag: 'behind',
      health: 'failed',
      q: 'pay ments',
      sort: 'lag',
      order: 'desc',
      offset: 50,
      limit: 25,
    });
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${baseUrl}/services?sort=name&order=asc&offset=0&limit=50`,
      `${baseUrl}/services?team=group%3Adefault%2Fteam-payments&lag=behind&health=failed&q=pay+ments&sort=lag&order=desc&offset=50&limit=25`,
    ]);
  });

  it('refuses a bad organisation view query before any request, naming the field', async () => {
    const { client, fetch } = setup();
    await expect(
      client.getOrgStatus({ team: 'team-payments', limit: 5000 }),
    ).rejects.toThrow(/team must be a group ref.*limit/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('reads unclaimed services with a checked query, the adopter, and posts an adoption', async () => {
    const { client, fetch } = setup(() => jsonResponse({}));
    await client.getUnclaimedServices({
      environment: 'staging',
      owner: 'group:default/team-payments',
      search: 'bill ing',
      offset: 50,
      limit: 25,
    });
    await client.getAdopter();
    await client.previewAdoptionJob({ services: [] });
    await client.startAdoptionJob({ services: [] });
    await client.getAdoptionJob('a b');
    await client.adoptService({
      serviceName: 'billing',
      environments: ['staging'],
      owner: 'group:default/team-payments',
      dryRun: true,
    });
    expect(fetch.mock.calls.map(c => [c[0], c[1]?.method])).toEqual([
      [
        `${baseUrl}/unclaimed-services?environment=staging&owner=group%3Adefault%2Fteam-payments&search=bill+ing&offset=50&limit=25`,
        'GET',
      ],
      [`${baseUrl}/adopter`, 'GET'],
      [`${baseUrl}/adoption-jobs`, 'POST'],
      [`${baseUrl}/adoption-jobs`, 'POST'],
      [`${baseUrl}/adoption-jobs/a%20b`, 'GET'],
      [`${baseUrl}/adoptions`, 'POST'],
    ]);
    expect(
      [2, 3].map(i => JSON.parse(String(fetch.mock.calls[i][1]?.body))),
    ).toEqual([
      { services: [], dryRun: true },
      { services: [], dryRun: false },
    ]);
    expect(JSON.parse(String(fetch.mock.calls[5][1]?.body))).toEqual({
      serviceName: 'billing',
      environments: ['staging'],
      owner: 'group:default/team-payments',
      dryRun: true,
    });
    await expect(
      client.getUnclaimedServices({ owner: 'team-payments' }),
    ).rejects.toThrow(/Invalid unclaimed query: owner must be a group ref/);
    expect(fetch).toHaveBeenCalledTimes(6);
  });

  it('throws a ResponseError carrying the server message when the response is not ok', async () => {
    const { client } = setup(() =>
      jsonResponse(
        {
          error: {
            name: 'ConflictError',
            message: 'prod changed since the preview',
          },
          request: { method: 'POST', url: '/promotions' },
          response: { statusCode: 409 },
        },
        409,
      ),
    );
    const error = await client
      .promote('component:default/payments-api', {
        from: 'staging',
        to: 'prod',
      })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe('prod changed since the preview');
  });
});
