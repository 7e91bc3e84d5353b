import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import {
  describeDeployed,
  eventually,
  repoRoot,
  runCommand,
} from '@internal/dev-kit';
import { installDirectoryPicker } from '../lib/directoryPicker';
import {
  AWS_ENDPOINT,
  backstageToken,
  type AccountClients,
  ENV,
  environmentFacts,
  NEW_SERVICE,
  rowOf,
  signIn,
  stagingVerificationEnded,
  test,
  type Shot,
} from '../lib/portal';
import { planExitCode } from '../lib/terraformRoot';

/**
 * What the card's stage says of the new service in one environment, once it reads `health` and
 * (when given) shows image `tag`. The card polls; the page is reloaded now and then as a user would.
 */
async function stage(page: Page, title: string, health: string, tag?: string) {
  let polls = 0;
  return eventually(
    `${title} of ${NEW_SERVICE} ${health}${
      tag ? ` on ${tag}` : ''
    } on the card`,
    async () => {
      if (++polls % 10 === 0) await page.reload();
      const { section, facts } = await environmentFacts(page, title);
      const healthy =
        (await section.getByText(health, { exact: true }).count()) > 0;
      const image = facts[`Image (${NEW_SERVICE})`];
      return healthy && (!tag || image === tag) ? facts : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
}

/** The image tag the emulator runs for the new service in one environment. */
async function running(ecs: AccountClients, env: 'staging' | 'prod') {
  return (await describeDeployed(ecs[env], ENV[env].cluster, NEW_SERVICE))
    .containers[0].image;
}

async function fillServiceForm(
  page: Page,
  shot: Shot,
  {
    name,
    description,
    owner,
  }: { name: string; description: string; owner: string },
) {
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page.getByRole('textbox', { name: /^Description/ }).fill(description);
  const ownerBox = page
    .getByRole('combobox', { name: /^Owner/ })
    .or(page.getByRole('textbox', { name: /^Owner/ }))
    .first();
  await ownerBox.click();
  // The picker lists groups by display name (team-payments is "Payments").
  await ownerBox.fill(owner);
  await page.getByRole('option', { name: owner }).first().click();
  await shot('form-service');
  // Runtime, Environments, Deployment and Repository keep their defaults (staging + prod, rolling,
  // publish locally).
  for (const field of [
    'Container port',
    'Environments',
    'Prod deployment strategy',
    'Publish to',
  ]) {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(field, { exact: true }).first().waitFor();
  }
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).waitFor();
  await shot('form-review');
}

test('J1: create a service from the template (dry-run, then a real run the portal provisions), see it run, deploy to staging, promote, roll back; Terraform agrees throughout', async ({
  page,
  context,
  shot,
  ecs,
}) => {
  test.setTimeout(15 * 60_000);
  const root = repoRoot();
  const publishedDir = path.join(root, '.run/published', NEW_SERVICE);
  await installDirectoryPicker(
    context,
    path.join(root, 'templates/ecs-service'),
  );
  await signIn(page);

  // The template is offered on the Create page.
  await page.goto('/create');
  await page.getByText('ECS service', { exact: true }).first().waitFor();
  await shot('create-page');

  // Template editor: load templates/ecs-service, fill the form, dry-run.
  await page.goto('/create/edit');
  await page.getByText('Load Template Directory').click();
  await page.getByText('template.yaml').first().waitFor();
  await fillServiceForm(page, shot, {
    name: NEW_SERVICE,
    description: 'Created by the e2e dry-run',
    owner: 'Payments',
  });
  await page.getByRole('button', { name: 'Create' }).click();
  // The dry-run results: open terraform/staging/main.tf in the result's file browser.
  const dryRun = page
    .locator('div')
    .filter({ has: page.getByText('Dry-run results', { exact: true }) })
    .filter({ has: page.getByRole('tab', { name: 'Files' }) })
    .last();
  const tree = dryRun.locator('.MuiTreeItem-label');
  await tree
    .getByText('terraform', { exact: true })
    .click({ timeout: 120_000 });
  await tree.getByText('staging', { exact: true }).click();
  await tree.getByText('main.tf', { exact: true }).click();
  const code = dryRun
    .locator('.cm-content')
    .filter({ hasText: 'module "service"' });
  await code.waitFor();
  const mainTf = await code.innerText();
  await shot('dry-run-staging-main-tf');
  for (const re of [
    /module "environment" \{/,
    /module "service" \{/,
    new RegExp(`name\\s*=\\s*"${NEW_SERVICE}"`),
    new RegExp(`entity_ref\\s*=\\s*"component:default/${NEW_SERVICE}"`),
    /environment\s*=\s*"staging"/,
    /desired_count\s*=\s*1\b/,
  ]) {
    expect(mainTf, 'terraform/staging/main.tf in the dry-run preview').toMatch(
      re,
    );
  }
  // A dry run publishes nothing.
  expect(existsSync(publishedDir), `dry run created ${publishedDir}`).toBe(
    false,
  );

  // The real run from the Create page.
  await page.goto('/create');
  await page
    .locator('article, .MuiCard-root')
    // The card titled exactly "ECS service", not the list holding it and the card of another
    // template, "Adopt an existing ECS service".
    .filter({
      has: page.getByRole('heading', { name: 'ECS service', exact: true }),
    })
    .filter({
      hasNot: page.getByRole('heading', {
        name: 'Adopt an existing ECS service',
      }),
    })
    .getByRole('button', { name: /choose/i })
    .click();
  await fillServiceForm(page, shot, {
    name: NEW_SERVICE,
    description: 'Created by the e2e run',
    owner: 'Payments',
  });
  const clickedCreate = Date.now();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/create\/tasks\//);
  const taskId = page.url().split('/create/tasks/')[1].split(/[?#]/)[0];
  const openInCatalog = page.getByRole('link', { name: /open in catalog/i });
  await openInCatalog.waitFor({ timeout: 600_000 });
  await shot('task-completed');
  // The task log: Terraform applied staging, then prod, line by line, before publishing.
  const events = await page.request.get(
    `/api/scaffolder/v2/tasks/${taskId}/events`,
    {
      headers: { authorization: `Bearer ${await backstageToken(page)}` },
    },
  );
  const messages: string[] = (await events.json()).map(
    (e: any) => e.body?.message ?? '',
  );
  const applied = (env: string) =>
    messages.findIndex(
      m =>
        m.includes(` ${env}: Apply complete!`) ||
        m.startsWith(`${env}: Apply complete!`),
    );
  expect(applied('staging'), 'staging applied in the task log').toBeGreaterThan(
    -1,
  );
  expect(applied('prod'), 'prod applied after staging').toBeGreaterThan(
    applied('staging'),
  );
  expect(
    messages.some(m => /\bstaging: Plan: \d+ to add/.test(m)),
    'the plan summary is in the log',
  ).toBe(true);
  // The task log says the last step registered the published catalog file.
  await page
    .getByText(
      new RegExp(
        `Registered file location .*/${NEW_SERVICE}/catalog-info\\.yaml`,
      ),
    )
    .first()
    .waitFor();

  // Published locally, with its Terraform roots and catalog file.
  for (const f of [
    'catalog-info.yaml',
    'terraform/staging/main.tf',
    'terraform/prod/main.tf',
  ]) {
    expect(
      existsSync(path.join(publishedDir, f)),
      `${f} was not published to ${publishedDir}`,
    ).toBe(true);
  }
  expect(
    readFileSync(path.join(publishedDir, 'catalog-info.yaml'), 'utf8'),
  ).toMatch(new RegExp(`name: ${NEW_SERVICE}`));

  // Registered: the entity page opens from the task's link ...
  // The catalog ingests the new location asynchronously: the page may first say "not found",
  // so reload it (as a user would) until the entity is there.
  await openInCatalog.click();
  await page.waitForURL(
    new RegExp(`/catalog/default/component/${NEW_SERVICE}`),
  );
  const registeredAt = Date.now();
  await eventually(
    'the new component is in the catalog',
    async () => {
      const found = await page
        .getByText('Created by the e2e run')
        .first()
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
      if (!found) await page.reload();
      return found;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  console.log(
    `entity page shows ${NEW_SERVICE} ${(
      (Date.now() - registeredAt) /
      1000
    ).toFixed(1)} s after the task ended`,
  );
  await shot('entity-page');
  // ... and the catalog's search finds it.
  await page.goto('/');
  await page
    .getByPlaceholder(/filter|search/i)
    .first()
    .fill(NEW_SERVICE);
  const row = page.getByRole('row').filter({ hasText: NEW_SERVICE }).first();
  await row.waitFor();
  expect(
    await row.innerText(),
    'the new component is owned by team-payments',
  ).toMatch(/team-payments|Payments/);
  await shot('catalog-search');

  // ---- From template to prod (the journey the portal exists for) ----
  // Both environments came up on the initial image: the card shows them healthy.
  await page.goto(`/catalog/default/component/${NEW_SERVICE}`);
  const staging0 = await stage(page, ENV.staging.title, 'Healthy', '1.0.0');
  const prod0 = await stage(page, ENV.prod.title, 'Healthy', '1.0.0');
  console.log(
    `${NEW_SERVICE}: Create clicked → both environments healthy in ${(
      (Date.now() - clickedCreate) /
      1000
    ).toFixed(0)} s`,
  );
  expect(staging0[`Image (${NEW_SERVICE})`]).toBe('1.0.0');
  expect(prod0[`Image (${NEW_SERVICE})`]).toBe('1.0.0');
  expect(await running(ecs, 'prod')).toBe('ghcr.io/acme/hello-world:1.0.0');
  await shot('new-service-healthy-on-initial-image');

  // A merge to main, locally: the generated repository's deploy script puts 1.1.0 in staging.
  await runCommand('scripts/deploy-local.sh', [NEW_SERVICE, '1.1.0'], {
    cwd: repoRoot(),
    env: { ECS_DEPLOY_AWS_ENDPOINT: AWS_ENDPOINT },
  });
  expect(await running(ecs, 'staging')).toBe(
    `ghcr.io/acme/${NEW_SERVICE}:1.1.0`,
  );
  await page.reload();
  await stage(page, ENV.staging.title, 'Healthy', '1.1.0');
  await page.getByText('Production is behind Staging').first().waitFor();
  await shot('staging-ahead-of-prod');
  await page.goto('/catalog/default/group/team-payments/deployments');
  await rowOf(page, NEW_SERVICE).getByText('prod behind staging').waitFor();
  await shot('team-view-new-service-behind');

  // Staging's verification of 1.1.0 must have ended: a running one blocks the promotion (the
  // dialog says so), and on a busy machine it can outlast the steps above.
  const origin = new URL(page.url()).origin;
  const token = await backstageToken(page);
  await stagingVerificationEnded(origin, token, NEW_SERVICE, 120_000);
  // Promote from the card: prod runs 1.1.0 (pinned to staging's digest), Terraform agrees.
  await page.goto(`/catalog/default/component/${NEW_SERVICE}`);
  const promote = page.getByRole('button', { name: 'Promote staging to prod' });
  await eventually('Promote enabled', () => promote.isEnabled(), {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
  const clickedPromote = Date.now();
  await promote.click();
  const promoteDialog = page.getByRole('dialog', {
    name: 'Promote Staging to Production',
  });
  await promoteDialog
    .getByRole('button', { name: 'Promote to Production' })
    .click();
  await promoteDialog
    .getByRole('button', { name: 'Close' })
    .waitFor({ timeout: 60_000 });
  await shot('promoted', { fullPage: false });
  await promoteDialog.getByRole('button', { name: 'Close' }).click();
  await eventually(
    'prod runs 1.1.0',
    async () =>
      (await running(ecs, 'prod')).split('@')[0] ===
      `ghcr.io/acme/${NEW_SERVICE}:1.1.0`,
  );
  await stage(page, ENV.prod.title, 'Healthy', '1.1.0');
  console.log(
    `${NEW_SERVICE}: Promote clicked → prod healthy on 1.1.0 in ${(
      (Date.now() - clickedPromote) /
      1000
    ).toFixed(0)} s`,
  );
  expect(
    await planExitCode(NEW_SERVICE, 'prod', AWS_ENDPOINT),
    'terraform plan of prod after the promotion',
  ).toBe(0);

  // Roll back from the Deployments tab: prod runs the initial image again, Terraform still agrees.
  await page.goto(`/catalog/default/component/${NEW_SERVICE}/deployments`);
  const rollback = page.getByRole('button', { name: 'Roll back Production' });
  await eventually('Roll back enabled', () => rollback.isEnabled(), {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
  await rollback.click();
  const rollbackDialog = page.getByRole('dialog', {
    name: 'Roll back Production',
  });
  await rollbackDialog
    .getByRole('button', { name: 'Roll back Production' })
    .click();
  await rollbackDialog
    .getByRole('button', { name: 'Close' })
    .waitFor({ timeout: 60_000 });
  await shot('rolled-back', { fullPage: false });
  await rollbackDialog.getByRole('button', { name: 'Close' }).click();
  await eventually(
    'prod runs the initial image again',
    async () =>
      (await running(ecs, 'prod')) === 'ghcr.io/acme/hello-world:1.0.0',
  );
  expect(
    await planExitCode(NEW_SERVICE, 'prod', AWS_ENDPOINT),
    'terraform plan of prod after the rollback',
  ).toBe(0);
  await page
    .getByRole('row')
    .filter({ hasText: 'Roll back prod' })
    .first()
    .waitFor();
  await shot('history-after-rollback');
});
