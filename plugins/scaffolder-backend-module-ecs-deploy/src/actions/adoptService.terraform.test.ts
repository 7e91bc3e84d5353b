/*
 * ecs-deploy:adopt-service with the real terraform (scripts/terraform.sh) against a private
 * emulator: services created through the AWS API, not Terraform, are read, rendered with import
 * blocks, planned (imports, nothing destroyed or replaced), applied (ECS keeps the revision it
 * runs, the service gets the portal's tags, the image parameter holds the running image), and
 * planned again with nothing to do.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ecsClient,
  seedEnvironment,
  seedLegacyService,
  ssmClient,
  startEmulator,
  type Emulator,
} from '@internal/dev-kit';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createExistingServiceReader } from '../adoption/readExisting';
import { testOptions } from '../__testUtils__/fixtures';
import { REPO_ROOT } from '../__testUtils__/provisionFixtures';
import { createAdoptServiceAction } from './adoptService';

jest.setTimeout(300_000);

const TERRAFORM = path.join(REPO_ROOT, 'scripts/terraform.sh');
const CLUSTER = 'adopt-staging';

describe('ecs-deploy:adopt-service with terraform', () => {
  const dir = createMockDirectory();
  let emulator: Emulator;

  /** Terraform's exit code and output (a non-zero code is an answer, not an error). */
  const terraform = (root: string, args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>(resolve => {
      execFile(
        TERRAFORM,
        [`-chdir=${root}`, ...args],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            TF_IN_AUTOMATION: '1',
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number((error as any).code ?? 1) : 0,
            stdout,
            stderr,
          }),
      );
    });

  const service = async (name: string) =>
    (
      await ecsClient(emulator.endpoint).send(
        new DescribeServicesCommand({
          cluster: CLUSTER,
          services: [name],
          include: ['TAGS'],
        }),
      )
    ).services![0];

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    emulator = await startEmulator({ rolloutSeconds: 1 });
    await seedEnvironment(emulator.endpoint, 'staging', { cluster: CLUSTER });
    await seedLegacyService(
      emulator.endpoint,
      'staging',
      'billing',
      'ghcr.io/acme/billing:7.1.0',
      { cluster: CLUSTER, tags: { team: 'payments', cost: 'b42' } },
    );
    await seedLegacyService(
      emulator.endpoint,
      'staging',
      'ledger',
      'ghcr.io/acme/ledger:3.2.0',
      {
        cluster: CLUSTER,
        launchType: 'EC2',
        tags: { team: 'payments', cost: 'b42' },
        containers: [
          { name: 'web', image: 'ghcr.io/acme/ledger:3.2.0', port: 80 },
          { name: 'envoy', image: 'envoyproxy/envoy:v1.30' },
        ],
      },
    );
    fs.symlinkSync(
      path.join(REPO_ROOT, 'terraform-modules'),
      path.join(dir.path, 'terraform-modules'),
    );
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it.each([
    ['Fargate service', 'billing', 'app', 'ghcr.io/acme/billing:7.1.0'],
    [
      'EC2 service with two containers',
      'ledger',
      'web',
      'ghcr.io/acme/ledger:3.2.0',
    ],
  ])(
    'imports an existing %s: plan imports and destroys nothing, apply, plan exits 0',
    async (_, name, container, image) => {
      const before = await service(name);
      const workspacePath = path.join(dir.path, name);
      const action = createAdoptServiceAction({
        scaffolder: testOptions({
          environments: [
            {
              name: 'staging',
              region: 'us-east-1',
              endpoint: emulator.endpoint,
            },
          ],
        }),
        read: createExistingServiceReader({ defaultRegion: 'us-east-1' }),
      });
      const ctx = createMockActionContext({
        input: {
          name,
          owner: 'group:default/team-payments',
          description: name,
          environments: ['staging'],
        },
        workspacePath,
      });
      await action.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('roots', ['terraform/staging']);
      const root = path.join(workspacePath, 'terraform/staging');
      const main = fs.readFileSync(path.join(root, 'main.tf'), 'utf8');
      expect(main).toContain(`id = "${CLUSTER}/${name}"`);
      expect(main).toContain(`id = "${before.taskDefinition}"`);

      const endpoint = `-var=aws_endpoint=${emulator.endpoint}`;
      const init = await terraform(root, ['init', '-input=false', '-no-color']);
      expect(init.code).toBe(0);
      const plan = await terraform(root, [
        'plan',
        '-input=false',
        '-no-color',
        endpoint,
        '-out=adopt.tfplan',
      ]);
      expect([plan.code, plan.stderr]).toEqual([0, '']);
      const shown = JSON.parse(
        (await terraform(root, ['show', '-json', 'adopt.tfplan'])).stdout,
      );
      const changes = shown.resource_changes as Array<{
        address: string;
        change: { actions: string[]; importing?: object };
      }>;
      const imported = changes
        .filter(c => c.change.importing)
        .map(c => c.address);
      expect(imported.sort()).toEqual([
        'module.service.aws_cloudwatch_log_group.this',
        'module.service.aws_ecs_service.this',
        'module.service.aws_ecs_task_definition.this',
      ]);
      const destructive = changes.filter(c =>
        c.change.actions.includes('delete'),
      );
      expect(destructive.map(c => `${c.address}: ${c.change.actions}`)).toEqual(
        [],
      );
      expect(plan.stdout).toMatch(
        /Plan: 3 to import, \d+ to add, \d+ to change, 0 to destroy/,
      );

      const apply = await terraform(root, [
        'apply',
        '-input=false',
        '-no-color',
        'adopt.tfplan',
      ]);
      expect([apply.code, apply.stderr]).toEqual([0, '']);
      const again = await terraform(root, [
        'plan',
        '-input=false',
        '-no-color',
        '-detailed-exitcode',
        endpoint,
      ]);
      expect([again.code, again.stdout]).toEqual([
        0,
        expect.stringContaining('No changes.'),
      ]);

      // ECS kept the revision and settings it ran with; only its tags moved: the portal's were added.
      const after = await service(name);
      const settings = (s: typeof before) => ({
        taskDefinition: s.taskDefinition,
        launchType: s.launchType,
        desiredCount: s.desiredCount,
        deploymentConfiguration: s.deploymentConfiguration,
        networkConfiguration: s.networkConfiguration,
        enableECSManagedTags: s.enableECSManagedTags,
        propagateTags: s.propagateTags,
        loadBalancers: s.loadBalancers,
      });
      expect(settings(after)).toEqual(settings(before));
      expect(
        Object.fromEntries(after.tags!.map(t => [t.key, t.value])),
      ).toMatchObject({
        team: 'payments',
        cost: 'b42',
        'backstage:entity-ref': `component:default/${name}`,
        'backstage:environment': 'staging',
        'ecs-deploy:image-parameter-prefix': `/ecs-deploy/staging/${name}/image`,
      });
      const parameter = await ssmClient(emulator.endpoint).send(
        new GetParameterCommand({
          Name: `/ecs-deploy/staging/${name}/image/${container}`,
        }),
      );
      expect(parameter.Parameter?.Value).toBe(image);
    },
  );
});
