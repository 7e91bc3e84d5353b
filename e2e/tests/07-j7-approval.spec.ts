import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { eventually, startBackend, type Backend } from '@internal/dev-kit';
import { BACKEND_AWS_ENDPOINT, backstageToken, ENV, signIn, test } from '../lib/portal';
import { deployToStaging } from '../lib/staging';

// Promotions to prod need an approval on these two backends (the local default needs none):
// alice's and bob's, two identities of team-payments on one ecs-deploy database and one
// notifications database (SQLite files), as two replicas of one portal would share them.
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const NEXT = 'ghcr.io/acme/payments-api:1.5.0';
let shared: string;
const backends: Backend[] = [];

async function portalFor(who: 'alice' | 'bob'): Promise<Backend> {
  const backend = await startBackend({
    name: `j7-${who}`,
    dir: ARTIFACTS,
    awsEndpoint: BACKEND_AWS_ENDPOINT,
    config: {
      app: { packageName: process.env.E2E_APP_DIR },
      backend: {
        database: {
          plugin: Object.fromEntries(
            ['ecs-deploy', 'notifications'].map(id => [
              id,
              { connection: { filename: path.join(shared, `${id}.sqlite`) } },
            ]),
          ),
        },
      },
      auth: {
        providers: {
          guest: {
            userEntityRef: `user:default/${who}`,
            ownershipEntityRefs: [`user:default/${who}`, 'group:default/team-payments'],
          },
        },
      },
      ecsDeploy: {
        promotionPaths: [
          { from: 'staging', to: 'prod', requireHealthySource: false, approval: { required: true } },
        ],
        followThrough: { checkInterval: { seconds: 2 } },
      },
    },
  });
  backends.push(backend);
  return backend;
}

async function deploymentsTab(page: Page) {
  await page.goto('/catalog/default/component/payments-api/deployments');
  const approvals = page.getByRole('group', { name: 'Staging → Production' });
  await approvals.waitFor();
  return approvals;
}

test.beforeAll(async () => {
  shared = mkdtempSync(path.join(os.tmpdir(), 'e2e-j7-'));
});

test.afterAll(async () => {
  for (const b of backends.reverse()) await b.stop();
  rmSync(shared, { recursive: true, force: true });
});

test('J7: alice requests a promotion of payments-api, bob approves, prod rolls out, the bell tells bob', async ({
  browser,
  ecs,
  shot,
}) => {
  test.setTimeout(8 * 60_000);
  // alice first: her backend creates the shared databases; bob's starts while she works.
  const alice = await portalFor('alice');
  const bobStarting = portalFor('bob');
  // A release lands in staging (as CI would deploy it), so that prod lags whatever ran before.
  const revision = await deployToStaging(ecs.staging, 'payments-api', NEXT);

  const aliceContext = await browser.newContext({ baseURL: alice.baseUrl, viewport: { width: 1440, height: 1000 } });
  const alicePage = await aliceContext.newPage();
  await signIn(alicePage);
  const approvalsForAlice = await deploymentsTab(alicePage);
  await approvalsForAlice.getByText('Staging → Production needs an approval by another owner or an admin').waitFor();
  // Promote is not offered directly: the pipeline says an approval is needed.
  await alicePage.getByText(/needs approval by team-payments: request the promotion/).first().waitFor();
  const request = approvalsForAlice.getByRole('button', { name: 'Request promotion to Production' });
  await eventually('alice may request', () => request.isEnabled(), { timeoutMs: 30_000, intervalMs: 500 });
  await request.click();
  const requestDialog = alicePage.getByRole('dialog', { name: 'Request the promotion Staging → Production' });
  await requestDialog.getByLabel(/Reason/).fill('e2e: release 1.5.0');
  await shot('alice-request-dialog', { fullPage: false, page: alicePage });
  await requestDialog.getByRole('button', { name: 'Request promotion' }).click();
  await approvalsForAlice.getByText('Waiting for approval').waitFor();
  await approvalsForAlice.getByText(/You requested it: another owner or an admin approves it/).waitFor();
  expect(await approvalsForAlice.getByRole('button', { name: 'Approve' }).count(), 'alice cannot approve her own').toBe(0);
  await shot('alice-waiting-for-approval', { page: alicePage });

  // bob: the second identity of team-payments, on the second backend.
  const bob = await bobStarting;
  const bobContext = await browser.newContext({ baseURL: bob.baseUrl, viewport: { width: 1440, height: 1000 } });
  const bobPage = await bobContext.newPage();
  await signIn(bobPage);
  const token = await backstageToken(bobPage);
  expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub).toBe('user:default/bob');
  const approvalsForBob = await deploymentsTab(bobPage);
  await approvalsForBob.getByText(/alice asked .* \(e2e: release 1\.5\.0\)/).waitFor();
  // Staging's verification of 1.5.0 (alarms, metrics) passes before prod may take it.
  await bobPage
    .getByText(new RegExp(`Verified: payments-api-staging:${revision},`))
    .first()
    .waitFor({ timeout: 60_000 });
  await approvalsForBob.getByRole('button', { name: 'Approve' }).click();
  const approveDialog = bobPage.getByRole('dialog', { name: "Approve alice's promotion Staging → Production" });
  await approveDialog.getByLabel(/Comment/).fill('e2e: looks good');
  await shot('bob-approve-dialog', { fullPage: false, page: bobPage });
  const clicked = Date.now();
  await approveDialog.getByRole('button', { name: 'Approve and promote' }).click();
  await approveDialog.waitFor({ state: 'detached' });

  // The backend follows prod's rollout to its end; the history says rolled-out, with its duration.
  const history = async () => {
    const res = await fetch(`${bob.baseUrl}/api/ecs-deploy/entities/component/default/payments-api/history`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await res.json()).items as Array<Record<string, any>>;
  };
  const promotion = await eventually(
    'the approved promotion rolled out',
    async () => (await history()).find(r => r.action === 'promote' && r.requestId && r.outcome === 'rolled-out'),
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  const seen = Date.now() - clicked;
  expect(promotion.actor).toBe('user:default/bob');
  expect(promotion.newImages[0].image).toMatch(/^ghcr\.io\/acme\/payments-api:1\.5\.0@sha256:/);
  const [prod] = (await ecs.prod.send(new DescribeServicesCommand({ cluster: ENV.prod.cluster, services: ['payments-api'] }))).services!;
  expect(prod.taskDefinition).toBe(promotion.newTaskDefinition);
  console.log(
    `J7 approve click → rolled-out: ${promotion.durationMs} ms recorded by the backend, ${seen} ms seen by the test (emulator rollouts of its default length, follower every 2 s)`,
  );
  await bobPage.reload();
  const row = bobPage.getByRole('row').filter({ hasText: 'Promote staging → prod' }).first();
  await expect(row).toContainText('Rolled out after');
  await row.scrollIntoViewIfNeeded();
  await shot('bob-history-rolled-out', { page: bobPage });

  // The bell: bob's notifications (Backstage's notifications page) tell him it rolled out.
  await bobPage.getByRole('navigation', { name: 'sidebar nav' }).getByText('Notifications').click();
  await bobPage.getByText('Promotion of payments-api from staging to prod rolled out').first().waitFor({ timeout: 60_000 });
  // The page shows five a page, newest first, and the demo's staging verifications notify bob too:
  // he filters for the request, as a person would.
  await bobPage.getByPlaceholder('Filter').fill('Approval requested');
  await bobPage.getByText('Approval requested: promotion of payments-api from staging to prod').first().waitFor();
  await shot('bob-notifications', { page: bobPage });

  await aliceContext.close();
  await bobContext.close();
});
