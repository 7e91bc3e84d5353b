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

// cart-api (team-payments) deploys to prod as a canary (terraform-modules/examples/demo/prod:
// 25 % for 30 minutes, then all the traffic for 1 minute; the ecs-service module writes it to the
// strategy parameter the portal applies). Emulated minutes last 2 s: the step bake is a minute.
const SERVICE = 'cart-api';
const tagOf = (image: string) => image.split('@')[0].split(':').pop();

/** The pipeline's deployment in progress in Production. */
const inProgress = (page: Page) =>
  page.getByRole('group', { name: 'Deployment in progress in Production' });

test('J12: a canary to prod shows its steps, traffic and bake; the owner holds and continues it, an admin skips the bake (audited)', async ({
  page,
  browser,
  ecs,
  shot,
}) => {
  test.setTimeout(3 * 60_000);
  const prodBefore = await describeDeployed(ecs.prod, ENV.prod.cluster, SERVICE);
  expect(tagOf(prodBefore.containers[0].image), 'precondition').toBe('1.0.0');

  await signIn(page);
  const alice = new URL(page.url()).origin;
  const token = await backstageToken(page);
  // Staging's own verification of its deployment (the demo's) must have ended: a running one
  // blocks promotions. It has, unless this journey runs right after the start.
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
  await promoteInDeploymentsTab(page, 'e2e: release 1.1.0');

  // The pipeline: the canary's steps with their bakes, the share of the traffic, the bake left.
  const deployment = inProgress(page);
  await expect(deployment).toContainText(
    'Canary deployment: 25 % of the traffic on the new revision',
    { timeout: 60_000 },
  );
  await expect(deployment).toContainText('25 %, bake 30 min');
  await expect(deployment).toContainText('100 %, bake 1 min');
  await expect(deployment).toContainText(
    /Baking \(this step\): (\d+ min )?\d+ s left/,
  );
  // alice owns it: she may hold it, not skip its bake.
  await expect(
    deployment.getByRole('button', { name: 'Skip bake' }),
  ).toHaveCount(0);
  await shot('alice-canary-at-25-percent');

  await deployment.getByLabel('Reason').fill('e2e: watching the canary');
  await deployment
    .getByRole('button', { name: 'Hold Production deployment' })
    .click();
  await expect(deployment.getByRole('alert')).toContainText(
    'Held by alice: e2e: watching the canary',
  );
  await shot('alice-held');

  // dave (platform, an admin) skips the bake: the deployment stays at 25 %, held by alice.
  await asIdentity(browser, DAVE_URL, SERVICE, async dave => {
    const seen = inProgress(dave);
    await expect(seen).toContainText(/Baking \(this step\): .* left/);
    const skip = seen.getByRole('button', { name: 'Skip bake' });
    await expect(skip, 'a reason is required first').toBeDisabled();
    await seen.getByLabel('Reason').fill('e2e: the canary is healthy');
    await shot('dave-skip-bake', { page: dave });
    await skip.click();
    await expect(seen).not.toContainText('Baking (this step)', {
      timeout: 30_000,
    });
    await expect(seen).toContainText(
      'Canary deployment: 25 % of the traffic on the new revision',
    );
    await expect(seen.getByRole('alert')).toContainText('Held by alice');
    await expect(
      dave.getByRole('list', { name: 'Timeline of Production' }),
    ).toContainText('Bake skipped by dave');
    await shot('dave-bake-skipped-still-held', { page: dave });
  });

  // alice continues: the rest of the traffic moves, the rollout completes on 1.1.0.
  await page.reload();
  await inProgress(page)
    .getByRole('button', { name: 'Continue Production deployment' })
    .click();
  await eventually(
    'prod runs 1.1.0, rolled out',
    async () => {
      const now = await describeDeployed(ecs.prod, ENV.prod.cluster, SERVICE);
      const [service] = (
        await ecs.prod.send(
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

  // Audited: the hold, the skipped bake and the continuation, each with its actor and reason.
  const history = (await entityApi(alice, token, SERVICE, '/history'))
    .items as any[];
  const row = (action: string) => history.find(r => r.action === action);
  expect(row('hold'), JSON.stringify(history, null, 1)).toMatchObject({
    actor: 'user:default/alice',
    result: 'succeeded',
    toEnvironment: 'prod',
    reason: 'e2e: watching the canary',
  });
  expect(row('skip-bake')).toMatchObject({
    actor: 'user:default/dave',
    result: 'succeeded',
    reason: 'e2e: the canary is healthy',
    message: expect.stringMatching(
      /^Skipped the bake of cart-api in prod at 25 % of the traffic/,
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
