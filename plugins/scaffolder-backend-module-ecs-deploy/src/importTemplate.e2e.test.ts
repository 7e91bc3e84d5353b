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
} from '@backstage/backend-test-utils';
import scaffolderModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import {
  ecsClient,
  seedEnvironment,
  seedLegacyService,
  startEmulator,
  type Emulator,
} from '@internal/dev-kit';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  runTask,
  startAdoptionBackend,
  until,
} from './__testUtils__/adoptionBackend';
import { listFiles } from './__testUtils__/fixtures';
import { REPO_ROOT } from './__testUtils__/provisionFixtures';

jest.setTimeout(900_000);

const TEMPLATE_DIR = path.join(REPO_ROOT, 'templates/import-ecs-services');
const DAVE = mockCredentials.user.header('user:default/dave');
const ADOPTED = ['imp-billing', 'imp-ledger'];

describe('templates/import-ecs-services on the emulator', () => {
  const dir = createMockDirectory();
  let emulator: Emulator;
  let server: any;

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
    server = await startAdoptionBackend({
      endpoint: emulator.endpoint,
      root: dir.path,
      template: 'import-ecs-services',
      groups: ['team-payments', 'platform'],
      people: [
        ['dave', 'platform'],
        ['alice', 'team-payments'],
      ],
      ecsDeploy: {
        permissions: { adminGroups: ['group:default/platform'] },
        onboarding: {
          ownerTags: { groups: { payments: 'group:default/team-payments' } },
        },
      },
      // As in the portal's backend: a step with `each` resolves its action before its `if`,
      // so the GitHub steps need publish:github registered even when publishing locally.
      features: [scaffolderModuleGithub],
    });

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
    const { created, task, events, log } = await runTask(
      server,
      DAVE,
      'import-ecs-services',
      values,
      840_000,
    );
    expect([created.status, created.body.errors ?? created.body.error]).toEqual(
      [201, undefined],
    );
    expect([task?.status, task?.status === 'completed' ? '' : log]).toEqual([
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
    const completion = events.find((e: any) => e.type === 'completion');
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
