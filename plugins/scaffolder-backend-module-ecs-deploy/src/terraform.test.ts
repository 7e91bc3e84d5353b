/*
 * The generated Terraform against the real modules: `fmt -check`, `init -backend=false` and
 * `validate` for several input sets, and one staging root applied to the emulator.
 * Skipped (with a message) only when `terraform` is not on PATH.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { ecsClient, Emulator, startEmulator } from '@internal/dev-kit';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SERVICE_VALUES } from './__testUtils__/fixtures';
import {
  describeTf,
  environmentRoot,
  REPO_ROOT,
  renderInto as render,
  TERRAFORM_SH,
  terraformCli,
} from './__testUtils__/terraformCli';
import { hclString } from './render';
import { RenderServiceInput } from './actions/renderService';

/** A free port unless ECS_DEPLOY_SCAFFOLDER_EMULATOR_PORT names one; set in beforeAll. */
let ENDPOINT = '';

const awsEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
} as NodeJS.ProcessEnv;

const { tf, timings } = terraformCli(awsEnv);

const inputSets: Array<[string, RenderServiceInput]> = [
  [
    "the template's defaults, both environments",
    {
      name: 'payments-api',
      owner: 'team-payments',
      description: 'Payments',
      ...SERVICE_VALUES,
    },
  ],
  [
    'staging only, larger task, custom port and health path',
    {
      name: 'search-indexer',
      owner: 'group:default/team-search',
      description: 'Search indexer',
      image: 'ghcr.io/acme/search-indexer:3.0.0',
      port: 9000,
      cpu: 2048,
      memory: 8192,
      healthCheckPath: '/health/live',
      environments: ['staging'],
      desiredCounts: { staging: 3 },
    },
  ],
  [
    'prod only with autoscaling, in a target directory',
    {
      name: 'checkout-web',
      owner: 'group:default/team-checkout',
      description: 'Checkout',
      ...SERVICE_VALUES,
      environments: ['prod'],
      desiredCounts: { prod: 2 },
      autoscaling: { prod: { enabled: true, min: 2, max: 8 } },
      targetDirectory: 'deploy',
      modulesSource: '../terraform-modules',
    },
  ],
];

