#!/usr/bin/env node
// End-to-end journeys of the deployment portal in a real browser (Debian's Chromium through
// playwright-core) against the real backend and the AWS emulator with the Terraform demo applied.
// Started by scripts/e2e.sh, which brings up the emulator and builds the app first.
// Environment: E2E_PORT (backend + app), ECS_DEPLOY_AWS_ENDPOINT (the emulator),
// E2E_PIDS_DIR (pid files of the backend and browsers, for the caller's cleanup), E2E_ONLY (comma-separated journey ids),
// RESULTS_DIR (writes e2e.counts).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Backend } from './lib/backend.mjs';
import { openBrowser, signIn, backstageToken } from './lib/browser.mjs';
import { installDirectoryPicker } from './lib/directoryPicker.mjs';
import { ecsClient, describeService } from './lib/aws.mjs';
import {
  REPO_ROOT,
  ARTIFACTS,
  journey,
  log,
  results,
  shot,
} from './lib/harness.mjs';

const started = Date.now();
const port = Number(process.env.E2E_PORT ?? 7047);
const awsEndpoint =
  process.env.ECS_DEPLOY_AWS_ENDPOINT ?? 'http://127.0.0.1:4640';
const only = process.env.E2E_ONLY?.split(',').filter(Boolean);
const selected = id => !only || only.includes(id);
const ecs = ecsClient(awsEndpoint);
const backend = new Backend({
  port,
  awsEndpoint,
  pidFile:
    process.env.E2E_PIDS_DIR &&
    path.join(process.env.E2E_PIDS_DIR, 'backend.pid'),
  appPackageDir: process.env.E2E_APP_PACKAGE_DIR,
});
const JOURNEYS = {
  J1: 'create a service from the ECS service template (editor dry-run, then a real run)',
  J4: 'team view marks the services whose prod lags staging',
  J2: 'payments-api card shows what the emulator runs, with the right log links',
  J3: 'owner promotes staging to prod; a non-owner cannot (UI disabled, API 403)',
};
const base = backend.baseUrl;
const ENV = {
  staging: { title: 'Staging', cluster: 'demo-staging' },
  prod: { title: 'Production', cluster: 'demo-prod' },
};
// A fresh name per run: the published directory and the catalog entity are new each time.
const newService = `e2e-${Date.now().toString(36)}`;
const publishedDir = path.join(REPO_ROOT, '.run', 'published', newService);

let browser; // the current browser session (its page is screenshotted on failure)
const currentPage = () => browser?.page;

/** Polls fn until it returns a truthy value or the time is up (then throws its last error). */
async function eventually(what, fn, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = new Error(`${what}: not yet`);
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} (after ${timeoutMs} ms): ${last.message}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** The term → definition pairs of the card's section for one environment. */
async function environmentFacts(page, title) {
  const section = page.getByRole('region', { name: title, exact: true });
  await section.getByText('Task definition').waitFor();
  const facts = await section.evaluate(el => {
    const out = {};
    for (const dt of el.querySelectorAll('dt')) {
      out[dt.textContent.trim()] = dt.nextElementSibling?.textContent.trim();
    }
    return out;
  });
  const links = await section.evaluate(el =>
    [...el.querySelectorAll('a')].map(a => ({
      text: a.textContent.trim(),
      href: a.href,
    })),
  );
  // External links carry a visually hidden ", Opens in a new window".
  for (const l of links)
    l.text = l.text.replace(/,\s*Opens in a new window$/, '');
  return { section, facts, links };
}

/** The log group and region a CloudWatch console link points to. */
function parseCloudWatchLink(href) {
  const url = new URL(href);
  const m = /log-groups\/log-group\/([^/]+)/.exec(url.hash);
  assert.ok(m, `no log group in ${href}`);
  // The console escapes % as $25 after URL-encoding.
  const group = decodeURIComponent(m[1].replace(/\$25/g, '%'));
  return { region: url.searchParams.get('region'), host: url.hostname, group };
}

