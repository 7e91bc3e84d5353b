// What J12 (canary) and J15 (blue/green) share: a demo service whose prod deploys with a traffic
// strategy is promoted from 1.0.0 to staging's 1.1.0; the pipeline shows its steps, the traffic
// share and the bake left; alice (an owner) holds it, dave (an admin) skips the bake while it stays
// held, alice continues; prod ends on 1.1.0 and the history has each control with its actor.
import { expect, type Browser, type Page } from '@playwright/test';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { describeDeployed, eventually } from '@internal/dev-kit';
import {
  asIdentity,
  backstageToken,
  type AccountClients,
  DAVE_URL,
  ENV,
  entityApi,
  promoteInDeploymentsTab,
  signIn,
  stagingVerificationEnded,
  test,
  type Shot,
} from './portal';

export interface StrategyJourney {
  service: string;
  /** The pipeline's line while the bake runs, e.g. `Canary deployment: 25 % of the traffic …`. */
  headline: string;
  /** The labels of the steps, e.g. `25 %, bake 30 min`. */
  steps: string[];
  /** Which bake the admin skips: a traffic step's, or the one with all the traffic. */
  bake: 'this step' | 'all traffic';
  /** The share of the traffic the skip happens at, as the audit names it. */
  trafficPercent: number;
  /** Names the first screenshot. */
  bakingShot: string;
  reasons: { promote: string; hold: string; skip: string };
}

const tagOf = (image: string) => image.split('@')[0].split(':').pop();

/** The pipeline's deployment in progress in Production. */
const inProgress = (page: Page) =>
  page.getByRole('group', { name: 'Deployment in progress in Production' });

/** The journey as a test named `title`. */
export function strategyJourney(title: string, journey: StrategyJourney) {
  test(title, async ({ page, browser, ecs, shot }) => {
    test.setTimeout(3 * 60_000);
    await holdSkipAndContinue({ page, browser, ecs, shot }, journey);
  });
}

async function holdSkipAndContinue(
  fixtures: { page: Page; browser: Browser; ecs: AccountClients; shot: Shot },
  journey: StrategyJourney,
) {
  const { page, browser, ecs, shot } = fixtures;
  const { service, headline, reasons } = journey;
  const baking = new RegExp(
    `Baking \\(${journey.bake}\\): (\\d+ min )?\\d+ s left`,
  );
  const prodBefore = await describeDeployed(
    ecs.prod,
    ENV.prod.cluster,
    service,
  );
  expect(tagOf(prodBefore.containers[0].image), 'precondition').toBe('1.0.0');

  await signIn(page);
  const alice = new URL(page.url()).origin;
  const token = await backstageToken(page);
  // Staging's own verification of its deployment (the demo's) must have ended: a running one
  // blocks promotions. It has, unless the journey runs right after the start.
  await stagingVerificationEnded(alice, token, service, 90_000);
  await page.goto(`/catalog/default/component/${service}/deployments`);
  await promoteInDeploymentsTab(page, reasons.promote);

  // The pipeline: the steps with their bakes, the share of the traffic, the bake left.
  const deployment = inProgress(page);
  await expect(deployment).toContainText(headline, { timeout: 60_000 });
  for (const step of journey.steps)
    await expect(deployment).toContainText(step);
  await expect(deployment).toContainText(baking);
  // alice owns it: she may hold it, not skip its bake.
  await expect(
    deployment.getByRole('button', { name: 'Skip bake' }),
  ).toHaveCount(0);
  await shot(journey.bakingShot);

  await deployment.getByLabel('Reason').fill(reasons.hold);
  await deployment
    .getByRole('button', { name: 'Hold Production deployment' })
    .click();
  await expect(deployment.getByRole('alert')).toContainText(
    `Held by alice: ${reasons.hold}`,
  );
  await shot('alice-held');

  // dave (platform, an admin) skips the bake: the traffic stays where it is, held by alice.
  await asIdentity(browser, DAVE_URL, service, async dave => {
    const seen = inProgress(dave);
    await expect(seen).toContainText(baking);
    const skip = seen.getByRole('button', { name: 'Skip bake' });
    await expect(skip, 'a reason is required first').toBeDisabled();
    await seen.getByLabel('Reason').fill(reasons.skip);
    await shot('dave-skip-bake', { page: dave });
    await skip.click();
    await expect(seen).not.toContainText(`Baking (${journey.bake})`, {
      timeout: 30_000,
    });
    await expect(seen).toContainText(headline);
    await expect(seen.getByRole('alert')).toContainText('Held by alice');
    await expect(
      dave.getByRole('list', { name: 'Timeline of Production' }),
    ).toContainText('Bake skipped by dave');
    await shot('dave-bake-skipped-still-held', { page: dave });
  });

  // alice continues: the deployment completes on 1.1.0.
  await page.reload();
  await inProgress(page)
    .getByRole('button', { name: 'Continue Production deployment' })
    .click();
  await eventually(
    'prod runs 1.1.0, rolled out',
    async () => {
      const now = await describeDeployed(ecs.prod, ENV.prod.cluster, service);
      const [current] = (
        await ecs.prod.send(
          new DescribeServicesCommand({
            cluster: ENV.prod.cluster,
            services: [service],
          }),
        )
      ).services!;
      return (
        tagOf(now.containers[0].image) === '1.1.0' &&
        current.deployments?.length === 1 &&
        current.deployments[0].rolloutState === 'COMPLETED'
      );
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );

  // Audited: the hold, the skipped bake and the continuation, each with its actor and reason.
  const history = (await entityApi(alice, token, service, '/history'))
    .items as any[];
  const row = (action: string) => history.find(r => r.action === action);
  expect(row('hold'), JSON.stringify(history, null, 1)).toMatchObject({
    actor: 'user:default/alice',
    result: 'succeeded',
    toEnvironment: 'prod',
    reason: reasons.hold,
  });
  expect(row('skip-bake')).toMatchObject({
    actor: 'user:default/dave',
    result: 'succeeded',
    reason: reasons.skip,
    message: expect.stringMatching(
      new RegExp(
        `^Skipped the bake of ${service} in prod at ${journey.trafficPercent} % of the traffic`,
      ),
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
}
