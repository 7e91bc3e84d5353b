/*
 * The repository's own template (templates/ecs-service) through the real scaffolder backend's
 * dry-run API, with this module installed.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ECS_DEPLOY_SERVICE_ANNOTATION } from '@internal/plugin-ecs-deploy-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { listFiles } from './__testUtils__/fixtures';
import scaffolderModuleEcsDeploy from './index';

const TEMPLATE_DIR = path.resolve(__dirname, '../../../templates/ecs-service');

async function loadTemplate() {
  const template = yaml.parse(
    await fs.readFile(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
  );
  const skeleton = path.join(TEMPLATE_DIR, 'skeleton');
  const directoryContents = await Promise.all(
    (
      await listFiles(skeleton)
    ).map(async file => ({
      path: `skeleton/${file}`,
      base64Content: (
        await fs.readFile(path.join(skeleton, file))
      ).toString('base64'),
    })),
  );
  return { template, directoryContents };
}

describe('templates/ecs-service dry run through the scaffolder backend', () => {
  jest.setTimeout(60_000);
  let server: any;
  let template: any;
  let directoryContents: Array<{ path: string; base64Content: string }>;

  beforeAll(async () => {
    ({ template, directoryContents } = await loadTemplate());
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleEcsDeploy,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'mock', namespace: 'default' },
              spec: {},
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            ecsDeploy: {
              environments: [
                { name: 'staging', region: 'us-east-1' },
                { name: 'prod', region: 'eu-west-1' },
              ],
              scaffolder: {
                modulesSource: '../../../terraform-modules',
                backend: { type: 'local' },
                localPublishDir: '/nonexistent/never-written',
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
  });

  async function dryRun(values: Record<string, unknown>) {
    const started = process.hrtime.bigint();
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template, values, secrets: {}, directoryContents });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { res, ms };
  }

  const values = {
    name: 'payments-api',
    description: 'Payments API',
    owner: 'group:default/team-payments',
    port: 8080,
    cpu: 256,
    memory: 512,
    healthCheckPath: '/healthz',
    environments: ['staging', 'prod'],
    stagingDesiredCount: 1,
    prodDesiredCount: 2,
    prodAutoscaling: true,
    prodMinCount: 2,
    prodMaxCount: 5,
    publishTarget: 'local',
  };

  it('renders the skeleton, the Terraform roots and catalog-info.yaml', async () => {
    const { res, ms } = await dryRun(values);
    // eslint-disable-next-line no-console
    console.log(`dry-run round trip: ${ms.toFixed(0)} ms`);
    expect(res.status).toBe(200);

    const files: Record<string, string> = Object.fromEntries(
      res.body.directoryContents.map((f: any) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    expect(Object.keys(files).sort()).toEqual([
      '.dockerignore',
      '.github/workflows/deploy.yaml',
      '.gitignore',
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'package.json',
      'src/server.js',
      'src/server.test.js',
      'terraform/prod/main.tf',
      'terraform/prod/providers.tf',
      'terraform/prod/versions.tf',
      'terraform/staging/main.tf',
      'terraform/staging/providers.tf',
      'terraform/staging/versions.tf',
    ]);

    expect(files['terraform/staging/main.tf']).toContain(
      'source = "../../../../../terraform-modules/ecs-service"',
    );
    expect(files['terraform/staging/main.tf']).toContain('desired_count = 1');
    expect(files['terraform/staging/main.tf']).not.toContain('autoscaling');
    expect(files['terraform/prod/main.tf']).toContain('desired_count = 2');
    expect(files['terraform/prod/main.tf']).toContain('min_capacity = 2');
    expect(files['terraform/prod/main.tf']).toContain('max_capacity = 5');
    expect(files['terraform/prod/providers.tf']).toContain('"eu-west-1"');

    const entity = yaml.parse(files['catalog-info.yaml']);
    expect(entity.metadata.name).toBe('payments-api');
    expect(entity.metadata.annotations[ECS_DEPLOY_SERVICE_ANNOTATION]).toBe(
      'payments-api',
    );
    expect(entity.spec.owner).toBe('group:default/team-payments');

    const workflow = files['.github/workflows/deploy.yaml'];
    const parsed = yaml.parse(workflow);
    expect(parsed.env.SERVICE).toBe('payments-api');
    expect(workflow).toContain('${{ github.actor }}');
    expect(workflow).toContain(
      '/ecs-deploy/staging/${SERVICE}/image/${SERVICE}',
    );
    expect(parsed.jobs.staging.if).toContain('refs/heads/main');
    expect(parsed.jobs.prod.if).toContain('refs/tags/v');
    expect(files['src/server.js']).toContain("'/healthz'");
    expect(files.Dockerfile).toContain('EXPOSE 8080');

    const messages: string[] = res.body.log.map((l: any) => l.body.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'Running ecs-deploy:render-service in dry-run mode',
        ),
        expect.stringContaining('Rendered payments-api for staging, prod'),
        expect.stringContaining(
          'Skipping step publish-github because its if condition was false',
        ),
        expect.stringContaining(
          'Dry run: would publish to /nonexistent/never-written/payments-api',
        ),
      ]),
    );
    expect(res.body.output.links).toEqual([
      {
        title: 'Repository',
        url: 'file:///nonexistent/never-written/payments-api',
      },
      {
        title: 'Open in catalog',
        icon: 'catalog',
        entityRef: 'component:default/payments-api',
      },
    ]);
    await expect(fs.stat('/nonexistent/never-written')).rejects.toThrow();
  });

  it('renders only staging when prod is not selected', async () => {
    const { res } = await dryRun({ ...values, environments: ['staging'] });
    expect(res.status).toBe(200);
    const paths = res.body.directoryContents.map((f: any) => f.path);
    expect(paths).toContain('terraform/staging/main.tf');
    expect(paths).not.toContain('terraform/prod/main.tf');
  });

  it('rejects values the form schema forbids before running any step', async () => {
    const { res } = await dryRun({ ...values, name: 'Payments API' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].property).toBe('instance.name');
    expect(res.body.errors[0].message).toContain('does not match pattern');
  });

  it.each([
    ['name', { name: 'admin' }, 'Invalid name "admin"'],
    ['memory', { cpu: 1024, memory: 512 }, 'Invalid memory 512'],
    [
      'autoscaling.prod.min',
      { prodMinCount: 9, prodMaxCount: 3 },
      'Invalid autoscaling.prod.min 9',
    ],
  ])('reports a bad %s as a failed render step', async (_, bad, message) => {
    const { res } = await dryRun({ ...values, ...bad });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });
});