async function newSession(label) {
  if (browser) await browser.close();
  browser = await openBrowser();
  log(`    browser session: ${label}`);
  return browser;
}

async function fillServiceForm(page, { name, description, owner }) {
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
  await shot(page, 'form-service');
  // Runtime, Environments and Repository keep their defaults (staging + prod, publish locally).
  for (const field of ['Container port', 'Environments', 'Publish to']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(field, { exact: true }).first().waitFor();
  }
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).waitFor();
  await shot(page, 'form-review');
}

async function main() {
  await backend.start('alice');

  // ---------------------------------------------------------------------------------------------
  if (selected('J1')) {
    await journey(
      'J1',
      JOURNEYS.J1,
      async () => {
        const { page, context } = await newSession('alice, template editor');
        await installDirectoryPicker(
          context,
          path.join(REPO_ROOT, 'templates/ecs-service'),
        );
        await signIn(page, base);

        // The template is offered on the Create page.
        await page.goto(`${base}/create`);
        const card = page.getByText('ECS service', { exact: true }).first();
        await card.waitFor();
        await shot(page, 'create-page');

        // Template editor: load templates/ecs-service, fill the form, dry-run.
        await page.goto(`${base}/create/edit`);
        await page.getByText('Load Template Directory').click();
        await page.getByText('template.yaml').first().waitFor();
        await fillServiceForm(page, {
          name: newService,
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
        await shot(page, 'dry-run-staging-main-tf');
        for (const re of [
          /module "environment" \{/,
          /module "service" \{/,
          new RegExp(`name\\s*=\\s*"${newService}"`),
          new RegExp(`entity_ref\\s*=\\s*"component:default/${newService}"`),
          /environment\s*=\s*"staging"/,
          /desired_count\s*=\s*1\b/,
        ]) {
          assert.match(
            mainTf,
            re,
            'terraform/staging/main.tf in the dry-run preview',
          );
        }
        // A dry run publishes nothing.
        assert.equal(
          existsSync(publishedDir),
          false,
          `dry run created ${publishedDir}`,
        );

        // The real run from the Create page.
        await page.goto(`${base}/create`);
        await page
          .locator('article, .MuiCard-root')
          .filter({ hasText: 'ECS service' })
          .getByRole('button', { name: /choose/i })
          .click();
        await fillServiceForm(page, {
          name: newService,
          description: 'Created by the e2e run',
          owner: 'Payments',
        });
        await page.getByRole('button', { name: 'Create' }).click();
        await page.waitForURL(/\/create\/tasks\//);
        const openInCatalog = page.getByRole('link', {
          name: /open in catalog/i,
        });
        await openInCatalog.waitFor({ timeout: 120_000 });
        await shot(page, 'task-completed');
        // The task log says the last step registered the published catalog file.
        await page
          .getByText(
            new RegExp(
              `Registered file location .*/${newService}/catalog-info\\.yaml`,
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
          assert.ok(
            existsSync(path.join(publishedDir, f)),
            `${f} was not published to ${publishedDir}`,
          );
        }
        const info = readFileSync(
          path.join(publishedDir, 'catalog-info.yaml'),
          'utf8',
        );
        assert.match(info, new RegExp(`name: ${newService}`));

        // Registered: the entity page opens from the task's link ...
        // The catalog ingests the new location asynchronously: the page may first say "not
        // found", so reload it (as a user would) until the entity is there.
        await openInCatalog.click();
        await page.waitForURL(
          new RegExp(`/catalog/default/component/${newService}`),
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
          90_000,
        );
        log(
          `    entity page shows ${newService} ${(
            (Date.now() - registeredAt) /
            1000
          ).toFixed(1)} s after the task ended`,
        );
        await shot(page, 'entity-page');
        // ... and the catalog's search finds it.
        await page.goto(`${base}/`);
        await page
          .getByPlaceholder(/filter|search/i)
          .first()
          .fill(newService);
        await page
          .getByRole('row')
          .filter({ hasText: newService })
          .first()
          .waitFor();
        const rowText = await page
          .getByRole('row')
          .filter({ hasText: newService })
          .first()
          .innerText();
        assert.match(
          rowText,
          /team-payments|Payments/,
          'the new component is owned by team-payments',
        );
        await shot(page, 'catalog-search');
      },
      { page: currentPage },
    );
  }

  // Emulator state before any promotion (journeys 4 and 2 compare the UI with it).
  const before = {};
  for (const svc of [
    'payments-api',
    'checkout-web',
    'search-indexer',
    'search-api',
  ]) {
    before[svc] = {
      staging: await describeService(ecs, ENV.staging.cluster, svc),
      prod: await describeService(ecs, ENV.prod.cluster, svc),
    };
  }
  const tagOf = (svc, env) => before[svc][env].containers[0].tag;

  // ---------------------------------------------------------------------------------------------
  if (selected('J4')) {
    await journey(
      'J4',
      JOURNEYS.J4,
      async () => {
        // The emulator agrees with the premise: payments-api lags, checkout-web is level.
        assert.notEqual(
          tagOf('payments-api', 'prod'),
          tagOf('payments-api', 'staging'),
        );
        assert.equal(
          tagOf('checkout-web', 'prod'),
          tagOf('checkout-web', 'staging'),
        );

        const { page } = await newSession('alice, team view');
        await signIn(page, base);
        const checkRows = async (expected, title, owner = true) => {
          await page.getByText(title).first().waitFor();
          for (const [svc, lagging] of Object.entries(expected)) {
            const row = page.getByRole('row').filter({
              has: page.getByRole('link', { name: svc, exact: true }),
            });
            await row
              .getByText(
                lagging
                  ? 'prod behind staging'
                  : 'prod up to date with staging',
              )
              .waitFor();
            const text = await row.innerText();
            assert.ok(
              text.includes(tagOf(svc, 'staging')),
              `${svc} row shows staging ${tagOf(svc, 'staging')}: ${text}`,
            );
            assert.ok(
              text.includes(tagOf(svc, 'prod')),
              `${svc} row shows prod ${tagOf(svc, 'prod')}: ${text}`,
            );
            assert.ok(
              text.includes(
                `${before[svc].prod.family}:${before[svc].prod.revision}`,
              ),
              `${svc} row shows the prod revision`,
            );
            const promote = row.getByRole('button', {
              name: 'Promote staging to prod',
            });
            // Disabled while the permission loads, then enabled for the owner.
            if (lagging && owner) {
              await eventually(
                `${svc}: promote is enabled for the owner`,
                () => promote.isEnabled(),
                15_000,
              );
            } else if (lagging) {
              // alice does not own team-search's services.
              await row
                .getByText(
                  'You are not allowed to promote this service to Production.',
                )
                .waitFor();
              assert.ok(
                await promote.isDisabled(),
                `${svc}: promote is disabled for a non-owner`,
              );
            } else {
              assert.ok(
                await promote.isDisabled(),
                `${svc}: promote is disabled when level`,
              );
              // The owner is told why; anyone else is told they may not promote at all.
              await row
                .getByText(
                  owner
                    ? 'prod already runs the images of staging.'
                    : 'You are not allowed to promote this service to Production.',
                )
                .waitFor();
            }
          }
        };
        // The Group page's Deployments tab.
        await page.goto(
          `${base}/catalog/default/group/team-payments/deployments`,
        );
        await checkRows(
          { 'payments-api': true, 'checkout-web': false },
          'Deployments of team-payments',
        );
        if (results.some(r => r.id === 'J1' && r.ok)) {
          // J1's new service is deployed nowhere: not "up to date", and nothing to promote.
          const fresh = page.getByRole('row').filter({
            has: page.getByRole('link', { name: newService, exact: true }),
          });
          await fresh.getByText('staging not deployed').waitFor();
          assert.equal(
            await fresh.getByText('prod up to date with staging').count(),
            0,
          );
          assert.ok(
            await fresh
              .getByRole('button', { name: 'Promote staging to prod' })
              .isDisabled(),
          );
        }
        const rows = await page
          .getByRole('table', { name: 'Team deployments' })
          .locator('tbody tr')
          .count();
        await shot(page, 'group-team-payments-deployments');
        // The team-search group: search-indexer lags (3.0.0 vs 2.8.5), search-api is level.
        await page.goto(
          `${base}/catalog/default/group/team-search/deployments`,
        );
        await checkRows(
          { 'search-indexer': true, 'search-api': false },
          'Deployments of team-search',
          false,
        );
        await shot(page, 'group-team-search-deployments');
        // The standalone page lists the signed-in user's teams (alice: team-payments).
        await page.goto(`${base}/ecs-deploy`);
        await checkRows(
          { 'payments-api': true, 'checkout-web': false },
          'Deployments of',
        );
        assert.equal(
          await page
            .getByRole('link', { name: 'search-indexer', exact: true })
            .count(),
          0,
          '/ecs-deploy lists only alice’s teams',
        );
        assert.equal(
          await page
            .getByRole('table', { name: 'Team deployments' })
            .locator('tbody tr')
            .count(),
          rows,
          '/ecs-deploy lists the same services as the group tab',
        );
        await shot(page, 'ecs-deploy-page');
      },
      { page: currentPage },
    );
  }

  // ---------------------------------------------------------------------------------------------
  if (selected('J2')) {
    await journey(
      'J2',
      JOURNEYS.J2,
      async () => {
        const { page } = await newSession('alice, entity card');
        await signIn(page, base);
        await page.goto(`${base}/catalog/default/component/payments-api`);
        await page.getByText('ECS deployments').first().waitFor();
        for (const env of ['staging', 'prod']) {
          const aws = before['payments-api'][env];
          const { section, facts, links } = await environmentFacts(
            page,
            ENV[env].title,
          );
          if (env === 'staging') await section.scrollIntoViewIfNeeded();
          const c = aws.containers[0];
          assert.equal(
            facts[`Image (${c.name})`],
            c.tag,
            `${env} image on the card vs the emulator (${c.image})`,
          );
          assert.equal(
            facts['Task definition'],
            `${aws.family}:${aws.revision}`,
            `${env} task definition on the card vs the emulator`,
          );
          // The demo's contract: log group /ecs/<env>/payments-api in us-east-1.
          assert.equal(
            c.logGroup,
            `/ecs/${env}/payments-api`,
            `${env} log group in the emulator`,
          );
          const cw = links.filter(l => l.text.startsWith('CloudWatch'));
          assert.equal(
            cw.length,
            1,
            `${env}: one CloudWatch link (${JSON.stringify(links)})`,
          );
          assert.equal(cw[0].text, `CloudWatch: /ecs/${env}/payments-api`);
          const target = parseCloudWatchLink(cw[0].href);
          assert.deepEqual(
            target,
            {
              region: 'us-east-1',
              host: 'us-east-1.console.aws.amazon.com',
              group: `/ecs/${env}/payments-api`,
            },
            `${env} CloudWatch link ${cw[0].href}`,
          );
          const consoleLink = links.find(l => l.text.startsWith('AWS console'));
          assert.ok(consoleLink, `${env}: AWS console link`);
          assert.match(
            consoleLink.href,
            new RegExp(
              `/ecs/v2/clusters/${ENV[env].cluster}/services/payments-api/health\\?region=us-east-1$`,
            ),
          );
          if (env === 'staging') {
            const logSearch = links.find(
              l => l.text === 'Log search (example)',
            );
            assert.ok(logSearch, 'staging: the configured log link template');
            assert.equal(
              logSearch.href,
              'https://logs.example.com/search?service=payments-api&env=staging',
            );
          }
        }
        await page
          .getByRole('region', { name: 'Production', exact: true })
          .scrollIntoViewIfNeeded();
        await shot(page, 'payments-api-card');
      },
      { page: currentPage },
    );
  }

  // ---------------------------------------------------------------------------------------------
  if (selected('J3')) {
    await journey(
      'J3',
      JOURNEYS.J3,
      async () => {
        const stagingImage = before['payments-api'].staging.containers[0].image;
        const prodImage = before['payments-api'].prod.containers[0].image;
        assert.notEqual(
          prodImage,
          stagingImage,
          'precondition: prod lags staging',
        );

        const { page } = await newSession('alice, promote');
        await signIn(page, base);
        await page.goto(`${base}/catalog/default/component/payments-api`);
        const promote = page.getByRole('button', {
          name: 'Promote staging to prod',
        });
        await promote.waitFor();
        await eventually(
          'the owner may promote',
          () => promote.isEnabled(),
          15_000,
        );
        await promote.click();
        const dialog = page.getByRole('dialog', {
          name: 'Promote Staging to Production',
        });
        await dialog.waitFor();
        const change = dialog
          .getByRole('table', { name: 'Changes' })
          .locator('tbody tr');
        await change.first().waitFor();
        assert.equal(await change.count(), 1, 'one container changes');
        const cells = (await change.first().locator('td').allInnerTexts()).map(
          t => t.trim(),
        );
        assert.deepEqual(
          cells,
          ['payments-api', prodImage, stagingImage],
          'the dialog shows 1.3.2 → 1.4.0',
        );
        assert.match(prodImage, /:1\.3\.2$/);
        assert.match(stagingImage, /:1\.4\.0$/);
        assert.equal(
          await dialog.getByText('Cannot promote now').count(),
          0,
          'no blocker',
        );
        await dialog.getByLabel('Reason (optional)').fill('e2e: release 1.4.0');
        await shot(page, 'promote-dialog', { fullPage: false });
        await dialog
          .getByRole('button', { name: 'Promote to Production' })
          .click();
        await dialog
          .getByRole('button', { name: 'Close' })
          .waitFor({ timeout: 60_000 });
        await shot(page, 'promote-started', { fullPage: false });

        // The emulator: prod's service now runs a task definition with staging's image.
        const after = await eventually(
          'prod runs staging’s image in the emulator',
          async () => {
            const p = await describeService(
              ecs,
              ENV.prod.cluster,
              'payments-api',
            );
            return p.containers[0].image === stagingImage ? p : undefined;
          },
        );
        assert.ok(
          after.revision > before['payments-api'].prod.revision,
          'a new prod task definition revision',
        );
        assert.equal(after.family, before['payments-api'].prod.family);
        await dialog.getByRole('button', { name: 'Close' }).click();

        // The card follows, and the Deployments tab's history shows the promotion.
        const { facts } = await environmentFacts(page, 'Production');
        log(
          `    card after the promotion: prod ${facts['Image (payments-api)']} ${facts['Task definition']}`,
        );
        await page.goto(
          `${base}/catalog/default/component/payments-api/deployments`,
        );
        const history = page
          .getByRole('row')
          .filter({ hasText: 'Promote staging → prod' });
        await history.first().waitFor();
        const entry = await history.first().innerText();
        for (const want of [
          'user:default/alice',
          'Succeeded',
          'payments-api: 1.4.0',
          'e2e: release 1.4.0',
          `payments-api-prod:${before['payments-api'].prod.revision} → payments-api-prod:${after.revision}`,
        ]) {
          assert.ok(
            entry.includes(want),
            `history row has "${want}": ${entry}`,
          );
        }
        await history.first().scrollIntoViewIfNeeded();
        await shot(page, 'deployments-tab-history');

        // The team view now shows payments-api level.
        await page.goto(
          `${base}/catalog/default/group/team-payments/deployments`,
        );
        await page
          .getByRole('row')
          .filter({
            has: page.getByRole('link', { name: 'payments-api', exact: true }),
          })
          .getByText('prod up to date with staging')
          .waitFor();
        await shot(page, 'team-view-after-promotion');
        await browser.close();
        browser = undefined;

        // A second identity: the backend restarted with the guest user switched to carol
        // (team-search), through Backstage's APP_CONFIG_* environment overrides.
        await backend.stop();
        await backend.start('carol', {
          APP_CONFIG_auth_providers_guest_userEntityRef: 'user:default/carol',
          APP_CONFIG_auth_providers_guest_ownershipEntityRefs: JSON.stringify([
            'user:default/carol',
            'group:default/team-search',
          ]),
        });
        const carol = await newSession('carol');
        await signIn(carol.page, base);
        const token = await backstageToken(carol.page, base);
        const claims = JSON.parse(
          Buffer.from(token.split('.')[1], 'base64url').toString(),
        );
        assert.equal(claims.sub, 'user:default/carol', 'signed in as carol');
        await carol.page.goto(`${base}/catalog/default/component/payments-api`);
        const carolPromote = carol.page.getByRole('button', {
          name: 'Promote staging to prod',
        });
        await carolPromote.waitFor();
        await carol.page
          .getByText(
            'You are not allowed to promote this service to Production.',
          )
          .waitFor();
        assert.ok(
          await carolPromote.isDisabled(),
          'the promote button is disabled for carol',
        );
        await carolPromote.scrollIntoViewIfNeeded();
        await shot(carol.page, 'carol-promote-disabled');

        // Straight to the API with carol's token: refused.
        const prodBefore = await describeService(
          ecs,
          ENV.prod.cluster,
          'payments-api',
        );
        const res = await fetch(
          `${base}/api/ecs-deploy/entities/component/default/payments-api/promotions`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              from: 'staging',
              to: 'prod',
              reason: 'e2e: carol tries',
            }),
          },
        );
        const body = await res.text();
        assert.equal(
          res.status,
          403,
          `POST /promotions as carol: ${res.status} ${body}`,
        );
        const prodAfter = await describeService(
          ecs,
          ENV.prod.cluster,
          'payments-api',
        );
        assert.equal(
          prodAfter.taskDefinitionArn,
          prodBefore.taskDefinitionArn,
          'the refused call changed nothing',
        );
        // The refusal is audited as "Denied" in the history carol can read.
        await carol.page.goto(
          `${base}/catalog/default/component/payments-api/deployments`,
        );
        const denied = carol.page
          .getByRole('row')
          .filter({ hasText: 'user:default/carol' });
        await denied.first().waitFor();
        assert.match(await denied.first().innerText(), /Denied/);
        await shot(carol.page, 'carol-denied-in-history');
      },
      { page: currentPage },
    );
  }
}

// scripts/e2e.sh sends SIGTERM on Ctrl-C or when it is stopped: end the browser and the backend.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the browser and the backend`);
    if (browser) await browser.close();
    await backend.stop().catch(() => {});
    rmSync(publishedDir, { recursive: true, force: true });
    process.exit(
      128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1),
    );
  });
}

