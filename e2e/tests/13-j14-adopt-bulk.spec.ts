import { expect } from '@playwright/test';
import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import {
  LOCAL_ACCOUNTS,
  accountAdminCredentials,
  eventually,
  seedLegacyService,
} from '@internal/dev-kit';
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

test('J14: an admin selects 20 unclaimed services, previews their adoption and adopts them in one job', async ({
  browser,
  ecs,
  shot,
}) => {
  // In staging's account, as its administrator.
  const credentials = await accountAdminCredentials(
    AWS_ENDPOINT,
    LOCAL_ACCOUNTS.staging,
  );
  for (const [i, name] of NAMES.entries()) {
    await seedLegacyService(
      AWS_ENDPOINT,
      'staging',
      name,
      `ghcr.io/acme/${name}:1.0.0`,
      {
        cluster: ENV.staging.cluster,
        tags: { team: i % 2 ? 'search' : 'payments' },
        credentials,
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
    const tags = async (): Promise<
      Record<string, Record<string, string | undefined>>
    > => {
      const found: Service[] = [];
      for (let i = 0; i < NAMES.length; i += 10) {
        const { services } = await ecs.staging.send(
          new DescribeServicesCommand({
            cluster: ENV.staging.cluster,
            services: NAMES.slice(i, i + 10),
            include: ['TAGS'],
          }),
        );
        found.push(...services!);
      }
      return Object.fromEntries(
        found.map(s => [
          s.serviceName!,
          Object.fromEntries((s.tags ?? []).map(t => [t.key!, t.value])),
        ]),
      );
    };
    for (const [name, tagged] of Object.entries(await tags())) {
      expect(Object.keys(tagged), `${name} untouched`).toEqual(['team']);
    }

    // One job adopts them all; its report is read until no service is pending.
    await dialog.getByRole('button', { name: 'Adopt 20 services' }).click();
    await dialog.getByRole('table', { name: 'Adoption job' }).waitFor();
    await expect(
      dialog.getByText(
        'Job completed: 20 adopted, 0 already adopted, 0 failed.',
      ),
    ).toBeVisible({ timeout: 120_000 });
    await settled(dialog);
    await expectNoSeriousA11yIssues(dave, 'bulk adoption report');
    await shot('bulk-job-completed', { page: dave, fullPage: false });
    const after = await tags();
    for (const name of NAMES) {
      expect(after[name]['backstage:entity-ref'], name).toBe(
        `component:default/${name}`,
      );
    }
  } finally {
    await context.close();
  }
});
