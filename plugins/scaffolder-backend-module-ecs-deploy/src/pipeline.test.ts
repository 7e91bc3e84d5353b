/*
 * The generated repository's pipeline against the emulator: the template is rendered through the
 * real scaffolder backend (its dry-run API, skeleton included), written out as a published
 * repository, and its scripts/deploy.sh deploys images to staging as CI does on a merge to main
 * (and scripts/deploy-local.sh does locally). Afterwards ECS runs the new image, the rollout
 * completes and the root plans clean: the promotion contract holds.
 */
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  ecsClient,
  eventually,
  ssmClient,
  startEmulator,
  type Emulator,
} from '@internal/dev-kit';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  ecsDeployNamesMock,
  groupEntity,
  loadTemplate,
  userInfoWith,
} from './__testUtils__/backend';
import {
  describeService,
  INITIAL_IMAGE,
  REPO_ROOT,
  seedEnvironment,
} from './__testUtils__/provisionFixtures';
import scaffolderModuleEcsDeploy from './index';

const exec = promisify(execFile);
const SERVICE = 'pipe-svc';

describe('the generated repository’s scripts/deploy.sh', () => {
  jest.setTimeout(300_000);
  const dir = createMockDirectory();
  const repo = () => dir.resolve('published', SERVICE);
  let emulator: Emulator;

  /** Runs the published repository's deploy script as CI runs it, against the emulator. */
  function deploy(...args: string[]) {
    return exec('bash', [path.join(repo(), 'scripts/deploy.sh'), ...args], {
      cwd: dir.path,
      env: {
        ...process.env,
        TERRAFORM: path.join(REPO_ROOT, 'scripts/terraform.sh'),
        AWS_ENDPOINT: emulator.endpoint,
        TF_BACKEND_CONFIG: `path=${dir.resolve('state', 'staging.tfstate')}`,
      },
      maxBuffer: 32 * 1024 * 1024,
    });
  }

  /** What staging's service runs once its rollout is over. */
  async function stagingImage() {
    const endpoint = emulator.endpoint;
    const service = await eventually(
      'the staging rollout',
      async () => {
        const s = await describeService(endpoint, 'staging', SERVICE);
        return s?.deployments?.length === 1 &&
          s.deployments[0].rolloutState === 'COMPLETED'
          ? s
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const { taskDefinition } = await ecsClient(endpoint).send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: service.taskDefinition,
      }),
    );
    const { Parameter } = await ssmClient(endpoint).send(
      new GetParameterCommand({
        Name: `/ecs-deploy/staging/${SERVICE}/image/${SERVICE}`,
      }),
    );
    return {
      running: taskDefinition?.containerDefinitions?.[0].image,
      parameter: Parameter?.Value,
      revision: taskDefinition?.revision,
    };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rolloutSeconds: 1 });
    await seedEnvironment(emulator.endpoint, 'staging');
    const { template, directoryContents } = await loadTemplate();
    const names = ecsDeployNamesMock({});
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleEcsDeploy,
        names.plugin,
        userInfoWith(['group:default/team-payments']),
        catalogServiceMock.factory({
          entities: [groupEntity('team-payments')],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            ecsDeploy: {
              environments: [
                { name: 'staging', region: 'us-east-1' },
                { name: 'prod', region: 'us-east-1' },
              ],
              scaffolder: {
                modulesSource: '../terraform-modules',
                localPublishDir: dir.resolve('published'),
                initialImage: INITIAL_IMAGE,
              },
            },
          },
        }),
      ],
    });
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template,
        values: {
          name: SERVICE,
          description: 'Pipeline test',
          owner: 'group:default/team-payments',
          environments: ['staging'],
        },
        secrets: {},
        directoryContents,
      });
    if (res.status !== 200) {
      throw new Error(
        `dry run: ${res.status} ${JSON.stringify(res.body.error)}`,
      );
    }
    await backend.stop();
    for (const file of res.body.directoryContents) {
      const target = path.join(repo(), file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, Buffer.from(file.base64Content, 'base64'), {
        mode: file.executable ? 0o755 : 0o644,
      });
    }
    fs.symlinkSync(
      path.join(REPO_ROOT, 'terraform-modules'),
      dir.resolve('published', 'terraform-modules'),
    );
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('is executable and refuses an unknown environment or a bad image before running terraform', async () => {
    // fetch:template keeps the skeleton's mode (the dry-run API does not carry it).
    const skeleton = path.join(REPO_ROOT, 'templates/ecs-service/skeleton');
    expect(
      fs.statSync(path.join(skeleton, 'scripts/deploy.sh')).mode & 0o111,
    ).toBeTruthy();
    await expect(deploy('qa', 'ghcr.io/acme/x:1')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        "unknown environment 'qa': no terraform/qa/main.tf (environments: staging",
      ),
    });
    await expect(deploy('staging', 'Not An Image')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("invalid image 'Not An Image'"),
    });
    expect(fs.existsSync(dir.resolve('state'))).toBe(false);
  });

  it('first deployment: creates staging on the image (one revision, no initial image); the next merge rolls again', async () => {
    let started = Date.now();
    const first = await deploy('staging', `ghcr.io/acme/${SERVICE}:1.1.0`);
    const firstSeconds = (Date.now() - started) / 1000;
    expect(first.stdout).toContain(
      `first deployment to staging: creating the service on ghcr.io/acme/${SERVICE}:1.1.0`,
    );
    expect(await stagingImage()).toEqual({
      running: `ghcr.io/acme/${SERVICE}:1.1.0`,
      parameter: `ghcr.io/acme/${SERVICE}:1.1.0`,
      revision: 1,
    });

    started = Date.now();
    const next = await deploy('staging', `ghcr.io/acme/${SERVICE}:1.2.0`);
    const nextSeconds = (Date.now() - started) / 1000;
    expect(next.stdout).not.toContain('first deployment');
    expect(await stagingImage()).toEqual({
      running: `ghcr.io/acme/${SERVICE}:1.2.0`,
      parameter: `ghcr.io/acme/${SERVICE}:1.2.0`,
      revision: 2,
    });
    // eslint-disable-next-line no-console
    console.log(
      `deploy.sh staging: first ${firstSeconds.toFixed(
        1,
      )} s, next ${nextSeconds.toFixed(1)} s`,
    );

    // Terraform agrees with what runs: the image came through the parameter, not around it.
    const plan = await exec(
      path.join(REPO_ROOT, 'scripts/terraform.sh'),
      [
        `-chdir=${path.join(repo(), 'terraform/staging')}`,
        'plan',
        '-detailed-exitcode',
        '-input=false',
        '-no-color',
        `-var=aws_endpoint=${emulator.endpoint}`,
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        },
      },
    ).catch(e => e);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code ?? 0).toBe(0);
  });
});
