/*
 * ECS events into the portal, on a started backend: the emulator publishes ECS's events to its
 * EventBridge, a rule delivers them to SQS (as terraform-modules/portal-events sets it up), and
 * the backend's consumer refreshes the changed service and signals open pages, with a status TTL
 * of five minutes (polling only as the safety net). A queue that cannot be read, or changes that
 * arrive without events, fall back to polling, said in /health and the org view.
 */
import {
  GetQueueAttributesCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import {
  createEventsQueue,
  deployImage,
  eventually,
  setEventsRules,
  sqsClient,
  TEST_ACCOUNT,
  TEST_REGION,
} from '@internal/dev-kit';
import request from 'supertest';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';
import { ecsClient, seedService } from './__testUtils__/ecsFixtures';
import { ALICE, as, startTeamBackend } from './__testUtils__/teamBackend';

jest.setTimeout(120_000);

const status = (server: any, name: string) =>
  request(server)
    .get(`/api/ecs-deploy/entities/component/default/${name}/status`)
    .set('Authorization', as(ALICE));

const prodRevision = async (server: any, name: string) =>
  (await status(server, name)).body.environments.find(
    (e: any) => e.environment === 'prod',
  )?.service?.taskDefinition.revision as number | undefined;

/** What CI does for a deploy: the next revision with a new image, then UpdateService. */
const deploy = async (
  endpoint: string,
  env: string,
  name: string,
  image: string,
) =>
  (await deployImage(ecsClient(endpoint), `test-${env}`, name, image))
    .revision!;

/** Every message the plugin logs, by level. */
function capturedLogger() {
  const lines: string[] = [];
  const logger = mockServices.logger.mock({
    warn: (message: string) => lines.push(`warn: ${message}`),
    info: (message: string) => lines.push(`info: ${message}`),
  });
  logger.child.mockImplementation(() => logger);
  return {
    lines,
    factory: createServiceFactory({
      service: coreServices.logger,
      deps: {},
      factory: () => logger,
    }),
  };
}

const eventsConfig = (
  queueUrl: string,
  endpoint: string,
  extra = {},
  pollingSeconds = 10,
) => ({
  cache: { statusTtl: { seconds: pollingSeconds } },
  events: {
    queues: [
      { queueUrl, region: TEST_REGION, accountId: TEST_ACCOUNT, endpoint },
    ],
    waitTime: { seconds: 2 },
    ...extra,
  },
  index: { enabled: false },
});

describe('ECS events into the portal', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startTestEmulator({ rolloutSeconds: 1 });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('shows a change made straight through the ECS API within seconds, and signals open pages', async () => {
    const queue = await createEventsQueue(emulator.endpoint, {
      name: `events-${Date.now()}`,
    });
    await seedService(
      emulator.endpoint,
      'staging',
      'evt-api',
      'acme/evt-api:1',
    );
    await seedService(emulator.endpoint, 'prod', 'evt-api', 'acme/evt-api:1');
    const signals: SignalPayload[] = [];
    const backend = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['evt-api'],
      // Polling's TTL too is longer than the test: only the event can bring the change.
      ecsDeploy: eventsConfig(queue.queueUrl, emulator.endpoint, {}, 120),
      signals,
    });
    const { server } = backend;
    try {
      expect(await prodRevision(server, 'evt-api')).toBe(1);
      const health = await request(server).get('/api/ecs-deploy/health');
      await eventually('events to be live', async () => {
        const res = await request(server).get('/api/ecs-deploy/health');
        return res.body.statusUpdates?.source === 'events';
      });
      expect(health.status).toBe(200);

      const revision = await deploy(
        emulator.endpoint,
        'prod',
        'evt-api',
        'acme/evt-api:2',
      );
      // The status TTL is five minutes (two while polling): only the event brings this in time.
      await eventually(
        'the new revision in the status',
        async () => (await prodRevision(server, 'evt-api')) === revision,
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      const res = await request(server).get('/api/ecs-deploy/health');
      expect(res.body.statusUpdates).toEqual({
        source: 'events',
        refreshSeconds: 300,
      });
      await eventually('a status signal for the entity and its team', () =>
        ['component:default:evt-api', 'group:default:team-a'].every(channel =>
          signals.some(
            s =>
              s.channel === `ecs-deploy:${channel}` &&
              (s.message as any).subject === 'status' &&
              (s.message as any).id === 'prod/evt-api',
          ),
        ),
      );
    } finally {
      await backend.stop();
    }
  });

  it('falls back to polling while the queue cannot be read, says so in /health and the org view, and logs it once', async () => {
    await seedService(emulator.endpoint, 'prod', 'poll-api', 'acme/poll-api:1');
    const logs = capturedLogger();
    const missing = `${
      emulator.endpoint
    }/${TEST_ACCOUNT}/no-such-queue-${Date.now()}`;
    const backend = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['poll-api'],
      ecsDeploy: eventsConfig(missing, emulator.endpoint),
      features: [logs.factory],
    });
    const { server } = backend;
    try {
      await eventually('the failing queue in /health', async () => {
        const res = await request(server).get('/api/ecs-deploy/health');
        return /cannot be read/.test(res.body.statusUpdates?.degraded ?? '');
      });
      const health = await request(server).get('/api/ecs-deploy/health');
      expect(health.body.statusUpdates).toEqual({
        source: 'polling',
        refreshSeconds: 10,
        degraded: expect.stringMatching(
          /^the queue no-such-queue-\d+ cannot be read: .*QueueDoesNotExist/,
        ),
      });
      const org = await request(server)
        .get('/api/ecs-deploy/services')
        .set('Authorization', as(ALICE));
      expect(org.body.statusUpdates).toEqual(health.body.statusUpdates);
      // Polling's TTL applies: a change shows within it although no event can arrive.
      expect(await prodRevision(server, 'poll-api')).toBe(1);
      const revision = await deploy(
        emulator.endpoint,
        'prod',
        'poll-api',
        'acme/poll-api:2',
      );
      await eventually(
        'the change by polling',
        async () => (await prodRevision(server, 'poll-api')) === revision,
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      // The consumer kept retrying with back-off; the outage was logged once.
      expect(
        logs.lines.filter(l => l.includes('ECS events unavailable')),
      ).toHaveLength(1);
    } finally {
      await backend.stop();
    }
  });

  it('falls back to polling when changes arrive without events (rules disabled), and returns when events flow again', async () => {
    const name = `rules-${Date.now()}`;
    const queue = await createEventsQueue(emulator.endpoint, { name });
    await seedService(
      emulator.endpoint,
      'prod',
      'quiet-api',
      'acme/quiet-api:1',
    );
    const backend = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['quiet-api'],
      ecsDeploy: {
        ...eventsConfig(queue.queueUrl, emulator.endpoint, {
          // A short safety net and grace, so that the index finds the missed change soon.
          statusTtl: { seconds: 3 },
          missedChangeGrace: { seconds: 1 },
        }),
        index: { enabled: true, interval: { seconds: 1 } },
      },
    });
    const { server } = backend;
    try {
      await eventually('events to be live', async () => {
        const res = await request(server).get('/api/ecs-deploy/health');
        return res.body.statusUpdates?.source === 'events';
      });
      await setEventsRules(emulator.endpoint, queue, false);
      await deploy(emulator.endpoint, 'prod', 'quiet-api', 'acme/quiet-api:2');
      await eventually(
        'the missed change in /health',
        async () => {
          const res = await request(server).get('/api/ecs-deploy/health');
          return /without an ECS event \(e\.g\. quiet-api in prod\)/.test(
            res.body.statusUpdates?.degraded ?? '',
          );
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      const org = await request(server)
        .get('/api/ecs-deploy/services')
        .set('Authorization', as(ALICE));
      expect(org.body.statusUpdates).toMatchObject({
        source: 'polling',
        refreshSeconds: 10,
      });
      await setEventsRules(emulator.endpoint, queue, true);
      await deploy(emulator.endpoint, 'prod', 'quiet-api', 'acme/quiet-api:3');
      await eventually(
        'events live again',
        async () => {
          const res = await request(server).get('/api/ecs-deploy/health');
          return res.body.statusUpdates?.source === 'events';
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      const health = await request(server).get('/api/ecs-deploy/health');
      expect(health.body.statusUpdates).toEqual({
        source: 'events',
        refreshSeconds: 3,
      });
    } finally {
      await backend.stop();
    }
  });

  it('drops poison messages (not JSON, not ECS, dated in the future) and keeps consuming', async () => {
    const queue = await createEventsQueue(emulator.endpoint, {
      name: `poison-${Date.now()}`,
    });
    await seedService(emulator.endpoint, 'prod', 'pois-api', 'acme/pois-api:1');
    const backend = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['pois-api'],
      ecsDeploy: eventsConfig(queue.queueUrl, emulator.endpoint, {}, 120),
    });
    const { server } = backend;
    const sqs = sqsClient(emulator.endpoint);
    try {
      expect(await prodRevision(server, 'pois-api')).toBe(1);
      await eventually('events to be live', async () => {
        const res = await request(server).get('/api/ecs-deploy/health');
        return res.body.statusUpdates?.source === 'events';
      });
      const service = `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:service/test-prod/pois-api`;
      const poison = [
        '{ not json',
        JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created' }),
        // Applied, it would make every later event of the service look late.
        JSON.stringify({
          id: 'from-the-future',
          source: 'aws.ecs',
          'detail-type': 'ECS Deployment State Change',
          account: TEST_ACCOUNT,
          region: TEST_REGION,
          time: '2099-01-01T00:00:00Z',
          resources: [service],
          detail: { eventName: 'SERVICE_DEPLOYMENT_COMPLETED' },
        }),
      ];
      for (const body of poison) {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.queueUrl,
            MessageBody: body,
          }),
        );
      }
      const revision = await deploy(
        emulator.endpoint,
        'prod',
        'pois-api',
        'acme/pois-api:2',
      );
      await eventually(
        'the new revision in the status, past the poison',
        async () => (await prodRevision(server, 'pois-api')) === revision,
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      // Nothing is left behind to come back: every message was handled and deleted.
      await eventually('an empty queue', async () => {
        const { Attributes: a } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        return (
          a?.ApproximateNumberOfMessages === '0' &&
          a?.ApproximateNumberOfMessagesNotVisible === '0'
        );
      });
      const res = await request(server).get('/api/ecs-deploy/health');
      expect(res.body.statusUpdates.source).toBe('events');
    } finally {
      await backend.stop();
    }
  });
});
