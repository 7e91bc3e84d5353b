import { expect } from '@playwright/test';
import { describeDeployed, eventually, type Deployed } from '@internal/dev-kit';
import { backstageToken, ENV, NEW_SERVICE, NOT_ALLOWED, rowOf, signIn, test } from '../lib/portal';

const SERVICES = ['payments-api', 'checkout-web', 'search-indexer', 'search-api'];

test('J4: team view marks the services whose prod lags staging', async ({ page, ecs, shot }) => {
  // What the emulator runs (the UI is compared with it).
  const before: Record<string, { staging: Deployed; prod: Deployed }> = {};
  for (const svc of SERVICES) {
    before[svc] = {
      staging: await describeDeployed(ecs.staging, ENV.staging.cluster, svc),
      prod: await describeDeployed(ecs.prod, ENV.prod.cluster, svc),
    };
  }
  const tagOf = (svc: string, env: 'staging' | 'prod') => before[svc][env].containers[0].tag!;
  // The emulator agrees with the premise: payments-api lags, checkout-web is level.
  expect(tagOf('payments-api', 'prod')).not.toBe(tagOf('payments-api', 'staging'));
  expect(tagOf('checkout-web', 'prod')).toBe(tagOf('checkout-web', 'staging'));

  await signIn(page);
  const checkRows = async (expected: Record<string, boolean>, title: string, owner = true) => {
    await page.getByText(title).first().waitFor();
    for (const [svc, lagging] of Object.entries(expected)) {
      const row = rowOf(page, svc);
      await row.getByText(lagging ? 'prod behind staging' : 'prod up to date with staging').waitFor();
      const text = await row.innerText();
      expect(text, `${svc} row shows staging ${tagOf(svc, 'staging')}`).toContain(tagOf(svc, 'staging'));
      expect(text, `${svc} row shows prod ${tagOf(svc, 'prod')}`).toContain(tagOf(svc, 'prod'));
      // The revision number, with the family on hover.
      await expect(
        row.getByTitle(`${before[svc].prod.family}:${before[svc].prod.revision}`, { exact: true }),
        `${svc} row shows the prod revision`,
      ).toHaveText(String(before[svc].prod.revision));
      const promote = row.getByRole('button', { name: 'Promote staging to prod' });
      // Disabled while the permission loads, then enabled for the owner.
      if (lagging && owner) {
        await eventually(`${svc}: promote is enabled for the owner`, () => promote.isEnabled(), {
          timeoutMs: 15_000,
          intervalMs: 500,
        });
      } else if (lagging) {
        // alice does not own team-search's services.
        await row.getByText(NOT_ALLOWED).waitFor();
        expect(await promote.isDisabled(), `${svc}: promote is disabled for a non-owner`).toBe(true);
      } else {
        expect(await promote.isDisabled(), `${svc}: promote is disabled when level`).toBe(true);
        // The owner is told why; anyone else is told they may not promote at all.
        await row.getByText(owner ? "prod already runs staging's images." : NOT_ALLOWED).waitFor();
      }
    }
  };

  // The Group page's Deployments tab.
  await page.goto('/catalog/default/group/team-payments/deployments');
  await checkRows({ 'payments-api': true, 'checkout-web': false }, 'Deployments of team-payments');
  // J1's new service (when J1 registered it) is deployed nowhere: not "up to date", and nothing
  // to promote.
  const token = await backstageToken(page);
  const registered = await page.request.get(`/api/catalog/entities/by-name/component/default/${NEW_SERVICE}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (registered.ok()) {
    // J1 provisioned it, deployed 1.1.0 to staging, promoted and rolled prod back to 1.0.0.
    const fresh = rowOf(page, NEW_SERVICE);
    await fresh.getByText('prod behind staging').waitFor();
  }
  await shot('group-team-payments-deployments');

  // The team-search group: search-indexer lags (3.0.0 vs 2.8.5), search-api is level.
  await page.goto('/catalog/default/group/team-search/deployments');
  await checkRows({ 'search-indexer': true, 'search-api': false }, 'Deployments of team-search', false);
  await shot('group-team-search-deployments');
});
