import { expect } from '@playwright/test';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { eventually, seedLegacyService } from '@internal/dev-kit';
import { expectNoSeriousA11yIssues, settled } from '../lib/axe';
import { AWS_ENDPOINT, DAVE_URL, ENV, signIn, test } from '../lib/portal';

// Twenty services that predate the portal, created straight through the AWS API, tagged for two
// teams (team=payments, team=search).
const RUN = Date.now().toString(36).slice(-5);
const PREFIX = `j14-${RUN}`;
const NAMES = Array.from(
  { length: 20 },
  (_, i) => `${PREFIX}-svc-${String(i + 1).padStart(2, '0')}`,
);

test('J14: an admin selects 20 unclaimed services on the page and previews their adoption, one dry run each', async ({
  browser,
  ecs,
  shot,
}) => {
  for (const [i, name] of NAMES.entries()) {
    await seedLegacyService(
      AWS_ENDPOINT,
      'staging',
      name,
      `ghcr.io/acme/${name}:1.0.0`,
      {
        cluster: ENV.staging.cluster,
        tags: { team: i % 2 ? 'search' : 'payments' },
      },
    );
  }
  // dave of platform, an admin, on the third backend of global-setup.ts.
  const context = await browser.newContext({
    baseURL: DAVE_URL,
    viewport: { width: 1440, height: 1000 },
  });
  try {
    const dave = await context.newPage();
    await signIn(dave);
    const table = dave.getByRole('table', { name: 'Unclaimed ECS services' });
    const rows = table.locator('tbody tr');
    await eventually(
      'the 20 services are listed as unclaimed',
      async () => {
        await dave.goto(`/ecs-deploy/unclaimed?search=${PREFIX}`);
        await table.waitFor();
        return (await rows.count()) === 20;
      },
      { timeoutMs: 60_000, intervalMs: 2_000 },
    );
    await dave.getByRole('button', { name: 'Select all on this page' }).click();
    await expect(
      dave.getByText('20 services match; 20 selected for a bulk adoption'),
    ).toBeVisible();
    await expect(table.getByRole('checkbox', { checked: true })).toHaveCount(
      20,
    );
    await expectNoSeriousA11yIssues(
      dave,
      'unclaimed services, admin selection',
    );
    await shot('admin-selects-20', { page: dave });

    await dave.getByRole('button', { name: 'Preview adoption' }).click();
    const dialog = dave.getByRole('dialog', { name: 'Adopt 20 services' });
    const preview = dialog.getByRole('table', { name: 'Adoption preview' });
    await preview.waitFor({ timeout: 60_000 });
    await expect(preview.locator('tbody tr')).toHaveCount(20);
    await expect(dialog.getByText('20 of 20 ready to adopt.')).toBeVisible();
    await expect(
      preview.getByRole('row', { name: new RegExp(`${NAMES[1]}`) }),
    ).toContainText('team-search');
    await expect(
      preview.getByRole('row', { name: new RegExp(`${NAMES[0]}`) }),
    ).toContainText('team-payments');
    await settled(dialog);
    await expectNoSeriousA11yIssues(dave, 'bulk adoption preview');
    await shot('bulk-preview-20', { page: dave, fullPage: false });

    // The preview is a dry run: nothing was tagged.
    const { services } = await ecs.send(
      new DescribeServicesCommand({
        cluster: ENV.staging.cluster,
        services: NAMES.slice(0, 10),
        include: ['TAGS'],
      }),
    );
    for (const s of services!) {
      expect(
        s.tags?.map(t => t.key),
        `${s.serviceName} untouched`,
      ).toEqual(['team']);
    }
  } finally {
    await context.close();
  }
});