try {
  await main();
} catch (e) {
  log(`error: ${e.stack ?? e}`);
} finally {
  if (browser) await browser.close();
  await backend.stop();
  rmSync(publishedDir, { recursive: true, force: true });
}

/** Prints the results, writes the counts; a journey that did not run counts as failed. */
function summarize(why = 'did not run') {
  // A journey that did not run (setup failed) counts as failed.
  for (const [id, name] of Object.entries(JOURNEYS)) {
    if (selected(id) && !results.some(r => r.id === id)) {
      results.push({ id, name, ok: false, error: new Error(why) });
    }
  }
  const passed = results.filter(r => r.ok).length;
  const failed = results.length - passed;
  log(`screenshots and backend logs: ${path.relative(REPO_ROOT, ARTIFACTS)}/`);
  for (const r of results) {
    const why = r.ok
      ? ''
      : ` — ${String(r.error?.message ?? r.error).split('\n')[0]}`;
    log(
      `  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.id}: ${r.name}${
        r.ms ? ` (${(r.ms / 1000).toFixed(1)} s)` : ''
      }${why}`,
    );
  }
  log(
    `journeys: ${passed} passed, ${failed} failed in ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s`,
  );
  if (process.env.E2E_COUNTS_FILE) {
    writeFileSync(process.env.E2E_COUNTS_FILE, `${passed} ${failed}\n`);
  }
  return failed;
}

process.exit(summarize() ? 1 : 0);
