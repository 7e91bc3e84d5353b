import { expect } from '@playwright/test';
import { describeDeployed, eventually } from '@internal/dev-kit';
import {
  backstageToken,
  CAROL_URL,
  ENV,
  environmentFacts,
  NOT_ALLOWED,
  rowOf,
  signIn,
  test,
} from '../lib/portal';

test('J3: owner promotes staging to prod; a non-owner cannot (UI disabled, API 403)', async ({
  page,
  browser,
  ecs,
  shot,
}) => {
  const stagingBefore = await describeDeployed(ecs.staging, ENV.staging.cluster, 'payments-api');
  const prodBefore = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
  const stagingImage = stagingBefore.containers[0].image;
  const prodImage = prodBefore.containers[0].image;
  expect(prodImage, 'precondition: prod lags staging').not.toBe(stagingImage);

  // alice owns payments-api (team-payments).
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api');
  const promote = page.getByRole('button', { name: 'Promote staging to prod' });
  await promote.waitFor();
  // Enabled once the permission loaded and staging's verification of the demo's deployment ended
  // (a running one blocks promotions; it has ended unless J3 runs right after the start).
  await eventually('the owner may promote', () => promote.isEnabled(), { timeoutMs: 90_000, intervalMs: 500 });
  await promote.click();
  const dialog = page.getByRole('dialog', { name: 'Promote Staging to Production' });
  await dialog.waitFor();
  const change = dialog.getByRole('table', { name: 'Changes' }).locator('tbody tr');
  await change.first().waitFor();
  expect(await change.count(), 'one container changes').toBe(1);
  const cells = (await change.first().locator('td').allInnerTexts()).map(t => t.trim());
  expect(cells, 'the dialog shows 1.3.2 → 1.4.0').toEqual(['payments-api', prodImage, stagingImage]);
  expect(prodImage).toMatch(/:1\.3\.2$/);
  expect(stagingImage).toMatch(/:1\.4\.0$/);
  expect(await dialog.getByText('Cannot promote now').count(), 'no blocker').toBe(0);
  await dialog.getByLabel('Reason (optional)').fill('e2e: release 1.4.0');
  await shot('promote-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Promote to Production' }).click();
  await dialog.getByRole('button', { name: 'Close' }).waitFor({ timeout: 60_000 });
  await shot('promote-started', { fullPage: false });

  // The emulator: prod's service now runs a task definition with staging's image (pinned to the
  // digest staging's running tasks resolved: the emulator runs them).
  const after = await eventually(
    'prod runs staging’s image in the emulator',
    async () => {
      const p = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
      return p.containers[0].image.split('@')[0] === stagingImage ? p : undefined;
    },
    { intervalMs: 500 },
  );
  expect(after.revision, 'a new prod task definition revision').toBeGreaterThan(prodBefore.revision);
  expect(after.family).toBe(prodBefore.family);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The card follows, and the Deployments tab's history shows the promotion.
  const { facts } = await environmentFacts(page, 'Production');
  console.log(`card after the promotion: prod ${facts['Image (payments-api)']} ${facts['Task definition']}`);
  await page.goto('/catalog/default/component/payments-api/deployments');
  const history = page.getByRole('row').filter({ hasText: 'Promote staging → prod' }).first();
  await history.waitFor();
  const entry = await history.innerText();
  for (const want of [
    '\talice\t', // the By column names the user as people do
    'Succeeded',
    'payments-api: 1.4.0',
    'e2e: release 1.4.0',
    `payments-api-prod:${prodBefore.revision} → payments-api-prod:${after.revision}`,
  ]) {
    expect(entry, `history row has "${want}"`).toContain(want);
  }
  await history.scrollIntoViewIfNeeded();
  await shot('deployments-tab-history');

  // The team view now shows payments-api level.
  await page.goto('/catalog/default/group/team-payments/deployments');
  await rowOf(page, 'payments-api').getByText('prod up to date with staging').waitFor();
  await shot('team-view-after-promotion');

  // A second identity: carol (team-search) on the second backend of global-setup.ts, whose
  // guest sign-in is mapped to her; same emulator, same catalog.
  const carolContext = await browser.newContext({ baseURL: CAROL_URL, viewport: { width: 1440, height: 1000 } });
  try {
    const carol = await carolContext.newPage();
    await signIn(carol);
    const token = await backstageToken(carol);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims.sub, 'signed in as carol').toBe('user:default/carol');
    await carol.goto('/catalog/default/component/payments-api');
    const carolPromote = carol.getByRole('button', { name: 'Promote staging to prod' });
    await carolPromote.waitFor();
    await carol.getByText(NOT_ALLOWED).waitFor();
    expect(await carolPromote.isDisabled(), 'the promote button is disabled for carol').toBe(true);
    await carolPromote.scrollIntoViewIfNeeded();
    await shot('carol-promote-disabled', { page: carol });

    // Straight to the API with carol's token: refused.
    const prodBeforeCarol = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
    const res = await fetch(`${CAROL_URL}/api/ecs-deploy/entities/component/default/payments-api/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'staging', to: 'prod', reason: 'e2e: carol tries' }),
    });
    const body = await res.text();
    expect(res.status, `POST /promotions as carol: ${body}`).toBe(403);
    const prodAfterCarol = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
    expect(prodAfterCarol.taskDefinitionArn, 'the refused call changed nothing').toBe(prodBeforeCarol.taskDefinitionArn);
    // The refusal is audited as "Denied" in the history carol can read.
    await carol.goto('/catalog/default/component/payments-api/deployments');
    const denied = carol.getByRole('row').filter({ hasText: 'user:default/carol' }).first();
    await denied.waitFor();
    expect(await denied.innerText()).toMatch(/Denied/);
    await shot('carol-denied-in-history', { page: carol });
  } finally {
    await carolContext.close();
  }
});
