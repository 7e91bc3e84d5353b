/*
 * An inconclusive verification is held for a person: the HTTP check's URL does not answer (a
 * closed port), so it reaches its inconclusive limit while the alarm and the metrics pass. Only
 * an owner continues (the revision stays) or aborts (the owner's own rollback) it; each decision
 * is audited, told, and taken once.
 */
import {
  describeDeployed,
  Emulator,
  freePort,
  startEmulator,
} from '@internal/dev-kit';
import request from 'supertest';
import { ecsClient } from './__testUtils__/ecsFixtures';
import {
  ALICE,
  api,
  as,
  BOB,
  CAROL,
  notificationTitlesIncluding,
  startTeamBackend,
} from './__testUtils__/teamBackend';
import {
  imageOf,
  promote,
  seed,
  verifications,
  verificationWhen,
  verificationConfig,
} from './__testUtils__/verification';

jest.setTimeout(180_000);

describe('a held verification', () => {
  let emulator: Emulator;
  let backend: Awaited<ReturnType<typeof startTeamBackend>>;
  const names = ['vf-hold-go', 'vf-hold-stop'];

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });
    for (const name of names) await seed(emulator.endpoint, name, '2.0.0');
    const closed = await freePort();
    backend = await startTeamBackend({
      endpoint: emulator.endpoint,
      components: names,
      ecsDeploy: verificationConfig(
        `http://127.0.0.1:${closed}/{service}/health`,
        4,
      ),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  const decide = (name: string, id: string, decision: string, who: string) =>
    request(backend.server)
      .post(`${api(name)}/verifications/${id}/${decision}`)
      .set('Authorization', as(who))
      .send({ reason: 'looked at the dashboards' });
  const history = async (name: string) =>
    (
      await request(backend.server)
        .get(`${api(name)}/history`)
        .set('Authorization', as(ALICE))
    ).body.items as any[];

  async function held(name: string) {
    const auditId = await promote(backend.server, name);
    const v = await verificationWhen(
      backend.server,
      name,
      'prod',
      'held',
      x => x.status !== 'running',
    );
    expect(v).toMatchObject({
      status: 'held',
      auditId,
      canResolve: true,
      message: expect.stringMatching(
        /^Inconclusive: HTTP check: GET http:\/\/127\.0\.0\.1:\d+\/.+\/health: ECONNREFUSED$/,
      ),
    });
    const byKind = (kind: string) =>
      v.checks.filter((c: any) => c.kind === kind).map((c: any) => c.status);
    expect(byKind('http')).toEqual(['inconclusive']);
    expect(byKind('alarm')).toEqual(['passed']);
    expect(byKind('metric')).toEqual(['passed', 'passed']);
    return v;
  }

  it('an owner continues it: the revision stays, the decision is audited and told; once only; others may not', async () => {
    const name = 'vf-hold-go';
    const v = await held(name);
    expect(
      await notificationTitlesIncluding(backend.server, ALICE, [
        `Verification of ${name} in prod (${name}-prod:2) is inconclusive: continue or abort`,
      ]),
    ).toContain(
      `Verification of ${name} in prod (${name}-prod:2) is inconclusive: continue or abort`,
    );

    // Carol owns nothing here: she sees it, may not decide, and her try is audited.
    const [seen] = await verifications(backend.server, name, 'prod');
    expect(seen.id).toBe(v.id);
    const refused = await decide(name, v.id, 'continue', CAROL);
    expect(refused.status).toBe(403);

    const res = await decide(name, v.id, 'continue', BOB);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: v.id,
      status: 'continued',
      resolution: {
        decision: 'continue',
        by: BOB,
        reason: 'looked at the dashboards',
      },
    });
    const again = await decide(name, v.id, 'abort', ALICE);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      `Verification ${v.id} is continued, not held: continue by ${BOB}`,
    );

    const rows = await history(name);
    expect(
      rows.find(r => r.action === 'continue-verification' && r.actor === BOB),
    ).toMatchObject({
      toEnvironment: 'prod',
      reason: 'looked at the dashboards',
    });
    expect(rows.find(r => r.actor === CAROL)).toMatchObject({
      action: 'continue-verification',
      result: 'denied',
    });
    expect(rows.filter(r => r.action === 'rollback')).toEqual([]);
    const deployed = await describeDeployed(
      ecsClient(emulator.endpoint),
      'test-prod',
      name,
    );
    expect(deployed.containers[0].image).toMatch(imageOf(name, '2.0.0'));
    expect(
      await notificationTitlesIncluding(backend.server, ALICE, [
        `Verification of ${name} in prod (${name}-prod:2) continued by ${BOB}: looked at the dashboards`,
      ]),
    ).toContain(
      `Verification of ${name} in prod (${name}-prod:2) continued by ${BOB}: looked at the dashboards`,
    );
  });

  it("an owner aborts it: prod goes back through the owner's own rollback, audited with the decision", async () => {
    const name = 'vf-hold-stop';
    const v = await held(name);
    const res = await decide(name, v.id, 'abort', ALICE);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'aborted',
      resolution: { decision: 'abort', by: ALICE },
      rollback: {
        message: `Rolled back by ${ALICE} to ${name}-prod:3.`,
      },
    });
    const rows = await history(name);
    const rollback = rows.find(r => r.id === res.body.rollback.auditId);
    expect(rollback).toMatchObject({
      action: 'rollback',
      actor: ALICE,
      toEnvironment: 'prod',
      reason: `Held verification of ${name}-prod:2 aborted: looked at the dashboards`,
    });
    expect(rows.find(r => r.action === 'abort-verification')).toMatchObject({
      actor: ALICE,
    });
    const deployed = await describeDeployed(
      ecsClient(emulator.endpoint),
      'test-prod',
      name,
    );
    expect(deployed.containers[0].image).toMatch(imageOf(name, '1.0.0'));
  });
});
