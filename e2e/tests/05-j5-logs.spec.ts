import { expect } from '@playwright/test';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { describeDeployed, eventually } from '@internal/dev-kit';
import { backstageToken, ENV, signIn, test } from '../lib/portal';

/** What the emulator's startup line calls an image's version: its tag, or a short digest. */
function logVersion(image: string) {
  const digest = image.split('@sha256:')[1];
  if (digest) return `sha256:${digest.slice(0, 12)}`;
  return image.split('/').pop()!.split(':')[1] ?? 'latest';
}

test("J5: the owner opens the logs of the promoted service and sees its tasks' startup lines", async ({
  page,
  ecs,
  shot,
}) => {
  await signIn(page);
  // Promoted already by J3; when it ran alone, promote here (alice owns payments-api).
  const staging = await describeDeployed(
    ecs.staging,
    ENV.staging.cluster,
    'payments-api',
  );
  const prodImage = async () =>
    (await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api'))
      .containers[0].image;
  if (
    (await prodImage()).split('@')[0] !==
    staging.containers[0].image.split('@')[0]
  ) {
    const token = await backstageToken(page);
    const res = await fetch(
      `${
        new URL(page.url()).origin
      }/api/ecs-deploy/entities/component/default/payments-api/promotions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          from: 'staging',
          to: 'prod',
          reason: 'e2e: J5 logs',
        }),
      },
    );
    expect(res.status, `POST /promotions: ${await res.text()}`).toBe(201);
  }
  const prod = await describeDeployed(ecs.prod, ENV.prod.cluster, 'payments-api');
  await eventually(
    'the promotion rolled out in prod',
    async () => {
      const { services } = await ecs.prod.send(
        new DescribeServicesCommand({
          cluster: ENV.prod.cluster,
          services: ['payments-api'],
        }),
      );
      const d = services?.[0]?.deployments ?? [];
      return (
        d.length === 1 &&
        d[0].rolloutState === 'COMPLETED' &&
        d[0].taskDefinition === prod.taskDefinitionArn
      );
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
  const container = prod.containers[0];
  const startup = new RegExp(
    `^Starting ${container.name} ${logVersion(container.image).replace(
      /[.]/g,
      '\\.',
    )} on port \\d+$`,
  );

  const opened = Date.now();
  await page.goto('/catalog/default/component/payments-api/deployments');
  const logs = page.getByRole('region', { name: 'Logs (Production)' });
  await logs.scrollIntoViewIfNeeded();
  // The promoted revision's own tasks, followed: their lines from startup on.
  await logs.getByRole('checkbox', { name: 'Follow' }).check();
  await logs.getByRole('button', { name: /Revision/ }).click();
  await page
    .getByRole('option', { name: String(prod.revision), exact: true })
    .click();
  const table = logs.getByRole('table', { name: 'Logs of Production' });
  const started = await eventually(
    `the startup lines of revision ${prod.revision} in the logs view`,
    async () =>
      (await table.getByRole('cell', { name: startup }).count()) || undefined,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  console.log(
    `J5: ${started} startup line(s) of revision ${prod.revision}, ${
      Date.now() - opened
    } ms after opening the tab`,
  );
  await expect(
    table
      .getByRole('cell', {
        name: new RegExp(`^${container.name} listening on 0\\.0\\.0\\.0:\\d+$`),
      })
      .first(),
  ).toBeVisible();
  await shot('logs-of-the-promoted-revision');

  // A line's task opens that task in the environment's task list.
  const taskLink = table.getByRole('link').first();
  const taskId = (await taskLink.getAttribute('title'))!.replace('Task ', '');
  await taskLink.click();
  await expect(page.getByText(`${taskId} (linked)`)).toBeVisible();
  await shot('task-of-a-log-line');
});
