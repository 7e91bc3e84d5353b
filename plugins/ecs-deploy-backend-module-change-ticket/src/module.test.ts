/*
 * The change-ticket gate in a started backend: the ECS deploy plugin with this module, the
 * emulator as AWS and the ITSM stub over HTTP. Approved passes; pending, rejected, unknown and
 * missing tickets block in the preview and on the write (409 naming the gate, audited as rejected
 * with the gate's verdict); only the configured environments are gated.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The backend this module runs in, started for the test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy-backend';
import {
  ecsDeployTestConfig,
  eventually,
  type Emulator,
  type ItsmStub,
  seedService,
  startEmulator,
  startItsmStub,
} from '@internal/dev-kit';
import request from 'supertest';
import changeTicketModule from './index';

jest.setTimeout(120_000);

const ALICE = 'user:default/alice';
const SERVICE = 'payments-api';
const API = `/api/ecs-deploy/entities/component/default/${SERVICE}`;

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: SERVICE,
      namespace: 'default',
      annotations: { 'ecs-deploy.io/service-name': SERVICE },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  },
];

describe('the change-ticket gate', () => {
  let emulator: Emulator;
  let itsm: ItsmStub;
  let server: any;
  const as = () => mockCredentials.user.header(ALICE);
  const preview = (query = '') =>
    request(server)
      .get(`${API}/promotions/preview?from=staging&to=prod${query}`)
      .set('Authorization', as());
  const promote = (body: object) =>
    request(server)
      .post(`${API}/promotions`)
      .set('Authorization', as())
      .send({ from: 'staging', to: 'prod', ...body });
  const history = async () =>
    (await request(server).get(`${API}/history`).set('Authorization', as()))
      .body.items;

  beforeAll(async () => {
    [emulator, itsm] = await Promise.all([
      startEmulator({ rolloutSeconds: 1 }),
      startItsmStub({
        tickets: [
          { id: 'CHG-1', state: 'approved', title: 'Payments 2.0' },
          { id: 'CHG-2', state: 'pending' },
          { id: 'CHG-3', state: 'rejected' },
        ],
      }),
    ]);
    await seedService(
      emulator.endpoint,
      'staging',
      SERVICE,
      `ghcr.io/acme/${SERVICE}:2.0.0`,
    );
    await seedService(
      emulator.endpoint,
      'prod',
      SERVICE,
      `ghcr.io/acme/${SERVICE}:1.0.0`,
    );
    const config = ecsDeployTestConfig(emulator.endpoint, {
      changeTicket: {
        environments: ['prod'],
        itsm: { baseUrl: itsm.url, token: itsm.token },
      },
    });
    ({ server } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        changeTicketModule,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' }, ...config },
        }),
        catalogServiceMock.factory({ entities }),
      ],
    }));
    await eventually(
      'staging healthy',
      async () =>
        (
          await request(server).get(`${API}/status`).set('Authorization', as())
        ).body.environments?.some(
          (e: any) => e.environment === 'staging' && e.health === 'healthy',
        ),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });

  afterAll(async () => {
    await Promise.all([emulator?.stop(), itsm?.stop()]);
  });

  it.each([
    ['no ticket', '', /need an approved change ticket: give its id/],
    ['a pending ticket', 'CHG-2', /CHG-2 is pending approval in the ITSM/],
    ['a rejected ticket', 'CHG-3', /CHG-3 is rejected in the ITSM/],
    ['an unknown ticket', 'CHG-404', /CHG-404 is not a change ticket/],
  ])(
    'blocks the preview and the promotion with %s, naming the gate, audited as rejected',
    async (_label, ticket, message) => {
      const seen = await preview(ticket ? `&changeTicket=${ticket}` : '');
      expect(seen.status).toBe(200);
      expect(seen.body.allowed).toBe(false);
      expect(seen.body.blockers).toEqual([
        {
          code: 'gate',
          gate: 'change-ticket',
          message: expect.stringMatching(message),
        },
      ]);

      const refused = await promote(ticket ? { changeTicket: ticket } : {});
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/^change-ticket: /);
      expect(refused.body.error.message).toMatch(message);
      const [row] = await history();
      expect(row).toMatchObject({
        action: 'promote',
        result: 'rejected',
        ...(ticket && { changeTicket: ticket }),
        gates: [
          {
            gate: 'change-ticket',
            result: 'blocked',
            message: expect.stringMatching(message),
          },
        ],
      });
    },
  );

  it('refuses a malformed ticket id with a 400 naming it', async () => {
    const res = await promote({ changeTicket: 'CHG 1; drop' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/changeTicket "CHG 1; drop"/);
    const seen = await preview('&changeTicket=%20');
    expect(seen.status).toBe(400);
  });

  it('blocks when the ticket was approved at the preview and rejected before the promotion', async () => {
    itsm.set('CHG-5', 'approved');
    expect((await preview('&changeTicket=CHG-5')).body.blockers).toEqual([]);
    itsm.set('CHG-5', 'rejected');
    const res = await promote({ changeTicket: 'CHG-5' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/CHG-5 is rejected/);
  });

  it('lets a promotion with an approved ticket through, recording the ticket and the verdict', async () => {
    const seen = await preview('&changeTicket=CHG-1');
    expect(seen.body).toMatchObject({ allowed: true, blockers: [] });

    const lookups = itsm.lookups.length;
    const res = await promote({
      changeTicket: 'CHG-1',
      reason: 'Payments 2.0',
    });
    expect(res.status).toBe(201);
    // Asked again under the lock: a ticket can be withdrawn after the preview.
    expect(itsm.lookups.slice(lookups)).toEqual(['CHG-1']);
    expect(res.body.audit).toMatchObject({
      result: 'succeeded',
      changeTicket: 'CHG-1',
      gates: [
        {
          gate: 'change-ticket',
          result: 'passed',
          message: 'CHG-1 is approved (Payments 2.0)',
        },
      ],
    });
    const [row] = await history();
    expect(row).toMatchObject({ id: res.body.audit.id, changeTicket: 'CHG-1' });
    expect(row.newImages.map((i: any) => i.image).join()).toMatch(/:2\.0\.0/);
  });
});
