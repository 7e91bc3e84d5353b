/*
 * templates/import-ecs-services end to end, on a started backend (the real ecs-deploy backend,
 * catalog and scaffolder with this module) against the emulator, with the real Terraform: services
 * created through the AWS API are adopted by an admin's bulk adoption job (POST /adoption-jobs:
 * tags and image parameters), then the template imports them into Terraform as the job's page
 * offers it. The dry run names what would be imported and writes nothing; the real run imports
 * the job's services in one batch (plan exits 0, each own root planned again after the split),
 * publishes each one's repository and registers its component, and lists a service the job did
 * not adopt as not imported, leaving it alone. ECS keeps each service's revision.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
// The real backend on purpose: the job and the import's checks are the ecs-deploy backend's.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy-backend';
import {
  ecsClient,
  ecsDeployTestConfig,
  seedEnvironment,
  seedLegacyService,
  startEmulator,
  type Emulator,
} from '@internal/dev-kit';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { groupEntity } from './__testUtils__/backend';
import { listFiles } from './__testUtils__/fixtures';
import { REPO_ROOT } from './__testUtils__/provisionFixtures';
import scaffolderModuleEcsDeploy, {
  catalogModuleEcsDeployFileLocations,
} from './index';

jest.setTimeout(900_000);

const TEMPLATE_DIR = path.join(REPO_ROOT, 'templates/import-ecs-services');
const TERRAFORM = path.join(REPO_ROOT, 'scripts/terraform.sh');
const DAVE = mockCredentials.user.header('user:default/dave');
const ADOPTED = ['imp-billing', 'imp-ledger'];
const user = (name: string, group: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [group] },
});

describe('templates/import-ecs-services on the emulator', () => {
  const dir = createMockDirectory();
  let emulator: Emulator;
  let server: any;

  /** Polls `fn` until it answers; a real import on a loaded CI machine can take minutes. */
  const until = async <T>(
    fn: () => Promise<T | undefined>,
    what: string,
    timeoutMs = 300_000,
  ) => {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`Timed out waiting for ${what}`);
  };
  const services = async () =>
    (
      await ecsClient(emulator.endpoint).send(
        new DescribeServicesCommand({
          cluster: 'test-staging',
          services: [...ADOPTED, 'imp-stray'],
          include: ['TAGS'],
        }),
      )
    ).services!.map(s => ({
      name: s.serviceName,
      taskDefinition: s.taskDefinition,
      deployments: s.deployments?.length,
      entityRef: s.tags?.find(t => t.key === 'backstage:entity-ref')?.value,
    }));
  // What the job's "Import into Terraform" button fills in.
  const values = {
    names: [...ADOPTED, 'imp-stray'],
    owner: 'group:default/team-payments',
    environments: ['staging'],
  };

  beforeAll(async () => {
    // The scaffolder reads the services with the SDK's default chain (the emulator's test keys).
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    emulator = await startEmulator({ rolloutSeconds: 1 });
    await seedEnvironment(emulator.endpoint, 'staging', {
      cluster: 'test-staging',
    });
    for (const name of [...ADOPTED, 'imp-stray']) {
      await seedLegacyService(
        emulator.endpoint,
        'staging',
        name,
        `ghcr.io/acme/${name}:2.0.0`,
        { tags: { team: 'payments' } },
      );
    }
    fs.mkdirSync(dir.resolve('published'), { recursive: true });
    fs.symlinkSync(
      path.join(REPO_ROOT, 'terraform-modules'),
      dir.resolve('published/terraform-modules'),
    );
    fs.writeFileSync(
      dir.resolve('org.yaml'),
      [
        groupEntity('team-payments'),
        groupEntity('platform'),
        user('alice', 'team-payments'),
        user('dave', 'platform'),
      ]
        .map(e => yaml.stringify(e))
        .join('---\n'),
    );
    const config = ecsDeployTestConfig(emulator.endpoint, {
      permissions: { adminGroups: ['group:default/platform'] },
      onboarding: {
        ownerTags: { groups: { payments: 'group:default/team-payments' } },
      },
      scaffolder: {
        modulesSource: '../terraform-modules',
        localPublishDir: dir.resolve('published'),
        allowFileLocations: true,
        backend: { type: 'local' },
        provision: 'terraform',
        terraform: {
          command: TERRAFORM,
          stateDir: dir.resolve('state'),
          localEmulator: true,
        },
      },
    });
    server = (
      await startTestBackend({
        features: [
          ecsDeployPlugin,
          catalogPlugin,
          catalogModuleScaffolderEntityModel,
          catalogModuleEcsDeployFileLocations,
          scaffolderPlugin,
          // As in the portal's backend: a step with `each` resolves its action before its `if`,
          // so the GitHub steps need publish:github registered even when publishing locally.
          scaffolderModuleGithub,
          scaffolderModuleEcsDeploy,
          mockServices.rootConfig.factory({
            data: {
              ...config,
              backend: { baseUrl: 'http://localhost:7007' },
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'Template',
                      'Location',
                      'Group',
                      'User',
                    ],
                  },
                ],
                locations: [
                  {
                    type: 'file',
                    target: path.join(TEMPLATE_DIR, 'template.yaml'),
                  },
                  { type: 'file', target: dir.resolve('org.yaml') },
                ],
              },
            },
          }),
        ],
      })
    ).server;
    await until(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/user/default/dave')
        .set('Authorization', DAVE);
      const template = await request(server)
        .get(
          '/api/catalog/entities/by-name/template/default/import-ecs-services',
        )
        .set('Authorization', DAVE);
      return res.body.relations?.length && template.status === 200
        ? true
        : undefined;
    }, 'the catalog');

    // The admin's bulk adoption job: imp-billing and imp-ledger, not imp-stray.
    const job = await request(server)
      .post('/api/ecs-deploy/adoption-jobs')
      .set('Authorization', DAVE)
      .send({
        services: ADOPTED.map(serviceName => ({
          serviceName,
          environments: values.environments,
          owner: values.owner,
        })),
      });
    if (job.status !== 202) {
      throw new Error(`The adoption job: ${job.status} ${job.text}`);
    }
    const report = await until(async () => {
      const res = await request(server)
        .get(`/api/ecs-deploy/adoption-jobs/${job.body.id}`)
        .set('Authorization', DAVE);
      return res.body.status === 'completed' ? res.body : undefined;
    }, 'the adoption job');
    if (report.counts.adopted !== 2) {
      throw new Error(`The adoption job: ${JSON.stringify(report.items)}`);
    }
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('dry run: renders what would be imported, names what not, and writes nothing outside the workspace', async () => {
    const template = yaml.parse(
      fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    const before = await services();
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', DAVE)
      .send({ template, values, secrets: {}, directoryContents: [] });
    const log = (res.body.log ?? []).map((l: any) => l.body.message).join('\n');
    expect([res.status, res.body.errors ?? res.body.error]).toEqual([
      200,
      undefined,
    ]);
    expect(log).toContain('Dry run: would import 2 services');
    expect(log).toMatch(
      /Not imported: imp-stray: ConflictError: .*not adopted/,
    );
    // Each one's repository, as it would be published.
    expect(res.body.directoryContents.map((f: any) => f.path).sort()).toEqual(
      ADOPTED.flatMap(name => [
        `${name}/catalog-info.yaml`,
        ...[
          '.terraform.lock.hcl',
          'main.tf',
          'providers.tf',
          'versions.tf',
        ].map(f => `${name}/terraform/staging/${f}`),
      ]).sort(),
    );
    expect(fs.existsSync(dir.resolve('state'))).toBe(false);
    expect(await services()).toEqual(before);
    expect(fs.readdirSync(dir.resolve('published'))).toEqual([
      'terraform-modules',
    ]);
  });

  it('real run: imports the adopted services (plans exit 0), publishes and registers each, and leaves the others alone', async () => {
    const before = await services();
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', DAVE)
      .send({ templateRef: 'template:default/import-ecs-services', values });
    expect([created.status, created.body.errors ?? created.body.error]).toEqual(
      [201, undefined],
    );
    const task = await until(
      async () => {
        const res = await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('Authorization', DAVE);
        return ['completed', 'failed', 'cancelled'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      'the task',
      840_000,
    );
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', DAVE);
    const log = events.body.map((e: any) => e.body.message).join('\n');
    expect([task.status, task.status === 'completed' ? '' : log]).toEqual([
      'completed',
      '',
    ]);
    expect(log).toContain('staging: imported 2 services (1-2 of 2)');
    for (const name of ADOPTED) {
      expect(log).toContain(
        `${name}/terraform/staging: terraform plan -detailed-exitcode exits 0 (no changes)`,
      );
    }
    // The task's output, as the scaffolder's page shows it when the task ends.
    const completion = events.body.find((e: any) => e.type === 'completion');
    const text = Object.fromEntries(
      completion.body.output.text.map((t: any) => [t.title, t.content]),
    );
    expect(text.Imported).toContain(
      '**2 imported** for group:default/team-payments',
    );
    expect(text['Not imported']).toMatch(
      /- \*\*imp-stray\*\*: ConflictError: ECS service imp-stray is not adopted yet/,
    );

    // Only the adopted ones have a repository, a state, and a component; ECS kept what it ran.
    expect(fs.readdirSync(dir.resolve('published')).sort()).toEqual([
      ...ADOPTED,
      'terraform-modules',
    ]);
    expect(fs.readdirSync(dir.resolve('state')).sort()).toEqual(ADOPTED);
    expect(await listFiles(dir.resolve('published/imp-billing'))).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'terraform/staging/main.tf',
      ]),
    );
    expect(await services()).toEqual(before);
    const entities = await Promise.all(
      ADOPTED.map(name =>
        until(async () => {
          const res = await request(server)
            .get(`/api/catalog/entities/by-name/component/default/${name}`)
            .set('Authorization', DAVE);
          return res.status === 200 ? res.body : undefined;
        }, `${name} in the catalog`),
      ),
    );
    expect(entities.map(e => e.spec.owner)).toEqual([
      'group:default/team-payments',
      'group:default/team-payments',
    ]);
    const stray = await request(server)
      .get('/api/catalog/entities/by-name/component/default/imp-stray')
      .set('Authorization', DAVE);
    expect(stray.status).toBe(404);

    // Run again, nothing is imported twice: each is refused, its component exists now.
    const again = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', DAVE)
      .send({
        template: yaml.parse(
          fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
        ),
        values,
        secrets: {},
        directoryContents: [],
      });
    const againLog = (again.body.log ?? [])
      .map((l: any) => l.body.message)
      .join('\n');
    expect(againLog).toContain('Dry run: would import 0 services');
    expect(againLog).toContain(
      'Not imported: imp-billing: ConflictError: An entity component:default/imp-billing already exists (owner group:default/team-payments)',
    );
  });
});
