// A team's own catalog-info.yaml, registered through the catalog API with the user's token (the
// local default allows file locations), as Backstage's "Register an existing component" does.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';

/**
 * Writes a Component's catalog-info.yaml into `dir`, registers it as a file location on
 * `baseUrl`, and waits until the catalog has processed it.
 */
export async function registerComponent(options: {
  baseUrl: string;
  token: string;
  dir: string;
  name: string;
  owner: string;
  /** The ECS service the component means (its `ecs-deploy.io/service-name`). */
  serviceName: string;
}) {
  const { baseUrl, token, dir, name } = options;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'catalog-info.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${name}`,
      '  annotations:',
      `    ecs-deploy.io/service-name: ${options.serviceName}`,
      'spec:',
      '  type: service',
      '  lifecycle: production',
      `  owner: ${options.owner}`,
      '',
    ].join('\n'),
  );
  const headers = { authorization: `Bearer ${token}` };
  const registered = await fetch(`${baseUrl}/api/catalog/locations`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'file', target: file }),
  });
  expect(registered.status, await registered.clone().text()).toBe(201);
  // The catalog processes a new location in the background: the entity exists once it answers.
  await expect
    .poll(
      async () =>
        (
          await fetch(
            `${baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
            { headers },
          )
        ).status,
      {
        message: `the catalog has processed ${name}`,
        timeout: 60_000,
        intervals: [250, 500, 1000],
      },
    )
    .toBe(200);
}
