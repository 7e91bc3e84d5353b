import { expect } from '@playwright/test';
import { expectNoSeriousA11yIssues } from '../lib/axe';
import { signIn, test } from '../lib/portal';

const TEAM_PAYMENTS = ['payments-api', 'checkout-web'];
const TEAM_SEARCH = ['search-indexer', 'search-api'];

test('J9: /ecs-deploy lists every service of every team, filtered, searched and sorted on the server', async ({
  page,
  shot,
}) => {
  await signIn(page);
  // The sidebar links the page.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Deployments' })
    .click();
  await page.waitForURL(/\/ecs-deploy$/);
  const table = page.getByRole('table', { name: 'Services of every team' });
  const link = (service: string) =>
    table.getByRole('link', { name: service, exact: true });
  for (const service of [...TEAM_PAYMENTS, ...TEAM_SEARCH])
    await link(service).waitFor();
  // Sorted by name: checkout-web, payments-api, search-api, search-indexer.
  const names = await table.locator('tbody th').allInnerTexts();
  expect(
    names.filter(n => [...TEAM_PAYMENTS, ...TEAM_SEARCH].includes(n)),
  ).toEqual(['checkout-web', 'payments-api', 'search-api', 'search-indexer']);
  await expectNoSeriousA11yIssues(page, 'organisation view');
  await shot('org-view-1400px');

  // "My team" (alice: team-payments) shows the same services as the team's own tab.
  await page.getByRole('button', { name: 'My team: team-payments' }).click();
  await page.waitForURL(/team=group%3Adefault%2Fteam-payments/);
  for (const service of TEAM_SEARCH) await expect(link(service)).toHaveCount(0);
  for (const service of TEAM_PAYMENTS)
    await expect(link(service)).toBeVisible();
  const mine = await table.locator('tbody tr').count();
  await page.goto('/catalog/default/group/team-payments/deployments');
  await expect(
    page.getByRole('table', { name: 'Team deployments' }).locator('tbody tr'),
  ).toHaveCount(mine);

  // Search by name (debounced, on the server) and sort by team, from a link that keeps the query.
  await page.goto('/ecs-deploy');
  await page.getByRole('searchbox', { name: 'Search services' }).fill('search');
  await page.waitForURL(/q=search/);
  for (const service of TEAM_SEARCH) await expect(link(service)).toBeVisible();
  for (const service of TEAM_PAYMENTS)
    await expect(link(service)).toHaveCount(0);
  await page.goto('/ecs-deploy?sort=team&order=desc');
  await expect(
    page.getByRole('columnheader', { name: 'Team' }),
  ).toHaveAttribute('aria-sort', 'descending');
  const teams = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
  expect(teams).toEqual([...teams].sort().reverse());

  await page.setViewportSize({ width: 1000, height: 1000 });
  await page.goto('/ecs-deploy');
  await link('payments-api').waitFor();
  await expectNoSeriousA11yIssues(page, 'organisation view at 1000 px');
  await shot('org-view-1000px');
});
