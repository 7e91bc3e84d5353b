import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { describeDeployed, repoRoot } from '@internal/dev-kit';
import { registerComponent } from '../lib/catalog';
import { backstageToken, CAROL_URL, ENV, signIn, test } from '../lib/portal';

// carol of team-search registers, with her own token, a component of her team whose annotation
// names payments-api's ECS service (in production: a catalog-info.yaml in her team's repository).
test('J6: a team cannot take another team’s service by naming it: carol sees the ownership problem, no Promote, and a 403', async ({
  browser,
  ecs,
  shot,
}) => {
  const name = `hijack-${Date.now().toString(36)}`;
  const dir = path.join(repoRoot(), '.run/e2e-hijack', name);
  const context = await browser.newContext({ baseURL: CAROL_URL, viewport: { width: 1400, height: 1000 } });
  try {
    const carol = await context.newPage();
    await signIn(carol);
    const token = await backstageToken(carol);
    await registerComponent({
      baseUrl: CAROL_URL,
      token,
      dir,
      name,
      owner: 'group:default/team-search',
      serviceName: 'payments-api',
    });

    const prodBefore = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
    await carol.goto(`/catalog/default/component/${name}`);
    // The entity's page shows payments-api's services, with the reason they are not carol's.
    await carol.getByText(`so it is not owned by component:default/${name}`).first().waitFor({ timeout: 90_000 });
    const promote = carol.getByRole('button', { name: /^Promote/ });
    const enabled = await promote.evaluateAll(buttons => buttons.filter(b => !(b as HTMLButtonElement).disabled).length);
    expect(enabled, 'no enabled Promote button for a service the entity does not own').toBe(0);
    await shot('carol-hijack-ownership-problem', { page: carol });

    // Straight to the API: refused before anything is written, naming the service and its tag.
    const res = await fetch(`${CAROL_URL}/api/ecs-deploy/entities/component/default/${name}/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'staging', to: 'prod', reason: 'e2e: carol tries' }),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(403);
    expect(body.error.message).toContain('carries backstage:entity-ref=component:default/payments-api');
    const prodAfter = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
    expect(prodAfter.taskDefinitionArn, 'payments-api prod unchanged').toBe(prodBefore.taskDefinitionArn);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
