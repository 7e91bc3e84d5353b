/*
 * Gates over HTTP against the emulator: soak time and approvals refuse, then allow, as the path
 * says; a requester never approves their own request; a request goes stale when staging moves
 * on; an admin overrides a freeze window with a reason, an owner cannot.
 */
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { Emulator, eventually, startEmulator } from '@internal/dev-kit';
import request from 'supertest';
import { ecsClient, seedStagingAhead } from './__testUtils__/ecsFixtures';
import {
  ALICE,
  api,
  as,
  BOB,
  CAROL,
  DAVE,
  notificationTitlesIncluding,
  startTeamBackend,
} from './__testUtils__/teamBackend';

jest.setTimeout(120_000);

const SOAK_MINUTES = 0.25;

describe('promotion gates', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    // Only Date is faked (it runs on with real time, and a test may move it forward); timers,
    // I/O and the emulator's clock are real.
    jest.useFakeTimers({
      advanceTimers: true,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    emulator = await startEmulator({ rolloutSeconds: 1 });
    for (const name of ['gate-a', 'gate-b', 'frozen-a']) {
      await seedStagingAhead(emulator.endpoint, name);
    }
  });

  afterAll(async () => {
    await emulator?.stop();
    jest.useRealTimers();
  });

  /** Requests against one backend, as one user. */
  const client = (server: any) => ({
    get: (who: string, url: string) =>
      request(server).get(url).set('Authorization', as(who)),
    post: (who: string, url: string, body: object = {}) =>
      request(server).post(url).set('Authorization', as(who)).send(body),
  });
  const healthyStaging = (server: any, name: string) =>
    eventually(
      `${name} healthy in staging`,
      async () =>
        (
          await client(server).get(ALICE, `${api(name)}/status`)
        ).body.environments.some(
          (e: any) => e.environment === 'staging' && e.health === 'healthy',
        ),
      { timeoutMs: 20_000, intervalMs: 200 },
    );

  describe('on a path with soak time and approval', () => {
    let server: any;
    let http: ReturnType<typeof client>;

    beforeAll(async () => {
      ({ server } = await startTeamBackend({
        endpoint: emulator.endpoint,
        components: ['gate-a', 'gate-b'],
        ecsDeploy: {
          promotionPaths: [
            {
              from: 'staging',
              to: 'prod',
              requireHealthySource: false,
              minSourceAgeMinutes: SOAK_MINUTES,
              approval: { required: true, approvers: 'owners' },
            },
          ],
        },
      }));
      http = client(server);
    });

    it('refuses a direct promotion, takes a request, refuses its requester, waits for the soak, then promotes what was requested', async () => {
      const url = api('gate-a');
      await healthyStaging(server, 'gate-a');
      const preview = (
        await http.get(ALICE, `${url}/promotions/preview?from=staging&to=prod`)
      ).body;
      expect(preview.allowed).toBe(false);
      expect(preview.blockers.map((b: any) => b.code)).toEqual([
        'approval-required',
        'soak-time',
      ]);
      expect(preview.soak).toMatchObject({
        minSourceAgeMinutes: SOAK_MINUTES,
        remainingMinutes: 1,
      });
      expect(preview.approval).toMatchObject({
        required: true,
        canRequest: true,
        requestBlockers: [],
      });
      const direct = await http.post(ALICE, `${url}/promotions`, {
        from: 'staging',
        to: 'prod',
      });
      expect(direct.status).toBe(409);
      expect(direct.body.error.message).toMatch(
        /^Promotions to prod need an approval/,
      );

      // Carol is no owner: she may not even ask.
      const carols = await http.post(CAROL, `${url}/promotion-requests`, {
        from: 'staging',
        to: 'prod',
        reason: 'please',
      });
      expect(carols.status).toBe(403);

      const requested = await http.post(ALICE, `${url}/promotion-requests`, {
        from: 'staging',
        to: 'prod',
        reason: 'release 2.0.0',
      });
      expect(requested.status).toBe(201);
      const req = requested.body;
      expect(req).toMatchObject({
        state: 'pending',
        requester: ALICE,
        reason: 'release 2.0.0',
      });
      // Pinned to the digest staging's tasks run: exactly what approval promotes.
      expect(req.images[0].image).toMatch(
        /^ghcr\.io\/acme\/gate-a:2\.0\.0@sha256:[0-9a-f]{64}$/,
      );
      const again = await http.post(BOB, `${url}/promotion-requests`, {
        from: 'staging',
        to: 'prod',
        reason: 'me too',
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /user:default\/alice already requested this promotion/,
      );

      const decide = (who: string, what = 'approve') =>
        http.post(who, `${url}/promotion-requests/${req.id}/${what}`, {
          reason: 'looks good',
        });
      const own = await decide(ALICE);
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(
        /requested this promotion and may not approve it/,
      );
      expect((await decide(CAROL)).status).toBe(403);
      const list = (
        await http.get(BOB, `${url}/promotion-requests?state=pending`)
      ).body.items;
      expect(list.map((r: any) => [r.id, r.canDecide])).toEqual([
        [req.id, true],
      ]);
      const forAlice = (await http.get(ALICE, `${url}/promotion-requests`)).body
        .items;
      expect(forAlice[0].canDecide).toBe(false);

      // Bob may approve, but staging has not soaked yet.
      const early = await decide(BOB);
      expect(early.status).toBe(409);
      expect(early.body.error.message).toMatch(
        /^soak: 1 min left \(staging must run its images for 0.25 min before they go to prod\)$/,
      );
      // The soak time passes: the backend runs in this process, so its clock is moved, not waited for.
      // From the real time: the faked Date advances in 20 ms timer steps, which fall behind the
      // emulator's real clock on a loaded machine (CI: 409, soak not over).
      jest.setSystemTime(
        Math.max(Date.now(), jest.getRealSystemTime()) +
          SOAK_MINUTES * 60_000 +
          1_000,
      );
      const approval = await decide(BOB);
      expect([approval.status, approval.body.error?.message]).toEqual([
        200,
        undefined,
      ]);
      const approved = approval.body;
      expect(approved.request).toMatchObject({
        state: 'approved',
        decidedBy: BOB,
        decisionReason: 'looks good',
        auditId: approved.outcome.audit.id,
      });
      expect(approved.outcome.images.map((i: any) => i.image)).toEqual(
        req.images.map((i: any) => i.image),
      );
      expect(approved.outcome.audit).toMatchObject({
        action: 'promote',
        actor: BOB,
        requestId: req.id,
        reason: 'release 2.0.0 (requested by user:default/alice)',
      });
      expect((await decide(BOB)).status).toBe(409); // decided once

      const history = async () =>
        (await http.get(ALICE, `${url}/history`)).body.items as any[];
      await eventually(
        'the approved promotion rolled out',
        async () =>
          (await history()).find(r => r.id === approved.outcome.audit.id)
            ?.outcome === 'rolled-out',
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      const steps = (await history()).map(r => [r.action, r.actor, r.result]);
      expect(steps).toEqual(
        expect.arrayContaining([
          ['request-promotion', ALICE, 'succeeded'],
          ['request-promotion', CAROL, 'denied'],
          ['promote', ALICE, 'rejected'],
          ['promote', ALICE, 'denied'],
          ['promote', CAROL, 'denied'],
          ['promote', BOB, 'rejected'],
          ['promote', BOB, 'succeeded'],
        ]),
      );
      const asked =
        'Approval requested: promotion of gate-a from staging to prod';
      expect(await notificationTitlesIncluding(server, BOB, [asked])).toContain(
        asked,
      );
      const toAlice = [
        'Promotion of gate-a from staging to prod approved and started',
        'Promotion of gate-a from staging to prod rolled out',
      ];
      expect(await notificationTitlesIncluding(server, ALICE, toAlice)).toEqual(
        expect.arrayContaining(toAlice),
      );
    });

    it('refuses a stale request once staging moved on, and lets owners reject and requesters withdraw', async () => {
      const url = api('gate-b');
      await healthyStaging(server, 'gate-b');
      const ask = (reason: string) =>
        http.post(ALICE, `${url}/promotion-requests`, {
          from: 'staging',
          to: 'prod',
          reason,
        });
      const first = (await ask('release 2.0.0')).body;

      // Staging moves on to 2.1.0 before anyone decides.
      const ecs = ecsClient(emulator.endpoint);
      const { taskDefinition: td } = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'gate-b-staging' }),
      );
      const { taskDefinition: next } = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'gate-b-staging',
          requiresCompatibilities: td!.requiresCompatibilities,
          networkMode: td!.networkMode,
          cpu: td!.cpu,
          memory: td!.memory,
          containerDefinitions: td!.containerDefinitions!.map(c => ({
            ...c,
            image: 'ghcr.io/acme/gate-b:2.1.0',
          })),
        }),
      );
      await ecs.send(
        new UpdateServiceCommand({
          cluster: 'test-staging',
          service: 'gate-b',
          taskDefinition: next!.taskDefinitionArn,
        }),
      );
      const stale = await http.post(
        BOB,
        `${url}/promotion-requests/${first.id}/approve`,
      );
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(
        /^staging moved on since the request: it runs app: ghcr\.io\/acme\/gate-b:2\.1\.0.*, the request was for app: ghcr\.io\/acme\/gate-b:2\.0\.0@sha256:.*Request the promotion again\.$/,
      );
      const listed = (await http.get(BOB, `${url}/promotion-requests`)).body
        .items;
      expect(listed[0]).toMatchObject({ id: first.id, state: 'stale' });
      expect(
        (await http.post(BOB, `${url}/promotion-requests/${first.id}/approve`))
          .status,
      ).toBe(409);

      const second = (await ask('release 2.1.0')).body;
      expect(second.state).toBe('pending');
      const carol = await http.post(
        CAROL,
        `${url}/promotion-requests/${second.id}/reject`,
      );
      expect(carol.status).toBe(403);
      const rejected = await http.post(
        BOB,
        `${url}/promotion-requests/${second.id}/reject`,
        { reason: 'not during the sale' },
      );
      expect(rejected.body).toMatchObject({
        state: 'rejected',
        decidedBy: BOB,
        decisionReason: 'not during the sale',
      });
      const third = (await ask('release 2.1.0, again')).body;
      const withdrawn = await http.post(
        ALICE,
        `${url}/promotion-requests/${third.id}/reject`,
      );
      expect(withdrawn.body).toMatchObject({ state: 'withdrawn' });
      expect(
        (await http.get(ALICE, `${url}/history`)).body.items.filter(
          (r: any) =>
            r.action === 'reject-promotion' && r.result === 'succeeded',
        ),
      ).toHaveLength(2);
      const missing = await http.post(
        BOB,
        `${url}/promotion-requests/0b5c2c1e-7a4e-4a53-9d43-5b1f3c0e9a11/approve`,
      );
      expect(missing.status).toBe(404);
      const told = [
        'Request again: the promotion of gate-b from staging to prod is stale',
        'The promotion of gate-b from staging to prod was rejected by user:default/bob',
      ];
      expect(await notificationTitlesIncluding(server, ALICE, told)).toEqual(
        expect.arrayContaining(told),
      );
    });
  });

  it('lets an admin, not an owner, promote through a freeze window with a reason', async () => {
    const { server } = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: ['frozen-a'],
      ecsDeploy: {
        freezeWindows: [
          {
            name: 'always',
            environments: ['prod'],
            weekly: { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
          },
        ],
      },
    });
    const http = client(server);
    const url = api('frozen-a');
    const promote = (who: string, overrideReason?: string) =>
      http.post(who, `${url}/promotions`, {
        from: 'staging',
        to: 'prod',
        overrideReason,
      });
    const preview = async (who: string) =>
      (await http.get(who, `${url}/promotions/preview?from=staging&to=prod`))
        .body;
    expect((await preview(ALICE)).canOverrideFreeze).toBe(false);
    expect((await preview(DAVE)).canOverrideFreeze).toBe(true);
    const frozen = await promote(ALICE);
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.message).toMatch(/prod is frozen by 'always'/);
    const owner = await promote(ALICE, 'hotfix');
    expect(owner.status).toBe(403);
    expect(owner.body.error.message).toMatch(
      /user:default\/alice may not override a freeze window: only the admin groups may/,
    );
    const admin = await promote(DAVE, 'incident 7: the fix must ship');
    expect(admin.status).toBe(201);
    expect(admin.body.audit).toMatchObject({
      actor: DAVE,
      freezeOverride: 'incident 7: the fix must ship',
      result: 'succeeded',
    });
    // As the store recorded them: the override, and the owner's refused override as denied.
    const rows = (await http.get(DAVE, `${url}/history`)).body.items as any[];
    expect(rows.find(r => r.id === admin.body.audit.id)).toMatchObject({
      action: 'promote',
      actor: DAVE,
      freezeOverride: 'incident 7: the fix must ship',
      result: 'succeeded',
    });
    // Both of Alice's rows may share a millisecond, so compare them without their order.
    expect(
      rows
        .filter(r => r.actor === ALICE)
        .map(r => [r.result, r.freezeOverride ?? null, r.message])
        .sort((a, b) => a[0].localeCompare(b[0])),
    ).toEqual([
      [
        'denied',
        'hotfix',
        'user:default/alice may not override a freeze window: only the admin groups may',
      ],
      ['rejected', null, expect.stringMatching(/prod is frozen by 'always'/)],
    ]);
  });
});
