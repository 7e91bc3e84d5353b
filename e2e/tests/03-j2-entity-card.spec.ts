import { expect } from '@playwright/test';
import { describeDeployed } from '@internal/dev-kit';
import { ENV, environmentFacts, signIn, test } from '../lib/portal';

/** The log group and region a CloudWatch console link points to. */
function parseCloudWatchLink(href: string) {
  const url = new URL(href);
  const m = /log-groups\/log-group\/([^/]+)/.exec(url.hash);
  expect(m, `no log group in ${href}`).toBeTruthy();
  // The console escapes % as $25 after URL-encoding.
  const group = decodeURIComponent(m![1].replace(/\$25/g, '%'));
  return { region: url.searchParams.get('region'), host: url.hostname, group };
}

test('J2: payments-api card shows what the emulator runs, with the right log links', async ({ page, ecs, shot }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api');
  await page.getByText('ECS deployments').first().waitFor();
  for (const env of ['staging', 'prod'] as const) {
    const aws = await describeDeployed(ecs[env], ENV[env].cluster, 'payments-api');
    const { section, facts, links } = await environmentFacts(page, ENV[env].title);
    if (env === 'staging') await section.scrollIntoViewIfNeeded();
    const c = aws.containers[0];
    expect(facts[`Image (${c.name})`], `${env} image on the card vs the emulator (${c.image})`).toBe(c.tag);
    expect(facts['Task definition'], `${env} task definition on the card vs the emulator`).toBe(
      `${aws.family}:${aws.revision}`,
    );
    // The demo's contract: log group /ecs/<env>/payments-api in us-east-1.
    expect(c.logGroup, `${env} log group in the emulator`).toBe(`/ecs/${env}/payments-api`);
    const cw = links.filter(l => l.text.startsWith('CloudWatch'));
    expect(cw.length, `${env}: one CloudWatch link (${JSON.stringify(links)})`).toBe(1);
    expect(cw[0].text).toBe(`CloudWatch: /ecs/${env}/payments-api`);
    expect(parseCloudWatchLink(cw[0].href), `${env} CloudWatch link ${cw[0].href}`).toEqual({
      region: 'us-east-1',
      host: 'us-east-1.console.aws.amazon.com',
      group: `/ecs/${env}/payments-api`,
    });
    const consoleLink = links.find(l => l.text.startsWith('AWS console'));
    expect(consoleLink, `${env}: AWS console link`).toBeTruthy();
    expect(consoleLink!.href).toMatch(
      new RegExp(`/ecs/v2/clusters/${ENV[env].cluster}/services/payments-api/health\\?region=us-east-1$`),
    );
    if (env === 'staging') {
      const logSearch = links.find(l => l.text === 'Log search (example)');
      expect(logSearch, 'staging: the configured log link template').toBeTruthy();
      expect(logSearch!.href).toBe('https://logs.example.com/search?service=payments-api&env=staging');
    }
  }
  await page.getByRole('region', { name: 'Production', exact: true }).scrollIntoViewIfNeeded();
  await shot('payments-api-card');
});
