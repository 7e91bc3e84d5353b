/*
 * Adoption over HTTP against the emulator (services created through the AWS API): the caller
 * must be a member of the suggested owner group as the catalog has it, or an admin; refusals are
 * audited and write nothing; a real adoption tags the service and creates its image parameters
 * from the running images; bad input is a 400/404/409 naming the value; of two concurrent
 * adopters exactly one wins; an adoption that exists is answered as it is when the caller asks to
 * accept it and may act for its owner; a release restores what was there.
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
import { Emulator, startTestEmulator } from './__testUtils__/emulator';
import {
  startOnboardingBackend,
  type AuditedEvent,
} from './__testUtils__/onboardingBackend';

jest.setTimeout(120_000);

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const user = (name: string, groups: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: groups },
  relations: groups.map(g => ({
    type: 'memberOf',
    targetRef: `group:default/${g}`,
  })),
});

let audited: AuditedEvent[];

describe('POST /adoptions', () => {
  let moto: Emulator;
  let server: Server;

  const tags = async (env: string, name: string) => {
    const { services } = await ecsClient(moto.endpoint).send(
      new DescribeServicesCommand({
        cluster: `test-${env}`,
        services: [name],
        include: ['TAGS'],
      }),
    );
    return Object.fromEntries(
      (services![0].tags ?? []).map(t => [t.key, t.value]),
    );
  };
  const parameter = (name: string) =>
    ssmClient(moto.endpoint)
      .send(new GetParameterCommand({ Name: name }))
      .then(
        r => r.Parameter?.Value,
        e => `absent (${e.name})`,
      );
  const adopt = (who: string, body: object) =>
    request(server)
      .post('/api/ecs-deploy/adoptions')
      .set('Authorization', as(who))
      .send(body);
  const billing = {
    serviceName: 'billing',
    environments: ['staging', 'prod'],
    owner: 'group:default/team-payments',
  };

  beforeAll(async () => {
    moto = await startTestEmulator();
    const e = moto.endpoint;
    for (const env of ['staging', 'prod']) {
      await seedLegacyService(
        e,
        env,
        'billing',
        `ghcr.io/acme/billing:${env}`,
        {
          tags: { team: 'payments', cost: 'b42' },
        },
      );
    }
    await seedLegacyService(e, 'staging', 'ledger', 'ghcr.io/acme/ledger:3', {
      tags: { team: 'payments' },
    });
    await seedLegacyService(e, 'staging', 'orphan', 'ghcr.io/acme/orphan:1');
    await seedLegacyService(e, 'staging', 'Billing_Prod', 'ghcr.io/acme/b:1', {
      tags: { team: 'payments' },
    });
    // The portal's own: its tag names an entity the catalog has.
    await seedService(
      e,
      'staging',
      'payments-api',
      'ghcr.io/acme/payments-api:1',
    );
    ({ server, audited } = await startOnboardingBackend(e, [
      component('payments-api', 'group:default/team-payments'),
      group('team-payments'),
      group('team-search'),
      group('platform'),
      user('alice', ['team-payments']),
      user('bob', ['team-payments']),
      user('carol', ['team-search']),
      user('dave', ['platform']),
    ]));
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('tells the page who may adopt what: the catalog groups of the caller, and whether an admin', async () => {
    const answers = await Promise.all(
      ['alice', 'dave'].map(who =>
        request(server)
          .get('/api/ecs-deploy/adopter')
          .set('Authorization', as(who)),
      ),
    );
    expect(answers.map(r => [r.status, r.body])).toEqual([
      [
        200,
        {
          userEntityRef: 'user:default/alice',
          admin: false,
          groups: ['group:default/team-payments'],
        },
      ],
      [
        200,
        {
          userEntityRef: 'user:default/dave',
          admin: true,
          groups: ['group:default/platform'],
        },
      ],
    ]);
  });

  it('refuses a caller outside the suggested owner group with an audited 403, writing nothing', async () => {
    const res = await adopt('carol', billing);
    expect([res.status, res.body.error?.name]).toEqual([
      403,
      'NotAllowedError',
    ]);
    expect(res.body.error.message).toBe(
      'user:default/carol may not adopt billing: only members of group:default/team-payments or an admin may (member of group:default/team-search)',
    );
    const refused = audited.filter(
      a =>
        a.options.eventId === 'adopt-service' &&
        a.outcome === 'fail: NotAllowedError',
    );
    expect(refused.map(a => a.options.meta?.actor)).toEqual([
      'user:default/carol',
    ]);
    expect(await tags('staging', 'billing')).toEqual({
      team: 'payments',
      cost: 'b42',
    });
    expect(await parameter('/ecs-deploy/staging/billing/image/app')).toBe(
      'absent (ParameterNotFound)',
    );
  });

  it('refuses a member naming another group as owner, and a service with no suggested owner for members', async () => {
    const other = await adopt('alice', {
      ...billing,
      owner: 'group:default/team-search',
    });
    expect([other.status, other.body.error?.message]).toEqual([
      403,
      'user:default/alice may adopt billing only for group:default/team-payments, not for group:default/team-search (admins may name any group)',
    ]);
    const orphan = await adopt('alice', {
      ...billing,
      serviceName: 'orphan',
      environments: ['staging'],
    });
    expect([orphan.status, orphan.body.error?.message]).toEqual([
      403,
      'user:default/alice may not adopt orphan: its tags suggest no owner group, so only an admin may (member of group:default/team-payments)',
    ]);
  });

  it('answers a dry run with what it would write, and writes nothing', async () => {
    const res = await adopt('alice', { ...billing, dryRun: true });
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/billing',
      dryRun: true,
      services: [
        {
          environment: 'staging',
          cluster: 'test-staging',
          imageParameters: [
            {
              name: '/ecs-deploy/staging/billing/image/app',
              image: 'ghcr.io/acme/billing:staging',
              created: true,
            },
          ],
        },
        { environment: 'prod', cluster: 'test-prod' },
      ],
    });
    expect(await tags('prod', 'billing')).toEqual({
      team: 'payments',
      cost: 'b42',
    });
    expect(await parameter('/ecs-deploy/prod/billing/image/app')).toMatch(
      /^absent/,
    );
  });

  it('answers bad input with 400/404/409 naming the value', async () => {
    const cases: Array<[string, object, number, unknown]> = [
      [
        'owned',
        { ...billing, serviceName: 'payments-api', environments: ['staging'] },
        409,
        'An entity component:default/payments-api already exists (owner group:default/team-payments): ECS service payments-api cannot be adopted under its name',
      ],
      [
        'unconfigured',
        { ...billing, environments: ['staging', 'qa'] },
        400,
        'Invalid environment "qa": not configured; known: staging, prod',
      ],
      [
        'naming rule',
        { ...billing, serviceName: 'Billing_Prod', environments: ['staging'] },
        400,
        'Invalid adoption: serviceName "Billing_Prod": must be 3-32 lowercase letters, digits and hyphens, start with a letter and not end with a hyphen',
      ],
      [
        'reserved',
        { ...billing, serviceName: 'admin' },
        400,
        expect.stringContaining(
          'Invalid adoption: serviceName "admin": is a reserved word',
        ),
      ],
      [
        'missing',
        { ...billing, serviceName: 'nothing-here' },
        404,
        'No ECS service nothing-here in staging (cluster test-staging)',
      ],
      [
        'unknown owner',
        { ...billing, owner: 'group:default/nobody' },
        400,
        'Invalid owner "group:default/nobody": no such group in the catalog',
      ],
    ];
    for (const [what, body, status, message] of cases) {
      const res = await adopt('dave', body);
      expect([what, res.status, res.body.error?.message]).toEqual([
        what,
        status,
        message,
      ]);
    }
    expect(await tags('staging', 'billing')).toEqual({
      team: 'payments',
      cost: 'b42',
    });
  });

  it('of two adopters at once, exactly one wins; the other gets 409 naming the winner', async () => {
    const [a, b] = await Promise.all([
      adopt('alice', billing),
      adopt('bob', billing),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const winner = a.status === 201 ? a : b;
    const loser = a.status === 201 ? b : a;
    expect(loser.body.error.message).toMatch(
      new RegExp(
        `^ECS service billing in (staging|prod) is already adopted by ${winner.body.actor} as component:default/billing$`,
      ),
    );
    for (const env of ['staging', 'prod']) {
      expect(await tags(env, 'billing')).toEqual({
        team: 'payments',
        cost: 'b42',
        'backstage:entity-ref': 'component:default/billing',
      });
      expect(await parameter(`/ecs-deploy/${env}/billing/image/app`)).toBe(
        `ghcr.io/acme/billing:${env}`,
      );
    }
    expect(
      winner.body.services.map((s: any) => s.imageParameters[0].created),
    ).toEqual([true, true]);
    // A later attempt is a 409 too.
    const again = await adopt('dave', billing);
    expect([again.status, again.body.error?.name]).toEqual([
      409,
      'ConflictError',
    ]);
    const outcomes = audited
      .filter(
        x =>
          x.options.eventId === 'adopt-service' &&
          x.options.meta?.serviceName === 'billing' &&
          !x.options.meta?.dryRun,
      )
      .map(x => x.outcome);
    expect(outcomes.filter(o => o === 'success')).toHaveLength(1);
  });

  it('answers an adoption of this component for this owner that exists already when asked to accept it (the template after the bulk job), for its owner only', async () => {
    // billing was adopted for team-payments by the race above.
    const accept = { ...billing, acceptAdopted: true };
    const member = await adopt('bob', accept);
    expect([member.status, member.body.error]).toEqual([200, undefined]);
    expect(member.body).toMatchObject({
      entityRef: 'component:default/billing',
      owner: 'group:default/team-payments',
      actor: 'user:default/bob',
      dryRun: false,
      alreadyAdopted: true,
    });
    expect(
      member.body.services.map((s: any) => [
        s.environment,
        s.imageParameters.map((p: any) => p.created),
      ]),
    ).toEqual([
      ['staging', [false]],
      ['prod', [false]],
    ]);
    const dry = await adopt('dave', { ...accept, dryRun: true });
    expect([dry.status, dry.body.alreadyAdopted]).toEqual([200, true]);
    // Someone who may not act for the owner: 403; another owner: 409 as before.
    const outsider = await adopt('carol', accept);
    expect([outsider.status, outsider.body.error?.message]).toEqual([
      403,
      expect.stringContaining(
        'user:default/carol may not adopt billing: only members of group:default/team-payments or an admin may',
      ),
    ]);
    const other = await adopt('dave', {
      ...accept,
      owner: 'group:default/team-search',
    });
    expect([other.status, other.body.error?.message]).toEqual([
      409,
      expect.stringMatching(
        /^ECS service billing in staging is already adopted by user:default\/(alice|bob) as component:default\/billing$/,
      ),
    ]);
    // Nothing was written.
    expect(await tags('staging', 'billing')).toEqual({
      team: 'payments',
      cost: 'b42',
      'backstage:entity-ref': 'component:default/billing',
    });
  });

  it('lets an admin adopt a service whose tags suggest no owner, and release it again (audited)', async () => {
    const body = {
      ...billing,
      serviceName: 'orphan',
      environments: ['staging'],
      owner: 'group:default/team-search',
    };
    const res = await adopt('dave', body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    expect((await tags('staging', 'orphan'))['backstage:entity-ref']).toBe(
      'component:default/orphan',
    );
    expect(await parameter('/ecs-deploy/staging/orphan/image/app')).toBe(
      'ghcr.io/acme/orphan:1',
    );

    const refused = await request(server)
      .delete('/api/ecs-deploy/adoptions/staging/orphan')
      .set('Authorization', as('alice'));
    expect(refused.status).toBe(403);
    const released = await request(server)
      .delete('/api/ecs-deploy/adoptions/staging/orphan')
      .set('Authorization', as('carol'));
    expect([released.status, released.body.error]).toEqual([204, undefined]);
    expect(await tags('staging', 'orphan')).toEqual({});
    expect(await parameter('/ecs-deploy/staging/orphan/image/app')).toMatch(
      /^absent/,
    );
    expect(
      audited
        .filter(a => a.options.eventId === 'release-adoption')
        .map(a => a.outcome),
    ).toEqual(['fail: NotAllowedError', 'success']);
    // Released: adoptable again.
    const dry = await adopt('dave', { ...body, dryRun: true });
    expect(dry.status).toBe(200);
  });
});
