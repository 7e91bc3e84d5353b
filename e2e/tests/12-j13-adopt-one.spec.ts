import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import {
  LOCAL_ACCOUNTS,
  TEST_REGION,
  accountAdminCredentials,
  eventually,
  iamClient,
  repoRoot,
  seedLegacyService,
  ssmClient,
} from '@internal/dev-kit';
import { expectNoSeriousA11yIssues } from '../lib/axe';
import {
  AWS_ENDPOINT,
  backstageToken,
  CAROL_URL,
  ENV,
  signIn,
  test,
} from '../lib/portal';
import { deployToStaging } from '../lib/staging';

// Services that predate the portal, created straight through the AWS API (not Terraform): one
// tagged the way companies tag (team=payments) in staging and prod, one untagged in staging.
const RUN = Date.now().toString(36).slice(-5);
const TAGGED = `j13-billing-${RUN}`;
const UNTAGGED = `j13-orphan-${RUN}`;

// What the adoption published locally (the repository and its Terraform state) goes with the run.
test.afterAll(() => {
  for (const dir of ['published', 'terraform-state'])
    rmSync(path.join(repoRoot(), '.run', dir, TAGGED), {
      recursive: true,
      force: true,
    });
});

async function tagsOf(ecs: ECSClient, cluster: string, service: string) {
  const { services } = await ecs.send(
    new DescribeServicesCommand({
      cluster,
      services: [service],
      include: ['TAGS'],
    }),
  );
  return Object.fromEntries(
    (services![0].tags ?? []).map(t => [t.key, t.value]),
  );
}

/** The unclaimed services page, reloaded until `service`'s row shows (the list is cached for a TTL). */
async function openUnclaimed(page: Page, query: string, service: string) {
  const table = page.getByRole('table', { name: 'Unclaimed ECS services' });
  await eventually(
    `${service} is listed as unclaimed`,
    async () => {
      await page.goto(`/ecs-deploy/unclaimed${query}`);
      await table.waitFor();
      return (
        (await table.getByRole('row', { name: new RegExp(service) }).count()) >
        0
      );
    },
    { timeoutMs: 60_000, intervalMs: 2_000 },
  );
  return table;
}

