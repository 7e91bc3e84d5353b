import { expect, type Page } from '@playwright/test';
import { describeDeployed, eventually } from '@internal/dev-kit';
import {
  backstageToken,
  asIdentity,
  CAROL_URL,
  ENV,
  entityApi,
  promoteInDeploymentsTab,
  signIn,
  test,
} from '../lib/portal';
import { deployToStaging } from '../lib/staging';

// refunds-api (team-payments, catalog/demo/components.yaml): staging only runs the build (no
// alarms, no verification there); in prod the portal verifies every promotion against the
// module's alarms and the team's payout alarm, which does not exist yet: a good release ends
// inconclusive and is held for an owner, a release answering 5xx trips the 5xx alarm.
const SERVICE = 'refunds-api';
const ALARM_5XX = `${SERVICE}-prod-http-5xx-rate`;
const MISSING_ALARM = `${SERVICE}-prod-payout-failures`;
const BAD = `ghcr.io/acme/${SERVICE}:2.0.1-errors`;
const tagOf = (image: string) => image.split('@')[0].split(':').pop();

/** The Verification card's section of Production. */
const prodVerification = (page: Page) =>
  page.getByRole('group', { name: 'Production', exact: true });

test('J11: a release that is inconclusive in prod is held for its owners; one answering 5xx fails its verification and is rolled back automatically', async ({
  page,
  browser,
  ecs,
  shot,
}) => {
  test.setTimeout(4 * 60_000);
  const prodBefore = await describeDeployed(ecs.prod, ENV.prod.cluster, SERVICE);
  const staging = await describeDeployed(ecs.staging, ENV.staging.cluster, SERVICE);
  expect(tagOf(prodBefore.containers[0].image), 'precondition').toBe('1.9.0');
  expect(tagOf(staging.containers[0].image), 'precondition').toBe('2.0.0');

  // 1. alice (team-payments) promotes 2.0.0. It rolls out; the checks pass but the payout alarm
  // does not exist: inconclusive, held.
  await signIn(page);
  const token = await backstageToken(page);
  await page.goto(`/catalog/default/component/${SERVICE}/deployments`);
  await promoteInDeploymentsTab(page, 'e2e: release 2.0.0', shot);
  const verification = prodVerification(page);
  await verification
    .getByText('Inconclusive: held for an owner')
    .waitFor({ timeout: 120_000 });
  await expect(verification).toContainText(
    `Alarm ${MISSING_ALARM} does not exist in CloudWatch`,
  );
  // What each check measured: the module's alarms passed, with their values and thresholds.
  const checks = verification.getByRole('list', { name: 'Checks' });
  await expect(checks).toContainText(`alarm ${ALARM_5XX}: passed`);
  await expect(checks).toContainText(`alarm ${MISSING_ALARM}: inconclusive`);
  await verification.scrollIntoViewIfNeeded();
  await shot('alice-verification-held');

  // carol (team-search) sees the hold, with no control to resolve it; the API refuses her.
  await asIdentity(browser, CAROL_URL, SERVICE, async carol => {
    const seen = prodVerification(carol);
    await seen.getByText('Inconclusive: held for an owner').waitFor();
    for (const name of ['Continue', 'Abort']) {
      await expect(
        seen.getByRole('button', { name, exact: true }),
        `no ${name} for carol`,
      ).toHaveCount(0);
    }
    await seen.scrollIntoViewIfNeeded();
    await shot('carol-sees-the-hold-without-controls', { page: carol });
    const carolToken = await backstageToken(carol);
    const [held] = (
      await entityApi(
        CAROL_URL,
        carolToken,
        SERVICE,
        '/verifications?environment=prod',
      )
    ).items;
    expect(held).toMatchObject({ status: 'held', canResolve: false });
    const refused = await fetch(
      `${CAROL_URL}/api/ecs-deploy/entities/component/default/${SERVICE}/verifications/${held.id}/continue`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${carolToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ reason: 'e2e: carol tries' }),
      },
    );
    expect(refused.status, await refused.text()).toBe(403);
  });

  // alice continues it: prod keeps 2.0.0, the decision is in the history.
  await verification.getByRole('button', { name: 'Continue' }).click();
  const decide = page.getByRole('dialog', {
    name: 'Continue the verification in Production',
  });
  await decide
    .getByLabel('Reason (optional)')
    .fill('e2e: the payout alarm is not created yet');
  await shot('alice-continue-dialog', { fullPage: false });
  await decide
    .getByRole('button', { name: 'Continue: keep this revision' })
    .click();
  await decide.waitFor({ state: 'detached' });
  await verification.getByText('Continued by an owner').waitFor();
  await expect(verification).toContainText(
    'Continued by alice: e2e: the payout alarm is not created yet',
  );
  const continued = await describeDeployed(ecs.prod, ENV.prod.cluster, SERVICE);
  expect(tagOf(continued.containers[0].image), 'prod keeps 2.0.0').toBe(
    '2.0.0',
  );
  await shot('alice-verification-continued');

  // 2. CI deploys a build that answers 5xx to staging (no checks there); alice promotes it.
  await deployToStaging(ecs.staging, SERVICE, BAD);
  await page.reload();
  await promoteInDeploymentsTab(page, 'e2e: release 2.0.1');
  // The 5xx alarm fails the verification, naming the alarm and what it measured; the portal
  // rolls the promotion back.
  await verification.getByText('Failed', { exact: true }).waitFor({
    timeout: 90_000,
  });
  await expect(verification).toContainText(`Alarm ${ALARM_5XX}`);
  await expect(verification).toContainText('Threshold Crossed');
  await expect(
    verification.getByRole('list', { name: 'Checks' }),
  ).toContainText(
    new RegExp(`alarm ${ALARM_5XX}: failed, \\d+(\\.\\d+)? \\(threshold 5\\)`),
  );
  await expect(verification).toContainText(/Rolled back automatically/, {
    timeout: 60_000,
  });
  await verification.scrollIntoViewIfNeeded();
  await shot('verification-failed-rolled-back');

  // The emulator: prod is back on 2.0.0, the image before the promotion.
  await eventually(
    'prod runs 2.0.0 again',
    async () => {
      const now = await describeDeployed(ecs.prod, ENV.prod.cluster, SERVICE);
      return tagOf(now.containers[0].image) === '2.0.0';
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );

  // The history: the backend's rollback, caused by the promotion, once. Its reason names the
  // alarm: the failed check with what it measured when the verification saw it first, ECS's
  // failed deployment (its deployment alarms watch the same alarm) when the follower did.
  const history = (
    await entityApi(new URL(page.url()).origin, token, SERVICE, '/history')
  ).items as any[];
  const promotion = history.find(
    r => r.action === 'promote' && r.reason === 'e2e: release 2.0.1',
  );
  // The verification and ECS's own deployment alarm both fail the release: whichever asks first
  // rolls back; the other's attempt is audited as refused by the lock (nothing rolled back twice).
  const rollbacks = history.filter(
    r => r.action === 'rollback' && r.causedBy === promotion?.id,
  );
  const executed = rollbacks.filter(r => r.result !== 'rejected');
  expect(executed, JSON.stringify(history, null, 1)).toHaveLength(1);
  expect(executed[0]).toMatchObject({
    actor: 'system',
    toEnvironment: 'prod',
    reason: expect.stringMatching(
      new RegExp(`^Automatic rollback: .*${ALARM_5XX}`),
    ),
  });
  for (const refused of rollbacks.filter(r => r.result === 'rejected')) {
    expect(refused.message).toMatch(
      /is in progress; try again when it has finished/,
    );
  }
  expect(history.find(r => r.action === 'continue-verification')).toMatchObject(
    {
      actor: 'user:default/alice',
      reason: 'e2e: the payout alarm is not created yet',
    },
  );
  // The Deployments tab shows the same: the timeline of Production and the history table.
  const timeline = page.getByRole('list', { name: 'Timeline of Production' });
  await expect(timeline.getByText(/Automatic rollback/).first()).toBeVisible();
  await expect(timeline).toContainText(
    new RegExp(`reason: Automatic rollback: [^;]*${ALARM_5XX}`),
  );
  const row = page
    .getByRole('row')
    .filter({ hasText: 'Roll back prod' })
    .filter({ hasText: ALARM_5XX })
    .first();
  await row.scrollIntoViewIfNeeded();
  await shot('history-automatic-rollback');
});
