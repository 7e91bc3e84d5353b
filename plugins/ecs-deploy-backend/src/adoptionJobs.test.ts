/*
 * Bulk adoption over HTTP against the emulator (services created through the AWS API): only an
 * admin may preview or start a job (403 audited otherwise, nothing stored); the preview answers
 * each service's dry run and writes nothing; the job adopts the services in the background (tag
 * and image parameters, each audited as the admin's adoption) and reports each one; a second job
 * over the same services changes nothing and says so.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { seedLegacyService } from '@internal/dev-kit';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  component,
  ecsClient,
  seedService,
  ssmClient,
} from './__testUtils__/ecsFixtures';
import {
  startOnboardingBackend,
  type AuditedEvent,
} from './__testUtils__/onboardingBackend';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';

jest.setTimeout(120_000);

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const entity = (
  kind: string,
  name: string,
  spec: object,
  groups: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
  relations: groups.map(g => ({
    type: 'memberOf',
    targetRef: `group:default/${g}`,
  })),
});
const NAMES = ['svc-a', 'svc-b', 'svc-c', 'svc-d', 'svc-e'];

describe('POST /adoption-jobs', () => {
  let moto: Emulator;
  let server: Server;
  let audited: AuditedEvent[];

  const tagOf = async (name: string) => {
    const { services } = await ecsClient(moto.endpoint).send(
      new DescribeServicesCommand({
        cluster: 'test-staging',
        services: [name],
        include: ['TAGS'],
      }),
    );
    return services![0].tags?.find(t => t.key === 'backstage:entity-ref')
      ?.value;
  };
  const post = (who: string, body: object) =>
    request(server)
      .post('/api/ecs-deploy/adoption-jobs')
      .set('Authorization', as(who))
      .send(body);
  const services = [...NAMES, 'payments-api', 'missing'].map(serviceName => ({
    serviceName,
    environments: ['staging'],
    owner: 'group:default/team-payments',
  }));
  const report = async (id: string) => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const res = await request(server)
        .get(`/api/ecs-deploy/adoption-jobs/${id}`)
        .set('Authorization', as('dave'));
      expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
      if (res.body.status === 'completed') return res.body;
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error(`adoption job ${id} did not complete within 60 s`);
  };

  beforeAll(async () => {
    moto = await startTestEmulator();
    const e = moto.endpoint;
    for (const name of NAMES) {
      await seedLegacyService(e, 'staging', name, `ghcr.io/acme/${name}:1`, {
        tags: { team: 'payments' },
      });
    }
    await seedLegacyService(e, 'prod', 'cron', 'ghcr.io/acme/cron:1');
    // The portal's own: owned by an entity the catalog has.
    await seedService(
      e,
      'staging',
      'payments-api',
      'ghcr.io/acme/payments-api:1',
    );
    ({ server, audited } = await startOnboardingBackend(e, [
      component('payments-api', 'group:default/team-payments'),
      entity('Group', 'team-payments', { type: 'team', children: [] }),
      entity('Group', 'platform', { type: 'team', children: [] }),
      entity('User', 'alice', { memberOf: ['team-payments'] }, [
        'team-payments',
      ]),
      entity('User', 'dave', { memberOf: ['platform'] }, ['platform']),
    ]));
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('refuses a non-admin with an audited 403, storing and writing nothing', async () => {
    for (const dryRun of [true, false]) {
      const res = await post('alice', { services, dryRun });
      expect([res.status, res.body.error?.message]).toEqual([
        403,
        'user:default/alice may not adopt services in bulk: only an admin may (member of group:default/team-payments)',
      ]);
    }
    expect(
      audited
        .filter(a => a.options.eventId === 'adopt-services')
        .map(a => [a.options.meta?.actor, a.options.meta?.dryRun, a.outcome]),
    ).toEqual([
      ['user:default/alice', true, 'fail: NotAllowedError'],
      ['user:default/alice', false, 'fail: NotAllowedError'],
    ]);
    expect(await tagOf('svc-a')).toBeUndefined();
  });

  it('takes a body of hundreds of services (a 403 for a non-admin, not a 413)', async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      serviceName: `legacy-${String(i).padStart(3, '0')}`,
      environments: ['staging', 'prod'],
      owner: 'group:default/team-payments',
    }));
    const res = await post('alice', { services: many, dryRun: true });
    expect([res.status, res.body.error?.name]).toEqual([
      403,
      'NotAllowedError',
    ]);
  });

  it('answers bad input with 400 naming the value', async () => {
    const dup = await post('dave', { services: [services[0], services[0]] });
    expect([dup.status, dup.body.error?.message]).toEqual([
      400,
      expect.stringContaining('must name each service once'),
    ]);
    const unknown = await request(server)
      .get('/api/ecs-deploy/adoption-jobs/not-a-uuid')
      .set('Authorization', as('dave'));
    expect(unknown.status).toBe(400);
    const absent = await request(server)
      .get('/api/ecs-deploy/adoption-jobs/7f1c4b7e-0000-4000-8000-000000000000')
      .set('Authorization', as('dave'));
    expect([absent.status, absent.body.error?.message]).toEqual([
      404,
      'No adoption job 7f1c4b7e-0000-4000-8000-000000000000',
    ]);
  });

  it('previews each service, then adopts them in one job with a per-service report; a second job changes nothing', async () => {
    const preview = await post('dave', { services, dryRun: true });
    expect([preview.status, preview.body.counts]).toEqual([
      200,
      { ok: 5, refused: 2 },
    ]);
    const byName = new Map<string, any>(
      preview.body.items.map((i: any) => [i.serviceName, i]),
    );
    expect(byName.get('svc-a').result).toMatchObject({
      dryRun: true,
      entityRef: 'component:default/svc-a',
      services: [
        {
          environment: 'staging',
          imageParameters: [
            {
              name: '/ecs-deploy/staging/svc-a/image/app',
              image: 'ghcr.io/acme/svc-a:1',
            },
          ],
        },
      ],
    });
    expect(byName.get('payments-api').error.name).toBe('ConflictError');
    expect(byName.get('missing').error.name).toBe('NotFoundError');
    expect(await tagOf('svc-a')).toBeUndefined();

    const started = await post('dave', { services });
    expect([
      started.status,
      started.body.status,
      started.body.counts.pending,
    ]).toEqual([202, 'running', 7]);
    const done = await report(started.body.id);
    expect(done.counts).toEqual({
      pending: 0,
      adopted: 5,
      'already-adopted': 0,
      failed: 2,
    });
    expect(
      done.items.map((i: any) => [i.serviceName, i.status, i.error?.name]),
    ).toEqual([
      ...NAMES.map(n => [n, 'adopted', undefined]),
      ['payments-api', 'failed', 'ConflictError'],
      ['missing', 'failed', 'NotFoundError'],
    ]);
    for (const name of NAMES) {
      expect(await tagOf(name)).toBe(`component:default/${name}`);
      const p = await ssmClient(moto.endpoint).send(
        new GetParameterCommand({
          Name: `/ecs-deploy/staging/${name}/image/app`,
        }),
      );
      expect(p.Parameter?.Value).toBe(`ghcr.io/acme/${name}:1`);
    }
    // Each service audited as the admin's own adoption.
    expect(
      audited
        .filter(
          a =>
            a.options.eventId === 'adopt-service' &&
            a.outcome === 'success' &&
            !a.options.meta?.dryRun,
        )
        .map(a => a.options.meta?.actor),
    ).toEqual(NAMES.map(() => 'user:default/dave'));

    const again = await report(
      (
        await post('dave', { services: services.slice(0, 5) })
      ).body.id,
    );
    expect(again.counts).toEqual({
      pending: 0,
      adopted: 0,
      'already-adopted': 5,
      failed: 0,
    });
  });
});
