import { expect, type Page } from '@playwright/test';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { describeDeployed, eventually } from '@internal/dev-kit';
import {
  asIdentity,
  backstageToken,
  DAVE_URL,
  ENV,
  entityApi,
  promoteInDeploymentsTab,
  signIn,
  test,
} from '../lib/portal';

// wishlist-api (team-payments) deploys to prod blue/green (terraform-modules/examples/demo/prod:
// all the traffic moves to the new tasks at once, then a 30-minute bake with the old ones kept for
// a rollback; the ecs-service module writes it to the strategy parameter the portal applies).
// Emulated minutes last 2 s: the bake is a minute.
const SERVICE = 'wishlist-api';
const tagOf = (image: string) => image.split('@')[0].split(':').pop();

/** The pipeline's deployment in progress in Production. */
const inProgress = (page: Page) =>
  page.getByRole('group', { name: 'Deployment in progress in Production' });

test('J15: a blue/green deployment to prod shows its step and bake left; the owner holds and continues it, an admin skips the bake (audited)', async ({
  page,
  browser,
  ecs,
  shot,
}) => {
  test.setTimeout(3 * 60_000);
  const prodBefore = await describeDeployed(ecs, ENV.prod.cluster, SERVICE);
  expect(tagOf(prodBefore.containers[0].image), 'precondition').toBe('1.0.0');

  await signIn(page);
  const alice = new URL(page.url()).origin;
  const token = await backstageToken(page);
  // Staging's own verification of its deployment (the demo's) must have ended: a running one
  // blocks promotions.
  await eventually(
    'staging’s verification ended',
    async () => {
      const [latest] = (
        await entityApi(
          alice,
          token,
          SERVICE,
          '/verifications?environment=staging',
        )
      ).items;
      return !latest || latest.status !== 'running';
    },
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
  await page.goto(`/catalog/default/component/${SERVICE}/deployments`);
  await promoteInDeploymentsTab(page, 'e2e: release 1.1.0 blue/green');

  // The pipeline: one step with all the traffic and its bake, the bake left of it.
  const deployment = inProgress(page);
  await expect(deployment).toContainText(
    'Blue/green deployment: 100 % of the traffic on the new revision',
    { timeout: 60_000 },
  );
  await expect(deployment).toContainText('100 %, bake 30 min');
  await expect(deployment).toContainText(
    /Baking \(all traffic\): (\d+ min )?\d+ s left/,
  );
  // alice owns it: she may hold it, not skip its bake.
  await expect(
    deployment.getByRole('button', { name: 'Skip bake' }),
  ).toHaveCount(0);
  await shot('alice-blue-green-baking');

  await deployment.getByLabel('Reason').fill('e2e: watching green');
  await deployment
    .getByRole('button', { name: 'Hold Production deployment' })
    .click();
  await expect(deployment.getByRole('alert')).toContainText(
    'Held by alice: e2e: watching green',
  );
  await shot('alice-held');

  // dave (platform, an admin) skips the bake: green keeps the traffic, held by alice.
  await asIdentity(browser, DAVE_URL, SERVICE, async dave => {
    const seen = inProgress(dave);
    await expect(seen).toContainText(/Baking \(all traffic\): .* left/);
    const skip = seen.getByRole('button', { name: 'Skip bake' });
    await expect(skip, 'a reason is required first').toBeDisabled();
    await seen.getByLabel('Reason').fill('e2e: green is healthy');
    await shot('dave-skip-bake', { page: dave });
    await skip.click();
    await expect(seen).not.toContainText('Baking (all traffic)', {
      timeout: 30_000,
    });
    await expect(seen).toContainText(
      'Blue/green deployment: 100 % of the traffic on the new revision',
    );
    await expect(seen.getByRole('alert')).toContainText('Held by alice');
    await expect(
      dave.getByRole('list', { name: 'Timeline of Production' }),
    ).toContainText('Bake skipped by dave');
    await shot('dave-bake-skipped-still-held', { page: dave });
  });

  // alice continues: blue is retired, the rollout completes on 1.1.0.
  await page.reload();
  await inProgress(page)
    .getByRole('button', { name: 'Continue Production deployment' })
    .click();
  await eventually(
    'prod runs 1.1.0, rolled out',
    async () => {
      const now = await describeDeployed(ecs, ENV.prod.cluster, SERVICE);
      const [service] = (
        await ecs.send(
          new DescribeServicesCommand({
            cluster: ENV.prod.cluster,
            services: [SERVICE],
          }),
        )
      ).services!;
      return (
        tagOf(now.containers[0].image) === '1.1.0' &&
        service.deployments?.length === 1 &&
        service.deployments[0].rolloutState === 'COMPLETED'
      );
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  await expect(inProgress(page)).toHaveCount(0, { timeout: 30_000 });
  await shot('rolled-out');

  // Audited: the hold, the skipped bake and the continuation, each with its actor and reason.
  const history = (await entityApi(alice, token, SERVICE, '/history'))
    .items as any[];
  const row = (action: string) => history.find(r => r.action === action);
  expect(row('hold'), JSON.stringify(history, null, 1)).toMatchObject({
    actor: 'user:default/alice',
    result: 'succeeded',
    toEnvironment: 'prod',
    reason: 'e2e: watching green',
  });
  expect(row('skip-bake')).toMatchObject({
    actor: 'user:default/dave',
    result: 'succeeded',
    reason: 'e2e: green is healthy',
    message: expect.stringMatching(
      /^Skipped the bake of wishlist-api in prod at 100 % of the traffic/,
    ),
  });
  expect(row('continue')).toMatchObject({
    actor: 'user:default/alice',
    result: 'succeeded',
  });
  await page.reload();
  await page
    .getByRole('row')
    .filter({ hasText: 'Skip the bake in prod' })
    .first()
    .scrollIntoViewIfNeeded();
  await shot('history-hold-skip-continue');
});
