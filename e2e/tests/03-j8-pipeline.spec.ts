import { expect, type Page } from '@playwright/test';
import { describeDeployed } from '@internal/dev-kit';
import { expectNoSeriousA11yIssues, settled } from '../lib/axe';
import { ENV, test } from '../lib/portal';

/** Presses Tab until the focused element is `name`'s button (at most `max` times). */
async function tabTo(page: Page, name: RegExp, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName} ${el.textContent ?? ''}` : '';
    });
    if (/^BUTTON/.test(focused) && name.test(focused)) return i + 1;
  }
  throw new Error(
    `${name} is not reachable with the keyboard in ${max} presses of Tab`,
  );
}

test('J8: the Deployments tab and the overview card read like a pipeline at 1400 and 1000 px, with no serious accessibility issue', async ({
  page,
  ecs,
  shot,
}) => {
  const staging = await describeDeployed(
    ecs.staging,
    ENV.staging.cluster,
    'payments-api',
  );
  const prod = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
  const container = staging.containers[0].name;
  // The tag of `repo:tag` or `repo:tag@sha256:…` (a promotion pins prod's image to its digest).
  const tagOf = (image: string) => image.split('@')[0].split(':').pop()!;
  const stagingTag = tagOf(staging.containers[0].image);
  const prodTag = tagOf(prod.containers[0].image);
  // J3 promotes later; run alone after it, prod may already run staging's image.
  const behind = stagingTag !== prodTag;

  // The local sign-in page names the user the guest becomes (app-config.yaml: alice).
  await page.goto('/');
  await expect(
    page.getByText(
      /entering as a guest signs you in as alice \(user:default\/alice\), a member of team-payments\./,
    ),
  ).toBeVisible();
  await expect(
    page.getByText(/To sign in as someone else, set auth\.providers\.guest/),
  ).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'sign-in page');
  await shot('sign-in', { fullPage: false });
  await page.getByRole('button', { name: /enter/i }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });

  for (const width of [1400, 1000]) {
    await page.setViewportSize({ width, height: 1000 });

    // The overview: the card first, the pipeline in compact form.
    await page.goto('/catalog/default/component/payments-api');
    const arrow = page.getByRole('group', {
      name: 'Promotion from Staging to Production',
    });
    await arrow.waitFor();
    const cardTitle = await page
      .getByText('ECS deployments', { exact: true })
      .boundingBox();
    const apisTitle = await page
      .getByText('Provided APIs', { exact: true })
      .boundingBox();
    expect(
      cardTitle!.y,
      'the ECS deployments card comes before the API cards',
    ).toBeLessThan(apisTitle!.y);
    await expect(
      page.getByRole('region', { name: 'Staging', exact: true }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: /^Roll back/ })).toHaveCount(
      0,
    );
    await expectNoSeriousA11yIssues(page, `overview at ${width} px`);
    await shot(`overview-${width}px`);

    // The Deployments tab: the pipeline, then a timeline per environment, then the history.
    await page.goto('/catalog/default/component/payments-api/deployments');
    await arrow.waitFor();
    const prodStage = page.getByRole('region', {
      name: 'Production',
      exact: true,
    });
    await expect(prodStage.getByText('Healthy')).toBeVisible();
    await expect(
      prodStage.getByText(`${prod.family}:${prod.revision}`, { exact: true }),
    ).toBeVisible();
    await expect(
      prodStage.getByText(
        `Rollout of ${prod.family}:${prod.revision} complete`,
      ),
    ).toBeVisible();
    await expect(prodStage.getByText(/^\d+ of \d+ running/)).toBeVisible();
    await expect(
      prodStage.getByText(/^(now|yesterday|.+ ago)$/).first(),
    ).toBeVisible();
    if (behind) {
      await expect(
        arrow.getByText('Production is behind Staging'),
      ).toBeVisible();
      await expect(
        arrow.getByText(`${container}: ${prodTag} → ${stagingTag}`),
      ).toBeVisible();
      await expect(
        prodStage.getByText(`differs from Staging (${stagingTag})`),
      ).toBeVisible();
      await expect(
        arrow.getByRole('button', { name: 'Promote staging to prod' }),
      ).toBeEnabled();
    } else {
      await expect(arrow.getByText('Production is up to date')).toBeVisible();
      await expect(
        arrow.getByText("prod already runs staging's images."),
      ).toBeVisible();
    }
    for (const env of ['Staging', 'Production']) {
      const timeline = page.getByRole('list', { name: `Timeline of ${env}` });
      await expect(
        timeline.getByText(/^Deployment of .+ (started|completed)/).first(),
      ).toBeVisible();
    }
    await expect(page.getByText('No recent events')).toHaveCount(0);
    await page.getByText('Promotion and rollback history').waitFor();
    await expectNoSeriousA11yIssues(page, `Deployments tab at ${width} px`);
    await shot(`deployments-tab-${width}px`);
  }

  // The action is reachable with the keyboard: Tab to Promote, Enter opens its dialog.
  if (behind) {
    await page.goto('/catalog/default/component/payments-api/deployments');
    const promote = page
      .getByRole('group', { name: 'Promotion from Staging to Production' })
      .getByRole('button', { name: 'Promote staging to prod' });
    await expect(promote).toBeEnabled();
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const presses = await tabTo(page, /Promote staging to prod/i);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', {
      name: 'Promote Staging to Production',
    });
    await expect(dialog).toBeVisible();
    console.log(
      `    Promote reached in ${presses} presses of Tab; its dialog opens with Enter`,
    );
    await dialog.getByText('Pre-flight checks').waitFor();
    await settled(dialog);
    await expectNoSeriousA11yIssues(page, 'promote dialog');
    await shot('promote-dialog-by-keyboard', { fullPage: false });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
});
