/*
 * Bounded time against AWS: with the endpoint frozen (connections accepted, never answered),
 * every read route answers within the read deadline with a per-environment error (and the last
 * good state when there is one), and a promotion fails within the write deadline.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AwsProxy, eventually, startAwsProxy } from '@internal/dev-kit';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import {
  component,
  ecsDeployTestConfig,
  seedService,
} from './__testUtils__/ecsFixtures';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';

jest.setTimeout(90_000);

const OWNER = mockCredentials.user.header('user:default/owner');
const BASE = '/api/ecs-deploy/entities/component/default/payments-api';
const READ_DEADLINE_MS = 1000;
const WRITE_DEADLINE_MS = 2000;

describe('a frozen AWS endpoint', () => {
  let moto: Emulator;
  let proxy: AwsProxy;
  let server: any;

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
    proxy = await startAwsProxy({ target: moto.endpoint });
    const { server: s } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        mockServices.rootConfig.factory({
          data: ecsDeployTestConfig(proxy.endpoint, {
            cache: { statusTtl: { milliseconds: 1 } },
            aws: {
              maxAttempts: 3,
              requestTimeout: { milliseconds: 500 },
              readDeadline: { milliseconds: READ_DEADLINE_MS },
              writeDeadline: { milliseconds: WRITE_DEADLINE_MS },
            },
          }),
        }),
        catalogServiceMock.factory({
          entities: [
            component('payments-api'),
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'team-a', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
        mockServices.permissions.factory(),
      ],
    });
    server = s;
    // One good read, so a stale state exists for the entity view.
    const first = await request(server)
      .get(`${BASE}/status`)
      .set('Authorization', OWNER);
    if (first.status !== 200)
      throw new Error(`first read: ${first.status} ${first.text}`);
    // Every call hangs, but still reaches the emulator: whatever the backend sends is applied,
    // so a write made behind the caller's back would show below.
    proxy.setFault({ kind: 'hang', rate: 1, forward: true });
  });

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  const timed = async (req: request.Test) => {
    const started = Date.now();
    const res = await req.set('Authorization', OWNER);
    return { res, ms: Date.now() - started };
  };

  it('serves the entity view within the deadline: the last good state, marked stale, with the error', async () => {
    const { res, ms } = await timed(request(server).get(`${BASE}/status`));
    expect(ms).toBeLessThan(READ_DEADLINE_MS + 1500);
    expect(res.status).toBe(200);
    expect(res.body.environments).toHaveLength(2);
    for (const env of res.body.environments) {
      expect(env).toMatchObject({
        health: 'progressing', // as last read: startTestEmulator's rollouts outlast the test
        stale: true,
        error: { name: 'TimeoutError' },
        service: { name: 'payments-api' },
      });
      expect(env.error.message).toMatch(/did not answer in time/);
    }
  });

  it('answers the team view, tasks, preview and the name check within the deadline', async () => {
    const team = await timed(
      request(server).get('/api/ecs-deploy/teams/default/team-a/status'),
    );
    expect(team.res.status).toBe(200);
    expect(team.ms).toBeLessThan(READ_DEADLINE_MS + 1500);
    expect(team.res.body.rows[0].environments.prod.error.name).toBe(
      'TimeoutError',
    );

    const tasks = await timed(
      request(server).get(`${BASE}/tasks?environment=prod`),
    );
    expect(tasks.res.status).toBe(200);
    expect(tasks.ms).toBeLessThan(READ_DEADLINE_MS + 1500);
    expect(tasks.res.body).toMatchObject({
      tasks: [],
      error: { name: 'TimeoutError' },
    });

    const preview = await timed(
      request(server).get(`${BASE}/promotions/preview?from=staging&to=prod`),
    );
    expect(preview.ms).toBeLessThan(READ_DEADLINE_MS + 1500);
    // The preview answers like the other views: the last known states, not allowed, and a
    // blocker naming each environment that could not be read.
    expect(preview.res.status).toBe(200);
    expect(preview.res.body.allowed).toBe(false);
    const unreadable = preview.res.body.blockers.filter(
      (b: any) => b.code === 'environment-unreadable',
    );
    expect(unreadable.map((b: any) => b.message)).toEqual([
      expect.stringMatching(
        /^Cannot read payments-api in staging from ECS now \(.*did not answer in time.*\)/,
      ),
      expect.stringMatching(
        /^Cannot read payments-api in prod from ECS now \(.*did not answer in time.*\)/,
      ),
    ]);
    expect(preview.res.body.source.images[0].image).toMatch(/payments-api/);

    const names = await timed(
      request(server).get('/api/ecs-deploy/service-names/brand-new'),
    );
    expect(names.ms).toBeLessThan(READ_DEADLINE_MS + 1500);
    expect(names.res.body.available).toBe(false);
    expect(names.res.body.conflicts.map((c: any) => c.code)).toEqual([
      'environment-unreadable',
      'environment-unreadable',
    ]);
  });

  it('fails a promotion within the write deadline, audited as failed, never a silent success', async () => {
    const { res, ms } = await timed(
      request(server)
        .post(`${BASE}/promotions`)
        .send({ from: 'staging', to: 'prod' }),
    );
    expect(ms).toBeLessThan(WRITE_DEADLINE_MS + 1500);
    expect(res.status).toBe(503);
    const history = await request(server)
      .get(`${BASE}/history`)
      .set('Authorization', OWNER);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({
      action: 'promote',
      result: 'failed',
    });
    // Once AWS answers again, nothing was changed behind the caller's back: prod runs its image
    // and revision, and no write reached AWS (the hang forwarded every call it got).
    proxy.setFault(null);
    const after = await eventually('a fresh read of prod', async () => {
      const read = await request(server)
        .get(`${BASE}/status`)
        .set('Authorization', OWNER);
      const prod = read.body.environments[1];
      return prod && !prod.stale && prod;
    });
    expect(after.service.images[0].image).toBe(
      'ghcr.io/acme/payments-api:1.3.2',
    );
    expect(after.service.taskDefinition.revision).toBe(1);
    for (const write of [
      'RegisterTaskDefinition',
      'UpdateService',
      'PutParameter',
    ]) {
      expect(proxy.counts.get(write) ?? 0).toBe(0);
    }
  });
});
