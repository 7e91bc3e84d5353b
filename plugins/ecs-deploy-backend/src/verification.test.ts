/*
 * Verification over HTTP against the emulator (one emulated minute a second): after a promotion
 * the backend watches prod's service (the ecs-service module's 5xx alarm, an HTTP check through
 * the emulator's per-service endpoint, metric analysis of its target group) and records the
 * outcome. An image tagged `-errors` trips the alarm: the verification fails naming it and the
 * promotion is rolled back by the backend (actor `system`, audited with that reason); a good one
 * is verified with the measured values. The verification lives in the database: a second backend
 * on it finishes what a stopped one started.
 */
import { describeDeployed, Emulator, startEmulator } from '@internal/dev-kit';
import knexFactory from 'knex';
import request from 'supertest';
import { createTestDatabases } from './__testUtils__/databases';
import { ecsClient } from './__testUtils__/ecsFixtures';
import {
  ALICE,
  api,
  as,
  notificationTitlesIncluding,
  startTeamBackend,
} from './__testUtils__/teamBackend';
import {
  imageOf,
  promote,
  seed,
  verificationConfig,
  verificationWhen,
} from './__testUtils__/verification';

jest.setTimeout(180_000);

const databases = createTestDatabases();

describe('verification after a promotion', () => {
  let emulator: Emulator;
  const emulatorUrl = () =>
    `${emulator.endpoint}/_emulator/http/{account}/{region}/{cluster}/{service}/health`;

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('an image answering 5xx trips the alarm: failed naming it, rolled back by the backend, audited and notified', async () => {
    const name = 'vf-bad';
    await seed(emulator.endpoint, name, '2.0.0-errors');
    const backend = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: [name],
      ecsDeploy: verificationConfig(emulatorUrl(), 30),
    });
    try {
      const server = backend.server;
      const id = await promote(server, name);
      const failed = await verificationWhen(
        server,
        name,
        'prod',
        'failed and rolled back',
        v => v.status === 'failed' && v.rollback !== undefined,
      );
      const alarm = `${name}-prod-http-5xx-rate`;
      expect(failed).toMatchObject({
        trigger: 'promotion',
        auditId: id,
        requestedBy: ALICE,
        taskDefinition: expect.stringMatching(new RegExp(`${name}-prod:2$`)),
        message: expect.stringMatching(
          new RegExp(`^Alarm ${alarm} (is|went) in(to)? ALARM`),
        ),
      });
      const check = failed.checks.find((c: any) => c.name === alarm);
      expect(check).toMatchObject({
        kind: 'alarm',
        status: 'failed',
        threshold: 0,
      });
      expect(check.value).toBeGreaterThan(0);
      expect(failed.message).toMatch(/Threshold Crossed/);
      expect(failed.rollback.message).toMatch(
        new RegExp(
          `^Rolled back automatically to a copy of ${name}-prod:1 \\(${name}-prod:3\\)\\.$`,
        ),
      );

      // The rollback is in the history: the backend's, caused by the promotion, the alarm its reason.
      const history = (
        await request(server)
          .get(`${api(name)}/history`)
          .set('Authorization', as(ALICE))
      ).body.items as any[];
      const rollback = history.find(r => r.id === failed.rollback.auditId);
      expect(rollback).toMatchObject({
        action: 'rollback',
        actor: 'system',
        causedBy: id,
        toEnvironment: 'prod',
      });
      expect(rollback.reason).toBe(
        `Automatic rollback: verification failed: ${failed.message}`,
      );
      const deployed = await describeDeployed(
        ecsClient(emulator.endpoint),
        'test-prod',
        name,
      );
      expect(deployed.containers[0].image).toMatch(imageOf(name, '1.0.0'));

      const titles = await notificationTitlesIncluding(server, ALICE, [
        `Verification of ${name} in prod (${name}-prod:2) failed`,
      ]);
      expect(titles).toContain(
        `Verification of ${name} in prod (${name}-prod:2) failed`,
      );
    } finally {
      await backend.stop();
    }
  });

  it('a good image is verified with what each check measured; prod keeps it', async () => {
    const name = 'vf-good';
    await seed(emulator.endpoint, name, '2.0.0');
    const backend = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: [name],
      ecsDeploy: verificationConfig(emulatorUrl(), 6),
    });
    try {
      const server = backend.server;
      const id = await promote(server, name);
      const verified = await verificationWhen(
        server,
        name,
        'prod',
        'ended',
        v => !['running'].includes(v.status),
      );
      expect(verified).toMatchObject({
        status: 'verified',
        auditId: id,
        message: expect.stringMatching(/^Every check passed: /),
      });
      expect(
        Date.parse(verified.windowEndsAt) - Date.parse(verified.rolledOutAt),
      ).toBe(6000);
      const byName = Object.fromEntries(
        verified.checks.map((c: any) => [c.name, c]),
      );
      expect(byName[`${name}-prod-http-5xx-rate`]).toMatchObject({
        kind: 'alarm',
        status: 'passed',
      });
      expect(
        byName[
          `${emulator.endpoint}/_emulator/http/123456789012/us-east-1/test-prod/${name}/health`
        ],
      ).toMatchObject({
        kind: 'http',
        status: 'passed',
        value: 200,
        successes: 2,
        failures: 0,
      });
      expect(byName['5xx rate']).toMatchObject({
        kind: 'metric',
        status: 'passed',
        value: 0,
        threshold: 1,
        unit: '%',
      });
      expect(byName['p95 latency']).toMatchObject({
        kind: 'metric',
        status: 'passed',
        threshold: 500,
        unit: 'ms',
      });
      expect(byName['p95 latency'].value).toBeLessThan(500);

      const deployed = await describeDeployed(
        ecsClient(emulator.endpoint),
        'test-prod',
        name,
      );
      expect(deployed.containers[0].image).toMatch(imageOf(name, '2.0.0'));
      const history = (
        await request(server)
          .get(`${api(name)}/history`)
          .set('Authorization', as(ALICE))
      ).body.items as any[];
      expect(history.filter(r => r.action === 'rollback')).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it.each(databases.eachSupportedId())(
    'on %p: a verification started by a backend that stops is finished by the next one',
    async databaseId => {
      const name = `vf-restart-${databaseId.toLowerCase().replace(/_/g, '-')}`;
      await seed(emulator.endpoint, name, '2.0.0');
      const knexA = await databases.init(databaseId);
      const ecsDeploy = verificationConfig(emulatorUrl(), 8);
      const a = await startTeamBackend({
        endpoint: emulator.endpoint,
        components: [name],
        ecsDeploy,
        knex: knexA,
      });
      await promote(a.server, name);
      // A measures (the rollout is done, the window open), then stops.
      const measuring = await verificationWhen(
        a.server,
        name,
        'prod',
        'rolled out and measured',
        v =>
          v.status === 'running' &&
          v.rolledOutAt &&
          v.checks.some((c: any) => c.measurements > 0),
      );
      await a.stop();
      const row = await knexA('ecs_deploy_verifications')
        .where({ id: measuring.id })
        .first();
      expect(row.status).toBe('running');

      const knexB = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: 'pg',
            connection: (knexA.client as any).config.connection,
          })
        : knexA;
      const b = await startTeamBackend({
        endpoint: emulator.endpoint,
        components: [name],
        ecsDeploy,
        knex: knexB,
      });
      try {
        const done = await verificationWhen(
          b.server,
          name,
          'prod',
          'verified by B',
          v => v.id === measuring.id && v.status !== 'running',
        );
        expect(done.status).toBe('verified');
        // B carried on from A's window and measurements, not from the start.
        expect(done.rolledOutAt).toBe(measuring.rolledOutAt);
        const http = done.checks.find((c: any) => c.kind === 'http');
        expect(http.measurements).toBeGreaterThanOrEqual(
          measuring.checks.find((c: any) => c.kind === 'http').measurements,
        );
      } finally {
        await b.stop();
        if (knexB !== knexA) await knexB.destroy();
      }
    },
  );
});