describeTf('generated Terraform', () => {
  jest.setTimeout(180_000);
  const root = createMockDirectory();
  let emulator: Emulator | undefined;
  // The environment is applied to moto while the validate tests run: it takes most of the time.
  let environmentReady: Promise<void>;

  beforeAll(async () => {
    await fs.symlink(
      path.join(REPO_ROOT, 'terraform-modules'),
      path.join(root.path, 'terraform-modules'),
    );
    const port = process.env.ECS_DEPLOY_SCAFFOLDER_EMULATOR_PORT;
    emulator = await startEmulator({ port: port ? Number(port) : undefined });
    ENDPOINT = emulator.endpoint;
    awsEnv.EMULATOR_PORT = new URL(ENDPOINT).port;
    environmentReady = (async () => {
      const envRoot = path.join(root.path, 'environment');
      await fs.mkdir(envRoot);
      await fs.writeFile(
        path.join(envRoot, 'main.tf'),
        environmentRoot({
          endpoint: ENDPOINT,
          cluster: 'scaffolder-staging',
          environment: 'staging',
          cidrOctet: 42,
        }),
      );
      await tf(envRoot, 'init', '-input=false', '-no-color');
      await tf(envRoot, 'apply', '-auto-approve', '-input=false', '-no-color');
    })();
    // Awaited by the moto test; keeps an early failure from being reported as unhandled.
    environmentReady.catch(() => {});
  });

  afterAll(async () => {
    // Stopping moto forgets the environment; the generated root is destroyed by its test.
    await emulator?.stop();
    // eslint-disable-next-line no-console
    console.log(`terraform timings:\n${timings.join('\n')}`);
  });

  it.concurrent.each(inputSets)(
    'passes fmt -check, init -backend=false and validate: %s',
    async (_, input) => {
      const workspace = await render(root.path, input);
      const base = input.targetDirectory
        ? path.join(workspace, input.targetDirectory)
        : workspace;
      // A relative modulesSource is relative to the repository root (here the workspace, whose
      // sibling is the terraform-modules link), so a target directory changes nothing.
      const envs = input.environments ?? ['staging', 'prod'];
      await Promise.all(
        envs.map(async env => {
          const dir = path.join(base, 'terraform', env);
          await tf(dir, 'fmt', '-check', '-diff');
          const lock = await fs.readFile(
            path.join(dir, '.terraform.lock.hcl'),
            'utf8',
          );
          // The committed lock is complete: init neither needs nor makes a change to it.
          await tf(
            dir,
            'init',
            '-backend=false',
            '-input=false',
            '-no-color',
            '-lockfile=readonly',
          );
          expect(
            await fs.readFile(path.join(dir, '.terraform.lock.hcl'), 'utf8'),
          ).toBe(lock);
          const { stdout } = await tf(dir, 'validate', '-no-color');
          expect(stdout).toContain('Success');
        }),
      );
    },
  );

  it('reads back every string the hcl filter writes, as Terraform sees it', async () => {
    const strings = [
      'payments-api',
      'group:default/team-payments',
      'Payments "API" \\ v2 — ${var.x} %{ if true }x%{ endif } $${y} ✓',
      'tab\tbell\u0007 line\u2028end',
    ];
    const dir = path.join(root.path, 'hcl-strings');
    await fs.mkdir(dir);
    await fs.writeFile(
      path.join(dir, 'main.tf'),
      `locals {\n  strings = [${strings.map(hclString).join(', ')}]\n}\n`,
    );
    // console prints the JSON of the list as an HCL string (the same escapes as JSON here).
    const printed = execFileSync(TERRAFORM_SH, [`-chdir=${dir}`, 'console'], {
      env: awsEnv,
      input: 'jsonencode(local.strings)\n',
      encoding: 'utf8',
    });
    expect(JSON.parse(JSON.parse(printed.trim()))).toEqual(strings);
  });

  it('applies a generated staging root to the emulator and finds the ECS service', async () => {
    await environmentReady;
    const workspace = await render(root.path, {
      name: 'moto-orders',
      owner: 'team-payments',
      description: 'Orders',
      image: 'ghcr.io/acme/orders:1.0.0',
      ...SERVICE_VALUES,
      environments: ['staging'],
      desiredCounts: { staging: 2 },
    });
    const staging = path.join(workspace, 'terraform', 'staging');
    const endpointVar = `-var=aws_endpoint=${ENDPOINT}`;
    await tf(staging, 'init', '-input=false', '-no-color');
    try {
      await tf(
        staging,
        'apply',
        '-auto-approve',
        '-input=false',
        '-no-color',
        endpointVar,
      );
      const { stdout } = await tf(staging, 'output', '-json');
      const outputs = JSON.parse(stdout);
      expect(outputs.service_name.value).toBe('moto-orders');
      expect(outputs.log_group_name.value).toBe('/ecs/staging/moto-orders');
      expect(outputs.image_parameter_names.value).toEqual({
        'moto-orders': '/ecs-deploy/staging/moto-orders/image/moto-orders',
      });

      const ecs = ecsClient(ENDPOINT);
      const { services } = await ecs.send(
        new DescribeServicesCommand({
          cluster: 'scaffolder-staging',
          services: ['moto-orders'],
          include: ['TAGS'],
        }),
      );
      expect(services).toHaveLength(1);
      expect(services![0].serviceName).toBe('moto-orders');
      expect(services![0].status).toBe('ACTIVE');
      expect(services![0].desiredCount).toBe(2);
      expect(services![0].launchType).toBe('FARGATE');
      expect(services![0].tags).toEqual(
        expect.arrayContaining([
          {
            key: 'backstage:entity-ref',
            value: 'component:default/moto-orders',
          },
          { key: 'backstage:environment', value: 'staging' },
          { key: 'backstage:owner', value: 'group:default/team-payments' },
        ]),
      );
    } finally {
      await tf(
        staging,
        'destroy',
        '-auto-approve',
        '-input=false',
        '-no-color',
        endpointVar,
      );
    }
  });
});
