import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { eventually, repoRoot } from '@internal/dev-kit';
import { installDirectoryPicker } from '../lib/directoryPicker';
import { NEW_SERVICE, signIn, test, type Shot } from '../lib/portal';

async function fillServiceForm(
  page: Page,
  shot: Shot,
  { name, description, owner }: { name: string; description: string; owner: string },
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
  // Runtime, Environments and Repository keep their defaults (staging + prod, publish locally).
  for (const field of ['Container port', 'Environments', 'Publish to']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(field, { exact: true }).first().waitFor();
  }
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).waitFor();
  await shot('form-review');
}

test('J1: create a service from the ECS service template (editor dry-run, then a real run)', async ({
  page,
  context,
  shot,
}) => {
  const root = repoRoot();
  const publishedDir = path.join(root, '.run/published', NEW_SERVICE);
  await installDirectoryPicker(context, path.join(root, 'templates/ecs-service'));
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
  await tree.getByText('terraform', { exact: true }).click({ timeout: 120_000 });
  await tree.getByText('staging', { exact: true }).click();
  await tree.getByText('main.tf', { exact: true }).click();
  const code = dryRun.locator('.cm-content').filter({ hasText: 'module "service"' });
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
    expect(mainTf, 'terraform/staging/main.tf in the dry-run preview').toMatch(re);
  }
  // A dry run publishes nothing.
  expect(existsSync(publishedDir), `dry run created ${publishedDir}`).toBe(false);

  // The real run from the Create page.
  await page.goto('/create');
  await page
    .locator('article, .MuiCard-root')
    .filter({ hasText: 'ECS service' })
    .getByRole('button', { name: /choose/i })
    .click();
  await fillServiceForm(page, shot, {
    name: NEW_SERVICE,
    description: 'Created by the e2e run',
    owner: 'Payments',
  });
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/create\/tasks\//);
  const openInCatalog = page.getByRole('link', { name: /open in catalog/i });
  await openInCatalog.waitFor({ timeout: 120_000 });
  await shot('task-completed');
  // The task log says the last step registered the published catalog file.
  await page
    .getByText(new RegExp(`Registered file location .*/${NEW_SERVICE}/catalog-info\\.yaml`))
    .first()
    .waitFor();

  // Published locally, with its Terraform roots and catalog file.
  for (const f of ['catalog-info.yaml', 'terraform/staging/main.tf', 'terraform/prod/main.tf']) {
    expect(existsSync(path.join(publishedDir, f)), `${f} was not published to ${publishedDir}`).toBe(true);
  }
  expect(readFileSync(path.join(publishedDir, 'catalog-info.yaml'), 'utf8')).toMatch(
    new RegExp(`name: ${NEW_SERVICE}`),
  );

  // Registered: the entity page opens from the task's link ...
  // The catalog ingests the new location asynchronously: the page may first say "not found",
  // so reload it (as a user would) until the entity is there.
  await openInCatalog.click();
  await page.waitForURL(new RegExp(`/catalog/default/component/${NEW_SERVICE}`));
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
    `entity page shows ${NEW_SERVICE} ${((Date.now() - registeredAt) / 1000).toFixed(1)} s after the task ended`,
  );
  await shot('entity-page');
  // ... and the catalog's search finds it.
  await page.goto('/');
  await page.getByPlaceholder(/filter|search/i).first().fill(NEW_SERVICE);
  const row = page.getByRole('row').filter({ hasText: NEW_SERVICE }).first();
  await row.waitFor();
  expect(await row.innerText(), 'the new component is owned by team-payments').toMatch(
    /team-payments|Payments/,
  );
  await shot('catalog-search');
});
