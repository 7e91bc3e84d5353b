/*
 * GET …/logs over HTTP, against the emulator: its tasks write CloudWatch log lines (startup,
 * requests, the failure of a broken image) that the route reads with FilterLogEvents.
 */
import {
  DeleteLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Emulator,
  eventually,
  logsClient,
  startEmulator,
} from '@internal/dev-kit';
import type {
  EnvironmentLogs,
  LogLine,
} from '@deployment-portal/plugin-ecs-deploy-common';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import {
  component,
  ecsDeployTestConfig,
  seedService,
} from './__testUtils__/ecsFixtures';

jest.setTimeout(120_000);

const OWNER = 'user:default/owner';
const STRANGER = 'user:default/stranger';
const api = (name: string) =>
  `/api/ecs-deploy/entities/component/default/${name}`;

/** The portal's policy in short: the owner may read logs, nobody else. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(() => ({
      result:
        (options?.credentials as any).principal?.userEntityRef === OWNER
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
});

const audited: Array<{
  options: AuditorServiceCreateEventOptions;
  outcome?: string;
  meta?: unknown;
}> = [];
const auditor = mockServices.auditor.mock({
  createEvent: async options => {
    const event: (typeof audited)[number] = { options };
    audited.push(event);
    return {
      success: async o => {
        event.outcome = 'success';
        event.meta = o?.meta;
      },
      fail: async o => {
        event.outcome = `fail: ${o.error.message}`;
      },
    };
  },
});

describe('logs on the emulator', () => {
  let emulator: Emulator;
  let server: any;

  const logs = (name: string, query: string, user = OWNER) =>
    request(server)
      .get(`${api(name)}/logs?${query}`)
      .set('Authorization', mockCredentials.user.header(user));
  const body = async (name: string, query: string) => {
    const res = await logs(name, query);
    expect(res.status).toBe(200);
    return res.body as EnvironmentLogs;
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      rolloutSeconds: 1,
      env: { ECS_EMULATOR_LOG_INTERVAL_SECONDS: '0.2' },
    });
    const image = 'ghcr.io/acme/svc-logs:1.2.0';
    await seedService(emulator.endpoint, 'staging', 'svc-logs', image, {
      desiredCount: 2,
    });
    await seedService(emulator.endpoint, 'prod', 'svc-logs', image);
    await seedService(
      emulator.endpoint,
      'staging',
      'svc-broken',
      'ghcr.io/acme/svc-broken:1.0.0-broken',
    );
    const { server: s } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        mockServices.rootConfig.factory({
          data: ecsDeployTestConfig(emulator.endpoint, {
            cache: { statusTtl: { milliseconds: 500 } },
            logs: { readsPerMinute: 100_000, burst: 1000 },
          }),
        }),
        catalogServiceMock.factory({
          entities: [component('svc-logs'), component('svc-broken')],
        }),
        permissions.factory,
        auditor.factory,
      ],
    });
    server = s;
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  /** The staging tasks' lines once both have started and logged a few requests. */
  const startedLines = () =>
    eventually(
      'both staging tasks logging',
      async () => {
        const b = await body('svc-logs', 'environment=staging&limit=500');
        const starts = b.lines.filter(l => l.message.startsWith('Starting'));
        return starts.length === 2 && b.lines.length >= 30 ? b : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300 },
    );

  it("shows the newest lines of the service's tasks, newest last, with task and container", async () => {
    const b = await startedLines();
    expect(b.logGroup).toBe('/ecs/staging/svc-logs');
    expect(b.error).toBeUndefined();
    const starts = b.lines.filter(l => l.message.startsWith('Starting'));
    expect(starts.map(l => l.message)).toEqual([
      'Starting app 1.2.0 on port 8080',
      'Starting app 1.2.0 on port 8080',
    ]);
    const tasks = await request(server)
      .get(`${api('svc-logs')}/tasks?environment=staging`)
      .set('Authorization', mockCredentials.user.header(OWNER));
    const running = tasks.body.tasks.map((t: any) => t.taskId).sort();
    expect([...new Set(b.lines.map(l => l.taskId))].sort()).toEqual(running);
    for (const line of b.lines) {
      expect(line.container).toBe('app');
      expect(line.stream).toBe(`ecs/app/${line.taskId}`);
    }
    const times = b.lines.map(l => Date.parse(l.timestamp));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(Date.parse(b.searched!.to)).toBeGreaterThanOrEqual(times.at(-1)!);
  });

  it('pages to older lines with nextToken: every line once, in order, as CloudWatch holds them', async () => {
    await startedLines();
    const pages: LogLine[][] = [];
    let first: EnvironmentLogs | undefined;
    let token: string | undefined;
    do {
      const b = await body(
        'svc-logs',
        `environment=staging&limit=7${token ? `&nextToken=${token}` : ''}`,
      );
      first ??= b;
      pages.unshift(b.lines);
      token = b.nextToken;
    } while (token && pages.length < 100);
    expect(token).toBeUndefined();
    expect(pages[pages.length - 1]).toHaveLength(7);
    const paged = pages.flat();
    expect(new Set(paged.map(l => l.id)).size).toBe(paged.length);

    // The same range read directly: lines the emulator wrote at the first read's time may land
    // after it, so compare up to a second before.
    const until = Date.parse(first!.searched!.to) - 1000;
    const { events } = await logsClient(emulator.endpoint).send(
      new FilterLogEventsCommand({
        logGroupName: '/ecs/staging/svc-logs',
        endTime: until,
        interleaved: true,
      }),
    );
    const early = (l: LogLine) => Date.parse(l.timestamp) <= until;
    expect(paged.filter(early).map(l => l.id)).toEqual(
      [...events!]
        .sort(
          (a, b) =>
            a.timestamp! - b.timestamp! || (a.eventId! < b.eventId! ? -1 : 1),
        )
        .map(e => e.eventId),
    );
  });

  it('filters with a CloudWatch filter pattern, by task and by revision', async () => {
    const all = await startedLines();
    const listening = await body(
      'svc-logs',
      'environment=staging&filter=listening',
    );
    expect(listening.lines.map(l => l.message)).toEqual([
      'app listening on 0.0.0.0:8080',
      'app listening on 0.0.0.0:8080',
    ]);
    const quoted = await body(
      'svc-logs',
      `environment=staging&filter=${encodeURIComponent('"on port 8080"')}`,
    );
    expect(quoted.lines).toHaveLength(2);

    const taskId = all.lines[0].taskId;
    const one = await body('svc-logs', `environment=staging&taskId=${taskId}`);
    expect(one.lines.length).toBeGreaterThan(2);
    expect(new Set(one.lines.map(l => l.taskId))).toEqual(new Set([taskId]));

    const revision = await body('svc-logs', 'environment=staging&revision=1');
    expect(new Set(revision.lines.map(l => l.taskId)).size).toBe(2);
    const none = await body('svc-logs', 'environment=staging&revision=9');
    expect(none.lines).toEqual([]);
    expect(none.error?.name).toBe('NoTasks');
  });

  it('refuses callers who may not read the logs (403, audited) and bad queries (400)', async () => {
    const denied = await logs('svc-logs', 'environment=staging', STRANGER);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      `Only the owners of svc-logs and admins may read its logs (${STRANGER} may not).`,
    );
    const event = audited.find(e => (e.options.meta as any).actor === STRANGER);
    expect(event?.options).toMatchObject({
      eventId: 'logs-read',
      severityLevel: 'medium',
      meta: { entityRef: 'component:default/svc-logs', environment: 'staging' },
    });
    expect(event?.outcome).toMatch(/^fail: Only the owners/);

    const bad = await logs('svc-logs', 'environment=staging&nextToken=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Invalid nextToken 'abc'/);
    const unknown = await logs('svc-logs', 'environment=qa');
    expect(unknown.status).toBe(400);
  });

  it('says per environment that the log group is missing, never a 500', async () => {
    await eventually(
      'prod logging',
      async () => (await body('svc-logs', 'environment=prod')).lines.length > 0,
      { timeoutMs: 30_000, intervalMs: 300 },
    );
    await logsClient(emulator.endpoint).send(
      new DeleteLogGroupCommand({ logGroupName: '/ecs/prod/svc-logs' }),
    );
    const b = await body('svc-logs', 'environment=prod');
    expect(b.lines).toEqual([]);
    expect(b.error).toEqual({
      name: 'LogGroupNotFound',
      message: expect.stringContaining(
        'Log group /ecs/prod/svc-logs does not exist in prod',
      ),
    });
    // Staging is unaffected.
    expect(
      (await body('svc-logs', 'environment=staging')).error,
    ).toBeUndefined();
  });

  it("opens the failing tasks' logs from the problem that names them", async () => {
    const problem = await eventually(
      'the image pull problem in staging',
      async () => {
        const res = await request(server)
          .get(`${api('svc-broken')}/status`)
          .set('Authorization', mockCredentials.user.header(OWNER));
        const staging = res.body.environments.find(
          (e: any) => e.environment === 'staging',
        );
        return staging.problems.find(
          (p: any) => p.code === 'image-pull-error' && p.taskIds?.length,
        );
      },
      { timeoutMs: 30_000, intervalMs: 300 },
    );
    const b = await body(
      'svc-broken',
      `environment=staging&taskId=${problem.taskIds.join(',')}`,
    );
    expect(b.lines.map(l => l.message)).toContain(
      'Pulling image ghcr.io/acme/svc-broken:1.0.0-broken',
    );
    expect(
      b.lines.some(l => l.message.startsWith('ERROR CannotPullContainerError')),
    ).toBe(true);
  });

  it('sends every read to the auditor, without the lines', () => {
    const reads = audited.filter(e => e.options.eventId === 'logs-read');
    expect(reads.length).toBeGreaterThan(5);
    expect(
      reads.some(e => (e.options.meta as any).filter === 'listening'),
    ).toBe(true);
    const allowed = reads.find(e => e.outcome === 'success');
    expect(allowed?.options.severityLevel).toBe('low');
    expect(JSON.stringify(audited)).not.toMatch(/listening on|GET \//);
  });
});