test('J13: a team member opens Unclaimed, adopts a service suggested for the team, and promotes it once staging is ahead; a non-member cannot adopt', async ({
  page,
  browser,
  ecs,
  shot,
}) => {
  test.setTimeout(12 * 60_000);
  // Each environment's account, as its administrator: the service predates the portal there, with
  // the execution role its task definitions name (promotion's preflight checks it).
  const admin = {
    staging: await accountAdminCredentials(
      AWS_ENDPOINT,
      LOCAL_ACCOUNTS.staging,
    ),
    prod: await accountAdminCredentials(AWS_ENDPOINT, LOCAL_ACCOUNTS.prod),
  };
  for (const env of ['staging', 'prod'] as const) {
    const iam = iamClient(AWS_ENDPOINT, TEST_REGION, admin[env]);
    await iam.send(
      new CreateRoleCommand({
        RoleName: `${TAGGED}-execution`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    iam.destroy();
    await seedLegacyService(
      AWS_ENDPOINT,
      env,
      TAGGED,
      'ghcr.io/acme/billing:2.0.0',
      {
        cluster: ENV[env].cluster,
        // One family per environment: each runs its family's latest revision.
        family: `${TAGGED}-${env}`,
        tags: { team: 'payments', 'cost-center': 'b42' },
        credentials: admin[env],
      },
    );
  }
  await seedLegacyService(
    AWS_ENDPOINT,
    'staging',
    UNTAGGED,
    'ghcr.io/acme/orphan:1',
    {
      cluster: ENV.staging.cluster,
      credentials: admin.staging,
    },
  );

  // carol (team-search) is no member of team-payments: Adopt is disabled with the reason, and
  // the API refuses her (403) without writing anything.
  const carolContext = await browser.newContext({
    baseURL: CAROL_URL,
    viewport: { width: 1440, height: 1000 },
  });
  try {
    const carol = await carolContext.newPage();
    await signIn(carol);
    const table = await openUnclaimed(carol, `?search=${TAGGED}`, TAGGED);
    const adopt = table.getByRole('button', { name: `Adopt ${TAGGED}` });
    await expect(adopt).toHaveCount(2); // staging and prod
    for (const button of await adopt.all()) await expect(button).toBeDisabled();
    await expect(
      table
        .getByText('Only members of team-payments or an admin may adopt it')
        .first(),
    ).toBeVisible();
    await shot('carol-may-not-adopt', { page: carol });
    const token = await backstageToken(carol);
    const res = await fetch(`${CAROL_URL}/api/ecs-deploy/adoptions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        serviceName: TAGGED,
        environments: ['staging', 'prod'],
        owner: 'group:default/team-payments',
      }),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(403);
    expect(body.error.message).toContain(
      'only members of group:default/team-payments or an admin may',
    );
    expect(await tagsOf(ecs.staging, ENV.staging.cluster, TAGGED)).toEqual({
      team: 'payments',
      'cost-center': 'b42',
    });
  } finally {
    await carolContext.close();
  }

  // alice of team-payments: the sidebar's Unclaimed services, then "suggested for my team".
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Unclaimed services' })
    .click();
  await page.waitForURL(/\/ecs-deploy\/unclaimed$/);
  const all = await openUnclaimed(page, '', UNTAGGED);
  // The untagged one suggests no owner: only an admin may adopt it.
  const orphan = all.getByRole('row', { name: new RegExp(UNTAGGED) });
  await expect(
    orphan.getByRole('button', { name: `Adopt ${UNTAGGED}` }),
  ).toBeDisabled();
  await expect(
    orphan.getByText('Its tags suggest no owner: only an admin may adopt it'),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: /^Staging: \d+$/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: /^team-payments: \d+$/ }),
  ).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'unclaimed services');
  await shot('unclaimed-services');

  await page
    .getByRole('button', { name: 'Suggested for my team: team-payments' })
    .click();
  await page.waitForURL(/owner=group%3Adefault%2Fteam-payments/);
  const mine = page.getByRole('table', { name: 'Unclaimed ECS services' });
  await expect(
    mine.getByRole('row', { name: new RegExp(UNTAGGED) }),
  ).toHaveCount(0);
  const row = mine.getByRole('row', { name: new RegExp(TAGGED) }).first();
  await expect(row.getByRole('link', { name: 'Payments' })).toBeVisible();
  await shot('suggested-for-my-team');

  // Adopt: the "Adopt an existing ECS service" template, filled in from the row (its name, both
  // environments, the suggested owner); it claims the service, imports it into Terraform
  // (plan exits 0 after), publishes the repository locally and registers the component.
  await row.getByRole('button', { name: `Adopt ${TAGGED}` }).click();
  await page.waitForURL(
    /\/create\/templates\/default\/adopt-ecs-service\?formData=/,
  );
  await expect(page.getByRole('textbox', { name: /^ECS service/ })).toHaveValue(
    TAGGED,
  );
  await expect(page.getByRole('checkbox', { name: 'staging' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'prod' })).toBeChecked();
  await shot('adopt-template-filled-in');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Publish to', { exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/create\/tasks\//);
  const openInCatalog = page.getByRole('link', { name: /open in catalog/i });
  await openInCatalog.waitFor({ timeout: 600_000 });
  await shot('adopt-task-completed');

  // In ECS: the tag in both environments, the other tags kept; the image parameters hold the
  // running image (the promotion contract from day one).
  for (const env of ['staging', 'prod'] as const) {
    // (Terraform's import adds the module's own tags beside them.)
    expect(await tagsOf(ecs[env], ENV[env].cluster, TAGGED)).toMatchObject({
      team: 'payments',
      'cost-center': 'b42',
      'backstage:entity-ref': `component:default/${TAGGED}`,
    });
  }
  // (prod's parameter, in prod's account)
  const ssm = ssmClient(AWS_ENDPOINT, TEST_REGION, admin.prod);
  const parameter = await ssm.send(
    new GetParameterCommand({ Name: `/ecs-deploy/prod/${TAGGED}/image/app` }),
  );
  ssm.destroy();
  expect(parameter.Parameter?.Value).toBe('ghcr.io/acme/billing:2.0.0');

  // The component's card: both environments; Promote enabled once staging is ahead.
  await openInCatalog.click();
  await page.waitForURL(new RegExp(`/catalog/default/component/${TAGGED}`));
  const promote = page.getByRole('button', { name: 'Promote staging to prod' });
  await promote.waitFor({ timeout: 60_000 });
  await page.getByText('Production is up to date').first().waitFor();
  await expect(
    promote,
    'staging and prod run the same image: nothing to promote',
  ).toBeDisabled();
  await shot('adopted-entity-card-level');
  // A release reaches staging (as CI deploys it).
  await deployToStaging(ecs.staging, TAGGED, 'ghcr.io/acme/billing:2.1.0');
  await eventually('the owner may promote', () => promote.isEnabled(), {
    timeoutMs: 90_000,
    intervalMs: 500,
  });
  await promote.scrollIntoViewIfNeeded();
  await expectNoSeriousA11yIssues(page, 'adopted entity card');
  await shot('adopted-entity-card-promote-enabled');

  // No longer unclaimed (the list is cached for a status TTL).
  await eventually(
    `${TAGGED} is no longer listed as unclaimed`,
    async () => {
      await page.goto(`/ecs-deploy/unclaimed?search=${TAGGED}`);
      await page
        .getByText('No unclaimed service matches these filters.')
        .or(mine)
        .first()
        .waitFor();
      return (
        (await mine.getByRole('row', { name: new RegExp(TAGGED) }).count()) ===
        0
      );
    },
    { timeoutMs: 60_000, intervalMs: 2_000 },
  );
});
